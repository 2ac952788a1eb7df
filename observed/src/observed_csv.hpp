#pragma once
// CSV records as PowerShell's Export-Csv writes them (quoted fields, `""` for a quote, one record
// per line). Internal to fltsim_manifest's structured readers (observed_structured.cpp,
// events_reader.cpp); not installed.
#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/io/text.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::observed::csv_detail {

/// Splits one line into fields. `ok` is false when a quoted field is not closed.
inline std::vector<std::string> split_csv_line(std::string_view line, bool &ok) {
  std::vector<std::string> out;
  ok = true;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (quoted)
    ok = false;
  out.push_back(std::move(field));
  return out;
}

/// A field that is all decimal digits, at most 9 of them (so it fits an int): its value; nullopt
/// for anything else (a sign, blanks, a fraction, an empty field).
inline std::optional<int> small_decimal(std::string_view v) {
  if (v.empty() || v.size() > 9)
    return std::nullopt;
  int x = 0;
  for (const char c : v) {
    if (c < '0' || c > '9')
      return std::nullopt;
    x = x * 10 + (c - '0');
  }
  return x;
}

using io::numbered_lines;
using io::NumberedLine;

/// A place in the text.
struct TextPos {
  int line = 1;
  int column = 1;
};

/// Where a JSON text first nests deeper than max_json_depth (`[` / `{` outside strings), if it
/// does: checked before a parser builds the nodes.
inline std::optional<TextPos> json_too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  TextPos at;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++at.line;
      at.column = 1;
      continue;
    }
    ++at.column;
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_json_depth) {
        --at.column;
        return at;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

/// A JSON error that is not a syntax error (a number out of range, `1e999`) as a diagnostic at
/// the line of the value it names.
inline sim::Diagnostic json_error(std::string_view text, const std::string &source,
                                  const std::string &code, const std::exception &e) {
  std::string what = e.what();
  int line = 0;
  const std::size_t q = what.find('\'');
  const std::size_t q2 = q == std::string::npos ? q : what.find('\'', q + 1);
  if (q2 != std::string::npos && q2 > q + 1) {
    const std::size_t at = text.find(std::string_view(what).substr(q + 1, q2 - q - 1));
    if (at != std::string_view::npos)
      line = 1 + static_cast<int>(std::count(text.begin(),
                                             text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  }
  if (const std::size_t strip = what.find("] "); strip != std::string::npos)
    what = what.substr(strip + 2);
  return sim::make_diagnostic({source, line, line > 0 ? 1 : 0}, code,
                              "the JSON export holds a value that cannot be read: " + what);
}

/// Index of `name` among `header` (ASCII case-insensitive), or -1.
inline int column_of(const std::vector<std::string> &header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string &h = header[i];
    if (h.size() != name.size())
      continue;
    bool same = true;
    for (std::size_t k = 0; k < h.size() && same; ++k) {
      char a = h[k], b = name[k];
      if (a >= 'A' && a <= 'Z')
        a = static_cast<char>(a - 'A' + 'a');
      if (b >= 'A' && b <= 'Z')
        b = static_cast<char>(b - 'A' + 'a');
      same = a == b;
    }
    if (same)
      return static_cast<int>(i);
  }
  return -1;
}

/// Line numbers of each occurrence of `"key"` followed by a colon: ConvertTo-Json writes one key
/// per line, so the n-th object's key is the n-th occurrence.
inline std::vector<int> json_key_lines(std::string_view text, std::string_view key) {
  std::vector<int> out;
  const std::string needle = "\"" + std::string(key) + "\"";
  int line = 1;
  std::size_t last = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    for (std::size_t k = last; k < at; ++k)
      line += text[k] == '\n';
    last = at;
    std::size_t k = at + needle.size();
    while (k < text.size() &&
           (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n'))
      ++k;
    if (k < text.size() && text[k] == ':')
      out.push_back(line);
  }
  return out;
}

} // namespace fltsim::observed::csv_detail
