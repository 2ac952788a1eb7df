#pragma once
// Presentation peeled off a pasted capture before its rows are read (docs/import.md#presentation).
// Whatever a paste went through -- a mail quote, a Markdown list or pipe table, a pastebin page's
// line-number gutter, inline-code backticks, HTML entities and tags, a console banner, a
// source-code string literal holding it, blank lines doubled by a web page -- the listing under it
// is the same. This layer takes that presentation
// off line by line and keeps, for every character left, the column it had in the file, so that
// diagnostics still point into what the user pasted. Rows are then recognised by their content
// (observed.cpp).
//
// Internal to fltsim_observed's capture reader (observed.cpp); not installed.
#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fltsim/io/text.hpp"

namespace fltsim::observed::observed_detail {

/// One line as the reader sees it, and where its characters were in the file.
struct PeeledLine {
  std::string text; ///< presentation taken off
  int number = 0;   ///< 1-based line in the file
  /// Breakpoints (column in `text`, column in the file), ascending: a character at column c of
  /// `text` was at file column map[k].second + (c - map[k].first), k the last breakpoint <= c.
  /// Columns count UTF-8 code points from 0, as the reader's do (tabs are expanded there, not
  /// here: a tab counts one).
  std::vector<std::pair<int, int>> map{{0, 0}};
};

/// What was peeled, once per kind of presentation, with its first line.
struct Peeled {
  std::vector<PeeledLine> lines;
  std::vector<std::string> notes;
};

/// File column of column `col` of a peeled line.
inline int file_column(const PeeledLine &l, int col) {
  std::pair<int, int> at = l.map.front();
  for (const auto &m : l.map)
    if (m.first <= col)
      at = m;
  return at.second + (col - at.first);
}

namespace present {

inline bool continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0u) == 0x80u;
}

/// Code points in s.
inline int points(std::string_view s) {
  int n = 0;
  for (const char c : s)
    n += continuation(c) ? 0 : 1;
  return n;
}

/// A line being rewritten: the kept text and its column map.
class Builder {
public:
  explicit Builder(const PeeledLine &from) : src_(from) {}

  /// Appends `s`, whose first character is at file column `file_col` (and the rest follow it).
  void keep(std::string_view s, int file_col) {
    if (s.empty())
      return;
    mark(file_col);
    text_ += s;
  }
  /// Appends text that was not in the file (padding between rewritten cells); it maps to
  /// `file_col`, the column of what it stands for.
  void insert(std::string_view s, int file_col) {
    if (s.empty())
      return;
    mark(file_col);
    text_ += s;
  }
  PeeledLine done() {
    PeeledLine out;
    out.number = src_.number;
    out.text = std::move(text_);
    if (map_.empty())
      map_.emplace_back(0, 0);
    if (map_.front().first != 0)
      map_.insert(map_.begin(), {0, map_.front().second});
    out.map = std::move(map_);
    return out;
  }

private:
  /// The next character of text_ is at file column `file_col`.
  void mark(int file_col) {
    const int col = points(text_);
    if (!map_.empty() && map_.back().second + (col - map_.back().first) == file_col)
      return;
    if (!map_.empty() && map_.back().first == col)
      map_.back().second = file_col;
    else
      map_.emplace_back(col, file_col);
  }

  const PeeledLine &src_;
  std::string text_;
  std::vector<std::pair<int, int>> map_;
};

/// The line with its first `n` bytes taken off (a prefix: quote, list marker, gutter).
inline PeeledLine drop_prefix(const PeeledLine &l, std::size_t n) {
  Builder b(l);
  const int cols = points(std::string_view(l.text).substr(0, n));
  b.keep(std::string_view(l.text).substr(n), file_column(l, cols));
  return b.done();
}

/// The line with bytes [n, size) taken off (a suffix: a closing backtick).
inline PeeledLine drop_suffix(const PeeledLine &l, std::size_t n) {
  PeeledLine out = l;
  out.text.resize(n);
  return out;
}

inline std::size_t blanks(std::string_view s, std::size_t i = 0) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
    ++i;
  return i;
}

inline bool is_blank(std::string_view s) {
  return blanks(s) == s.size();
}

inline bool digit(char c) {
  return c >= '0' && c <= '9';
}

// ---- line-number gutters: `  8. text` on consecutive lines (a pastebin page copied)

/// The gutter number of a line and the bytes it takes, or -1.
inline long gutter(std::string_view s, std::size_t &len) {
  std::size_t i = blanks(s);
  const std::size_t d = i;
  while (i < s.size() && digit(s[i]) && i - d < 7)
    ++i;
  if (i == d || i >= s.size() || (s[i] != '.' && s[i] != ':'))
    return -1;
  const long n = std::stol(std::string(s.substr(d, i - d)));
  ++i;
  if (i < s.size() && s[i] != ' ' && s[i] != '\t')
    return -1;
  if (i < s.size())
    ++i;
  len = i;
  return n;
}

// ---- list markers: `- text` on consecutive lines

inline std::size_t list_marker(std::string_view s) {
  const std::size_t i = blanks(s);
  if (i + 1 < s.size() && (s[i] == '-' || s[i] == '+') && (s[i + 1] == ' ' || s[i + 1] == '\t'))
    return i + 2;
  if (s.substr(i, 4) == "\xE2\x80\xA2 ") // •
    return i + 4;
  if (s.substr(i, 3) == "\xC2\xB7 ") // ·
    return i + 3;
  return std::string_view::npos;
}

// ---- quote and comment markers: `> ` (nested too), `//` (`///`, `//!`), ` * ` and a lone `*`

/// Bytes of the quote or comment markers at the start of a line, with the blanks before them and
/// one blank after each.
inline std::size_t quote_prefix(std::string_view t) {
  std::size_t at = 0;
  for (int round = 0; round < 8; ++round) {
    const std::size_t i = blanks(t, at);
    std::size_t n = 0;
    if (i < t.size() && t[i] == '>')
      n = 1;
    else if (i + 1 < t.size() && t[i] == '/' && t[i + 1] == '/') {
      n = 2; // `//`, and doc comments `///`, `//!`
      while (i + n < t.size() && t[i + n] == '/' && n < 8)
        ++n;
      if (i + n < t.size() && t[i + n] == '!')
        ++n;
    } else if (i < t.size() && t[i] == '*' && (i + 1 == t.size() || t[i + 1] == ' '))
      n = 1;
    if (n == 0)
      return at;
    n += i;
    if (n < t.size() && t[n] == ' ')
      ++n;
    at = n;
  }
  return at;
}

// ---- HTML entities and inline tags

inline std::size_t entity(std::string_view s, std::size_t i, std::string &out) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> known{{
      {"&lt;", "<"},
      {"&gt;", ">"},
      {"&amp;", "&"},
      {"&quot;", "\""},
      {"&#39;", "'"},
      {"&apos;", "'"},
      {"&nbsp;", " "},
      {"&#124;", "|"},
      {"&#32;", " "},
  }};
  for (const auto &[name, value] : known)
    if (s.substr(i, name.size()) == name) {
      out = value;
      return name.size();
    }
  return 0;
}

/// An HTML tag that only formats a page (not fltmc's `<Legacy>`): its length, and whether it
/// separates table cells.
inline std::size_t html_tag(std::string_view s, std::size_t i, bool &cell_end) {
  static constexpr std::array<std::string_view, 24> tags{
      "br", "p", "td",     "th", "tr", "table", "tbody", "thead", "code", "pre", "span", "div",
      "b",  "i", "strong", "em", "tt", "kbd",   "samp",  "font",  "li",   "ul",  "ol",   "a"};
  if (i >= s.size() || s[i] != '<')
    return 0;
  std::size_t k = i + 1;
  const bool closing = k < s.size() && s[k] == '/';
  if (closing)
    ++k;
  std::size_t e = k;
  while (e < s.size() && ((s[e] >= 'a' && s[e] <= 'z') || (s[e] >= 'A' && s[e] <= 'Z')))
    ++e;
  std::string name(s.substr(k, e - k));
  for (char &c : name)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  if (std::find(tags.begin(), tags.end(), name) == tags.end())
    return 0;
  const std::size_t close = s.find('>', e);
  if (close == std::string_view::npos || close - i > 200)
    return 0;
  if (e < close && s[e] != ' ' && s[e] != '/')
    return 0;
  cell_end = closing && (name == "td" || name == "th");
  return close + 1 - i;
}

inline bool has_markup(std::string_view s) {
  return s.find('&') != std::string_view::npos || s.find('<') != std::string_view::npos ||
         s.find('`') != std::string_view::npos;
}

// ---- Markdown pipe tables

/// Cells of a pipe-table line, with the byte offset of each cell's text; empty if the line has
/// no pipe.
struct Cell {
  std::string_view text;
  std::size_t at = 0;
};

inline std::vector<Cell> pipe_cells(std::string_view s) {
  std::vector<Cell> out;
  if (s.find('|') == std::string_view::npos)
    return out;
  std::size_t b = blanks(s);
  std::size_t e = s.size();
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
    --e;
  if (b < e && s[b] == '|')
    ++b;
  if (e > b && s[e - 1] == '|' && (e - 1 == b || s[e - 2] != '\\'))
    --e;
  std::size_t start = b;
  for (std::size_t i = b; i <= e; ++i) {
    if (i == e || (s[i] == '|' && (i == 0 || s[i - 1] != '\\'))) {
      std::size_t cb = blanks(s, start);
      std::size_t ce = i;
      while (ce > cb && (s[ce - 1] == ' ' || s[ce - 1] == '\t'))
        --ce;
      out.push_back({s.substr(cb, ce - cb), cb});
      start = i + 1;
    }
  }
  return out;
}

/// `| --- | :--: |`: the delimiter row under a pipe table's header.
inline bool delimiter_row(std::string_view s) {
  if (s.find('|') == std::string_view::npos || s.find('-') == std::string_view::npos)
    return false;
  for (const char c : s)
    if (c != '|' && c != '-' && c != ':' && c != ' ' && c != '\t')
      return false;
  for (const Cell &c : pipe_cells(s))
    if (c.text.find('-') == std::string_view::npos)
      return false;
  return true;
}

// ---- source-code string literals: a listing pasted into a test, a script or a program

/// A string literal opened on a line and closed on a later one.
struct StringOpener {
  std::size_t begin = 0; ///< byte where the opener (with its prefix letters) starts
  std::size_t end = 0;   ///< byte after it: the literal's content starts here
  std::string close;     ///< what closes it
  bool heredoc = false;  ///< closed by a line holding only `close`
  bool verbatim = false; ///< C# `@"`: closed by one `"` (or PowerShell's `"@`), `""` inside
  bool plain = false;    ///< `x = "` ending a line: closed by a line with one quote, at its end
  std::string shown;     ///< the opener as written, for the note
};

inline bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit(c) || c == '_';
}

/// Whether the code before a literal is where a string value goes: nothing, an assignment, an
/// argument list, an initializer, a concatenation or `return`.
inline bool value_position(std::string_view before) {
  while (!before.empty() && (before.back() == ' ' || before.back() == '\t'))
    before.remove_suffix(1);
  if (before.empty())
    return true;
  const char c = before.back();
  if (c == '=' || c == '(' || c == ',' || c == ':' || c == '[' || c == '{' || c == '+')
    return true;
  return before.size() >= 6 && before.substr(before.size() - 6) == "return" &&
         (before.size() == 6 || !ident_char(before[before.size() - 7]));
}

/// The multi-line string literal a line opens: C# raw (`"""`, `$"""`) and verbatim (`@"`)
/// strings, Python / Java / Kotlin / Swift triple quotes (`"""`, `'''`, `r"""`), C++ raw strings
/// (`R"(`, `R"x(`), Rust raw strings (`r#"`), PowerShell here-strings (`@"`, `@'`), shell /
/// PHP / Ruby heredocs (`<<EOF`, `<<'EOF'`, `<<-EOF`, `<<~EOF`, `<<<EOF`) and a plain quote
/// that ends a line after code (`OUT="`, `$expected = "`).
inline std::optional<StringOpener> string_opener(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && ident_char(s[i - 1]))
      continue; // prefix letters start a word
    // Heredoc: `<<WORD` and its quoted / indented forms, the last thing on the line.
    if (s.substr(i, 2) == "<<") {
      std::size_t k = i + 2;
      if (k < s.size() && s[k] == '<')
        ++k;
      if (k < s.size() && (s[k] == '-' || s[k] == '~'))
        ++k;
      const char q = k < s.size() && (s[k] == '\'' || s[k] == '"') ? s[k] : '\0';
      if (q != '\0')
        ++k;
      const std::size_t w = k;
      while (k < s.size() && ident_char(s[k]))
        ++k;
      if (k == w || digit(s[w]))
        continue;
      std::string word(s.substr(w, k - w));
      if (q != '\0') {
        if (k >= s.size() || s[k] != q)
          continue;
        ++k;
      }
      if (!is_blank(s.substr(k)))
        continue;
      StringOpener o;
      o.begin = i;
      o.end = s.size();
      o.close = std::move(word);
      o.heredoc = true;
      o.shown = std::string(s.substr(i, k - i));
      return o;
    }
    // Prefix letters and signs: `@`, `$`, `r`, `R`, `b`, `f`, `u`, `L`, `8`; `#`s after Rust's `r`.
    std::size_t k = i;
    bool at = false, raw_cpp = false;
    while (k < s.size() && k - i < 4) {
      const char c = s[k];
      if (c == '@')
        at = true;
      else if (c == 'R')
        raw_cpp = true;
      else if (c != '$' && c != 'r' && c != 'b' && c != 'B' && c != 'f' && c != 'F' && c != 'u' &&
               c != 'U' && c != 'L' && c != '8')
        break;
      ++k;
    }
    std::size_t hashes = 0;
    if (k > i && s[k - 1] == 'r')
      while (k < s.size() && s[k] == '#' && hashes < 8) {
        ++hashes;
        ++k;
      }
    if (k >= s.size() || (s[k] != '"' && s[k] != '\''))
      continue;
    if (!value_position(s.substr(0, i)))
      continue;
    const char q = s[k];
    StringOpener o;
    o.begin = i;
    std::size_t quotes = 0;
    while (k + quotes < s.size() && s[k + quotes] == q)
      ++quotes;
    if (quotes >= 3) { // triple quotes (C# allows more): closed by as many
      o.end = k + quotes;
      o.close.assign(quotes, q);
    } else if (raw_cpp && q == '"') { // R"delim( ... )delim"
      const std::size_t paren = s.substr(0, k + 18).find('(', k + 1);
      if (paren == std::string_view::npos)
        continue;
      const std::string_view delim = s.substr(k + 1, paren - k - 1);
      if (delim.find_first_of(" \t\\)\"") != std::string_view::npos)
        continue;
      o.end = paren + 1;
      o.close = ")" + std::string(delim) + "\"";
    } else if (hashes > 0 && q == '"') { // r#" ... "#
      o.end = k + 1;
      o.close = "\"" + std::string(hashes, '#');
    } else if (at && quotes == 1) { // C# @" ... ", PowerShell @" ... "@ and @' ... '@
      o.end = k + 1;
      o.close = std::string(1, q);
      o.verbatim = true;
    } else if (quotes == 1 && k == i && is_blank(s.substr(k + 1)) && !is_blank(s.substr(0, i))) {
      // `OUT="`, `$expected = "`: a plain string that spans lines (shell, PowerShell, Ruby, PHP)
      o.end = k + 1;
      o.close = std::string(1, q);
      o.plain = true;
    } else {
      continue;
    }
    // A literal closed on the line it opens on wraps no listing.
    if (s.find(o.close, o.end) != std::string_view::npos)
      continue;
    o.shown = std::string(s.substr(i, o.end - i));
    return o;
  }
  return std::nullopt;
}

/// Where a later line closes the literal `o`: the byte of its closing delimiter, followed by
/// nothing but what ends a statement (`;`, `,`, `)`, a call such as `.Trim()`); npos if the line
/// does not close it. `shown` is set to the closer as written.
inline std::size_t string_closer(std::string_view s, const StringOpener &o, std::string &shown) {
  std::size_t e = s.size();
  while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
    --e;
  const std::string_view t = s.substr(0, e);
  if (o.heredoc) {
    const std::size_t b = blanks(t);
    if (t.substr(b) != o.close && t.substr(b) != o.close + ";")
      return std::string_view::npos;
    shown = std::string(t.substr(b));
    return b;
  }
  std::size_t end = t.size();
  for (int guard = 0; guard < 16 && end > 0; ++guard) {
    const std::string_view head = t.substr(0, end);
    if (head.ends_with(o.close) || (o.verbatim && head.ends_with(o.close + "@")))
      break;
    const char c = head.back();
    if (c == ')' && end >= 2 && head[end - 2] == '(') { // a call: `.Trim()`, `.strip()`
      std::size_t k = end - 2;
      while (k > 0 && ident_char(head[k - 1]))
        --k;
      if (k > 0 && k < end - 2 && head[k - 1] == '.') {
        end = k - 1;
        continue;
      }
    }
    if (c != ';' && c != ',' && c != ')' && c != ']' && c != '}' && c != ' ' && c != '\t')
      break;
    --end;
  }
  std::string_view body = t.substr(0, end);
  if (o.verbatim && body.ends_with(o.close + "@"))
    body.remove_suffix(1); // PowerShell's `"@`
  if (!body.ends_with(o.close))
    return std::string_view::npos;
  const std::size_t at = body.size() - o.close.size();
  if (o.verbatim) { // `""` is a quote inside a verbatim string: the closer ends an odd run
    std::size_t run = 0;
    while (run < body.size() && body[body.size() - 1 - run] == o.close[0])
      ++run;
    if (run % 2 == 0)
      return std::string_view::npos;
  } else if (o.plain) { // the line's one quote: fltkd's quoted names never close it
    if (t.find(o.close[0]) != at)
      return std::string_view::npos;
  } else if (o.close.size() >= 3 && at > 0 && body[at - 1] == o.close[0]) {
    return std::string_view::npos; // a longer run of quotes than the opener's
  }
  shown = std::string(t.substr(at));
  return at;
}

/// A line that is one string literal of a program holding one line of a listing (`"text\n"`,
/// adjacent literals in C and C++, `"text\n" +` in Java or C#, `"text\n",` in a list): the bytes
/// of its quotes, and whether its text ends with a `\n` escape. Only blanks and what ends a
/// statement (`,`, `+`, `;`, `)`, `]`) may follow it; on the first line of a run, code may precede
/// it where a value goes (`const std::string t = "...`).
struct QuotedLine {
  std::size_t open = 0;  ///< the opening quote
  std::size_t close = 0; ///< the closing quote
  bool newline = false;  ///< the text ends with `\n` (or `\r\n`)
};

inline std::optional<QuotedLine> quoted_line(std::string_view s, bool first) {
  QuotedLine q;
  q.open = first ? s.find('"') : blanks(s);
  if (q.open >= s.size() || s[q.open] != '"' || !value_position(s.substr(0, q.open)))
    return std::nullopt;
  std::size_t i = q.open + 1;
  while (i < s.size() && s[i] != '"') {
    if (s[i] == '\\' && i + 1 >= s.size())
      return std::nullopt;
    i += s[i] == '\\' ? 2U : 1U;
  }
  if (i >= s.size())
    return std::nullopt;
  q.close = i;
  for (const char c : s.substr(i + 1))
    if (c != ' ' && c != '\t' && c != ',' && c != ';' && c != '+' && c != ')' && c != ']' &&
        c != '}')
      return std::nullopt;
  const std::string_view text = s.substr(q.open + 1, q.close - q.open - 1);
  q.newline = text.size() >= 2 && text.substr(text.size() - 2) == "\\n" &&
              (text.size() < 3 || text[text.size() - 3] != '\\');
  return q;
}

/// The text of a quoted line, its escapes read (`\"`, `\\`, `\t`) and its final `\n` / `\r\n`
/// taken off, each character mapped to its column in the file.
inline PeeledLine unquote(const PeeledLine &l, const QuotedLine &q) {
  Builder b(l);
  const std::string_view s = l.text;
  std::size_t end = q.close;
  if (q.newline) {
    end -= 2;
    if (end >= q.open + 3 && s.substr(end - 2, 2) == "\\r")
      end -= 2;
  }
  int col = points(s.substr(0, q.open + 1));
  for (std::size_t i = q.open + 1; i < end;) {
    std::size_t len = 1;
    if (s[i] == '\\' && i + 1 < end) {
      const char e = s[i + 1];
      if (e == '"' || e == '\\' || e == '\'')
        b.keep(s.substr(i + 1, 1), file_column(l, col + 1));
      else if (e == 't')
        b.insert("\t", file_column(l, col));
      else
        b.keep(s.substr(i, 2), file_column(l, col));
      col += 2;
      i += 2;
      continue;
    }
    while (i + len < end && continuation(s[i + len]))
      ++len;
    b.keep(s.substr(i, len), file_column(l, col));
    ++col;
    i += len;
  }
  return b.done();
}

/// A line that is an element of a list of single-quoted strings, one listing line each (a
/// PowerShell array `@( 'Filter Name  ...', 'bindflt   1   409800   0', ... )`, a Python list):
/// `'text',` with only blanks, `,` and what closes the list around it. A line may hold several
/// literals when all but one are empty (`'', 'Filter Name ...',`: the empty one is a blank line
/// of the listing). Inside, `''` is a quote (PowerShell, SQL); a backslash is itself. The bytes of
/// the quotes of the one literal with text (or of the first, when all are empty).
struct SingleQuoted {
  std::size_t open = 0;
  std::size_t close = 0;
};

inline std::optional<SingleQuoted> single_quoted_element(std::string_view s) {
  std::optional<SingleQuoted> kept;
  std::size_t i = blanks(s);
  bool any = false;
  while (i < s.size()) {
    if (s[i] != '\'')
      break;
    SingleQuoted q{i, 0};
    std::size_t k = i + 1;
    for (;; ++k) {
      if (k >= s.size())
        return std::nullopt; // not closed on this line
      if (s[k] == '\'') {
        if (k + 1 < s.size() && s[k + 1] == '\'') {
          ++k;
          continue;
        }
        break;
      }
    }
    q.close = k;
    if (q.close > q.open + 1) {
      if (kept && kept->close > kept->open + 1)
        return std::nullopt; // two literals with text: not one listing line
      kept = q;
    } else if (!kept) {
      kept = q;
    }
    any = true;
    i = k + 1;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
      ++i;
  }
  if (!any)
    return std::nullopt;
  for (const char c : s.substr(i))
    if (c != ' ' && c != '\t' && c != ')' && c != ']' && c != ';' && c != '}')
      return std::nullopt;
  return kept;
}

/// The text of a single-quoted element, `''` read as `'`.
inline PeeledLine unquote_single(const PeeledLine &l, const SingleQuoted &q) {
  Builder b(l);
  const std::string_view s = l.text;
  int col = points(s.substr(0, q.open + 1));
  for (std::size_t i = q.open + 1; i < q.close;) {
    if (s[i] == '\'' && i + 1 < q.close && s[i + 1] == '\'') {
      b.keep(s.substr(i, 1), file_column(l, col));
      col += 2;
      i += 2;
      continue;
    }
    std::size_t len = 1;
    while (i + len < q.close && continuation(s[i + len]))
      ++len;
    b.keep(s.substr(i, len), file_column(l, col));
    ++col;
    i += len;
  }
  return b.done();
}

} // namespace present

/// Takes presentation off every line of `text` (lines end at '\n'; trailing '\r's are dropped).
inline Peeled peel(std::string_view text) {
  using namespace present;
  Peeled out;
  std::vector<PeeledLine> &lines = out.lines;
  for (const io::NumberedLine &nl : io::numbered_lines(text)) {
    PeeledLine l;
    l.text = std::string(nl.text);
    l.number = nl.number;
    lines.push_back(std::move(l));
  }
  auto note_once = [&](bool &done, int line, const std::string &what) {
    if (!done && out.notes.size() < 20)
      out.notes.push_back("line " + std::to_string(line) + ": " + what);
    done = true;
  };

  // 0. A listing held as a list of single-quoted strings, one element per line (a PowerShell
  //    array in a script or a Pester test): three or more such lines in a row are read as the
  //    lines they hold. The outermost presentation, so taken off first: what is inside the
  //    quotes may be a Markdown table or a quoted mail.
  {
    bool noted = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::vector<SingleQuoted> run;
      std::size_t j = i;
      for (; j < lines.size(); ++j) {
        const std::optional<SingleQuoted> q = single_quoted_element(lines[j].text);
        if (!q)
          break;
        run.push_back(*q);
      }
      if (run.size() < 3)
        continue;
      note_once(noted, lines[i].number,
                "the listing is held one line per single-quoted string of a list (`'...',`): "
                "the quotes and commas are not part of it; taken off");
      for (std::size_t k = 0; k < run.size(); ++k)
        lines[i + k] = unquote_single(lines[i + k], run[k]);
      // The list's closer on a line of its own (`)`, `]`, `);`) is code, not a cut row.
      if (j < lines.size()) {
        const std::string_view t = lines[j].text;
        const bool closer = !is_blank(t) && std::all_of(t.begin(), t.end(), [](char c) {
          return c == ' ' || c == '\t' || c == ')' || c == ']' || c == '}' || c == ';';
        });
        if (closer)
          lines[j] = drop_prefix(lines[j], t.size());
      }
      i = j - 1;
    }
  }

  // 1. Prefixes, outermost first, until none is left (a quoted list, a gutter on a quote):
  //    line-number gutters (a number and a dot on three or more consecutive lines, counting up),
  //    quote and comment markers (`> `, `//`, ` * `), list markers (`- ` on a line and on a
  //    neighbour).
  {
    bool gutter_noted = false, quote_noted = false, list_noted = false;
    for (int round = 0; round < 8; ++round) {
      bool changed = false;
      std::vector<long> g(lines.size(), -1);
      std::vector<std::size_t> len(lines.size(), 0);
      for (std::size_t i = 0; i < lines.size(); ++i)
        g[i] = gutter(lines[i].text, len[i]);
      for (std::size_t i = 0; i < lines.size();) {
        std::size_t j = i;
        while (j < lines.size() && g[j] >= 0 && (j == i || g[j] == g[j - 1] + 1))
          ++j;
        if (j - i >= 3) {
          note_once(gutter_noted, lines[i].number,
                    "a line-number gutter (`" + std::to_string(g[i]) +
                        ". `) is not part of the listing; taken off");
          for (std::size_t k = i; k < j; ++k)
            lines[k] = drop_prefix(lines[k], len[k]);
          changed = true;
          i = j;
        } else {
          i = std::max(i + 1, j);
        }
      }
      for (PeeledLine &l : lines)
        if (const std::size_t n = quote_prefix(l.text); n != 0) {
          note_once(quote_noted, l.number,
                    "quote or comment markers (`> `, `//`, ` * `) are not part of the listing; "
                    "taken off");
          l = drop_prefix(l, n);
          changed = true;
        }
      std::vector<std::size_t> m(lines.size());
      for (std::size_t i = 0; i < lines.size(); ++i)
        m[i] = list_marker(lines[i].text);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        if (m[i] == std::string_view::npos)
          continue;
        const bool neighbour = (i > 0 && m[i - 1] != std::string_view::npos) ||
                               (i + 1 < lines.size() && m[i + 1] != std::string_view::npos);
        if (!neighbour)
          continue;
        note_once(list_noted, lines[i].number,
                  "list markers (`- `) are not part of the listing; taken off");
        lines[i] = drop_prefix(lines[i], m[i]);
        changed = true;
      }
      if (!changed)
        break;
    }
  }

  // 3. HTML entities and formatting tags, inline-code backticks.
  {
    bool noted_html = false;
    bool noted_ticks = false;
    for (PeeledLine &l : lines) {
      const std::string_view s = l.text;
      const std::size_t b = blanks(s);
      if (!has_markup(s) || (b < s.size() && s[b] == '#'))
        continue; // a `#` line is a comment: left as written
      const bool fence = s.substr(b, 3) == "```" || s.substr(b, 3) == "~~~";
      Builder out_line(l);
      bool changed = false;
      int col = 0;
      for (std::size_t i = 0; i < s.size();) {
        std::string value;
        bool cell_end = false;
        if (const std::size_t n = entity(s, i, value); n != 0) {
          out_line.insert(value, file_column(l, col));
          note_once(noted_html, l.number, "HTML entities and tags are decoded and taken off");
          col += points(s.substr(i, n));
          i += n;
          changed = true;
        } else if (const std::size_t t = html_tag(s, i, cell_end); t != 0) {
          if (cell_end)
            out_line.insert("  ", file_column(l, col));
          note_once(noted_html, l.number, "HTML entities and tags are decoded and taken off");
          col += points(s.substr(i, t));
          i += t;
          changed = true;
        } else if (s[i] == '`' && !fence) {
          note_once(noted_ticks, l.number,
                    "inline-code backticks are not part of the listing; "
                    "taken off");
          ++col;
          ++i;
          changed = true;
        } else {
          std::size_t len = 1;
          while (i + len < s.size() && continuation(s[i + len]))
            ++len;
          out_line.keep(s.substr(i, len), file_column(l, col));
          ++col;
          i += len;
        }
      }
      if (changed)
        l = out_line.done();
    }
  }

  // 4. Markdown pipe tables: a header row, a `| --- |` delimiter row, then rows with pipes. The
  //    cells are laid out again as fltmc aligns them (two blanks between columns, a dashed rule),
  //    so that empty cells keep their place.
  {
    bool noted = false;
    for (std::size_t h = 0; h + 1 < lines.size(); ++h) {
      const std::vector<Cell> head = pipe_cells(lines[h].text);
      if (head.size() < 2 || !delimiter_row(lines[h + 1].text))
        continue;
      std::size_t end = h + 2;
      while (end < lines.size() && !is_blank(lines[end].text) &&
             lines[end].text.find('|') != std::string::npos)
        ++end;
      // The header gives the columns; cells a row has beyond them (a remark the author added,
      // `| // our driver |`) follow the last column as text.
      std::vector<std::vector<Cell>> rows;
      std::vector<std::size_t> width(head.size(), 3);
      for (std::size_t r = h; r < end; ++r) {
        rows.push_back(r == h + 1 ? std::vector<Cell>{} : pipe_cells(lines[r].text));
        for (std::size_t c = 0; c < rows.back().size() && c < width.size(); ++c)
          width[c] = std::max<std::size_t>(width[c],
                                           static_cast<std::size_t>(points(rows.back()[c].text)));
      }
      note_once(noted, lines[h].number,
                "a Markdown pipe table: its cells are read as the columns of the listing");
      for (std::size_t r = h; r < end; ++r) {
        const PeeledLine &l = lines[r];
        Builder b(l);
        if (r == h + 1) {
          const std::size_t first = l.text.find('-');
          for (std::size_t c = 0; c < width.size(); ++c) {
            if (c > 0)
              b.insert("  ", file_column(l, static_cast<int>(first)));
            b.insert(std::string(width[c], '-'), file_column(l, static_cast<int>(first)));
          }
        } else {
          const std::vector<Cell> &cells = rows[r - h];
          bool any = false;
          for (const Cell &c : cells)
            any = any || !c.text.empty();
          if (any) {
            for (std::size_t c = 0; c < std::max(width.size(), cells.size()); ++c) {
              const std::string_view v = c < cells.size() ? cells[c].text : std::string_view();
              if (c >= width.size()) { // beyond the header's columns: text after the row
                if (!v.empty())
                  b.insert("  ",
                           file_column(l, points(std::string_view(l.text).substr(0, cells[c].at))));
                b.keep(v, file_column(l, points(std::string_view(l.text).substr(0, cells[c].at))));
                continue;
              }
              const int at =
                  c < cells.size()
                      ? file_column(l, points(std::string_view(l.text).substr(0, cells[c].at)))
                      : file_column(l, points(l.text));
              if (c > 0)
                b.insert("  ", at);
              b.keep(v, at);
              const std::size_t pad = width[c] - static_cast<std::size_t>(points(v));
              if (pad > 0 && (c + 1 < width.size() || c + 1 < cells.size()))
                b.insert(std::string(pad, ' '), at + points(v));
            }
          }
        }
        lines[r] = b.done();
      }
      h = end - 1;
    }
  }

  // 5. Source-code string literals around the listing (a test's expected output, a script's
  //    here-string, a program's constant): the delimiters and the code on their lines are taken
  //    off, what the literal holds is left. Its opener and its closer are paired: an opener that
  //    nothing closes leaves the line as it is.
  {
    bool noted = false;
    constexpr std::size_t max_literal_lines = 4096;
    std::size_t budget = 32 * text.size() + 65536; // bytes looked at for closers: linear time
    for (std::size_t i = 0; i < lines.size() && budget > 0; ++i) {
      const std::string_view s = lines[i].text;
      const std::size_t b = blanks(s);
      if (b < s.size() && s[b] == '#')
        continue; // a `#` line is a comment: left as written
      const std::optional<StringOpener> o = string_opener(s);
      if (!o)
        continue;
      std::size_t at = std::string_view::npos;
      std::string closer;
      std::size_t j = i + 1;
      for (; j < lines.size() && j - i <= max_literal_lines && budget > 0; ++j) {
        budget -= std::min(budget, lines[j].text.size() + 1);
        if ((at = string_closer(lines[j].text, *o, closer)) != std::string_view::npos)
          break;
      }
      if (at == std::string_view::npos)
        continue;
      note_once(noted, lines[i].number,
                "a source-code string literal (`" + o->shown + "` ... `" + closer + "`, lines " +
                    std::to_string(lines[i].number) + "-" + std::to_string(lines[j].number) +
                    ") holds the listing: its delimiters and the code around them are not part "
                    "of the listing; taken off");
      lines[i] = drop_prefix(lines[i], is_blank(s.substr(o->end)) ? s.size() : o->end);
      lines[j] = drop_suffix(lines[j], at);
      i = j;
    }
  }

  // 5b. A listing held one line per string literal (`"bindflt   1   409800   0\n"`): two or more
  //     consecutive quoted lines, each but the last ending in a `\n` escape, are read as the
  //     lines they hold.
  {
    bool noted = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string_view s = lines[i].text;
      const std::size_t b = blanks(s);
      if (b < s.size() && s[b] == '#')
        continue;
      const std::optional<QuotedLine> first = quoted_line(s, true);
      if (!first || !first->newline)
        continue;
      std::vector<QuotedLine> run{*first};
      std::size_t j = i + 1;
      while (j < lines.size() && run.back().newline) {
        const std::optional<QuotedLine> q = quoted_line(lines[j].text, false);
        if (!q)
          break;
        run.push_back(*q);
        ++j;
      }
      if (run.size() < 2)
        continue;
      note_once(noted, lines[i].number,
                "the listing is held one line per source-code string literal (`\"...\\n\"`): "
                "the quotes, the `\\n` escapes and the code around them are not part of it; "
                "taken off");
      for (std::size_t k = 0; k < run.size(); ++k)
        lines[i + k] = unquote(lines[i + k], run[k]);
      i = j - 1;
    }
  }

  // 6. Blank lines doubled by a web page: every line of the paste followed by one blank line.
  {
    std::size_t text_lines = 0, followed = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (is_blank(lines[i].text))
        continue;
      ++text_lines;
      if (i + 2 < lines.size() && is_blank(lines[i + 1].text) && !is_blank(lines[i + 2].text))
        ++followed;
    }
    if (text_lines >= 6 && followed + 1 >= text_lines) {
      std::vector<PeeledLine> kept;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const bool single_blank = is_blank(lines[i].text) && i > 0 && i + 1 < lines.size() &&
                                  !is_blank(lines[i - 1].text) && !is_blank(lines[i + 1].text);
        if (!single_blank)
          kept.push_back(std::move(lines[i]));
      }
      out.notes.push_back("line " + std::to_string(lines.front().number) +
                          ": every line is followed by a blank line (doubled line breaks); the "
                          "single blank lines are not read as ends of tables");
      lines = std::move(kept);
    }
  }
  return out;
}

} // namespace fltsim::observed::observed_detail
