#pragma once
// Private INF lexer for inf_reader.cpp: physical lines -> logical lines (comments, quotes, line
// continuation) -> section header or `key = field, field, ...` entry, with a line:column for
// every byte. General INF syntax (learn.microsoft.com, "General Syntax Rules for INF Files"):
//  * ';' outside double quotes starts a comment that runs to the end of the line;
//  * inside quotes, "" is one literal '"'; quoted and unquoted text concatenate
//    ("Parameters\Instances\"%Instance1.Name% is one field);
//  * a '\' that is the last non-blank character outside quotes and comments joins the next line
//    (so the '\' at the end of a `;%windir%\system32\drivers\` comment does not);
//  * fields are separated by unquoted ','; the entry key is the text before the first unquoted
//    '=' when that comes before any ','; unquoted blanks around fields are dropped.
// A quote left open at the end of a line is a syntax error (the line is read as if it were
// closed there), as is a '[' without ']'.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fltsim::manifest::detail {

struct InfPos {
  int line = 0;
  int col = 0;
};

/// A field or name: byte range [begin, end) of InfLine::chars, and where it starts.
struct InfSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  InfPos pos;
  [[nodiscard]] bool empty() const { return begin == end; }
};

struct InfSyntaxError {
  InfPos pos;
  std::string message;
  /// False for what SetupAPI reads on without complaint (an unclosed quote): reported as a
  /// note, the line read as SetupAPI reads it.
  bool is_error = true;
};

/// One logical line. `chars` holds the text with quotes and comments removed; `quoted[i]` says
/// whether chars[i] came from inside double quotes (separators and %tokens% do not cross quote
/// boundaries); `pos[i]` is where chars[i] was written.
struct InfLine {
  std::string chars;
  std::vector<unsigned char> quoted;
  std::vector<InfPos> pos;
  std::size_t begin_offset = 0; ///< byte offset of the first physical line in the text
  InfPos start;                 ///< first non-blank character
  bool blank = true;
  bool header = false;    ///< a [section] line
  bool header_ok = false; ///< header with a closing ']' and a non-empty name
  InfSpan name;           ///< header: the section name
  bool has_key = false;
  InfSpan key;
  std::vector<InfSpan> fields;

  void clear() {
    chars.clear();
    quoted.clear();
    pos.clear();
    fields.clear();
    blank = true;
    header = header_ok = has_key = false;
    name = key = InfSpan{};
    start = InfPos{};
  }
  [[nodiscard]] std::string_view text(const InfSpan &s) const {
    return std::string_view(chars).substr(s.begin, s.end - s.begin);
  }
};

/// Reads logical lines from text[begin, end); `first_line` is the 1-based number of the physical
/// line at `begin`.
class InfLexer {
public:
  InfLexer(std::string_view text, std::size_t begin, std::size_t end, int first_line)
      : text_(text), at_(begin), end_(end < text.size() ? end : text.size()), line_(first_line) {}

  /// Fills `out` with the next logical line; false at the end of the range. Syntax errors are
  /// appended to `errors` when it is not null.
  bool next(InfLine &out, std::vector<InfSyntaxError> *errors) {
    out.clear();
    bool any = false;
    for (;;) {
      if (at_ >= end_)
        break;
      const std::size_t line_begin = at_;
      std::size_t nl = text_.find('\n', at_);
      std::size_t stop = nl;
      if (nl == std::string_view::npos || nl >= end_) {
        stop = end_;
        at_ = end_;
      } else {
        at_ = nl + 1;
      }
      std::string_view phys = text_.substr(line_begin, stop - line_begin);
      if (!phys.empty() && phys.back() == '\r')
        phys.remove_suffix(1);
      if (!any)
        out.begin_offset = line_begin;
      any = true;
      const int lineno = line_++;
      if (!append_physical(phys, lineno, out, errors))
        break;
    }
    if (!any)
      return false;
    structure(out, errors);
    return true;
  }

  [[nodiscard]] std::size_t offset() const { return at_; }
  [[nodiscard]] int line() const { return line_; }

private:
  static bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
  }

  // Appends one physical line's characters (comment removed). Returns true when the line ends
  // with a continuation '\'.
  static bool append_physical(std::string_view phys, int lineno, InfLine &out,
                              std::vector<InfSyntaxError> *errors) {
    bool in_quote = false;
    InfPos quote_open;
    int col = 0;
    const std::size_t first = out.chars.size();
    auto push = [&](char c, bool q, InfPos p) {
      out.chars.push_back(c);
      out.quoted.push_back(q ? 1 : 0);
      out.pos.push_back(p);
    };
    for (std::size_t i = 0; i < phys.size(); ++i) {
      const char c = phys[i];
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
        ++col;
      const InfPos p{lineno, col};
      if (in_quote) {
        if (c == '"') {
          if (i + 1 < phys.size() && phys[i + 1] == '"') {
            push('"', true, p);
            ++i;
            ++col;
            continue;
          }
          in_quote = false;
          continue;
        }
        push(c, true, p);
        continue;
      }
      if (c == '"') {
        in_quote = true;
        quote_open = p;
        continue;
      }
      if (c == ';')
        break;
      push(c, false, p);
    }
    // SetupAPI ends an unclosed quote at the end of the line and installs the INF (Wine's and
    // ReactOS' setupapi parser.c, `quotes_state`): so does fltsim, and says so.
    if (in_quote && errors)
      errors->push_back({quote_open,
                         "a double quote opened here is not closed on this line: it ends at the "
                         "end of the line, as SetupAPI reads it",
                         false});
    // Continuation: the last non-blank unquoted character of this physical line is '\'.
    std::size_t n = out.chars.size();
    while (n > first && !out.quoted[n - 1] && is_blank(out.chars[n - 1]))
      --n;
    if (n > first && !out.quoted[n - 1] && out.chars[n - 1] == '\\') {
      out.chars.resize(n - 1);
      out.quoted.resize(n - 1);
      out.pos.resize(n - 1);
      return true;
    }
    return false;
  }

  static InfPos pos_at(const InfLine &l, std::size_t k) {
    if (k < l.pos.size())
      return l.pos[k];
    if (!l.pos.empty())
      return {l.pos.back().line, l.pos.back().col + 1};
    return l.start;
  }

  static InfSpan trim(const InfLine &l, std::size_t b, std::size_t e) {
    while (b < e && !l.quoted[b] && is_blank(l.chars[b]))
      ++b;
    while (e > b && !l.quoted[e - 1] && is_blank(l.chars[e - 1]))
      --e;
    return {b, e, pos_at(l, b)};
  }

  static void structure(InfLine &l, std::vector<InfSyntaxError> *errors) {
    const std::size_t n = l.chars.size();
    std::size_t i = 0;
    while (i < n && !l.quoted[i] && is_blank(l.chars[i]))
      ++i;
    if (i == n)
      return; // blank or comment only
    l.blank = false;
    l.start = l.pos[i];
    if (!l.quoted[i] && l.chars[i] == '[') {
      l.header = true;
      std::size_t j = i + 1;
      while (j < n && (l.quoted[j] || l.chars[j] != ']'))
        ++j;
      if (j == n) {
        if (errors)
          errors->push_back({l.start, "section header has no closing ']'", true});
        return;
      }
      l.name = trim(l, i + 1, j);
      if (l.name.empty()) {
        if (errors)
          errors->push_back({l.start, "empty section name '[]'", true});
        return;
      }
      l.header_ok = true;
      return;
    }
    std::size_t sep = i;
    while (sep < n && (l.quoted[sep] || (l.chars[sep] != '=' && l.chars[sep] != ',')))
      ++sep;
    std::size_t fstart = i;
    if (sep < n && l.chars[sep] == '=') {
      l.has_key = true;
      l.key = trim(l, i, sep);
      fstart = sep + 1;
    }
    std::size_t b = fstart;
    for (std::size_t k = fstart;; ++k) {
      if (k == n || (!l.quoted[k] && l.chars[k] == ',')) {
        l.fields.push_back(trim(l, b, k));
        if (k == n)
          break;
        b = k + 1;
      }
    }
  }

  std::string_view text_;
  std::size_t at_;
  std::size_t end_;
  int line_;
};

} // namespace fltsim::manifest::detail
