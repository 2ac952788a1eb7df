#include "fltsim/io/files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "fltsim/io/platform.hpp"
#include "fltsim/io/utf8.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::io {

namespace fs = std::filesystem;
using sim::Diagnostic;

namespace {

// Line/column of byte offset `at` in UTF-8 text, for decoding errors.
sim::SourceLocation locate(std::string_view text, std::size_t at, const std::string &source) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return {source, line, col};
}

// Returns the offset of the first invalid UTF-8 sequence or NUL, or npos.
std::size_t find_invalid_utf8(std::string_view s, bool *is_nul) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) {
      *is_nul = true;
      return i;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    char32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + static_cast<std::size_t>(len) > s.size())
      return i;
    for (int k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80)
        return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong =
        (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += static_cast<std::size_t>(len);
  }
  return std::string_view::npos;
}

} // namespace

DecodedText decode_text(std::string_view bytes, const std::string &source) {
  DecodedText out;
  auto fail = [&](sim::SourceLocation where, std::string msg) {
    out.error = {std::move(where), "encoding", std::move(msg)};
    return out;
  };
  const bool le = bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
                  static_cast<unsigned char>(bytes[1]) == 0xFE;
  const bool be = bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFE &&
                  static_cast<unsigned char>(bytes[1]) == 0xFF;
  if (le || be) {
    if (bytes.size() % 2 != 0)
      return fail({source, 0, 0}, "UTF-16 text has an odd number of bytes (truncated file?)");
    std::string utf8;
    utf8.reserve(bytes.size() / 2);
    int line = 1, col = 1;
    for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
      auto unit = [&](std::size_t at) -> char32_t {
        const auto a = static_cast<unsigned char>(bytes[at]);
        const auto b = static_cast<unsigned char>(bytes[at + 1]);
        return le ? static_cast<char32_t>(a | (b << 8)) : static_cast<char32_t>((a << 8) | b);
      };
      char32_t cp = unit(i);
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (i + 3 >= bytes.size())
          return fail({source, line, col}, "UTF-16 text ends inside a surrogate pair");
        const char32_t lo = unit(i + 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
          return fail({source, line, col}, "invalid UTF-16 surrogate pair");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return fail({source, line, col}, "invalid UTF-16: unpaired low surrogate");
      } else if (cp == 0) {
        return fail({source, line, col}, "NUL character in text");
      }
      append_utf8(utf8, cp);
      if (cp == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    out.text = std::move(utf8);
    return out;
  }
  std::string_view body = bytes;
  if (body.size() >= 3 && static_cast<unsigned char>(body[0]) == 0xEF &&
      static_cast<unsigned char>(body[1]) == 0xBB && static_cast<unsigned char>(body[2]) == 0xBF)
    body.remove_prefix(3);
  bool nul = false;
  if (const std::size_t bad = find_invalid_utf8(body, &nul); bad != std::string_view::npos) {
    // A NUL in the second byte suggests UTF-16 without a BOM.
    const bool utf16ish = body.size() >= 2 && body[1] == '\0';
    return fail(locate(body, bad, source),
                nul ? (utf16ish ? "NUL byte in text: UTF-16 without a byte-order mark? Save it "
                                  "as UTF-8 or UTF-16 with BOM"
                                : "NUL byte in text")
                    : "invalid UTF-8 byte sequence");
  }
  out.text = std::string(body);
  return out;
}

std::optional<std::string> read_file_bytes(const fs::path &path, sim::Diagnostic &error) {
  const std::string name = path_to_utf8(path);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = sim::make_diagnostic({name, 0, 0}, "io", "is a directory, expected a file");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = sim::make_diagnostic({name, 0, 0}, "io",
                                 std::string("cannot open: ") + std::strerror(errno));
    return std::nullopt;
  }
  std::string bytes;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_input_bytes) {
      error = sim::make_diagnostic({name, 0, 0}, "limit",
                                   "file is larger than " +
                                       std::to_string(max_input_bytes / (1024 * 1024)) +
                                       " MiB, the input size limit");
      return std::nullopt;
    }
  }
  return bytes;
}

DecodedText read_text_file(const fs::path &path) {
  DecodedText out;
  std::optional<std::string> bytes = read_file_bytes(path, out.error);
  if (!bytes)
    return out;
  return decode_text(*bytes, path_to_utf8(path));
}

std::optional<std::string> output_clashes_with_input(const fs::path &path,
                                                     const std::vector<fs::path> &inputs) {
  std::error_code ec;
  for (const fs::path &in : inputs) {
    if (fs::exists(path, ec) && fs::equivalent(path, in, ec))
      return "refusing to overwrite input file " + path_to_utf8(in);
    if (fs::weakly_canonical(path, ec) == fs::weakly_canonical(in, ec))
      return "refusing to overwrite input file " + path_to_utf8(in);
  }
  return std::nullopt;
}

std::optional<std::string> write_file_atomic(const fs::path &path, std::string_view content,
                                             const std::vector<fs::path> &inputs) {
  if (auto clash = output_clashes_with_input(path, inputs))
    return clash;
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return path_to_utf8(path) + " is a directory";
  // Temporary file, flush, one-step replacement: platform.hpp (POSIX rename / ReplaceFileW).
  return replace_file_contents(path, content);
}

} // namespace fltsim::io
