#include "fltsim/io/files.hpp"

#include <cstdio>
#include <cstring>

#include "fltsim/io/platform.hpp"
#include "fltsim/io/text.hpp"
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
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\0') {
      *is_nul = true;
      return i;
    }
    const std::size_t len = utf8_sequence(s, i);
    if (len == 0)
      return i;
    i += len;
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
  return read_input_bytes(path, error);
}

DecodedText read_text_file(const fs::path &path) {
  DecodedText out;
  std::optional<std::string> bytes = read_input_bytes(path, out.error);
  if (!bytes)
    return out;
  return decode_text(*bytes, input_name(path));
}

} // namespace fltsim::io
