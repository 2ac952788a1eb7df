#pragma once
// What differs between Linux and Windows, in one place (docs/windows.md). Each function has one
// implementation per platform, src/platform_posix.cpp and src/platform_win32.cpp, and CMake
// compiles the one for the target; the rest of fltsim calls these and has no #ifdef of its own.
// Functions that need no operating system (glob matching, path <-> UTF-8, file URIs) are
// portable C++ in src/platform_common.cpp and behave the same everywhere.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fltsim::io {

// ---- operating system ------------------------------------------------------------------------

/// The running executable's full path (Linux: /proc/self/exe; Windows: GetModuleFileNameW);
/// empty when it cannot be found.
[[nodiscard]] std::filesystem::path executable_path();

/// The command line as UTF-8 strings. Linux: argv as given (bytes). Windows: the UTF-16 command
/// line (GetCommandLineW), so that a path in any script reaches fltsim intact whatever the
/// console's code page.
[[nodiscard]] std::vector<std::string> utf8_arguments(int argc, char **argv);

/// Call once at start-up. Windows: stdout and stderr written as bytes (every format fltsim writes
/// ends its lines with "\n" on every platform, none gets a "\r" added), the console's output
/// code page set to UTF-8, and escape sequences enabled for the progress line. Linux: nothing.
void prepare_console();

/// True when standard error is a terminal (the progress line is drawn only there).
[[nodiscard]] bool stderr_is_terminal();

/// True when the Windows build runs under wine (its ntdll exports wine_get_version). Wine 8 has
/// no Filter Manager and no offline-hive loader: its fltlib.dll and wevtapi.dll export stubs that
/// raise an exception when called, and RegLoadAppKeyW loads nothing (docs/windows.md, "Tested
/// under wine"). Linux: false.
[[nodiscard]] bool running_under_wine();

/// Bytes kept as a file for a reader that can only open a path (libhivex and RegLoadAppKeyW
/// open a hive by name; a hive read from a pipe has none). Linux: an anonymous memfd named
/// /proc/self/fd/N; Windows: a temporary file, deleted with this object.
class ScratchFile {
public:
  explicit ScratchFile(std::string_view bytes);
  ~ScratchFile();
  ScratchFile(const ScratchFile &) = delete;
  ScratchFile &operator=(const ScratchFile &) = delete;
  /// Empty when the file could not be made (then error() says why).
  [[nodiscard]] const std::filesystem::path &path() const { return path_; }
  [[nodiscard]] const std::string &error() const { return error_; }

private:
  std::filesystem::path path_;
  std::string error_;
  std::intptr_t handle_ = -1;
};

/// Writes `content` to a new temporary file in `path`'s folder, flushes it to disk and puts it in
/// place of `path` in one step (POSIX rename; Windows ReplaceFileW, or MoveFileExW when `path`
/// does not exist yet). A replaced file keeps its permissions. nullopt on success, else why not.
[[nodiscard]] std::optional<std::string> replace_file_contents(const std::filesystem::path &path,
                                                               std::string_view content);

/// A byte the text decoder could not read, and where its U+FFFD went in the output.
struct UndecodableByte {
  std::size_t out_offset; ///< byte offset of the U+FFFD in the UTF-8 output
  unsigned value;         ///< the byte (or the UTF-16 code unit, big-endian order of its bytes)
};

/// How decode_to_utf8 reads bytes: UTF-16 of either byte order, or a Windows code page
/// (65001 = UTF-8, 1252 = Western, 936 = Simplified Chinese GBK, ...).
struct TextEncoding {
  enum class Kind { utf16le, utf16be, codepage } kind = Kind::codepage;
  std::uint32_t codepage = 1252;
};

/// True when this platform can convert from the code page (Windows: IsValidCodePage; Linux:
/// glibc's iconv knows "CP<n>"). 0 is never supported.
[[nodiscard]] bool codepage_supported(std::uint32_t codepage);

/// Converts `bytes` to UTF-8 as Windows' MultiByteToWideChar reads them: every sequence that
/// cannot be decoded becomes U+FFFD and is listed in `bad`. False when the encoding is not
/// supported (nothing is converted).
[[nodiscard]] bool decode_to_utf8(std::string_view bytes, TextEncoding encoding, std::string &out,
                                  std::vector<UndecodableByte> &bad);

// ---- portable (the same code on every platform) -----------------------------------------------

/// fnmatch(3) with no flags, on every platform: '*' any run of characters (including '/'), '?'
/// one character, "[abc]" / "[a-z]" / "[!a]" / "[^a]" a set, '\' quotes the next character.
/// Matching is by byte, case-sensitive.
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text);

/// Wide strings (UTF-16 where wchar_t has 16 bits, as on Windows; UTF-32 elsewhere) to UTF-8 and
/// back; an unpaired surrogate becomes U+FFFD. For the Win32 calls that speak UTF-16.
[[nodiscard]] std::string utf8_from_wide(std::wstring_view wide);
[[nodiscard]] std::wstring wide_from_utf8(std::string_view utf8);

/// The system's text for an error code (errno on Linux; a Win32 error on Windows), without the
/// trailing period and line break FormatMessage adds.
[[nodiscard]] std::string system_error_text(long code);

/// A path as every output format writes it (docs/windows.md, "Paths in output"): UTF-8, '/' as
/// the separator on every platform ("C:\drivers\a.inf" -> "C:/drivers/a.inf").
[[nodiscard]] std::string path_to_utf8(const std::filesystem::path &p);
/// A UTF-8 string (command line, scenario file) as a path, on every platform.
[[nodiscard]] std::filesystem::path path_from_utf8(std::string_view utf8);

/// An RFC 8089 file URI for an absolute path: "/home/a b.inf" -> "file:///home/a%20b.inf",
/// "C:\x\a.inf" -> "file:///C:/x/a.inf", "\\server\share\a.inf" -> "file://server/share/a.inf".
/// Characters outside RFC 3986's unreserved set and '/' are percent-encoded (UTF-8 bytes).
[[nodiscard]] std::string file_uri(const std::filesystem::path &absolute);

} // namespace fltsim::io
