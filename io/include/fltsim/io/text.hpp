#pragma once
// Text helpers every writer shares: UTF-8 well-formedness, XML/HTML escaping, percent-encoding,
// column padding. One copy each, below every reader and writer (docs/where-things-go.md).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fltsim::io {

/// Length (1 to 4) of the well-formed UTF-8 sequence that starts at `s[i]` (`i < s.size()`), or 0
/// when it is ill-formed: a stray continuation byte, a truncated sequence, an overlong form, a
/// surrogate or a value above U+10FFFF. The scalar value goes to `*cp` when given.
[[nodiscard]] std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t *cp = nullptr);

/// The entity for a character XML markup reserves (`&`, `<`, `>`, `"`), or nullptr.
[[nodiscard]] const char *xml_entity(char c);

/// How `xml_escape` writes the characters that differ between its readers.
enum class XmlStyle {
  /// JUnit XML: `'` as `&apos;`, and tab, line feed and carriage return as character references
  /// (`&#9;` ...) so that attribute values keep them (XML normalises literal ones to spaces).
  xml_attribute,
  /// SVG and HTML: `'` as `&#39;` (HTML 4 has no `&apos;`), white space kept as it is (the
  /// pictures put it in character data, where it stays).
  html,
};

/// `s` escaped for XML 1.0 character data and attribute values: markup characters as entities,
/// control characters XML forbids, invalid UTF-8 (one byte at a time) and U+FFFE/U+FFFF as
/// U+FFFD.
[[nodiscard]] std::string xml_escape(std::string_view s, XmlStyle style);

/// `s` with every byte for which `encode(byte)` is true written as `%XX` (upper-case hex).
[[nodiscard]] std::string percent_encode(std::string_view s, bool (*encode)(unsigned char));

/// Text for one cell of a Markdown table or a Markdown paragraph (every `--format markdown`
/// output): one line, HTML metacharacters as entities, Markdown punctuation (| * _ ` [ ] ...)
/// backslash-escaped, so it renders as the literal text in GitHub's and other CommonMark hosts.
[[nodiscard]] std::string markdown_text(std::string_view s);

/// `s` padded with spaces on the right (left) to `width` bytes; a longer `s` is left as it is.
[[nodiscard]] std::string pad_right(std::string s, std::size_t width);
[[nodiscard]] std::string pad_left(const std::string &s, std::size_t width);

/// A line of a text with its 1-based number.
struct NumberedLine {
  std::string_view text;
  int number = 0;
};

/// The lines of `text`, ending at '\n', with the CRs before each end dropped (CRLF and the
/// doubled CRs of a paste through Windows tools). Numbers stop growing at 2^30 (a text that long
/// is over every input limit anyway), so they never overflow.
[[nodiscard]] std::vector<NumberedLine> numbered_lines(std::string_view text);

} // namespace fltsim::io
