// The platform-independent half of fltsim/io/platform.hpp: glob matching, paths as UTF-8, file
// URIs. No operating-system call here, so Linux and Windows builds behave identically.
#include <cstddef>
#include <system_error>

#include "fltsim/io/platform.hpp"
#include "fltsim/io/text.hpp"
#include "fltsim/io/utf8.hpp"

namespace fltsim::io {

namespace fs = std::filesystem;

namespace {

// Matches the bracket expression starting at pattern[p] == '[' against c. Returns the index
// after the closing ']' and sets `matched`, or npos when the '[' opens no valid set (then it is
// an ordinary character, as fnmatch treats it).
std::size_t match_set(std::string_view pattern, std::size_t p, unsigned char c, bool &matched) {
  std::size_t i = p + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    ++i;
  }
  bool hit = false;
  bool first = true;
  while (i < pattern.size()) {
    char lo = pattern[i];
    if (lo == ']' && !first) {
      matched = hit != negate;
      return i + 1;
    }
    first = false;
    if (lo == '\\' && i + 1 < pattern.size())
      lo = pattern[++i];
    char hi = lo;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      hi = pattern[i + 2];
      if (hi == '\\' && i + 3 < pattern.size()) {
        hi = pattern[i + 3];
        ++i;
      }
      i += 2;
    }
    if (static_cast<unsigned char>(lo) <= c && c <= static_cast<unsigned char>(hi))
      hit = true;
    ++i;
  }
  return std::string_view::npos;
}

// What a file URI's path keeps as it is: RFC 3986's unreserved characters and '/'.
bool outside_file_uri_path(unsigned char c) {
  return !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '/');
}

std::string percent_encode(std::string_view s) {
  return io::percent_encode(s, outside_file_uri_path);
}

bool is_drive_letter(std::string_view s) {
  return s.size() >= 2 && s[1] == ':' &&
         ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'));
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matching with one backtrack point (the last '*'), as fnmatch does for flags 0.
  std::size_t p = 0, t = 0;
  std::size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      const char pc = pattern[p];
      if (pc == '*') {
        star_p = ++p;
        star_t = t;
        continue;
      }
      if (pc == '?') {
        ++p;
        ++t;
        continue;
      }
      if (pc == '[') {
        bool matched = false;
        const std::size_t next =
            match_set(pattern, p, static_cast<unsigned char>(text[t]), matched);
        if (next != std::string_view::npos) {
          if (matched) {
            p = next;
            ++t;
            continue;
          }
        } else if (text[t] == '[') {
          ++p;
          ++t;
          continue;
        }
      } else {
        char want = pc;
        std::size_t len = 1;
        if (pc == '\\') {
          if (p + 1 == pattern.size())
            return false; // a trailing '\' matches nothing (as in glibc)
          want = pattern[p + 1];
          len = 2;
        }
        if (want == text[t]) {
          p += len;
          ++t;
          continue;
        }
      }
    }
    if (star_p == std::string_view::npos)
      return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

std::string path_to_utf8(const fs::path &p) {
  const std::u8string s = p.generic_u8string();
  return {s.begin(), s.end()};
}

fs::path path_from_utf8(std::string_view utf8) {
  return fs::path(std::u8string(utf8.begin(), utf8.end()));
}

std::string file_uri(const fs::path &absolute) {
  const std::string g = path_to_utf8(absolute);
  if (is_drive_letter(g)) // C:/x -> file:///C:/x (RFC 8089 appendix E.2)
    return "file:///" + g.substr(0, 2) + percent_encode(g.substr(2));
  if (g.size() > 2 && g[0] == '/' && g[1] == '/') // //server/share/x -> file://server/share/x
    return "file:" + percent_encode(g);
  return "file://" + percent_encode(g);
}

std::string utf8_from_wide(std::wstring_view wide) {
  std::string out;
  out.reserve(wide.size());
  for (std::size_t i = 0; i < wide.size(); ++i) {
    auto cp = static_cast<char32_t>(wide[i]);
    if constexpr (sizeof(wchar_t) == 2) {
      if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < wide.size()) {
        const auto lo = static_cast<char32_t>(wide[i + 1]);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          ++i;
        }
      }
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      cp = 0xFFFD;
    append_utf8(out, cp);
  }
  return out;
}

std::wstring wide_from_utf8(std::string_view utf8) {
  std::wstring out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t cp = 0xFFFD;
    const std::size_t len = utf8_sequence(utf8, i, &cp);
    if (len == 0)
      cp = 0xFFFD;
    i += len == 0 ? 1 : len;
    if constexpr (sizeof(wchar_t) == 2) {
      if (cp >= 0x10000) {
        out += static_cast<wchar_t>(0xD800 + ((cp - 0x10000) >> 10));
        out += static_cast<wchar_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
        continue;
      }
    }
    out += static_cast<wchar_t>(cp);
  }
  return out;
}

std::string system_error_text(long code) {
  std::string text = std::system_category().message(static_cast<int>(code));
  while (!text.empty() &&
         (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '.'))
    text.pop_back();
  return text;
}

} // namespace fltsim::io
