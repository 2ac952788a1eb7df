#pragma once
// `fltmc filters` and `fltmc instances` tables: reading a row by column position, then by value.
// Internal to fltsim_manifest's observed-stack reader (observed.cpp); not installed.

#include "observed_lex.hpp"

namespace fltsim::observed::observed_detail {

// ------------------------------------------------------------------------------------------------
// Row parsers

enum class RowStatus { ok, incomplete, malformed };

struct Parsed {
  RowStatus status = RowStatus::malformed;
  bool row_like = false; ///< lines up with the columns and starts with one name: a row, if broken
  const char *why = "";  ///< why the row is not ok
  ObservedFilter filter;
  ObservedInstance instance;
  ObservedVolume volume;
  bool legacy_inferred = false; ///< `name altitude` read as a legacy row whose `<Legacy>` was lost
  std::string altitude_text;    ///< checked by the caller, which reports bad text with its column
  int altitude_col = 0;
  std::string trailing; ///< words after the Frame column (an author's remark): not part of the row
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
inline Cells assign_columns(const std::vector<Token> &toks, const std::vector<Span> &spans) {
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

inline std::string_view token_text(const Row &row, const Token &t) {
  return std::string_view(row.text).substr(t.begin, t.end - t.begin);
}

/// Text from token `first` to token `last` inclusive (internal spacing kept); empty if first >
/// last.
inline std::string token_range(const Row &row, const std::vector<Token> &toks, std::size_t first,
                               std::size_t last) {
  if (first > last || last >= toks.size())
    return {};
  return row.text.substr(toks[first].begin, toks[last].end - toks[first].begin);
}

inline std::string cell_text(const Row &row, const std::vector<Token> &toks,
                             const std::vector<std::size_t> &cell) {
  if (cell.empty())
    return {};
  return token_range(row, toks, cell.front(), cell.back());
}

inline Parsed malformed(Parsed &p, const char *why) {
  p.status = RowStatus::malformed;
  p.why = why;
  return std::move(p);
}

inline Parsed incomplete(Parsed &p, const char *why) {
  p.status = RowStatus::incomplete;
  p.why = why;
  return std::move(p);
}

// fltmc filters: Filter Name | Num Instances | Altitude | Frame

/// `extra_columns`: the header has columns after Frame (an author's "Comment"): whatever is
/// right of the Frame column is their text.
inline Parsed filters_by_position(const Row &row, const std::vector<Token> &toks,
                                  const std::vector<Span> &spans, bool extra_columns = false) {
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
  if (!c.cells[4].empty() && extra_columns && c.cells[4].front() > 0) {
    p.trailing = cell_text(row, toks, c.cells[4]);
  } else if (!c.cells[4].empty()) {
    // Words set off by blanks after the Frame column are a remark the author appended (the
    // company of each filter, "not relevant"); values there (numbers, signs) are a damaged row.
    const Token &first = toks[c.cells[4].front()];
    const auto lead = static_cast<unsigned char>(row.text[first.begin]);
    const bool word = std::isalpha(lead) != 0 || lead >= 0x80;
    const std::size_t before = c.cells[4].front() - 1;
    if (!word || c.cells[4].front() == 0 || first.col - toks[before].end_col < 2)
      return malformed(p, "there is text after the Frame column");
    p.trailing = cell_text(row, toks, c.cells[4]);
  }
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

/// `name count altitude frame TEXT...`: the four values of a whole row, and what follows them
/// kept as the row's trailing text (a remark, or the cells of columns added after Frame). Returns
/// where the name ends (exclusive): one token.
inline std::size_t whole_row_then_text(const Row &row, const std::vector<Token> &toks, Parsed &p) {
  p.filter.frame = to_int(token_text(row, toks[3]));
  p.filter.num_instances = to_int(token_text(row, toks[1]));
  p.altitude_text = std::string(token_text(row, toks[2]));
  p.altitude_col = toks[2].col;
  p.trailing = token_range(row, toks, 4, toks.size() - 1);
  return 1;
}

/// `strict`: a row without a header must be exactly `name count altitude frame` or
/// `name [altitude] <Legacy>`, with a service-like name set off by two or more blanks.
/// `added_columns`: the header names columns after Frame; what follows `name count altitude
/// frame` is their text, whatever it holds.
inline Parsed filters_by_value(const Row &row, const std::vector<Token> &toks, bool strict,
                               bool added_columns = false) {
  Parsed p;
  const std::size_t n = toks.size();
  if (n == 0)
    return malformed(p, "the row is empty");
  const std::string_view last = token_text(row, toks[n - 1]);
  p.filter.line = row.line;
  std::size_t name_end = 0; // exclusive
  if (added_columns && n >= 5 && is_int(token_text(row, toks[1])) &&
      is_altitude(token_text(row, toks[2])) && is_int(token_text(row, toks[3]))) {
    name_end = whole_row_then_text(row, toks, p);
  } else if (is_legacy(last)) {
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
  } else if (!strict && n >= 5 && is_int(token_text(row, toks[1])) &&
             is_altitude(token_text(row, toks[2])) && is_int(token_text(row, toks[3])) &&
             (std::isalpha(static_cast<unsigned char>(token_text(row, toks[4])[0])) != 0 ||
              static_cast<unsigned char>(token_text(row, toks[4])[0]) >= 0x80)) {
    // `name count altitude frame Some remark`: words after a whole row are a remark.
    name_end = whole_row_then_text(row, toks, p);
  } else if (!strict && n == 2 && is_altitude(last) && !is_int(last)) {
    // `name 389998.99`: a legacy row whose `<Legacy>` cell was stripped as HTML.
    p.filter.legacy = true;
    p.legacy_inferred = true;
    p.altitude_text = std::string(last);
    p.altitude_col = toks[1].col;
    name_end = 1;
  } else {
    if (n <= 3)
      return incomplete(p, "the row stops before the Frame value");
    return malformed(p, "the last value is neither a frame number nor <Legacy>");
  }
  // Service names have no blanks: more than one value before the numbers is not a row.
  if (name_end != 1)
    return malformed(p, "more than one value before the numbers (a filter name has no blanks)");
  // Without a header, accept only what fltmc prints: one name, two or more blanks, the values.
  if (strict && (name_end != 1 || !is_name_like(token_text(row, toks[0])) ||
                 toks[1].col - toks[0].end_col < 2 ||
                 (!p.altitude_text.empty() && !is_altitude(p.altitude_text))))
    return malformed(p, "not a filter row");
  p.filter.name = token_range(row, toks, 0, name_end - 1);
  p.status = RowStatus::ok;
  return p;
}

/// Pre-Vista `fltmc filters`: Filter Name | Num Instances | Frame (no Altitude column).
/// Alike the reader above on purpose, not merged into it: without an Altitude column the value
/// before Frame is the instance count, where above it is the altitude, and a row of two numbers
/// means something else in each layout; one reader with a flag would blur that distinction.
inline Parsed filters_pre_vista(const Row &row, const std::vector<Token> &toks) {
  Parsed p;
  const std::size_t n = toks.size();
  if (n == 0)
    return malformed(p, "the row is empty");
  p.filter.line = row.line;
  p.row_like = true;
  const std::string_view last = token_text(row, toks[n - 1]);
  std::size_t name_end = 0;
  if (is_legacy(last)) {
    if (n == 1)
      return malformed(p, "the row has no filter name");
    p.filter.legacy = true;
    name_end = n - 1;
  } else if (is_int(last)) {
    if (n < 3)
      return incomplete(p, "the row has fewer than 3 values");
    if (!is_int(token_text(row, toks[n - 2])))
      return malformed(p, "Num Instances is not a number");
    p.filter.frame = to_int(last);
    p.filter.num_instances = to_int(token_text(row, toks[n - 2]));
    name_end = n - 2;
  } else {
    if (n <= 2)
      return incomplete(p, "the row stops before the Frame value");
    return malformed(p, "the last value is neither a frame number nor <Legacy>");
  }
  p.filter.name = token_range(row, toks, 0, name_end - 1);
  p.status = RowStatus::ok;
  return p;
}

/// `fltmc volumes`: Dos Name | Volume Name | FileSystem | Status. The volume name is the value
/// that starts with a backslash; what is before it is the DOS name, what follows the file
/// system and the status.
inline Parsed volume_row(const Row &row, const std::vector<Token> &toks) {
  Parsed p;
  const std::size_t n = toks.size();
  if (n == 0)
    return malformed(p, "the row is empty");
  p.volume.line = row.line;
  std::size_t v = n;
  for (std::size_t i = 0; i < n && v == n; ++i)
    if (token_text(row, toks[i]).substr(0, 1) == "\\")
      v = i;
  if (v == n) {
    p.row_like = n == 1;
    if (n == 1)
      return incomplete(p, "the row stops before the Volume Name");
    return malformed(p, "the row has no volume name (\\Device\\...)");
  }
  p.row_like = true;
  p.volume.dos_name = v > 0 ? token_range(row, toks, 0, v - 1) : "";
  p.volume.volume = std::string(token_text(row, toks[v]));
  if (v + 1 < n)
    p.volume.file_system = std::string(token_text(row, toks[v + 1]));
  if (v + 2 < n)
    p.volume.status = token_range(row, toks, v + 2, n - 1);
  p.status = RowStatus::ok;
  return p;
}

// fltmc instances: Filter | Volume Name | Altitude | Instance Name | Frame | SprtFtrs | VlStatus

inline void set_tail(Parsed &p, const Row &row, const std::vector<Token> &toks,
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

inline Parsed finish_instance(Parsed &p, bool features_expected) {
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

inline Parsed instances_by_position(const Row &row, const std::vector<Token> &toks,
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

inline Parsed instances_by_value(const Row &row, const std::vector<Token> &toks,
                                 bool features_expected, bool strict) {
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

} // namespace fltsim::observed::observed_detail
