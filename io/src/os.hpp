#pragma once
// The few operating-system calls that reading inputs (input.cpp) and writing outputs (output.cpp)
// need, so that those two files hold their rules once, for every platform (docs/windows.md, "One
// place for what differs"). Implemented in platform_posix.cpp (file descriptors, stat) and
// platform_win32.cpp (HANDLEs, GetFileInformationByHandle). Internal to fltsim_io.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "fltsim/io/input.hpp"

namespace fltsim::io::os {

/// An open file: a descriptor on POSIX, a HANDLE on Windows.
using Handle = std::intptr_t;
inline constexpr Handle no_handle = -1;

/// What a file is, and who it is: two names of one file (a link, another spelling) have the same
/// (device, inode). `comparable` is false where the platform gives no such identity (a Windows
/// pipe or console), and for a character device, whose every open is its own stream.
struct Identity {
  InputKind kind = InputKind::missing;
  std::uintmax_t device = 0;
  std::uintmax_t inode = 0;
  bool comparable = false;
};

/// The process's standard input (never closed by close()).
[[nodiscard]] Handle standard_input();

/// Opens `path` for reading (a folder too, so that it can be told apart); no_handle and `why`
/// when it cannot be opened.
[[nodiscard]] Handle open_for_reading(const std::filesystem::path &path, std::string &why);

/// The identity of an open file; kind `missing` when it cannot be asked.
[[nodiscard]] Identity identify(Handle h);

/// The identity of what `path` names, links followed; kind `missing` when nothing is there.
[[nodiscard]] Identity identify_path(const std::filesystem::path &path);

/// Reads up to `n` bytes: how many were read, 0 at the end, -1 with `why` on an error
/// (interrupted reads are retried).
[[nodiscard]] std::ptrdiff_t read_some(Handle h, char *buf, std::size_t n, std::string &why);

/// Closes `h` (standard input stays open).
void close(Handle h);

/// Writes `content` into a FIFO or a character device where it is (never replaced, so /dev/null
/// stays a device); a FIFO nobody reads is refused instead of waited for. nullopt on success.
[[nodiscard]] std::optional<std::string> write_in_place(const std::filesystem::path &path,
                                                        std::string_view content, bool fifo);

} // namespace fltsim::io::os
