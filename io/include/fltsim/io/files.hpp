#pragma once
// File-level IO: reading with limits and encoding detection, and writes that never destroy user
// files (temp file + rename). Every reader and writer of fltsim goes through here. Reading whole
// from anything (pipes, FIFOs, standard input) and the run's inputs: input.hpp.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/io/input.hpp"
#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::io {

/// Decodes file bytes to UTF-8: a UTF-8 BOM is dropped, UTF-16LE/BE with BOM is converted, CRLF
/// is kept (readers handle it). NUL bytes in UTF-8 text and invalid UTF-8/UTF-16 are errors.
struct DecodedText {
  std::optional<std::string> text;
  sim::Diagnostic error; ///< set when !text
};
[[nodiscard]] DecodedText decode_text(std::string_view bytes, const std::string &source_name);

/// Reads (read_input_bytes: a file, `-`, a pipe or FIFO, whole) and decodes an input (size limit
/// max_input_bytes).
[[nodiscard]] DecodedText read_text_file(const std::filesystem::path &path);

/// The bytes of an input (read_input_bytes with max_input_bytes), or nullopt with the reason in
/// `error`.
[[nodiscard]] std::optional<std::string> read_file_bytes(const std::filesystem::path &path,
                                                         sim::Diagnostic &error);

/// "refusing to overwrite input file X" if `path` names one of `inputs` or any input the current
/// run has read (RunInputs, input.hpp), through another spelling, a symlink or a hard link (same
/// device and inode), else nullopt. `-` in `inputs` is standard input. write_file_atomic checks
/// this itself; front ends that do expensive work before writing call it first, so a refused
/// output costs nothing and no other output of the same run is written.
[[nodiscard]] std::optional<std::string>
output_clashes_with_input(const std::filesystem::path &path,
                          const std::vector<std::filesystem::path> &inputs);

/// Writes `content` to `path` so that nothing is destroyed (docs/reliability.md, "Nothing lost"):
/// refuses any input (output_clashes_with_input); a regular or new file is replaced through a
/// temporary file in the same directory and a rename, so a failure never leaves a partial or
/// truncated file; a symbolic link is followed (its target is replaced, the link stays); a FIFO
/// or character device (/dev/null) is written in place, never renamed over, and a FIFO nobody
/// reads is refused; a directory, socket or block device is refused. Returns an error message
/// (the caller exits 2), or nullopt on success.
[[nodiscard]] std::optional<std::string>
write_file_atomic(const std::filesystem::path &path, std::string_view content,
                  const std::vector<std::filesystem::path> &inputs = {});

} // namespace fltsim::io
