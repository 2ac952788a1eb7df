// Readers for observed stacks: fltmc filters/instances tables and !fltkd frames/filters dumps.
// By dialect: observed_lex.hpp (shared lexing), observed_fltmc.hpp (table rows),
// observed_fltkd.hpp (quoted dumps); the writers are fltmc_writer.cpp and fltkd_writer.cpp.
//
// Tables: the dashed rule line gives the column spans. Each row is first read by position (a
// value belongs to the column it overlaps); if that does not give a well-formed row (overflowing
// values shift later fields, pasted text may have its spaces collapsed, legacy instance rows do
// not line up), it is read again from its values, right to left: Frame is a number or
// `<Legacy>`, SprtFtrs is 8 hex digits, Num Instances is a number, and so on.
#include "fltsim/observed/observed.hpp"

#include "observed_fltkd.hpp"
#include "observed_fltmc.hpp"
#include "observed_lex.hpp"
#include "observed_structured.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstddef>
#include <utility>

#include "fltsim/sim/groups.hpp"

namespace fltsim::observed {

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
  case ObservedKind::fltmc_volumes:
    return "fltmc volumes";
  case ObservedKind::ntobject_filters:
    return "Get-FilterDriver";
  case ObservedKind::ntobject_instances:
    return "Get-FilterDriverInstance";
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

using namespace observed_detail;

// ------------------------------------------------------------------------------------------------
// The reader

class Reader {
public:
  Reader(std::string_view text, std::string source)
      : source_(std::move(source)), peeled_(peel(text)), lines_(reader_lines(peeled_)) {
    out_.presentation = peeled_.notes;
    classify(lines_);
    for (const Line &l : lines_)
      if (!l.annotation.empty() && out_.notes.size() < max_notes)
        out_.notes.push_back(at(l.number) + "trailing annotation " + quote(l.annotation) +
                             " is not part of the row; ignored");
  }

  ObservedStack run() {
    std::size_t i = 0;
    while (i < lines_.size() && !over_limit_)
      i = step(i);
    if (over_limit_) { // nothing is read partially: the limit is the one thing said
      ObservedStack limited;
      limited.diagnostics.push_back(std::move(limit_));
      return limited;
    }
    close(true);
    if (out_.sections.empty())
      report_unrecognized();
    return std::move(out_);
  }

private:
  enum class Mode { none, table, skip_table, headerless, collapsed, fltkd, fltkd_ignore };

  struct Table {
    std::vector<Span> spans;
    int wrap = 0;
    bool features_seen = false;
    int rule_line = 0;
    bool pre_vista = false;
    bool added_columns = false; ///< the header has columns after Frame (an author's "Comment")
    bool count_header = false;  ///< the header names a Num Instances column
    std::size_t good = 0;
    std::vector<sim::Diagnostic> failures;
  };

  std::string source_;
  Peeled peeled_; ///< the text with its presentation taken off; lines_ point into it
  std::vector<Line> lines_;
  ObservedStack out_;
  Mode mode_ = Mode::none;
  bool open_ = false; ///< the last section is still being read
  bool blank_seen_ = false;
  Table table_;
  std::vector<std::string> pending_notes_; ///< markers seen before any section
  std::string filter_;                     ///< "line N: `fltmc | findstr X`" while it applies
  std::vector<std::pair<int, std::string>> errors_seen_; ///< error lines outside any listing
  HeaderKind collapsed_;         ///< Mode::collapsed: the kind the header gave
  bool minifilter_seen_ = false; ///< Mode::collapsed: a minifilter row was read
  bool decimal_comma_noted_ = false;
  std::size_t rows_ = 0; ///< rows and FLT_ lines read, against max_capture_rows
  bool over_limit_ = false;
  sim::Diagnostic limit_;

  /// Counts one row; past max_capture_rows the reading stops with a `limit` diagnostic here.
  bool count_row(int line) {
    if (++rows_ <= max_capture_rows)
      return true;
    over_limit_ = true;
    limit_ = make_diagnostic(line, 1, "limit",
                             "the capture has more than " + std::to_string(max_capture_rows) +
                                 " rows, the capture row limit");
    return false;
  }
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

  /// `column` counts from the start of the line as read, after its presentation was peeled off;
  /// it is mapped back so that it points into the file.
  sim::Diagnostic make_diagnostic(int line, int column, std::string code,
                                  std::string message) const {
    if (column > 0) {
      const auto it = std::lower_bound(lines_.begin(), lines_.end(), line,
                                       [](const Line &l, int n) { return l.number < n; });
      if (it != lines_.end() && it->number == line && it->src)
        column = file_column(*it->src, column - 1) + 1;
    }
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
    if (!filter_.empty()) {
      s.truncated = true;
      s.notes.push_back(filter_ + ": the listing was filtered; rows that did not match are "
                                  "missing");
    }
    minifilter_seen_ = false;
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
      const std::size_t rows = table_.failures.size();
      out_.sections.pop_back();
      open_ = false;
      diagnose(line, 0, "observed-unrecognized",
               "the table at line " + std::to_string(table_.rule_line) +
                   " has the column count of an fltmc listing but none of its rows fits (" +
                   (rows == 1
                        ? "its row is reported at line " +
                              std::to_string(table_.failures.front().location.line)
                        : "each of its " + std::to_string(rows) + " rows is reported at its line") +
                   ")");
      // Each row that did not fit is reported at its line: nothing goes unreported.
      for (auto &d : table_.failures)
        push_diagnostic(out_.diagnostics, std::move(d));
      table_.failures.clear();
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
    if (!errors_seen_.empty()) {
      const auto &[line, first] = errors_seen_.front();
      diagnose(line, 0, "observed-partial",
               "no listing: " + first + " (the command failed; the filters are missing)");
      return;
    }
    // A listing commented out line by line (`# Filter Name ...` in a script or a note): `#` lines
    // are comments in a console or script paste and are never read as rows, but the error
    // points at the header, not at the first line.
    for (const auto &l : lines_) {
      if (l.cls != LineClass::comment)
        continue;
      std::string_view t = trim(l.text);
      while (!t.empty() && t.front() == '#')
        t.remove_prefix(1);
      if (header_kind(trim(t))) {
        diagnose(l.number, 0, "observed-unrecognized",
                 "no fltmc or !fltkd listing outside comments: this line holds an fltmc header "
                 "behind `#`, and `#` lines are comments, never read as rows; take the `#` "
                 "markers off the listing to import it");
        return;
      }
    }
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

  // A line of its own class is consumed here (a rule or a !fltkd line may take more lines with
  // it); any other line belongs to the listing being read (other_line).
  std::size_t step(std::size_t i) {
    const Line &l = lines_[i];
    switch (l.cls) {
    case LineClass::rule:
      return rule(i);
    case LineClass::fltkd:
      return fltkd_line(i);
    case LineClass::other:
      return other_line(i);
    case LineClass::blank:
      if (mode_ == Mode::skip_table)
        mode_ = Mode::none;
      blank_seen_ = true;
      break;
    case LineClass::comment:
    case LineClass::rule_cont:
      break;
    case LineClass::short_rule:
      if (mode_ == Mode::table || mode_ == Mode::headerless)
        close(false);
      break;
    case LineClass::marker:
      marker(l);
      break;
    case LineClass::error:
      error_line(l);
      break;
    case LineClass::command:
      close(false);
      command_line(l);
      break;
    case LineClass::header:
      close(false);
      break;
    }
    return i + 1;
  }

  std::size_t other_line(std::size_t i) {
    const Line &l = lines_[i];
    switch (mode_) {
    case Mode::table:
      return table_line(i);
    case Mode::headerless:
      return headerless_line(i);
    case Mode::collapsed:
      return collapsed_line(i);
    case Mode::skip_table:
      return i + 1;
    case Mode::fltkd:
    case Mode::fltkd_ignore:
    case Mode::none:
      break;
    }
    if (mode_ != Mode::none)
      close(false);
    if (std::any_of(std::begin(fltkd_prefixes), std::end(fltkd_prefixes),
                    [&](std::string_view p) { return icontains(l.text, p); })) {
      diagnose(l.number, 1, "observed-row",
               "a !fltkd line with text before its keyword: " + quote(l.text));
      return i + 1;
    }
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

  /// A command line: `fltmc filters | findstr wd` and the like filter the listing that follows.
  void command_line(const Line &l) {
    filter_.clear();
    const std::string_view t = trim(l.text);
    const std::size_t bar = t.find('|');
    if (bar == std::string_view::npos)
      return;
    std::string_view rest = trim(t.substr(bar + 1));
    const auto words = tokenize(rest);
    if (words.empty())
      return;
    const std::string_view w = rest.substr(words[0].begin, words[0].end - words[0].begin);
    for (std::string_view f :
         {"findstr", "find", "select-string", "sls", "grep", "egrep", "rg", "where", "where-object",
          "?", "select", "select-object", "head", "tail", "findstr.exe", "find.exe"})
      if (iequals(w, f)) {
        filter_ = at(l.number) + quote(t);
        return;
      }
  }

  void error_line(const Line &l) {
    const std::string text =
        at(l.number) + "an error is printed instead of (more) rows: " + quote(l.text);
    if (open_) {
      truncate(section(), text);
      return;
    }
    if (errors_seen_.size() < max_notes)
      errors_seen_.emplace_back(l.number, text);
    if (out_.notes.size() < max_notes)
      out_.notes.push_back(text);
  }

  // --- tables

  /// The next line after `i` that is not blank, a comment or a shortened rule.
  std::size_t next_content(std::size_t i) const {
    while (i < lines_.size() &&
           (lines_[i].cls == LineClass::blank || lines_[i].cls == LineClass::comment ||
            lines_[i].cls == LineClass::short_rule))
      ++i;
    return i;
  }

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
    std::optional<HeaderKind> hk;
    if (r >= 1 && lines_[r - 1].cls == LineClass::header)
      hk = header_kind(lines_[r - 1].text);
    const std::size_t first_row = next_content(next);
    const bool row_follows = first_row < lines_.size() && lines_[first_row].cls == LineClass::other;
    bool pre_vista = false;
    bool volumes = false;
    if (m == 3) {
      pre_vista = (hk && hk->kind == ObservedKind::fltmc_filters) ||
                  (row_follows && filters_pre_vista(single_row(lines_[first_row]),
                                                    tokenize(lines_[first_row].text))
                                          .status == RowStatus::ok);
    } else if (m == 4) {
      volumes =
          (hk && hk->kind == ObservedKind::fltmc_volumes) ||
          (!hk && row_follows &&
           volume_row(single_row(lines_[first_row]), tokenize(lines_[first_row].text)).status ==
               RowStatus::ok &&
           filters_by_value(single_row(lines_[first_row]), tokenize(lines_[first_row].text), false)
                   .status != RowStatus::ok);
    }
    if (pre_vista || volumes) {
      open(volumes ? ObservedKind::fltmc_volumes : ObservedKind::fltmc_filters, first_line);
      mode_ = Mode::table;
      table_ = Table{};
      table_.rule_line = l.number;
      table_.pre_vista = pre_vista;
      for (const auto &t : runs)
        table_.spans.push_back({t.col, t.end_col});
      if (pre_vista) {
        section().pre_vista = true;
        note(section(), at(l.number) + "pre-Vista layout: no Altitude column");
      }
      return next;
    }
    // A `fltmc filters` header with columns after Frame (an author's "Comment", a company),
    // with rule segments of their own or not: the first four columns are fltmc's, the others
    // hold the author's text. The header words over the first four columns decide (the added
    // ones may hold anything, commas too); an `fltmc instances` header never does.
    std::size_t extra = 0; // rule segments after Frame
    std::string added;     // header words after Frame
    if (m >= 4 && r >= 1 && lines_[r - 1].cls == LineClass::header &&
        !(hk && hk->kind != ObservedKind::fltmc_filters)) {
      const Line &h = lines_[r - 1];
      std::string_view fltmc_part = h.text;
      for (const Token &t : tokenize(h.text))
        if (t.col >= runs[3].end_col) {
          if (added.empty())
            fltmc_part = h.text.substr(0, t.begin);
          added +=
              (added.empty() ? "" : " ") + std::string(h.text.substr(t.begin, t.end - t.begin));
        }
      const std::optional<HeaderKind> own = header_kind(fltmc_part);
      if (own && own->kind == ObservedKind::fltmc_filters && !own->pre_vista)
        extra = m - 4;
      else
        added.clear();
    }
    if (extra == 0 && (m < 4 || m > max_table_columns)) {
      diagnose(l.number, 1, "observed-unrecognized",
               "the table with " + std::to_string(m) +
                   " columns is neither `fltmc filters` (4 columns) nor `fltmc instances` (5-" +
                   std::to_string(max_table_columns) + " columns); skipped");
      mode_ = Mode::skip_table;
      return next;
    }
    open(m == 4 || extra > 0 ? ObservedKind::fltmc_filters : ObservedKind::fltmc_instances,
         first_line);
    mode_ = Mode::table;
    table_ = Table{};
    table_.wrap = wrapped ? l.wrap : 0;
    table_.rule_line = l.number;
    table_.added_columns = !added.empty() || extra > 0;
    table_.count_header =
        r >= 1 && lines_[r - 1].cls == LineClass::header && names_count_column(lines_[r - 1].text);
    for (std::size_t k = 0; k < m - extra; ++k)
      table_.spans.push_back({runs[k].col, runs[k].end_col});
    if (table_.added_columns)
      note(section(), at(lines_[r - 1].number) + "the header has column(s) after Frame (" +
                          quote(added) +
                          "), not printed by fltmc: the author's text there is not part of the "
                          "rows; read as `fltmc filters`");
    if (wrapped)
      note(section(), at(l.number) + "the table was wrapped at " + std::to_string(l.wrap) +
                          " columns; wrapped lines are joined");
    return next;
  }

  bool features_expected() const { return table_.spans.size() >= 7 || table_.features_seen; }

  Parsed parse_table_row(const Row &row) const {
    const auto toks = tokenize(row.text);
    if (section().kind == ObservedKind::fltmc_volumes)
      return volume_row(row, toks);
    if (table_.pre_vista)
      return filters_pre_vista(row, toks);
    const bool filters = section().kind == ObservedKind::fltmc_filters;
    Parsed pos = filters ? filters_by_position(row, toks, table_.spans, table_.added_columns)
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
    if (is_prose(i)) // page text right under the table (a web page's "Add Comment")
      return end_at_prose(i);
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
      diagnose(lines_[i].number, 1, "observed-row",
               "the line right under the table is not a row (a cut or garbled row? a blank line "
               "ends a table): " +
                   quote(lines_[i].text));
    return after;
  }

  void check_altitude(const Row &row, const Parsed &p, std::optional<sim::Altitude> &out) {
    if (p.altitude_text.empty())
      return;
    sim::Diagnostic error;
    out = sim::Altitude::parse(p.altitude_text, &error);
    if (const std::string point = decimal_comma(p.altitude_text); !out && !point.empty()) {
      out = sim::Altitude::parse(point);
      if (out && !decimal_comma_noted_) {
        decimal_comma_noted_ = true;
        note(section(), at(row.line) + "altitude " + quote(p.altitude_text) +
                            " has a decimal comma (a localised page); read as " + point);
      }
    }
    if (!out) {
      const auto [line, col] = locate(row, p.altitude_col);
      diagnose(line, col, "observed-altitude", error.message);
    }
  }

  void emit_table_row(const Row &row, Parsed p) {
    ++table_.good;
    if (!p.instance.supported_features.empty())
      table_.features_seen = true;
    emit_row(row, std::move(p));
  }

  void emit_row(const Row &row, Parsed p) {
    if (!count_row(row.line))
      return;
    ObservedSection &s = section();
    if (s.kind == ObservedKind::fltmc_instances && count_as_altitude(row, p))
      return;
    if (!p.trailing.empty() && !(mode_ == Mode::table && table_.added_columns) &&
        !(mode_ == Mode::collapsed && collapsed_.added_columns))
      note(s, at(row.line) + "text after the Frame column " + quote(p.trailing) +
                  " is a remark, not part of the row; ignored");
    if (p.legacy_inferred)
      note(s, at(row.line) + "`" + p.filter.name +
                  " altitude` without a Frame value: read as a legacy filter (its <Legacy> cell "
                  "was lost in the paste)");
    if (s.kind == ObservedKind::fltmc_volumes) {
      s.volumes.push_back(std::move(p.volume));
    } else if (s.kind == ObservedKind::fltmc_filters) {
      check_altitude(row, p, p.filter.altitude);
      if (!p.filter.legacy)
        minifilter_seen_ = true;
      s.filters.push_back(std::move(p.filter));
    } else {
      check_altitude(row, p, p.instance.altitude);
      s.instances.push_back(std::move(p.instance));
    }
  }

  /// An `fltmc instances` row whose Altitude holds a small whole number (an instance count?)
  /// while the header names a Num Instances column or its Instance Name is itself a number: the
  /// rows are those of `fltmc filters` with columns added after Frame, and read as instances they
  /// would give a wrong stack (a filter at altitude 1). Reported at the value, not read.
  bool count_as_altitude(const Row &row, const Parsed &p) {
    const std::string_view alt = p.altitude_text;
    if (p.instance.legacy || !is_int(alt) || to_int(alt) >= 1000)
      return false;
    const std::string &name = p.instance.instance_name;
    const bool numeric_name = !name.empty() && starts_numeric(name) && is_altitude(name);
    const bool count_header =
        (mode_ == Mode::table && table_.count_header) ||
        (mode_ == Mode::collapsed && section().line > 0 && header_names_count(section().line));
    if (!numeric_name && !count_header)
      return false;
    const auto [line, col] = locate(row, p.altitude_col);
    diagnose(line, col, "observed-row",
             "read as `fltmc instances`, filter " + quote(p.instance.filter) +
                 " would have altitude " + quote(alt) +
                 (numeric_name ? " and instance name " + quote(name) : std::string()) +
                 ", which look like `fltmc filters` values (an instance count, an altitude" +
                 (count_header ? "; the header names Num Instances" : "") +
                 "): are there columns after Frame? The row is not read");
    return true;
  }

  /// Whether the line numbered `number` names a Num Instances column.
  bool header_names_count(int number) const {
    const auto it = std::lower_bound(lines_.begin(), lines_.end(), number,
                                     [](const Line &l, int n) { return l.number < n; });
    return it != lines_.end() && it->number == number && names_count_column(it->text);
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

  /// A line outside any listing: a header whose rule was lost starts a collapsed listing; a
  /// well-formed row starts a header-less one.
  std::size_t loose_line(std::size_t i) {
    if (const auto hk = header_kind(lines_[i].text)) {
      std::size_t j = next_content(i + 1);
      // Lone names (legacy rows that lost every cell but the name) do not decide the layout.
      while (hk->kind == ObservedKind::fltmc_filters && j < lines_.size() &&
             lines_[j].cls == LineClass::other && tokenize(lines_[j].text).size() == 1)
        j = next_content(j + 1);
      // The header words decide; what follows is read as rows (or reported line by line).
      const bool ends = j >= lines_.size() || lines_[j].cls == LineClass::marker ||
                        lines_[j].cls == LineClass::error;
      if (ends || lines_[j].cls == LineClass::other) {
        open(hk->kind, lines_[i].number);
        mode_ = Mode::collapsed;
        collapsed_ = *hk;
        section().pre_vista = hk->pre_vista;
        note(section(), at(lines_[i].number) +
                            "header without its dashed rule (the paste lost the column "
                            "alignment); rows are read from their values");
        if (hk->added_columns)
          note(section(), at(lines_[i].number) +
                              "the header has column(s) after Frame, not printed by fltmc: the "
                              "author's text there is not part of the rows");
        return i + 1;
      }
    }
    const Row row = single_row(lines_[i]);
    Parsed p = parse_headerless(row, std::nullopt);
    if (p.status != RowStatus::ok) {
      if (looks_like_row(i))
        diagnose(lines_[i].number, 1, "observed-row",
                 std::string(filter_.empty() ? "a line that looks like an fltmc row"
                                             : "a line under a filtered fltmc command") +
                     " fits no layout (" + p.why + "): " + quote(lines_[i].text));
      return i + 1;
    }
    const bool instances = !p.instance.filter.empty();
    open(instances ? ObservedKind::fltmc_instances : ObservedKind::fltmc_filters, row.line);
    mode_ = Mode::headerless;
    truncate(section(), at(row.line) +
                            "rows without a column header above them: the start of the listing "
                            "is missing (cut, or filtered by a command such as findstr)");
    emit_headerless(row, std::move(p));
    return i + 1;
  }

  /// Text that no row becomes, right under a table: words without a digit (a page's "Add
  /// Comment", "Please, Sign In to add comment"), or a lone word followed by such text. A value a
  /// row holds (a number, a volume `C:` or `\Device\...`) makes it a damaged row instead.
  bool is_prose(std::size_t i) const {
    const std::string_view t = trim(lines_[i].text);
    if (t.empty() || lines_[i].cls != LineClass::other)
      return false;
    // Columns (a run of blanks, a tab) or digits: a row, perhaps cut or garbled, not prose.
    if (t.find("  ") != std::string_view::npos || t.find('\t') != std::string_view::npos)
      return false;
    for (const char c : t)
      if (c >= '0' && c <= '9')
        return false;
    const auto toks = tokenize(t);
    if (!toks.empty() && names_a_row(t.substr(toks[0].begin, toks[0].end - toks[0].begin)))
      return false;
    for (const Token &k : toks) {
      const std::string_view w = t.substr(k.begin, k.end - k.begin);
      if (w[0] == '\\' || (w.size() == 2 && w[1] == ':') || is_legacy(w))
        return false;
    }
    if (toks.size() >= 2)
      return !looks_like_prompt(t);
    // A lone word is prose only right above more prose ("Advertisement" over "Add Comment");
    // above a blank line, a fence, a prompt or nothing it is a row cut after its name, reported,
    // never dropped.
    const std::size_t j = i + 1;
    return j < lines_.size() && lines_[j].cls == LineClass::other &&
           tokenize(lines_[j].text).size() >= 2 && is_prose(j);
  }

  /// "PS C:\>", "C:\Windows\system32>": a console prompt, not page text.
  static bool looks_like_prompt(std::string_view t) {
    return t.find(":\\") != std::string_view::npos || (!t.empty() && t.back() == '>');
  }

  /// Whether `w` is the filter name of a row already read in the current table (a cut row
  /// starts with one).
  bool names_a_row(std::string_view w) const {
    const ObservedSection &s = section();
    for (const ObservedFilter &f : s.filters)
      if (sim::iequals(f.name, w))
        return true;
    for (const ObservedInstance &x : s.instances)
      if (sim::iequals(x.filter, w))
        return true;
    return false;
  }

  /// The table ends at page text: said in a note, the text is left to the loose-line reader.
  std::size_t end_at_prose(std::size_t i) {
    note(section(), at(lines_[i].number) +
                        "the listing ends at text that is no row: " + quote(lines_[i].text));
    close(false);
    return loose_line(i);
  }

  /// A loose line that is probably a damaged row: under a filtered command, a name followed by
  /// two or more values fltmc prints (numbers, SprtFtrs, `<Legacy>`), or a name or two right
  /// above a well-formed row.
  bool looks_like_row(std::size_t i) const {
    const std::string_view text = lines_[i].text;
    const auto toks = tokenize(text);
    if (toks.empty())
      return false;
    const std::string_view first = text.substr(toks[0].begin, toks[0].end - toks[0].begin);
    if (!is_name_like(first))
      return false;
    // Digits alone name no filter (none of the allocated-altitude list's drivers,
    // data/allocated-altitudes.csv): a date or an amount in page text ("2015 年 12 月 29 日").
    if (std::all_of(first.begin(), first.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    // A sentence or a page's table (`text 1.14 KB | None | 0 0`, `Jul 12th, 2025`, a translated
    // page's "Windows 10，版本 1607 中，") is no row: fltmc prints no comma in any language.
    if (text.find('|') != std::string_view::npos || text.find(", ") != std::string_view::npos ||
        has_cjk_sentence_punctuation(text))
      return false;
    if (!filter_.empty())
      return true;
    std::size_t before = i;
    while (before > 0 && (lines_[before - 1].cls == LineClass::blank ||
                          lines_[before - 1].cls == LineClass::comment))
      --before;
    if (before > 0 && (lines_[before - 1].cls == LineClass::marker ||
                       lines_[before - 1].cls == LineClass::command))
      return true; // right under an elision or an fltmc command: a row, however damaged
    int values = 0;
    for (std::size_t k = 1; k < toks.size(); ++k) {
      const std::string_view v = text.substr(toks[k].begin, toks[k].end - toks[k].begin);
      values += starts_numeric(v) || is_hex8(v) || is_legacy(v);
    }
    if (values >= 2)
      return true;
    return toks.size() <= 2 && i + 1 < lines_.size() && lines_[i + 1].cls == LineClass::other &&
           parse_headerless(single_row(lines_[i + 1]), std::nullopt).status == RowStatus::ok;
  }

  // --- tables without their rule (collapsed spaces, shortened or lost dashes)

  static Parsed parse_collapsed(const Row &row, const HeaderKind &hk) {
    const auto toks = tokenize(row.text);
    switch (hk.kind) {
    case ObservedKind::fltmc_volumes:
      return volume_row(row, toks);
    case ObservedKind::fltmc_instances:
      return instances_by_value(row, toks, false, false);
    default:
      return hk.pre_vista ? filters_pre_vista(row, toks)
                          : filters_by_value(row, toks, false, hk.added_columns);
    }
  }

  std::size_t collapsed_line(std::size_t i) {
    const Row row = single_row(lines_[i]);
    Parsed p = parse_collapsed(row, collapsed_);
    const auto toks = tokenize(row.text);
    // A lone name in a filters listing before any minifilter row: a legacy filter whose empty
    // altitude and <Legacy> cell were both lost.
    if (p.status != RowStatus::ok && collapsed_.kind == ObservedKind::fltmc_filters &&
        !collapsed_.pre_vista && toks.size() == 1 && !minifilter_seen_ &&
        is_name_like(lines_[i].text.substr(toks[0].begin, toks[0].end - toks[0].begin)) &&
        !ends_here(i + 1)) {
      p.status = RowStatus::ok;
      p.filter = {};
      p.filter.name = std::string(token_text(row, toks[0]));
      p.filter.legacy = true;
      p.filter.line = row.line;
      note(section(), at(row.line) + "a name alone: read as a legacy filter without altitude (its "
                                     "<Legacy> cell was lost in the paste)");
    }
    if (p.status == RowStatus::ok) {
      blank_seen_ = false;
      emit_row(row, std::move(p));
      return i + 1;
    }
    const std::size_t nx = next_content(i + 1);
    if (const auto next = unread_row(i, row, p, [&] {
          return nx < lines_.size() && lines_[nx].cls == LineClass::other &&
                 parse_collapsed(single_row(lines_[nx]), collapsed_).status == RowStatus::ok;
        }))
      return *next;
    const std::string what = std::string(p.why) + ": " + quote(lines_[i].text);
    if (is_prose(i))
      return end_at_prose(i);
    if (ends_here(i + 1)) {
      truncate(section(), at(row.line) + "the last row is cut off (" + what + ")");
      return i + 1;
    }
    const std::size_t count = out_.sections.size();
    close(false);
    const std::size_t after = loose_line(i);
    if (out_.sections.size() == count)
      diagnose(lines_[i].number, 1, "observed-row",
               "the line right under the table is not a row (a cut or garbled row? a blank line "
               "ends a table): " +
                   quote(lines_[i].text));
    return after;
  }

  // A row of either layout that did not read. After a blank line it starts whatever comes next;
  // when the next row reads (`next_is_row()`, asked only then), it is one garbled row, reported,
  // and the listing goes on. Otherwise nullopt: the caller tells prose, a cut-off last row and the
  // end of the listing apart, which differ between the layouts.
  template <class NextIsRow>
  std::optional<std::size_t> unread_row(std::size_t i, const Row &row, const Parsed &p,
                                        NextIsRow &&next_is_row) {
    if (blank_seen_) {
      close(false);
      return loose_line(i);
    }
    if (!next_is_row())
      return std::nullopt;
    diagnose(row.line, 1, "observed-row",
             "row does not fit the " + std::string(to_string(section().kind)) +
                 " columns: " + std::string(p.why) + ": " + quote(lines_[i].text));
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
    if (const auto next = unread_row(i, row, p, [&] {
          return i + 1 < lines_.size() && lines_[i + 1].cls == LineClass::other &&
                 parse_headerless(single_row(lines_[i + 1]), kind).status == RowStatus::ok;
        }))
      return *next;
    const std::string what = std::string(p.why) + ": " + quote(lines_[i].text);
    if (ends_here(i + 1)) {
      truncate(section(), at(row.line) + "the last row is cut off (" + what + ")");
      return i + 1;
    }
    diagnose(row.line, 1, "observed-row",
             "the line right under the rows is not a row (a cut or garbled row? a blank line "
             "ends a listing): " +
                 quote(lines_[i].text));
    close(false);
    return i + 1;
  }

  void emit_headerless(const Row &row, Parsed p) { emit_row(row, std::move(p)); }

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
        sim::Diagnostic error;
        f.low = sim::Altitude::parse(trim(range.substr(0, to)), &error);
        if (!f.low)
          diagnose(l.number, q[1].col + 2, "observed-altitude", "frame low end: " + error.message);
        f.high = sim::Altitude::parse(trim(range.substr(to + 4)), &error);
        if (!f.high)
          diagnose(l.number, q[1].col + 2, "observed-altitude", "frame high end: " + error.message);
      }
      section().frames.push_back(std::move(f));
      fltkd_frame_ = static_cast<long>(section().frames.size()) - 1;
      fltkd_filter_ = fltkd_frame_filter_ = -1;
      return i + 1;
    }
    const bool filter_line = istarts_with(t, "FLT_FILTER:");
    if (!count_row(l.number))
      return i + 1;
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
    sim::Diagnostic error;
    std::optional<sim::Altitude> altitude = sim::Altitude::parse(q[1].text, &error);
    if (!altitude)
      diagnose(l.number, q[1].col + 2, "observed-altitude", error.message);
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
  if (auto structured = observed_detail::parse_structured(utf8_text, source_name))
    return std::move(*structured);
  return Reader(utf8_text, source_name).run();
}

} // namespace fltsim::observed
