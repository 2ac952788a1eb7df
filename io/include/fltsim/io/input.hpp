#pragma once
// Reading inputs whole, from anything: regular files, standard input (`-`), pipes, process
// substitution (`<(cmd)`, /dev/fd/N), FIFOs and character devices (docs/reliability.md, "Inputs
// are read whole"). A pipe can be read only once and cannot seek, so the bytes a reader has
// taken from one (to sniff its kind, say) are kept: every later read of the same input in this
// process starts from its first byte. Nothing here seeks.
//
// Every input read here is also noted as an input of the current run (RunInputs), so that an
// output of the same run is refused when it names it (output.hpp).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::io {

/// Largest input accepted by read_input_bytes (docs/reliability.md, "Limits").
inline constexpr std::size_t max_input_bytes = 64u * 1024u * 1024u;

/// The name of an input in messages: "<stdin>" for `-`, else the path as given.
[[nodiscard]] std::string input_name(const std::filesystem::path &path);

/// What a path names (symbolic links followed; `-` is standard input).
enum class InputKind {
  missing,          ///< nothing there (or a dangling link)
  regular,          ///< a regular file: seekable, read as often as needed
  directory,        ///< a folder
  pipe,             ///< a FIFO or a pipe (`<(cmd)`, /dev/fd/N, `-` from a pipe): read once
  character_device, ///< /dev/null, a terminal: read once
  other,            ///< a socket or a block device: not read
};
[[nodiscard]] InputKind input_kind(const std::filesystem::path &path);
[[nodiscard]] const char *to_string(InputKind k);

/// For a walker of a folder (a machine folder, a fleet tree): nullopt when `entry` is read, else
/// the note to print for skipping it. Only regular files and folders are read from a folder; a
/// FIFO, socket or device in a folder would block or never end (name it on the command line to
/// read it: read_input_bytes reads a FIFO given directly).
[[nodiscard]] std::optional<std::string> folder_entry_skip_note(const std::filesystem::path &entry);

/// The whole input, at most `limit` bytes (over it: a `limit` diagnostic; a directory, a missing
/// file or a read error: `io`). "-" is standard input. Reading the same pipe, FIFO or standard
/// input again returns the same bytes.
[[nodiscard]] std::optional<std::string> read_input_bytes(const std::filesystem::path &path,
                                                          sim::Diagnostic &error,
                                                          std::size_t limit = max_input_bytes);

/// Up to `n` bytes from the start of the input, for sniffing its kind, without losing them for
/// a later read_input_bytes or open_input_stream. Empty when the input cannot be read.
[[nodiscard]] std::string peek_input(const std::filesystem::path &path, std::size_t n);

/// A stream over the whole input, for readers that go line by line through inputs that need not
/// fit in memory (fleet JSONL, osquery logs). Starts at the first byte even when the input is a
/// pipe that was peeked. nullptr and `error` set when it cannot be opened. A pipe handed out as
/// a stream is not kept: it can be streamed once.
[[nodiscard]] std::unique_ptr<std::istream> open_input_stream(const std::filesystem::path &path,
                                                              sim::Diagnostic &error);

/// The size of a regular file, for progress; nullopt for a pipe, FIFO or device.
[[nodiscard]] std::optional<std::uintmax_t> input_size(const std::filesystem::path &path);

/// The inputs of one run (one `fltsim` command): while a RunInputs exists, every input opened
/// through this header is recorded, and output.hpp refuses to write over any of them. The CLI
/// makes one per command; in-process tests get a fresh one per run. Runs do not nest.
class RunInputs {
public:
  RunInputs();
  ~RunInputs();
  RunInputs(const RunInputs &) = delete;
  RunInputs &operator=(const RunInputs &) = delete;
};

/// Records `path` as an input of the current run (nothing when no run is active). The readers
/// here call it; a front end calls it for the inputs it names before they are read, so that an
/// output naming one is refused before any work is done.
void note_input(const std::filesystem::path &path);

/// The identity (device, inode) of every input of the current run, and their names.
struct InputIdentity {
  std::uintmax_t device = 0;
  std::uintmax_t inode = 0;
  std::string name;
};
[[nodiscard]] std::vector<InputIdentity> run_inputs();

} // namespace fltsim::io
