// Readers for observed stacks: fltmc filters/instances tables and !fltkd frames/filters dumps.
//
// Tables: the dashed rule line gives the column spans. Each row is first read by position (a
// value belongs to the column it overlaps); if that does not give a well-formed row (overflowing
// values shift later fields, pasted text may have its spaces collapsed, legacy instance rows do
// not line up), it is read again from its values, right to left: Frame is a number or
// `<Legacy>`, SprtFtrs is 8 hex digits, Num Instances is a number, and so on.
#include "fltsim/manifest/observed.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstddef>
#include <utility>

#include "fltsim/sim/groups.hpp"

namespace fltsim::manifest {

const char *to_string(ObservedKind kind) {
  switch (kind) {
  case ObservedKind::fltmc_filters:
    return "fltmc filters";
  case ObservedKind::fltmc_instances:
    return "fltmc instances";
  case ObservedKind::fltkd_frames:
    return "!fltkd.frames";
  case ObservedKind::fltkd_filters:
    return "!fltkd.filters";
  }
  return "?";
}

const ObservedSection *ObservedStack::find(ObservedKind kind) const {
  for (const auto &s : sections)
    if (s.kind == kind)
      return &s;
  return nullptr;
}

bool ObservedStack::truncated() const {
  return std::any_of(sections.begin(), sections.end(),
                     [](const ObservedSection &s) { return s.truncated; });
}

namespace {

constexpr int max_column = 1 << 28;
constexpr std::size_t max_diagnostics = 100;
constexpr std::size_t max_notes = 100;
constexpr std::size_t max_quoted = 100; ///< characters of a line quoted in a message
constexpr std::size_t max_table_columns = 8;

// ------------------------------------------------------------------------------------------------
// Characters, columns, tokens

/// Byte length of the whitespace character at s[i] (space, tab, FF, VT, CR, U+00A0), or 0.
std::size_t space_length(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r')
    return 1;
  if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0')
    return 2;
  return 0;
}

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0u) == 0x80u;
}

/// Columns count characters (UTF-8 code points); tabs go to the next multiple of 8.
int advance_column(int col, char c) {
  if (col >= max_column)
    return col;
  if (c == '\t')
    return (col / 8 + 1) * 8;
  return is_continuation_byte(c) ? col : col + 1;
}

int column_count(std::string_view s) {
  int col = 0;
  for (const char c : s)
    col = advance_column(col, c);
  return col;
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size()) {
    const std::size_t n = space_length(s, b);
    if (n == 0)
      break;
    b += n;
  }
  std::size_t e = s.size();
  while (e > b) {
    const char c = s[e - 1];
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r') {
      --e;
    } else if (c == '\xA0' && e - 1 > b && s[e - 2] == '\xC2') {
      e -= 2;
    } else {
      break;
    }
  }
  return s.substr(b, e - b);
}

using sim::iequals; // ASCII case-insensitive, as fltmc's and fltkd's keywords are

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool icontains(std::string_view s, std::string_view what) {
  if (what.size() > s.size())
    return false;
  for (std::size_t i = 0; i + what.size() <= s.size(); ++i)
    if (iequals(s.substr(i, what.size()), what))
      return true;
  return false;
}

/// A whitespace-separated word: byte range and column range [col, end_col).
struct Token {
  std::size_t begin = 0;
  std::size_t end = 0;
  int col = 0;
  int end_col = 0;
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  int col = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (const std::size_t n = space_length(s, i); n != 0) {
      for (std::size_t k = 0; k < n; ++k)
        col = advance_column(col, s[i + k]);
      i += n;
      continue;
    }
    Token t;
    t.begin = i;
    t.col = col;
    while (i < s.size() && space_length(s, i) == 0) {
      col = advance_column(col, s[i]);
      ++i;
    }
    t.end = i;
    t.end_col = col;
    out.push_back(t);
  }
  return out;
}

/// A quoted message snippet: the trimmed line, shortened.
std::string quote(std::string_view s) {
  s = trim(s);
  std::string out(s.substr(0, std::min(s.size(), max_quoted)));
  if (s.size() > max_quoted) {
    while (!out.empty() && is_continuation_byte(out.back()))
      out.pop_back();
    if (!out.empty())
      out.pop_back(); // the lead byte of a cut character, or one ASCII character
    out += "...";
  }
  return "\"" + out + "\"";
}

// ------------------------------------------------------------------------------------------------
// Value shapes

bool is_int(std::string_view s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool is_legacy(std::string_view s) {
  return iequals(s, "<Legacy>");
}
bool is_frame_like(std::string_view s) {
  return is_int(s) || is_legacy(s);
}

bool is_hex8(std::string_view s) {
  return s.size() == 8 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

bool is_altitude(std::string_view s) {
  return sim::Altitude::parse(s).has_value();
}
bool starts_numeric(std::string_view s) {
  return !s.empty() && ((s[0] >= '0' && s[0] <= '9') || s[0] == '.');
}

/// Service names as fltmc prints them: letters, digits and a few punctuation characters.
bool is_name_like(std::string_view s) {
  if (s.empty() || s.size() > 256)
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '-' || c == '.' || c == '$' || u >= 0x80;
  });
}

// ------------------------------------------------------------------------------------------------
// Line classification

enum class LineClass { blank, comment, marker, command, rule, rule_cont, header, fltkd, other };

struct Line {
  std::string_view text;
  int number = 0;
  LineClass cls = LineClass::other;
  int wrap = 0; ///< rule lines: console width when the rule wrapped onto the next line
};

/// Lines end at '\n'; trailing '\r's (CRLF, and the CR CR LF some clipboards produce) are dropped.
/// A lone '\r' inside a line counts as a blank, so line numbers match a count of '\n's.
std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = 0;
  int number = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    std::size_t stop = end;
    while (stop > start && text[stop - 1] == '\r')
      --stop;
    if (number < INT_MAX)
      ++number;
    lines.push_back({text.substr(start, stop - start), number, LineClass::other, 0});
    start = end + 1;
  }
  return lines;
}

/// `[... truncated ...]`, `[... gap ...]`, `[snip]`, `(... 40 more lines ...)`, a lone `...`.
bool is_marker(std::string_view t) {
  if (t == "..." || t == "\xE2\x80\xA6")
    return true;
  if (t.size() < 3)
    return false;
  const bool bracketed = (t.front() == '[' && t.back() == ']') ||
                         (t.front() == '(' && t.back() == ')') ||
                         (t.front() == '<' && t.back() == '>');
  if (!bracketed)
    return false;
  return t.find("...") != std::string_view::npos ||
         t.find("\xE2\x80\xA6") != std::string_view::npos || icontains(t, "snip") ||
         icontains(t, "truncat") || icontains(t, "gap") || icontains(t, "omitted");
}

/// Prompt and command lines: `C:\Windows\system32>fltmc`, `PS C:\> fltmc filters`, `>fltmc`,
/// `kd> !fltkd.frames`, `0: kd> dt ...`, and a bare `fltmc instances`.
bool is_command(std::string_view t) {
  auto fltmc_command = [](std::string_view rest) {
    if (!istarts_with(rest, "fltmc"))
      return false;
    rest.remove_prefix(5);
    if (istarts_with(rest, ".exe"))
      rest.remove_prefix(4);
    if (rest.empty())
      return true;
    if (rest[0] != ' ' && rest[0] != '\t')
      return false;
    rest = trim(rest);
    return rest.empty() || std::isalpha(static_cast<unsigned char>(rest[0])) != 0 ||
           rest[0] == '-' || rest[0] == '/';
  };
  if (fltmc_command(t))
    return true;
  const std::size_t gt = t.find('>');
  if (gt == std::string_view::npos)
    return false;
  const std::string_view prefix = trim(t.substr(0, gt));
  if (prefix.find('<') != std::string_view::npos)
    return false;
  const std::string_view rest = trim(t.substr(gt + 1));
  const bool debugger = prefix.size() >= 2 && iequals(prefix.substr(prefix.size() - 2), "kd");
  if (debugger)
    return true;
  const bool shell =
      prefix.empty() || prefix.find(':') != std::string_view::npos || istarts_with(prefix, "PS");
  return shell && (fltmc_command(rest) || (!rest.empty() && rest[0] == '!'));
}

/// Only '-' and blanks.
bool is_dashes(std::string_view s) {
  return !trim(s).empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || c == ' ' || c == '\t'; });
}

/// A table rule: at least 3 runs of 2 or more dashes and nothing else.
bool is_rule(std::string_view s) {
  if (!is_dashes(s))
    return false;
  const auto runs = tokenize(s);
  return runs.size() >= 3 &&
         std::all_of(runs.begin(), runs.end(), [](const Token &r) { return r.end - r.begin >= 2; });
}

const std::string_view fltkd_prefixes[] = {
    "Frame List:",   "Filter List:", "FLTP_FRAME:", "FLT_FILTER:",
    "FLT_INSTANCE:", "Volume List:", "FLT_VOLUME:"};

bool is_fltkd(std::string_view t) {
  return std::any_of(std::begin(fltkd_prefixes), std::end(fltkd_prefixes),
                     [&](std::string_view p) { return istarts_with(t, p); });
}

void classify(std::vector<Line> &lines) {
  for (auto &l : lines) {
    const std::string_view t = trim(l.text);
    if (t.empty())
      l.cls = LineClass::blank;
    else if (t[0] == '#')
      l.cls = LineClass::comment;
    else if (is_marker(t))
      l.cls = LineClass::marker;
    else if (is_rule(l.text))
      l.cls = LineClass::rule;
    else if (is_fltkd(t))
      l.cls = LineClass::fltkd;
    else if (is_command(t))
      l.cls = LineClass::command;
    else
      l.cls = LineClass::other;
  }
  // Wrapped rules (the console wrapped a wide table: "...  ---" + "-----") and header lines.
  for (std::size_t r = 0; r < lines.size(); ++r) {
    if (lines[r].cls != LineClass::rule)
      continue;
    if (r + 1 < lines.size() && lines[r + 1].cls == LineClass::other &&
        is_dashes(lines[r + 1].text) && lines[r + 1].text[0] == '-') {
      lines[r + 1].cls = LineClass::rule_cont;
      lines[r].wrap = column_count(lines[r].text);
    }
    if (r >= 1 && lines[r - 1].cls == LineClass::other) {
      lines[r - 1].cls = LineClass::header;
      if (lines[r].wrap > 0 && r >= 2 && lines[r - 2].cls == LineClass::other &&
          column_count(lines[r - 2].text) >= lines[r].wrap)
        lines[r - 2].cls = LineClass::header;
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Rows: one line, or two lines joined when the console wrapped a row.

struct Segment {
  int logical_col = 0;
  int line = 0;
};

struct Row {
  std::string text;
  std::vector<Segment> segments;
  int line = 0;
};

Row single_row(const Line &l) {
  return {std::string(l.text), {{0, l.number}}, l.number};
}

Row joined_row(const Line &a, const Line &b, int wrap) {
  Row r = single_row(a);
  int cols = column_count(r.text);
  if (wrap > cols) {
    r.text.append(static_cast<std::size_t>(wrap - cols), ' ');
    cols = wrap;
  }
  r.segments.push_back({cols, b.number});
  r.text += b.text;
  return r;
}

std::pair<int, int> locate(const Row &row, int col) {
  Segment seg = row.segments.front();
  for (const auto &s : row.segments)
    if (s.logical_col <= col)
      seg = s;
  return {seg.line, col - seg.logical_col + 1};
}

// ------------------------------------------------------------------------------------------------
// Row parsers

enum class RowStatus { ok, incomplete, malformed };

struct Parsed {
  RowStatus status = RowStatus::malformed;
  bool row_like = false; ///< lines up with the columns and starts with one name: a row, if broken
  const char *why = "";  ///< why the row is not ok
  ObservedFilter filter;
  ObservedInstance instance;
  std::string altitude_text; ///< checked by the caller, which reports bad text with its column
  int altitude_col = 0;
};

struct Span {
  int begin = 0;
  int end = 0;
};

struct Cells {
  std::vector<std::vector<std::size_t>> cells; ///< token indexes per column; last = beyond
  bool aligned = true;
};

/// Puts each token in the column it overlaps most. Tokens in a gap go to the nearer column,
/// tokens right of the last column to an extra cell. A token overlapping two columns, or two
/// tokens of one cell more than one blank apart, mean the row does not line up.
Cells assign_columns(const std::vector<Token> &toks, const std::vector<Span> &spans) {
  Cells out;
  const std::size_t m = spans.size();
  out.cells.resize(m + 1);
  std::size_t previous = 0;
  for (std::size_t k = 0; k < toks.size(); ++k) {
    const Token &t = toks[k];
    std::size_t best = m + 1;
    int best_overlap = 0;
    int overlapping = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const int ov = std::min(t.end_col, spans[i].end) - std::max(t.col, spans[i].begin);
      if (ov > 0) {
        ++overlapping;
        if (ov > best_overlap) {
          best_overlap = ov;
          best = i;
        }
      }
    }
    if (overlapping > 1)
      out.aligned = false;
    if (best == m + 1) {
      if (t.col >= spans[m - 1].end) {
        best = m;
      } else if (t.end_col <= spans[0].begin) {
        best = 0;
      } else {
        best = 0;
        for (std::size_t i = 0; i + 1 < m; ++i) {
          if (spans[i].end <= t.col && t.end_col <= spans[i + 1].begin) {
            best = (t.col - spans[i].end < spans[i + 1].begin - t.end_col) ? i : i + 1;
            break;
          }
        }
      }
    }
    if (k > 0) {
      if (best < previous)
        out.aligned = false;
      else if (best == previous && t.col - toks[k - 1].end_col > 1)
        out.aligned = false;
    }
    previous = best;
    out.cells[best].push_back(k);
  }
  return out;
}

std::string_view token_text(const Row &row, const Token &t) {
  return std::string_view(row.text).substr(t.begin, t.end - t.begin);
}

/// Text from token `first` to token `last` inclusive (internal spacing kept); empty if first >
/// last.
std::string token_range(const Row &row, const std::vector<Token> &toks, std::size_t first,
                        std::size_t last) {
  if (first > last || last >= toks.size())
    return {};
  return row.text.substr(toks[first].begin, toks[last].end - toks[first].begin);
}

std::string cell_text(const Row &row, const std::vector<Token> &toks,
                      const std::vector<std::size_t> &cell) {
  if (cell.empty())
    return {};
  return token_range(row, toks, cell.front(), cell.back());
}

Parsed malformed(Parsed &p, const char *why) {
  p.status = RowStatus::malformed;
  p.why = why;
  return std::move(p);
}

Parsed incomplete(Parsed &p, const char *why) {
  p.status = RowStatus::incomplete;
  p.why = why;
  return std::move(p);
}

// fltmc filters: Filter Name | Num Instances | Altitude | Frame

Parsed filters_by_position(const Row &row, const std::vector<Token> &toks,
                           const std::vector<Span> &spans) {
  Parsed p;
  const Cells c = assign_columns(toks, spans);
  if (!c.aligned)
    return malformed(p, "the values do not line up with the columns");
  if (c.cells[0].size() != 1)
    return malformed(p, "the Filter Name column does not hold one name");
  p.row_like = true;
  const auto &num = c.cells[1];
  const auto &alt = c.cells[2];
  const auto &frame = c.cells[3];
  if (!c.cells[4].empty())
    return malformed(p, "there is text after the Frame column");
  const bool num_ok = num.size() <= 1 && (num.empty() || is_int(token_text(row, toks[num[0]])));
  if (frame.empty()) {
    if (num_ok && alt.size() <= 1)
      return incomplete(p, "the row stops before the Frame column");
    return malformed(p, "the row has no Frame value");
  }
  if (frame.size() != 1)
    return malformed(p, "the Frame column holds more than one value");
  const std::string_view ft = token_text(row, toks[frame[0]]);
  p.filter.name = std::string(token_text(row, toks[c.cells[0][0]]));
  p.filter.line = row.line;
  if (alt.size() > 1)
    return malformed(p, "the Altitude column holds more than one value");
  if (alt.size() == 1) {
    p.altitude_text = std::string(token_text(row, toks[alt[0]]));
    p.altitude_col = toks[alt[0]].col;
  }
  if (is_legacy(ft)) {
    if (!num.empty())
      return malformed(p, "a <Legacy> row has a Num Instances value");
    p.filter.legacy = true;
  } else if (is_int(ft)) {
    if (num.size() != 1 || !num_ok)
      return malformed(p, "Num Instances is not a number");
    if (alt.empty())
      return malformed(p, "the Altitude column is empty");
    p.filter.frame = to_int(ft);
    p.filter.num_instances = to_int(token_text(row, toks[num[0]]));
  } else {
    return malformed(p, "the Frame value is neither a number nor <Legacy>");
  }
  p.status = RowStatus::ok;
  return p;
}

/// `strict`: a row without a header must be exactly `name count altitude frame` or
/// `name [altitude] <Legacy>`, with a service-like name set off by two or more blanks.
Parsed filters_by_value(const Row &row, const std::vector<Token> &toks, bool strict) {
  Parsed p;
  const std::size_t n = toks.size();
  if (n == 0)
    return malformed(p, "the row is empty");
  const std::string_view last = token_text(row, toks[n - 1]);
  p.filter.line = row.line;
  std::size_t name_end = 0; // exclusive
  if (is_legacy(last)) {
    if (n == 1)
      return malformed(p, "the row has no filter name");
    p.filter.legacy = true;
    name_end = n - 1;
    if (n >= 3 && starts_numeric(token_text(row, toks[n - 2]))) {
      p.altitude_text = std::string(token_text(row, toks[n - 2]));
      p.altitude_col = toks[n - 2].col;
      name_end = n - 2;
    }
  } else if (is_int(last)) {
    if (n < 4)
      return incomplete(p, "the row has fewer than 4 values");
    if (!is_int(token_text(row, toks[n - 3])))
      return malformed(p, "Num Instances is not a number");
    p.filter.frame = to_int(last);
    p.filter.num_instances = to_int(token_text(row, toks[n - 3]));
    p.altitude_text = std::string(token_text(row, toks[n - 2]));
    p.altitude_col = toks[n - 2].col;
    name_end = n - 3;
  } else {
    if (n <= 3)
      return incomplete(p, "the row stops before the Frame value");
    return malformed(p, "the last value is neither a frame number nor <Legacy>");
  }
  // Without a header, accept only what fltmc prints: one name, two or more blanks, the values.
  if (strict && (name_end != 1 || !is_name_like(token_text(row, toks[0])) ||
                 toks[1].col - toks[0].end_col < 2 ||
                 (!p.altitude_text.empty() && !is_altitude(p.altitude_text))))
    return malformed(p, "not a filter row");
  p.filter.name = token_range(row, toks, 0, name_end - 1);
  p.status = RowStatus::ok;
  return p;
}

// fltmc instances: Filter | Volume Name | Altitude | Instance Name | Frame | SprtFtrs | VlStatus

void set_tail(Parsed &p, const Row &row, const std::vector<Token> &toks,
              const std::vector<std::size_t> &tail) {
  if (tail.empty())
    return;
  std::size_t status_from = 0;
  if (is_hex8(token_text(row, toks[tail[0]]))) {
    p.instance.supported_features = std::string(token_text(row, toks[tail[0]]));
    status_from = 1;
  }
  if (status_from < tail.size())
    p.instance.volume_status = token_range(row, toks, tail[status_from], tail.back());
}

Parsed finish_instance(Parsed &p, bool features_expected) {
  if (features_expected && p.instance.supported_features.empty()) {
    const std::string &rest = p.instance.volume_status;
    const bool cut_value = rest.size() < 8 && std::all_of(rest.begin(), rest.end(), [](char c) {
                             return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                           });
    if (cut_value) // nothing, or the start of the 8 hex digits
      return incomplete(p, "the row stops before the end of the SprtFtrs value");
    return malformed(p, "the SprtFtrs value is missing");
  }
  p.status = RowStatus::ok;
  return std::move(p);
}

Parsed instances_by_position(const Row &row, const std::vector<Token> &toks,
                             const std::vector<Span> &spans, bool features_expected) {
  Parsed p;
  const Cells c = assign_columns(toks, spans);
  if (!c.aligned)
    return malformed(p, "the values do not line up with the columns");
  if (c.cells[0].size() != 1)
    return malformed(p, "the Filter column does not hold one name");
  p.row_like = true;
  p.instance.line = row.line;
  p.instance.filter = std::string(token_text(row, toks[c.cells[0][0]]));
  p.instance.volume = cell_text(row, toks, c.cells[1]);
  const auto &alt = c.cells[2];
  const auto &frame = c.cells[4];
  std::vector<std::size_t> tail;
  for (std::size_t i = 5; i < c.cells.size(); ++i)
    tail.insert(tail.end(), c.cells[i].begin(), c.cells[i].end());
  if (alt.size() > 1)
    return malformed(p, "the Altitude column holds more than one value");
  if (frame.empty()) {
    if (tail.empty())
      return incomplete(p, "the row stops before the Frame column");
    return malformed(p, "the row has no Frame value");
  }
  if (frame.size() != 1)
    return malformed(p, "the Frame column holds more than one value");
  p.instance.instance_name = cell_text(row, toks, c.cells[3]);
  if (alt.size() == 1) {
    p.altitude_text = std::string(token_text(row, toks[alt[0]]));
    p.altitude_col = toks[alt[0]].col;
  }
  const std::string_view ft = token_text(row, toks[frame[0]]);
  if (is_legacy(ft)) {
    p.instance.legacy = true;
  } else if (is_int(ft)) {
    if (alt.empty())
      return malformed(p, "the Altitude column is empty");
    if (p.instance.instance_name.empty())
      return malformed(p, "the Instance Name column is empty");
    p.instance.frame = to_int(ft);
  } else {
    return malformed(p, "the Frame value is neither a number nor <Legacy>");
  }
  set_tail(p, row, toks, tail);
  return finish_instance(p, features_expected);
}

Parsed instances_by_value(const Row &row, const std::vector<Token> &toks, bool features_expected,
                          bool strict) {
  Parsed p;
  const std::size_t n = toks.size();
  if (n == 0)
    return malformed(p, "the row is empty");
  if (n == 1)
    return incomplete(p, "the row holds only a filter name");
  p.instance.line = row.line;
  // Right to left: VlStatus words, then SprtFtrs (8 hex digits), then Frame.
  std::size_t k = n;
  while (k > 1 && !is_hex8(token_text(row, toks[k - 1])) &&
         !is_frame_like(token_text(row, toks[k - 1])))
    --k;
  const std::size_t status_begin = k;
  std::size_t features = n;
  if (k > 2 && is_hex8(token_text(row, toks[k - 1])) &&
      is_frame_like(token_text(row, toks[k - 2]))) {
    features = k - 1;
    --k;
  }
  if (k <= 1 || !is_frame_like(token_text(row, toks[k - 1])))
    return incomplete(p, "the row has no Frame value");
  const std::size_t f = k - 1;
  if (strict && !is_name_like(token_text(row, toks[0])))
    return malformed(p, "not an instance row");
  p.instance.filter = std::string(token_text(row, toks[0]));
  if (features < n)
    p.instance.supported_features = std::string(token_text(row, toks[features]));
  if (status_begin < n)
    p.instance.volume_status = token_range(row, toks, status_begin, n - 1);
  const std::string_view ft = token_text(row, toks[f]);
  if (is_legacy(ft)) {
    p.instance.legacy = true;
    std::size_t volume_end = f; // exclusive
    if (f >= 2 && starts_numeric(token_text(row, toks[f - 1]))) {
      p.altitude_text = std::string(token_text(row, toks[f - 1]));
      p.altitude_col = toks[f - 1].col;
      volume_end = f - 1;
    }
    p.instance.volume = volume_end > 1 ? token_range(row, toks, 1, volume_end - 1) : "";
  } else {
    // Middle tokens [1, f): Volume Name, Altitude, Instance Name. Prefer an altitude set off by
    // two or more blanks (as fltmc aligns it); with collapsed spaces take the rightmost one that
    // leaves an instance name.
    std::size_t a = f;
    for (std::size_t i = 1; i < f && a == f; ++i)
      if (toks[i].col - toks[i - 1].end_col >= 2 && is_altitude(token_text(row, toks[i])))
        a = i;
    if (a == f)
      for (std::size_t i = f - 1; i >= 1 && a == f; --i)
        if (i + 1 < f && is_altitude(token_text(row, toks[i])))
          a = i;
    if (a == f)
      return incomplete(p, "the row has no Altitude value");
    if (a + 1 >= f)
      return malformed(p, "the row has no Instance Name");
    p.instance.frame = to_int(ft);
    p.altitude_text = std::string(token_text(row, toks[a]));
    p.altitude_col = toks[a].col;
    p.instance.volume = a > 1 ? token_range(row, toks, 1, a - 1) : "";
    p.instance.instance_name = token_range(row, toks, a + 1, f - 1);
  }
  return finish_instance(p, features_expected);
}

// ------------------------------------------------------------------------------------------------
// !fltkd lines: `FLT_FILTER: <addr> "name" "altitude"`

struct Quoted {
  std::string_view text;
  int col = 0; ///< column of the opening quote
};

std::vector<Quoted> quoted_strings(std::string_view line, bool &unterminated) {
  std::vector<Quoted> out;
  unterminated = false;
  int col = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') {
      const std::size_t close = line.find('"', i + 1);
      if (close == std::string_view::npos) {
        unterminated = true;
        return out;
      }
      out.push_back({line.substr(i + 1, close - i - 1), col});
      for (std::size_t k = i; k <= close; ++k)
        col = advance_column(col, line[k]);
      i = close;
      continue;
    }
    col = advance_column(col, line[i]);
  }
  return out;
}

/// "Frame 3" -> 3.
std::optional<int> frame_number(std::string_view s) {
  s = trim(s);
  if (!istarts_with(s, "Frame"))
    return std::nullopt;
  s = trim(s.substr(5));
  if (!is_int(s))
    return std::nullopt;
  return to_int(s);
}

// ------------------------------------------------------------------------------------------------
// The reader

class Reader {
public:
  Reader(std::string_view text, std::string source)
      : source_(std::move(source)), lines_(split_lines(text)) {
    classify(lines_);
  }

  ObservedStack run() {
    std::size_t i = 0;
    while (i < lines_.size())
      i = step(i);
    close(true);
    if (out_.sections.empty())
      report_unrecognized();
    return std::move(out_);
  }

private:
  enum class Mode { none, table, skip_table, headerless, fltkd, fltkd_ignore };

  struct Table {
    std::vector<Span> spans;
    int wrap = 0;
    bool features_seen = false;
    int rule_line = 0;
    std::size_t good = 0;
    std::vector<sim::Diagnostic> failures;
  };

  std::string source_;
  std::vector<Line> lines_;
  ObservedStack out_;
  Mode mode_ = Mode::none;
  bool open_ = false; ///< the last section is still being read
  bool blank_seen_ = false;
  Table table_;
  std::vector<std::string> pending_notes_; ///< markers seen before any section
  // fltkd state: indexes into the open section's frames/filters, -1 = none
  long fltkd_frame_ = -1;
  long fltkd_filter_ = -1;
  long fltkd_frame_filter_ = -1;

  // --- output helpers

  ObservedSection &section() { return out_.sections.back(); }

  static std::string at(int line) { return "line " + std::to_string(line) + ": "; }

  void note(ObservedSection &s, std::string text) {
    if (s.notes.size() < max_notes)
      s.notes.push_back(std::move(text));
    else if (s.notes.size() == max_notes)
      s.notes.push_back("further notes omitted");
  }

  sim::Diagnostic make_diagnostic(int line, int column, std::string code,
                                  std::string message) const {
    sim::Diagnostic d; // members assigned one by one: GCC 12 warns on the braced form
    d.location.file = source_;
    d.location.line = line;
    d.location.column = column;
    d.code = std::move(code);
    d.message = std::move(message);
    return d;
  }

  void diagnose(int line, int column, std::string code, std::string message) {
    push_diagnostic(out_.diagnostics,
                    make_diagnostic(line, column, std::move(code), std::move(message)));
  }

  static void push_diagnostic(std::vector<sim::Diagnostic> &v, sim::Diagnostic d) {
    if (v.size() < max_diagnostics) {
      v.push_back(std::move(d));
    } else if (v.size() == max_diagnostics) {
      d.code = "observed-row";
      d.message = "further problems are not reported";
      v.push_back(std::move(d));
    }
  }

  void truncate(ObservedSection &s, std::string text) {
    s.truncated = true;
    note(s, std::move(text));
  }

  void open(ObservedKind kind, int line) {
    close(false);
    ObservedSection s;
    s.kind = kind;
    s.line = line;
    for (auto &n : pending_notes_) {
      s.truncated = true;
      s.notes.push_back(std::move(n));
    }
    pending_notes_.clear();
    out_.sections.push_back(std::move(s));
    open_ = true;
    blank_seen_ = false;
    fltkd_frame_ = fltkd_filter_ = fltkd_frame_filter_ = -1;
  }

  void close(bool at_end) {
    if (mode_ == Mode::table && open_)
      finish_table(at_end);
    else if (open_ && at_end && !section().truncated && section().filters.empty() &&
             section().instances.empty() && section().frames.empty())
      truncate(section(), at(section().line) + "the input ends before the listing has entries");
    open_ = false;
    mode_ = Mode::none;
    blank_seen_ = false;
  }

  void finish_table(bool at_end) {
    ObservedSection &s = section();
    if (table_.good == 0 && !table_.failures.empty()) {
      const int line = s.line;
      std::string first = table_.failures.front().message;
      out_.sections.pop_back();
      open_ = false;
      diagnose(line, 0, "observed-unrecognized",
               "the table at line " + std::to_string(table_.rule_line) +
                   " has the column count of an fltmc listing but none of its rows fits (" + first +
                   ")");
      return;
    }
    for (auto &d : table_.failures)
      push_diagnostic(out_.diagnostics, std::move(d));
    table_.failures.clear();
    if (s.filters.empty() && s.instances.empty() && !s.truncated) {
      if (at_end)
        truncate(s, at(table_.rule_line) + "the input ends before the table has any rows");
      else
        note(s, at(table_.rule_line) + "the table has no rows");
    }
  }

  void report_unrecognized() {
    int line = lines_.empty() ? 0 : 1;
    for (const auto &l : lines_) {
      if (l.cls != LineClass::blank && l.cls != LineClass::comment) {
        line = l.number;
        break;
      }
    }
    diagnose(line, 0, "observed-unrecognized",
             lines_.empty() ? "the input is empty; expected fltmc or !fltkd output"
                            : "no fltmc filters/instances table or !fltkd frames/filters listing "
                              "found (a table needs its dashed rule line under the header)");
  }

  /// Index of the next line that is not blank or a comment.
  std::size_t next_significant(std::size_t i) const {
    while (i < lines_.size() &&
           (lines_[i].cls == LineClass::blank || lines_[i].cls == LineClass::comment))
      ++i;
    return i;
  }

  /// The listing stops at line i: end of input or a truncation marker.
  bool ends_here(std::size_t i) const {
    const std::size_t j = next_significant(i);
    return j >= lines_.size() || lines_[j].cls == LineClass::marker;
  }

  // --- dispatch

  std::size_t step(std::size_t i) {
    const Line &l = lines_[i];
    switch (l.cls) {
    case LineClass::blank:
      if (mode_ == Mode::skip_table)
        mode_ = Mode::none;
      blank_seen_ = true;
      return i + 1;
    case LineClass::comment:
    case LineClass::rule_cont:
      return i + 1;
    case LineClass::marker:
      marker(l);
      return i + 1;
    case LineClass::command:
    case LineClass::header:
      close(false);
      return i + 1;
    case LineClass::rule:
      return rule(i);
    case LineClass::fltkd:
      return fltkd_line(i);
    case LineClass::other:
      break;
    }
    switch (mode_) {
    case Mode::table:
      return table_line(i);
    case Mode::headerless:
      return headerless_line(i);
    case Mode::skip_table:
      return i + 1;
    case Mode::fltkd:
    case Mode::fltkd_ignore:
    case Mode::none:
      break;
    }
    if (mode_ != Mode::none)
      close(false);
    return loose_line(i);
  }

  void marker(const Line &l) {
    const std::string_view t = trim(l.text);
    std::string text = at(l.number) + quote(t) + ": ";
    text += icontains(t, "gap") ? "rows are missing here" : "the listing is cut here";
    if (!out_.sections.empty())
      truncate(section(), std::move(text));
    else
      pending_notes_.push_back(std::move(text));
  }

  // --- tables

  std::size_t rule(std::size_t r) {
    close(false);
    const Line &l = lines_[r];
    const bool wrapped = l.wrap > 0 && r + 1 < lines_.size();
    const Row rule_row = wrapped ? joined_row(l, lines_[r + 1], l.wrap) : single_row(l);
    const std::size_t next = wrapped ? r + 2 : r + 1;
    const auto runs = tokenize(rule_row.text);
    int first_line = l.number;
    for (std::size_t h = r; h > 0 && lines_[h - 1].cls == LineClass::header; --h)
      first_line = lines_[h - 1].number;
    const std::size_t m = runs.size();
    if (m < 4 || m > max_table_columns) {
      diagnose(l.number, 1, "observed-unrecognized",
               "the table with " + std::to_string(m) +
                   " columns is neither `fltmc filters` (4 columns) nor `fltmc instances` (5-" +
                   std::to_string(max_table_columns) + " columns); skipped");
      mode_ = Mode::skip_table;
      return next;
    }
    open(m == 4 ? ObservedKind::fltmc_filters : ObservedKind::fltmc_instances, first_line);
    mode_ = Mode::table;
    table_ = Table{};
    table_.wrap = wrapped ? l.wrap : 0;
    table_.rule_line = l.number;
    for (const auto &t : runs)
      table_.spans.push_back({t.col, t.end_col});
    if (wrapped)
      note(section(), at(l.number) + "the table was wrapped at " + std::to_string(l.wrap) +
                          " columns; wrapped lines are joined");
    return next;
  }

  bool features_expected() const { return table_.spans.size() >= 7 || table_.features_seen; }

  Parsed parse_table_row(const Row &row) const {
    const auto toks = tokenize(row.text);
    const bool filters = section().kind == ObservedKind::fltmc_filters;
    Parsed pos = filters ? filters_by_position(row, toks, table_.spans)
                         : instances_by_position(row, toks, table_.spans, features_expected());
    if (pos.status == RowStatus::ok)
      return pos;
    Parsed val = filters ? filters_by_value(row, toks, false)
                         : instances_by_value(row, toks, features_expected(), false);
    if (val.status == RowStatus::ok)
      return val;
    return pos.row_like ? pos : val;
  }

  const ObservedSection &section() const { return out_.sections.back(); }

  bool is_table_row(std::size_t i) const {
    return i < lines_.size() && lines_[i].cls == LineClass::other &&
           parse_table_row(single_row(lines_[i])).status == RowStatus::ok;
  }

  std::size_t table_line(std::size_t i) {
    Row row = single_row(lines_[i]);
    std::size_t used = 1;
    const bool next_other = i + 1 < lines_.size() && lines_[i + 1].cls == LineClass::other;
    Parsed p;
    bool parsed = false;
    if (table_.wrap > 0 && next_other && column_count(lines_[i].text) >= table_.wrap) {
      Row joined = joined_row(lines_[i], lines_[i + 1], table_.wrap);
      Parsed q = parse_table_row(joined);
      if (q.status == RowStatus::ok) {
        row = std::move(joined);
        p = std::move(q);
        used = 2;
        parsed = true;
      }
    }
    if (!parsed) {
      p = parse_table_row(row);
      if (p.status != RowStatus::ok && next_other && !blank_seen_ && !is_table_row(i + 1)) {
        Row joined = joined_row(lines_[i], lines_[i + 1], table_.wrap);
        Parsed q = parse_table_row(joined);
        if (q.status == RowStatus::ok) {
          row = std::move(joined);
          p = std::move(q);
          used = 2;
        }
      }
    }
    if (used == 2)
      note(section(), at(row.line) + "the row continues on line " +
                          std::to_string(lines_[i + 1].number) + "; joined");
    if (p.status == RowStatus::ok) {
      blank_seen_ = false;
      emit_table_row(row, std::move(p));
      return i + used;
    }
    if (blank_seen_) { // a blank line ended the table
      close(false);
      return loose_line(i);
    }
    const std::size_t next = i + used;
    const std::string what = std::string(p.why) + ": " + quote(lines_[i].text);
    if (is_table_row(next) || (p.row_like && p.status == RowStatus::malformed)) {
      push_diagnostic(table_.failures, make_diagnostic(row.line, 1, "observed-row",
                                                       "row does not fit the " +
                                                           std::string(to_string(section().kind)) +
                                                           " columns: " + what));
      return next;
    }
    if (p.row_like || ends_here(next)) {
      truncate(section(), at(row.line) + "the last row is cut off (" + what + ")");
      return next;
    }
    // Not a row: the table ended without a blank line. Say so unless the text starts something.
    const std::size_t count = out_.sections.size();
    close(false); // may drop the table if none of its rows fit
    const bool kept = out_.sections.size() == count;
    const std::size_t after = loose_line(i);
    if (kept && out_.sections.size() == count)
      note(out_.sections.back(),
           at(lines_[i].number) +
               "text after the table is not a row; ignored: " + quote(lines_[i].text));
    return after;
  }

  void check_altitude(const Row &row, const Parsed &p, std::optional<sim::Altitude> &out) {
    if (p.altitude_text.empty())
      return;
    std::string error;
    out = sim::Altitude::parse(p.altitude_text, &error);
    if (!out) {
      const auto [line, col] = locate(row, p.altitude_col);
      diagnose(line, col, "observed-altitude", error);
    }
  }

  void emit_table_row(const Row &row, Parsed p) {
    ObservedSection &s = section();
    ++table_.good;
    if (s.kind == ObservedKind::fltmc_filters) {
      check_altitude(row, p, p.filter.altitude);
      s.filters.push_back(std::move(p.filter));
    } else {
      check_altitude(row, p, p.instance.altitude);
      if (!p.instance.supported_features.empty())
        table_.features_seen = true;
      s.instances.push_back(std::move(p.instance));
    }
  }

  // --- rows without a header (fragments such as reference sample 13)

  Parsed parse_headerless(const Row &row, std::optional<ObservedKind> kind) const {
    const auto toks = tokenize(row.text);
    if (!kind || *kind == ObservedKind::fltmc_instances) {
      Parsed p = instances_by_value(row, toks, true, true);
      if (p.status == RowStatus::ok || kind)
        return p;
    }
    return filters_by_value(row, toks, true);
  }

  /// A line outside any listing: starts a header-less listing if it is a well-formed row.
  std::size_t loose_line(std::size_t i) {
    const Row row = single_row(lines_[i]);
    Parsed p = parse_headerless(row, std::nullopt);
    if (p.status != RowStatus::ok)
      return i + 1;
    const bool instances = !p.instance.filter.empty();
    open(instances ? ObservedKind::fltmc_instances : ObservedKind::fltmc_filters, row.line);
    mode_ = Mode::headerless;
    note(section(), at(row.line) + "rows without a column header; the columns are inferred from "
                                   "the values");
    emit_headerless(row, std::move(p));
    return i + 1;
  }

  std::size_t headerless_line(std::size_t i) {
    const Row row = single_row(lines_[i]);
    const ObservedKind kind = section().kind;
    Parsed p = parse_headerless(row, kind);
    if (p.status == RowStatus::ok) {
      blank_seen_ = false;
      emit_headerless(row, std::move(p));
      return i + 1;
    }
    if (blank_seen_) {
      close(false);
      return loose_line(i);
    }
    const bool next_is_row =
        i + 1 < lines_.size() && lines_[i + 1].cls == LineClass::other &&
        parse_headerless(single_row(lines_[i + 1]), kind).status == RowStatus::ok;
    const std::string what = std::string(p.why) + ": " + quote(lines_[i].text);
    if (next_is_row) {
      diagnose(row.line, 1, "observed-row",
               "row does not fit the " + std::string(to_string(kind)) + " columns: " + what);
      return i + 1;
    }
    if (ends_here(i + 1)) {
      truncate(section(), at(row.line) + "the last row is cut off (" + what + ")");
      return i + 1;
    }
    close(false);
    return loose_line(i);
  }

  void emit_headerless(const Row &row, Parsed p) {
    ObservedSection &s = section();
    if (s.kind == ObservedKind::fltmc_filters) {
      check_altitude(row, p, p.filter.altitude);
      s.filters.push_back(std::move(p.filter));
    } else {
      check_altitude(row, p, p.instance.altitude);
      s.instances.push_back(std::move(p.instance));
    }
  }

  // --- !fltkd

  std::size_t fltkd_line(std::size_t i) {
    const Line &l = lines_[i];
    const std::string_view t = trim(l.text);
    if (istarts_with(t, "Volume List:") || istarts_with(t, "FLT_VOLUME:")) {
      close(false); // !fltkd.volumes: not read; its FLT_INSTANCE lines belong to volumes
      mode_ = Mode::fltkd_ignore;
      return i + 1;
    }
    if (mode_ == Mode::fltkd_ignore)
      return i + 1;
    bool unterminated = false;
    const auto q = quoted_strings(l.text, unterminated);
    auto bad = [&](const std::string &why) {
      if (!open_ || ends_here(i + 1)) {
        if (open_)
          truncate(section(),
                   at(l.number) + "the last line is cut off (" + why + ": " + quote(l.text) + ")");
        else
          pending_notes_.push_back(at(l.number) + "a line is cut off (" + why + ")");
      } else {
        diagnose(l.number, 1, "observed-row", why + ": " + quote(l.text));
      }
      return i + 1;
    };
    const bool in_frames =
        mode_ == Mode::fltkd && open_ && section().kind == ObservedKind::fltkd_frames;
    const bool in_filters =
        mode_ == Mode::fltkd && open_ && section().kind == ObservedKind::fltkd_filters;

    if (istarts_with(t, "Frame List:")) {
      open(ObservedKind::fltkd_frames, l.number);
      mode_ = Mode::fltkd;
      return i + 1;
    }
    if (istarts_with(t, "Filter List:")) {
      if (!in_filters) {
        open(ObservedKind::fltkd_filters, l.number);
        mode_ = Mode::fltkd;
      }
      fltkd_filter_ = fltkd_frame_filter_ = -1;
      fltkd_frame_ = -1;
      const auto id = q.empty() ? std::nullopt : frame_number(q[0].text);
      if (!id) {
        note(section(), at(l.number) + "Filter List without a \"Frame N\" name");
        return i + 1;
      }
      ObservedFrame f;
      f.id = *id;
      f.line = l.number;
      section().frames.push_back(std::move(f));
      fltkd_frame_ = static_cast<long>(section().frames.size()) - 1;
      return i + 1;
    }
    if (istarts_with(t, "FLTP_FRAME:")) {
      if (unterminated || q.size() < 2)
        return bad("FLTP_FRAME needs \"Frame N\" and \"low to high\"");
      const auto id = frame_number(q[0].text);
      if (!id)
        return bad("FLTP_FRAME name is not \"Frame N\"");
      if (!in_frames) {
        open(ObservedKind::fltkd_frames, l.number);
        mode_ = Mode::fltkd;
        note(section(), at(l.number) + "FLTP_FRAME lines without a \"Frame List:\" header");
      }
      ObservedFrame f;
      f.id = *id;
      f.line = l.number;
      const std::string_view range = q[1].text;
      const std::size_t to = range.find(" to ");
      if (to == std::string_view::npos) {
        diagnose(l.number, q[1].col + 1, "observed-altitude",
                 "frame range " + quote(range) + " is not \"low to high\"");
      } else {
        std::string error;
        f.low = sim::Altitude::parse(trim(range.substr(0, to)), &error);
        if (!f.low)
          diagnose(l.number, q[1].col + 2, "observed-altitude", "frame low end: " + error);
        f.high = sim::Altitude::parse(trim(range.substr(to + 4)), &error);
        if (!f.high)
          diagnose(l.number, q[1].col + 2, "observed-altitude", "frame high end: " + error);
      }
      section().frames.push_back(std::move(f));
      fltkd_frame_ = static_cast<long>(section().frames.size()) - 1;
      fltkd_filter_ = fltkd_frame_filter_ = -1;
      return i + 1;
    }
    const bool filter_line = istarts_with(t, "FLT_FILTER:");
    if (unterminated || q.size() < 2)
      return bad(std::string(filter_line ? "FLT_FILTER" : "FLT_INSTANCE") +
                 " needs a quoted name and altitude");
    if (mode_ != Mode::fltkd || !open_) {
      open(ObservedKind::fltkd_filters, l.number);
      mode_ = Mode::fltkd;
      note(section(), at(l.number) + "FLT_ lines without a \"Frame List:\"/\"Filter List:\" "
                                     "header; frames unknown");
    }
    ObservedSection &s = section();
    std::string error;
    std::optional<sim::Altitude> altitude = sim::Altitude::parse(q[1].text, &error);
    if (!altitude)
      diagnose(l.number, q[1].col + 2, "observed-altitude", error);
    std::optional<int> frame;
    if (fltkd_frame_ >= 0)
      frame = s.frames[static_cast<std::size_t>(fltkd_frame_)].id;
    if (filter_line) {
      ObservedFilter f;
      f.name = std::string(q[0].text);
      f.altitude = std::move(altitude);
      f.frame = frame;
      f.num_instances = 0;
      f.line = l.number;
      s.filters.push_back(f);
      fltkd_filter_ = static_cast<long>(s.filters.size()) - 1;
      fltkd_frame_filter_ = -1;
      if (fltkd_frame_ >= 0) {
        auto &ff = s.frames[static_cast<std::size_t>(fltkd_frame_)].filters;
        ff.push_back(std::move(f));
        fltkd_frame_filter_ = static_cast<long>(ff.size()) - 1;
      }
      return i + 1;
    }
    if (fltkd_filter_ < 0) {
      diagnose(l.number, 1, "observed-row",
               "FLT_INSTANCE line without a FLT_FILTER line before it: " + quote(l.text));
      return i + 1;
    }
    ObservedFilter &owner = s.filters[static_cast<std::size_t>(fltkd_filter_)];
    ObservedInstance in;
    in.filter = owner.name;
    in.instance_name = std::string(q[0].text);
    in.altitude = std::move(altitude);
    in.frame = frame;
    in.line = l.number;
    s.instances.push_back(std::move(in));
    owner.num_instances = owner.num_instances.value_or(0) + 1;
    if (fltkd_frame_ >= 0 && fltkd_frame_filter_ >= 0) {
      auto &ff = s.frames[static_cast<std::size_t>(fltkd_frame_)]
                     .filters[static_cast<std::size_t>(fltkd_frame_filter_)];
      ff.num_instances = ff.num_instances.value_or(0) + 1;
    }
    return i + 1;
  }
};

} // namespace

ObservedStack parse_observed(std::string_view utf8_text, const std::string &source_name) {
  return Reader(utf8_text, source_name).run();
}

} // namespace fltsim::manifest
