// fltsim/io/platform.hpp on Windows (mingw-w64 or MSVC): wide-character Win32 calls only, every
// string UTF-8 at the interface.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <shellapi.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "fltsim/io/platform.hpp"
#include "fltsim/io/utf8.hpp"
#include "os.hpp"

namespace fltsim::io {

namespace fs = std::filesystem;

namespace {

std::string utf8_of(const wchar_t *w, int len) {
  return utf8_from_wide(std::wstring_view(w, static_cast<std::size_t>(len)));
}

std::string last_error_text(DWORD code) {
  wchar_t *buf = nullptr;
  const DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                     FORMAT_MESSAGE_IGNORE_INSERTS,
                                 nullptr, code, 0, reinterpret_cast<wchar_t *>(&buf), 0, nullptr);
  std::string text = n > 0 ? utf8_of(buf, static_cast<int>(n)) : std::string();
  if (buf)
    LocalFree(buf);
  while (!text.empty() &&
         (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '.'))
    text.pop_back();
  return text.empty() ? "Windows error " + std::to_string(code) : text;
}

} // namespace

fs::path executable_path() {
  std::wstring buf(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, buf.data(), static_cast<DWORD>(buf.size()));
    if (n == 0)
      return {};
    if (n < buf.size()) {
      buf.resize(n);
      return fs::path(buf);
    }
    if (buf.size() >= 32768)
      return {};
    buf.resize(buf.size() * 2);
  }
}

std::vector<std::string> utf8_arguments(int argc, char **argv) {
  int n = 0;
  wchar_t **w = CommandLineToArgvW(GetCommandLineW(), &n);
  if (!w || n != argc) { // should not happen; keep what the C runtime gave
    if (w)
      LocalFree(w);
    return {argv, argv + argc};
  }
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    out.push_back(utf8_of(w[i], static_cast<int>(wcslen(w[i]))));
  LocalFree(w);
  return out;
}

void prepare_console() {
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY);
  SetConsoleOutputCP(CP_UTF8);
  for (DWORD which : {STD_OUTPUT_HANDLE, STD_ERROR_HANDLE}) {
    HANDLE h = GetStdHandle(which);
    DWORD mode = 0;
    if (h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode))
      SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
  }
}

bool stderr_is_terminal() {
  DWORD mode = 0;
  return GetConsoleMode(GetStdHandle(STD_ERROR_HANDLE), &mode) != 0;
}

bool running_under_wine() {
  const HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll != nullptr && GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

ScratchFile::ScratchFile(std::string_view bytes) {
  wchar_t dir[MAX_PATH + 1];
  wchar_t name[MAX_PATH + 1];
  const DWORD n = GetTempPathW(MAX_PATH + 1, dir);
  if (n == 0 || n > MAX_PATH || GetTempFileNameW(dir, L"fss", 0, name) == 0) {
    error_ = last_error_text(GetLastError());
    return;
  }
  HANDLE h = CreateFileW(name, GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY,
                         nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    error_ = last_error_text(GetLastError());
    DeleteFileW(name);
    return;
  }
  for (std::size_t done = 0; done < bytes.size();) {
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(bytes.size() - done, 1u << 30));
    DWORD written = 0;
    if (!WriteFile(h, bytes.data() + done, chunk, &written, nullptr) || written == 0) {
      error_ = last_error_text(GetLastError());
      CloseHandle(h);
      DeleteFileW(name);
      return;
    }
    done += written;
  }
  CloseHandle(h);
  path_ = fs::path(name);
}

ScratchFile::~ScratchFile() {
  if (!path_.empty())
    DeleteFileW(path_.c_str());
}

std::optional<std::string> replace_file_contents(const fs::path &path, std::string_view content) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::random_device rd;
  fs::path tmp;
  HANDLE h = INVALID_HANDLE_VALUE;
  for (int attempt = 0; attempt < 16 && h == INVALID_HANDLE_VALUE; ++attempt) {
    tmp = dir / (L"." + path.filename().wstring() + L".tmp-" + std::to_wstring(rd()));
    h = CreateFileW(tmp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL,
                    nullptr);
    if (h == INVALID_HANDLE_VALUE && GetLastError() != ERROR_FILE_EXISTS)
      break;
  }
  if (h == INVALID_HANDLE_VALUE)
    return "cannot create a temporary file in " + path_to_utf8(dir) + ": " +
           last_error_text(GetLastError());
  std::size_t done = 0;
  while (done < content.size()) {
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(content.size() - done, 1u << 30));
    DWORD written = 0;
    if (!WriteFile(h, content.data() + done, chunk, &written, nullptr)) {
      const std::string why = last_error_text(GetLastError());
      CloseHandle(h);
      DeleteFileW(tmp.c_str());
      return "cannot write " + path_to_utf8(path) + ": " + why;
    }
    done += written;
  }
  if (!FlushFileBuffers(h)) {
    const std::string why = last_error_text(GetLastError());
    CloseHandle(h);
    DeleteFileW(tmp.c_str());
    return "cannot write " + path_to_utf8(path) + ": " + why;
  }
  CloseHandle(h);
  // ReplaceFileW keeps the replaced file's attributes and security; it needs an existing target.
  BOOL ok = FALSE;
  if (GetFileAttributesW(path.c_str()) != INVALID_FILE_ATTRIBUTES)
    ok = ReplaceFileW(path.c_str(), tmp.c_str(), nullptr, REPLACEFILE_IGNORE_MERGE_ERRORS, nullptr,
                      nullptr);
  if (!ok)
    ok = MoveFileExW(tmp.c_str(), path.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
  if (!ok) {
    const std::string why = last_error_text(GetLastError());
    DeleteFileW(tmp.c_str());
    return "cannot rename into " + path_to_utf8(path) + ": " + why;
  }
  return std::nullopt;
}

bool codepage_supported(std::uint32_t codepage) {
  return codepage != 0 && codepage <= 0xFFFF && IsValidCodePage(codepage) != 0;
}

namespace {

void decode_utf16(std::string_view in, bool le, std::string &out,
                  std::vector<UndecodableByte> &bad) {
  auto unit = [&](std::size_t at) -> unsigned {
    const auto a = static_cast<unsigned char>(in[at]);
    const auto b = static_cast<unsigned char>(in[at + 1]);
    return le ? (a | (b << 8)) : ((a << 8) | b);
  };
  auto raw = [&](std::size_t at) -> unsigned {
    return (static_cast<unsigned>(static_cast<unsigned char>(in[at])) << 8) |
           static_cast<unsigned char>(in[at + 1]);
  };
  std::size_t i = 0;
  for (; i + 1 < in.size(); i += 2) {
    const unsigned u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < in.size() && unit(i + 2) >= 0xDC00 &&
        unit(i + 2) <= 0xDFFF) {
      append_utf8(out,
                  static_cast<char32_t>(0x10000 + ((u - 0xD800) << 10) + (unit(i + 2) - 0xDC00)));
      i += 2;
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      bad.push_back({out.size(), raw(i)});
      append_utf8(out, 0xFFFD);
    } else {
      append_utf8(out, static_cast<char32_t>(u));
    }
  }
  if (i < in.size()) { // an odd trailing byte
    bad.push_back({out.size(), static_cast<unsigned char>(in[i])});
    append_utf8(out, 0xFFFD);
  }
}

// Length of the character starting at in[at] in `codepage` (1 or 2 for DBCS code pages, 1-4 for
// UTF-8 by its lead byte).
std::size_t char_length(std::string_view in, std::size_t at, UINT codepage) {
  const auto c = static_cast<unsigned char>(in[at]);
  std::size_t len = 1;
  if (codepage == CP_UTF8)
    len = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  else if (IsDBCSLeadByteEx(codepage, c))
    len = 2;
  return std::min(len, in.size() - at);
}

void append_wide(std::string &out, const wchar_t *w, int n) {
  out += utf8_of(w, n);
}

} // namespace

bool decode_to_utf8(std::string_view in, TextEncoding encoding, std::string &out,
                    std::vector<UndecodableByte> &bad) {
  if (encoding.kind != TextEncoding::Kind::codepage) {
    decode_utf16(in, encoding.kind == TextEncoding::Kind::utf16le, out, bad);
    return true;
  }
  const UINT cp = encoding.codepage;
  if (!codepage_supported(cp))
    return false;
  if (in.empty())
    return true;
  // The whole text at once when it decodes cleanly (the usual case)...
  const int whole = static_cast<int>(std::min<std::size_t>(in.size(), 0x7FFFFFFF));
  const int n = MultiByteToWideChar(cp, MB_ERR_INVALID_CHARS, in.data(), whole, nullptr, 0);
  if (n > 0 && static_cast<std::size_t>(whole) == in.size()) {
    std::wstring w(static_cast<std::size_t>(n), L'\0');
    MultiByteToWideChar(cp, MB_ERR_INVALID_CHARS, in.data(), whole, w.data(), n);
    append_wide(out, w.data(), n);
    return true;
  }
  // ...else character by character, so that each undecodable sequence is found and replaced.
  std::size_t at = 0;
  while (at < in.size()) {
    std::size_t len = char_length(in, at, cp);
    wchar_t w[4];
    int got =
        MultiByteToWideChar(cp, MB_ERR_INVALID_CHARS, in.data() + at, static_cast<int>(len), w, 4);
    if (got <= 0 && len > 1) { // a lead byte without its trail: the lead byte alone is bad
      len = 1;
      got = 0;
    }
    if (got <= 0) {
      bad.push_back({out.size(), static_cast<unsigned char>(in[at])});
      append_utf8(out, 0xFFFD);
      at += 1;
      continue;
    }
    append_wide(out, w, got);
    at += len;
  }
  return true;
}

// ---- os.hpp: HANDLEs ---------------------------------------------------------------------------

namespace os {

namespace {

HANDLE as_handle(Handle h) {
  return reinterpret_cast<HANDLE>(h);
}

// Opened with every sharing mode, so that fltsim never stands in the way of the program that
// writes the file; FILE_FLAG_BACKUP_SEMANTICS lets a folder be opened, to be told apart.
HANDLE open_shared(const fs::path &path, DWORD access) {
  return CreateFileW(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                     nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
}

} // namespace

Handle standard_input() {
  return reinterpret_cast<Handle>(GetStdHandle(STD_INPUT_HANDLE));
}

Handle open_for_reading(const fs::path &path, std::string &why) {
  HANDLE h = open_shared(path, GENERIC_READ);
  if (h == INVALID_HANDLE_VALUE) {
    why = last_error_text(GetLastError());
    return no_handle;
  }
  return reinterpret_cast<Handle>(h);
}

Identity identify(Handle h) {
  Identity id;
  HANDLE w = as_handle(h);
  if (h == no_handle || w == nullptr)
    return id;
  switch (GetFileType(w)) {
  case FILE_TYPE_DISK: {
    BY_HANDLE_FILE_INFORMATION info{};
    if (!GetFileInformationByHandle(w, &info))
      return id;
    id.kind = (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0 ? InputKind::directory
                                                                      : InputKind::regular;
    id.device = info.dwVolumeSerialNumber;
    id.inode = (std::uintmax_t{info.nFileIndexHigh} << 32) | info.nFileIndexLow;
    id.comparable = true;
    return id;
  }
  case FILE_TYPE_PIPE:
    id.kind = InputKind::pipe; // an anonymous or named pipe: no identity to compare
    return id;
  case FILE_TYPE_CHAR:
    id.kind = InputKind::character_device; // NUL, CON
    return id;
  default:
    id.kind = InputKind::other;
    return id;
  }
}

Identity identify_path(const fs::path &path) {
  HANDLE h = open_shared(path, 0); // no access: only its identity is asked
  if (h == INVALID_HANDLE_VALUE)
    return {};
  const Identity id = identify(reinterpret_cast<Handle>(h));
  CloseHandle(h);
  return id;
}

std::ptrdiff_t read_some(Handle h, char *buf, std::size_t n, std::string &why) {
  DWORD got = 0;
  const DWORD want = static_cast<DWORD>(std::min<std::size_t>(n, 1u << 30));
  if (!ReadFile(as_handle(h), buf, want, &got, nullptr)) {
    const DWORD e = GetLastError();
    if (e == ERROR_BROKEN_PIPE || e == ERROR_HANDLE_EOF)
      return 0; // the writer of a pipe is done: its end
    why = last_error_text(e);
    return -1;
  }
  return static_cast<std::ptrdiff_t>(got);
}

void close(Handle h) {
  if (h != no_handle && h != standard_input())
    CloseHandle(as_handle(h));
}

std::optional<std::string> write_in_place(const fs::path &path, std::string_view content,
                                          bool /*fifo*/) {
  // NUL, CON or a named pipe: opened as it is, written, never replaced.
  HANDLE h = CreateFileW(path.c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                         OPEN_EXISTING, 0, nullptr);
  if (h == INVALID_HANDLE_VALUE)
    return "cannot write " + path_to_utf8(path) + ": " + last_error_text(GetLastError());
  std::optional<std::string> err;
  for (std::size_t done = 0; done < content.size();) {
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(content.size() - done, 1u << 30));
    DWORD written = 0;
    if (!WriteFile(h, content.data() + done, chunk, &written, nullptr) || written == 0) {
      err = "cannot write " + path_to_utf8(path) + ": " + last_error_text(GetLastError());
      break;
    }
    done += written;
  }
  CloseHandle(h);
  return err;
}

} // namespace os

} // namespace fltsim::io
