#pragma once
// Private: the value syntax of .reg files (regedit / `reg export`), shared by the per-service
// reader (reg_reader.cpp) and the whole-machine reader (reg_export_reader.cpp).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/io/utf8.hpp"
#include "fltsim/machine/service_kind.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::machine::regtext {

using io::append_utf8;

// Registry value types (winnt.h REG_*), the codes a .reg export writes as hex(N). The INF
// reader's FLG_ADDREG_* constants look alike but are another table (setupapi.h flags).
constexpr std::uint32_t reg_sz = 1;
constexpr std::uint32_t reg_expand_sz = 2;
constexpr std::uint32_t reg_binary = 3;
constexpr std::uint32_t reg_dword = 4;
constexpr std::uint32_t reg_multi_sz = 7;

inline bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back()))
    s.remove_suffix(1);
  return s;
}

// The header line of a .reg file: true for "Windows Registry Editor Version 5.00" (hex data of
// strings is UTF-16 LE), false for "REGEDIT4" (ANSI), nothing for anything else.
constexpr const char *not_a_reg_file =
    "a .reg file starts with 'Windows Registry Editor Version 5.00' or 'REGEDIT4'; this is not a "
    "registry export";
constexpr const char *empty_reg_file =
    "the file is empty: expected 'Windows Registry Editor Version 5.00' or 'REGEDIT4'";
constexpr const char *line_not_understood =
    "line not understood: expected [key], \"name\"=data, @=data or a ';' comment";
inline std::optional<bool> header_is_utf16(std::string_view trimmed_line) {
  if (trimmed_line == "Windows Registry Editor Version 5.00")
    return true;
  if (trimmed_line == "REGEDIT4")
    return false;
  return std::nullopt;
}

// The logical lines of a .reg file: a UTF-8 BOM skipped, CRs dropped, and physical lines joined
// while they end with '\' (hex data continued on indented lines). Each pass over a physical
// line is constant work per byte, so a file of continuation lines reads in linear time.
class LogicalLines {
public:
  explicit LogicalLines(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF")
      at_ = 3;
  }
  // The next logical line into `out`; `lineno` is its first physical line's number.
  bool next(std::string &out, int &lineno) {
    out.clear();
    if (at_ >= text_.size())
      return false;
    lineno = line_ + 1;
    for (;;) {
      const std::size_t nl = text_.find('\n', at_);
      std::string_view phys = text_.substr(at_, nl == std::string_view::npos ? nl : nl - at_);
      at_ = nl == std::string_view::npos ? text_.size() : nl + 1;
      ++line_;
      if (!phys.empty() && phys.back() == '\r')
        phys.remove_suffix(1);
      if (out.empty())
        out.append(phys);
      else
        out.append(trim(phys)); // continuation lines are indented
      const std::string_view t = trim(out);
      if (t.empty() || t.back() != '\\' || t.front() == ';' || at_ >= text_.size())
        return true;
      out.resize(static_cast<std::size_t>(t.data() - out.data()) + t.size() - 1);
    }
  }

private:
  std::string_view text_;
  std::size_t at_ = 0;
  int line_ = 0;
};

// A value line (`"name"=data` or `@=data`, trimmed, starting with '"' or '@') split at its '='.
struct ValueLine {
  std::string name;            // unescaped; empty for '@' (the default value)
  bool is_default = false;     // '@'
  std::size_t data_at = 0;     // where the data starts in the line (blanks after '=' skipped)
  const char *error = nullptr; // the syntax error, when the line cannot be split
};

inline ValueLine split_value_line(std::string_view t) {
  ValueLine v;
  std::size_t i = 0;
  if (t.front() == '@') {
    v.is_default = true;
    i = 1;
  } else {
    for (i = 1; i < t.size(); ++i) {
      if (t[i] == '\\' && i + 1 < t.size() && (t[i + 1] == '\\' || t[i + 1] == '"'))
        v.name += t[++i];
      else if (t[i] == '"')
        break;
      else
        v.name += t[i];
    }
    if (i >= t.size()) {
      v.error = "the value name has no closing '\"'";
      return v;
    }
    ++i;
  }
  while (i < t.size() && is_blank(t[i]))
    ++i;
  if (i >= t.size() || t[i] != '=') {
    v.error = "expected '=' after the value name";
    return v;
  }
  ++i;
  while (i < t.size() && is_blank(t[i]))
    ++i;
  v.data_at = i;
  return v;
}

// A value's data as written after '='.
struct RegData {
  enum class Kind { string, dword, hex, remove, invalid } kind = Kind::invalid;
  std::string text;                 // string
  std::uint32_t dword = 0;          // dword
  std::uint32_t hex_type = 0;       // hex: REG_* type (hex: = REG_BINARY)
  std::vector<unsigned char> bytes; // hex
  std::string error;                // invalid: why
};

inline RegData parse_data(std::string_view d) {
  RegData r;
  d = trim(d);
  if (d == "-") {
    r.kind = RegData::Kind::remove;
    return r;
  }
  if (!d.empty() && d.front() == '"') {
    std::size_t i = 1;
    for (; i < d.size(); ++i) {
      const char c = d[i];
      if (c == '\\' && i + 1 < d.size() && (d[i + 1] == '\\' || d[i + 1] == '"')) {
        r.text += d[i + 1];
        ++i;
      } else if (c == '"') {
        break;
      } else {
        r.text += c;
      }
    }
    if (i >= d.size()) {
      r.error = "the string has no closing '\"'";
      return r;
    }
    if (!trim(d.substr(i + 1)).empty()) {
      r.error = "unexpected text after the closing '\"'";
      return r;
    }
    r.kind = RegData::Kind::string;
    return r;
  }
  const std::string lower = sim::ascii_lower(d.substr(0, std::min<std::size_t>(d.size(), 8)));
  if (lower.rfind("dword:", 0) == 0) {
    const std::string_view hex = trim(d.substr(6));
    auto v = hex.size() >= 1 && hex.size() <= 8 && hex.find_first_of("xX") == std::string::npos
                 ? machine::parse_uint("0x" + std::string(hex))
                 : std::nullopt;
    if (!v) {
      r.error = "dword: needs 1 to 8 hexadecimal digits, got '" + std::string(hex) + "'";
      return r;
    }
    r.kind = RegData::Kind::dword;
    r.dword = *v;
    return r;
  }
  if (lower.rfind("hex", 0) == 0) {
    std::size_t i = 3;
    r.hex_type = reg_binary;
    if (i < d.size() && d[i] == '(') {
      const std::size_t close = d.find(')', i);
      auto t = close == std::string_view::npos
                   ? std::nullopt
                   : machine::parse_uint("0x" + std::string(d.substr(i + 1, close - i - 1)));
      if (!t) {
        r.error = "hex(N): needs a hexadecimal type number N";
        return r;
      }
      r.hex_type = *t;
      i = close + 1;
    }
    if (i >= d.size() || d[i] != ':') {
      r.error = "expected ':' after hex";
      return r;
    }
    std::string_view list = d.substr(i + 1);
    std::size_t b = 0;
    for (std::size_t k = 0; k <= list.size(); ++k) {
      if (k < list.size() && list[k] != ',')
        continue;
      const std::string_view byte = trim(list.substr(b, k - b));
      b = k + 1;
      if (byte.empty() && k == list.size() && (r.bytes.empty() || list.empty()))
        break; // "hex:" with no bytes
      auto v = byte.size() >= 1 && byte.size() <= 2 && byte.find_first_of("xX") == std::string::npos
                   ? machine::parse_uint("0x" + std::string(byte), 0xFF)
                   : std::nullopt;
      if (!v) {
        r.error = "'" + std::string(byte) + "' is not a hexadecimal byte";
        return r;
      }
      r.bytes.push_back(static_cast<unsigned char>(*v));
    }
    r.kind = RegData::Kind::hex;
    return r;
  }
  r.error = "expected \"text\", dword:, hex: or hex(N):";
  return r;
}

// True when 8-bit string data (REGEDIT4) is really UTF-16LE: an even number of bytes, at least
// two characters, and every odd byte zero. 8-bit data written by regedit ends with one NUL per
// item plus one, so one-letter items give an odd count and are never taken for UTF-16.
inline bool looks_like_utf16le(const std::vector<unsigned char> &bytes) {
  if (bytes.size() < 4 || bytes.size() % 2 != 0)
    return false;
  std::size_t letters = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    if (bytes[i + 1] != 0)
      return false;
    if (bytes[i] != 0)
      ++letters;
  }
  return letters >= 2;
}

// Decodes registry string bytes: UTF-16LE (version 5 files) or 8-bit (REGEDIT4). Splits at NUL
// when `multi`; otherwise stops at the first NUL.
inline std::optional<std::vector<std::string>>
decode_strings(const std::vector<unsigned char> &bytes, bool utf16, bool multi, std::string *why) {
  std::vector<std::string> out(1);
  auto finish_item = [&]() -> bool {
    if (!multi)
      return false;
    out.emplace_back();
    return true;
  };
  if (!utf16 && looks_like_utf16le(bytes)) {
    *why = "the data looks like UTF-16LE text (a zero byte after every character), but a "
           "REGEDIT4 file holds 8-bit text, as regedit writes it: the value is ignored (export "
           "it again in the 'Windows Registry Editor Version 5.00' format)";
    return std::nullopt;
  }
  if (!utf16) {
    for (unsigned char b : bytes) {
      if (b == 0) {
        if (!finish_item())
          break;
        continue;
      }
      append_utf8(out.back(), b);
    }
  } else {
    if (bytes.size() % 2 != 0) {
      *why = "UTF-16 string data has an odd number of bytes";
      return std::nullopt;
    }
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
      char32_t cp = static_cast<char32_t>(bytes[i] | (bytes[i + 1] << 8));
      if (cp == 0) {
        if (!finish_item())
          break;
        continue;
      }
      if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < bytes.size()) {
        const auto lo = static_cast<char32_t>(bytes[i + 2] | (bytes[i + 3] << 8));
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          i += 2;
        }
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        *why = "invalid UTF-16 in string data (unpaired surrogate)";
        return std::nullopt;
      }
      append_utf8(out.back(), cp);
    }
  }
  std::vector<std::string> items;
  for (std::string &s : out)
    if (!s.empty())
      items.push_back(std::move(s));
  if (!multi && items.empty())
    items.emplace_back();
  return items;
}

} // namespace fltsim::machine::regtext
