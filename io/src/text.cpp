#include "fltsim/io/text.hpp"

namespace fltsim::io {

std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t *cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  char32_t v = 0;
  if (c < 0x80) {
    len = 1;
    v = c;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2;
    v = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    v = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    v = c & 0x07u;
  } else {
    return 0;
  }
  if (i + len > s.size())
    return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80)
      return 0;
    v = (v << 6) | (cc & 0x3Fu);
  }
  const bool overlong =
      (len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000);
  if (overlong || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  if (cp)
    *cp = v;
  return len;
}

const char *xml_entity(char c) {
  switch (c) {
  case '&':
    return "&amp;";
  case '<':
    return "&lt;";
  case '>':
    return "&gt;";
  case '"':
    return "&quot;";
  default:
    return nullptr;
  }
}

std::string xml_escape(std::string_view s, XmlStyle style) {
  static constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD
  const bool refs = style == XmlStyle::xml_attribute;
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    char32_t cp = 0;
    const std::size_t len = utf8_sequence(s, i, &cp);
    if (const char *entity = xml_entity(c)) {
      out += entity;
    } else if (c == '\'') {
      out += refs ? "&apos;" : "&#39;";
    } else if (c == '\t' || c == '\n' || c == '\r') {
      if (refs)
        out += "&#" + std::to_string(static_cast<int>(c)) + ";";
      else
        out += c;
    } else if (len == 0 || cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) {
      out += replacement; // not an XML 1.0 character
    } else {
      out.append(s.substr(i, len));
      i += len;
      continue;
    }
    ++i;
  }
  return out;
}

std::string percent_encode(std::string_view s, bool (*encode)(unsigned char)) {
  static const char *const hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (encode(c)) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

std::string pad_right(std::string s, std::size_t width) {
  if (s.size() < width)
    s.append(width - s.size(), ' ');
  return s;
}

std::string pad_left(const std::string &s, std::size_t width) {
  return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
}

std::string markdown_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '"' && xml_entity(c)) { // inline HTML: '"' needs no entity outside a tag
      out += xml_entity(c);
      continue;
    }
    switch (c) {
    case '\n':
    case '\r':
    case '\t':
      out += ' ';
      break;
    case '\\':
    case '`':
    case '*':
    case '_':
    case '[':
    case ']':
    case '|':
    case '#':
    case '~':
    case '!':
      out += '\\';
      out += c;
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::vector<NumberedLine> numbered_lines(std::string_view text) {
  std::vector<NumberedLine> out;
  std::size_t start = 0;
  int number = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    std::size_t stop = end;
    while (stop > start && text[stop - 1] == '\r')
      --stop;
    if (number < (1 << 30))
      ++number;
    out.push_back({text.substr(start, stop - start), number});
    start = end + 1;
  }
  return out;
}

} // namespace fltsim::io
