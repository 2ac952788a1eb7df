#pragma once
// File-level IO: reading with limits and encoding detection, and writes that never destroy user
// files (temp file + rename). Every reader and writer of fltsim goes through here.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::io {

/// Largest input file accepted (docs/reliability.md, "Limits").
inline constexpr std::size_t max_input_bytes = 64u * 1024u * 1024u;

/// Decodes file bytes to UTF-8: a UTF-8 BOM is dropped, UTF-16LE/BE with BOM is converted, CRLF
/// is kept (readers handle it). NUL bytes in UTF-8 text and invalid UTF-8/UTF-16 are errors.
struct DecodedText {
  std::optional<std::string> text;
  sim::Diagnostic error; ///< set when !text
};
[[nodiscard]] DecodedText decode_text(std::string_view bytes, const std::string &source_name);

/// Reads and decodes a file (size limit max_input_bytes).
[[nodiscard]] DecodedText read_text_file(const std::filesystem::path &path);

/// The bytes of a file (size limit max_input_bytes), or nullopt with the reason in `error`.
[[nodiscard]] std::optional<std::string> read_file_bytes(const std::filesystem::path &path,
                                                         sim::Diagnostic &error);

/// "refusing to overwrite input file X" if `path` names one of `inputs` (through another spelling,
/// a symlink or a hard link), else nullopt. write_file_atomic checks this itself; front ends that
/// do expensive work before writing call it first, so a refused output costs nothing and no
/// other output of the same run is written.
[[nodiscard]] std::optional<std::string>
output_clashes_with_input(const std::filesystem::path &path,
                          const std::vector<std::filesystem::path> &inputs);

/// Writes `content` to `path` through a temporary file in the same directory and a rename, so a
/// failure never leaves a partial or truncated file. Refuses to overwrite any of `inputs`.
/// Returns an error message, or nullopt on success.
[[nodiscard]] std::optional<std::string>
write_file_atomic(const std::filesystem::path &path, std::string_view content,
                  const std::vector<std::filesystem::path> &inputs = {});

} // namespace fltsim::io
