#pragma once
// Shared by both dialects: characters, columns, tokens, lines and their classification, rows.
// Internal to fltsim_manifest's observed-stack reader (observed.cpp); not installed.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fltsim/observed/observed.hpp"
#include "fltsim/sim/groups.hpp"
#include "observed_present.hpp"

namespace fltsim::observed::observed_detail {

inline constexpr int max_column = 1 << 28;
inline constexpr std::size_t max_diagnostics = 100;
inline constexpr std::size_t max_notes = 100;
inline constexpr std::size_t max_quoted = 100; ///< characters of a line quoted in a message
inline constexpr std::size_t max_table_columns = 8;

// ------------------------------------------------------------------------------------------------
// Characters, columns, tokens

/// Byte length of the whitespace character at s[i] (space, tab, FF, VT, CR, U+00A0), or 0.
inline std::size_t space_length(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r')
    return 1;
  if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0')
    return 2;
  return 0;
}

inline bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0u) == 0x80u;
}

/// Columns count characters (UTF-8 code points); tabs go to the next multiple of 8.
inline int advance_column(int col, char c) {
  if (col >= max_column)
    return col;
  if (c == '\t')
    return (col / 8 + 1) * 8;
  return is_continuation_byte(c) ? col : col + 1;
}

inline int column_count(std::string_view s) {
  int col = 0;
  for (const char c : s)
    col = advance_column(col, c);
  return col;
}

inline std::string_view trim(std::string_view s) {
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

inline bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

inline bool icontains(std::string_view s, std::string_view what) {
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

inline std::vector<Token> tokenize(std::string_view s) {
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
inline std::string quote(std::string_view s) {
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

inline bool is_int(std::string_view s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

inline int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

inline bool is_legacy(std::string_view s) {
  return iequals(s, "<Legacy>");
}
inline bool is_frame_like(std::string_view s) {
  return is_int(s) || is_legacy(s);
}

inline bool is_hex8(std::string_view s) {
  return s.size() == 8 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

/// `41001,03`: an altitude printed with a decimal comma (a localised page or a translation), as
/// `41001.03`; empty when `s` is not of that shape.
inline std::string decimal_comma(std::string_view s) {
  const std::size_t comma = s.find(',');
  if (comma == std::string_view::npos || comma == 0 || comma + 1 == s.size() ||
      s.find(',', comma + 1) != std::string_view::npos)
    return {};
  for (std::size_t i = 0; i < s.size(); ++i)
    if (i != comma && (s[i] < '0' || s[i] > '9'))
      return {};
  std::string out(s);
  out[comma] = '.';
  return out;
}

inline bool is_altitude(std::string_view s) {
  if (sim::Altitude::parse(s).has_value())
    return true;
  const std::string point = decimal_comma(s);
  return !point.empty() && sim::Altitude::parse(point).has_value();
}
inline bool starts_numeric(std::string_view s) {
  return !s.empty() && ((s[0] >= '0' && s[0] <= '9') || s[0] == '.');
}

/// Service names as fltmc prints them: letters, digits and a few punctuation characters.
inline bool is_name_like(std::string_view s) {
  if (s.empty() || s.size() > 256)
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '-' || c == '.' || c == '$' || u >= 0x80;
  });
}

// ------------------------------------------------------------------------------------------------
// Line classification

enum class LineClass {
  blank,
  comment,
  marker,
  command,
  rule,
  rule_cont,
  short_rule, ///< dashes that are not a full rule (a pasted rule shortened to `------`)
  header,
  fltkd,
  error, ///< an error printed instead of rows (`... 0x80070057`, "Access is denied.")
  other
};

struct Line {
  std::string_view text; ///< presentation peeled off (observed_present.hpp), annotation too
  int number = 0;
  LineClass cls = LineClass::other;
  int wrap = 0; ///< rule lines: console width when the rule wrapped onto the next line
  std::string_view annotation;     ///< trailing `// ...` / `<-- ...` taken off, if any
  const PeeledLine *src = nullptr; ///< where the text's characters are in the file
};

/// A trailing annotation after a row: blanks, then `//`, `<--`, `<==`, `<-`, `←` or `# `.
inline std::size_t annotation_start(std::string_view t) {
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (t[i - 1] != ' ' && t[i - 1] != '\t')
      continue;
    const std::string_view rest = t.substr(i);
    if (rest.rfind("//", 0) == 0 || rest.rfind("<-", 0) == 0 || rest.rfind("<==", 0) == 0 ||
        rest.rfind("\xE2\x86\x90", 0) == 0 || rest.rfind("# ", 0) == 0 || rest == "#")
      return i;
  }
  return std::string_view::npos;
}

/// The peeled lines of a capture as the reader classifies them.
inline std::vector<Line> reader_lines(const Peeled &peeled) {
  std::vector<Line> lines;
  lines.reserve(peeled.lines.size());
  for (const PeeledLine &l : peeled.lines) {
    Line line;
    line.text = l.text;
    line.number = l.number;
    line.src = &l;
    lines.push_back(line);
  }
  return lines;
}

/// `[... truncated ...]`, `[... gap ...]`, `[snip]`, `(... 40 more lines ...)`, a lone `...`.
inline bool is_marker(std::string_view t) {
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
inline bool is_command(std::string_view t) {
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
           rest[0] == '-' || rest[0] == '/' || rest[0] == '|';
  };
  if (fltmc_command(t))
    return true;
  // SQL LogScout / PSSDiag write `-- fltmc_filters --` above the output (FLTMC_Filters.out).
  if (t.size() > 4 && t.substr(0, 2) == "--" && t.substr(t.size() - 2) == "--" &&
      icontains(t, "fltmc"))
    return true;
  if (t.size() > 2 && (t[0] == '$' || t[0] == '%') && t[1] == ' ' &&
      fltmc_command(trim(t.substr(2))))
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
inline bool is_dashes(std::string_view s) {
  return !trim(s).empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || c == ' ' || c == '\t'; });
}

/// A table rule: at least 3 runs of 2 or more dashes and nothing else.
inline bool is_rule(std::string_view s) {
  if (!is_dashes(s))
    return false;
  const auto runs = tokenize(s);
  return runs.size() >= 3 &&
         std::all_of(runs.begin(), runs.end(), [](const Token &r) { return r.end - r.begin >= 2; });
}

inline const std::string_view fltkd_prefixes[] = {
    "Frame List:",   "Filter List:", "FLTP_FRAME:", "FLT_FILTER:",
    "FLT_INSTANCE:", "Volume List:", "FLT_VOLUME:"};

inline bool is_fltkd(std::string_view t) {
  return std::any_of(std::begin(fltkd_prefixes), std::end(fltkd_prefixes),
                     [&](std::string_view p) { return istarts_with(t, p); });
}

/// Lines that wrap a paste: code fences (```, ~~~), `/*` and `*/`, `<pre>`, `[code]` and their
/// closing forms.
inline bool is_wrapper(std::string_view t) {
  if (t.rfind("```", 0) == 0 || t.rfind("~~~", 0) == 0)
    return true;
  if (t == "/*" || t == "*/" || t == "/**" || t.rfind("/*", 0) == 0 || t == "**/")
    return true;
  for (std::string_view w : {"<pre>", "</pre>", "<code>", "</code>", "[code]", "[/code]",
                             "<pre><code>", "</code></pre>"})
    if (iequals(t, w))
      return true;
  return false;
}

/// What a console prints before the prompt: `Microsoft Windows [Version 10.0.26100.4652]`,
/// `(c) Microsoft Corporation. All rights reserved.` in any language, `Windows PowerShell`.
inline bool is_banner(std::string_view t) {
  if (istarts_with(t, "Microsoft Windows [") || iequals(t, "Windows PowerShell"))
    return true;
  return icontains(t, "Microsoft Corporation") &&
         (istarts_with(t, "(c)") || istarts_with(t, "Copyright") || icontains(t, "(C) "));
}

/// An error printed where rows should be: an HRESULT / NTSTATUS (`0x80070057`, `0xC0000022`) or
/// "Access is denied.".
inline bool is_error_line(std::string_view t) {
  for (std::size_t i = 0; i + 10 <= t.size(); ++i) {
    if (t[i] != '0' || (t[i + 1] != 'x' && t[i + 1] != 'X'))
      continue;
    const char lead = static_cast<char>(std::toupper(static_cast<unsigned char>(t[i + 2])));
    if (lead != '8' && lead != 'C' && lead != 'D' && lead != 'E')
      continue;
    if (is_hex8(t.substr(i + 2, 8)) &&
        (i + 10 == t.size() || std::isxdigit(static_cast<unsigned char>(t[i + 10])) == 0))
      return true;
  }
  return icontains(t, "access is denied") || icontains(t, "zugriff verweigert") ||
         icontains(t, "acc\xC3\xA8s refus") || icontains(t, "acceso denegado");
}

inline void classify(std::vector<Line> &lines) {
  for (auto &l : lines) {
    {
      const std::string_view t0 = trim(l.text);
      if (!t0.empty() && t0[0] != '#' && !is_fltkd(t0)) {
        const std::size_t a = annotation_start(l.text);
        if (a != std::string_view::npos) {
          l.annotation = trim(l.text.substr(a));
          l.text = l.text.substr(0, a);
        }
      }
    }
    const std::string_view t = trim(l.text);
    if (t.empty())
      l.cls = LineClass::blank;
    else if (t[0] == '#' || is_wrapper(t) || is_banner(t))
      l.cls = LineClass::comment;
    else if (is_marker(t))
      l.cls = LineClass::marker;
    else if (is_rule(l.text))
      l.cls = LineClass::rule;
    else if (is_fltkd(t))
      l.cls = LineClass::fltkd;
    else if (is_command(t))
      l.cls = LineClass::command;
    else if (is_dashes(l.text))
      l.cls = LineClass::short_rule;
    else if (is_error_line(t))
      l.cls = LineClass::error;
    else
      l.cls = LineClass::other;
  }
  // Wrapped rules (the console wrapped a wide table: "...  ---" + "-----") and header lines.
  for (std::size_t r = 0; r < lines.size(); ++r) {
    if (lines[r].cls != LineClass::rule)
      continue;
    if (r + 1 < lines.size() &&
        (lines[r + 1].cls == LineClass::other || lines[r + 1].cls == LineClass::short_rule) &&
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
// Header words, for tables whose dashed rule was lost. fltmc's headers as Windows prints them in
// English, German, French, Spanish, Japanese, Korean and Chinese (tests/corpus/README.md says
// which forms come from real captures and which follow Microsoft's terminology).

struct HeaderKind {
  ObservedKind kind = ObservedKind::fltmc_filters;
  bool pre_vista = false;     ///< filters header without an Altitude column
  bool added_columns = false; ///< filters header with words after Frame (an author's "Comment")
};

inline bool contains_any(std::string_view t, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return icontains(t, w); });
}

/// Whether `t` holds the Frame column's header word.
inline bool names_frame(std::string_view t) {
  return contains_any(
      t, {"frame", "image", "cadre", "marco", "\xE3\x83\x95\xE3\x83\xAC\xE3\x83\xBC\xE3\x83\xA0",
          "\xED\x94\x84\xEB\xA0\x88\xEC\x9E\x84", "\xE5\xB8\xA7", "\xE6\xA1\x86\xE6\x9E\xB6"});
}

/// CJK sentence punctuation (U+3001 、 U+3002 。 U+FF0C ， U+FF1A ： U+FF1B ；): fltmc prints
/// none of it in any language, so a line that has it is page text (a translated page's "Windows
/// 10，版本 1607 中，", "...附加到存储卷。"), neither a header nor a row.
inline bool has_cjk_sentence_punctuation(std::string_view t) {
  for (const std::string_view mark :
       {"\xE3\x80\x81", "\xE3\x80\x82", "\xEF\xBC\x8C", "\xEF\xBC\x9A", "\xEF\xBC\x9B"})
    if (t.find(mark) != std::string_view::npos)
      return true;
  return false;
}

inline std::optional<HeaderKind> header_kind(std::string_view t) {
  t = trim(t);
  const auto toks = tokenize(t);
  if (toks.size() < 2)
    return std::nullopt;
  // A sentence that names the columns ("its altitude and the filter manager frame it's part of.")
  // is not a header: headers have no commas and no full stop, in no script.
  if (t.find(',') != std::string_view::npos || t.back() == '.' || has_cjk_sentence_punctuation(t))
    return std::nullopt;
  for (const Token &k : toks)
    if (is_int(t.substr(k.begin, k.end - k.begin)))
      return std::nullopt;
  const bool frame = names_frame(t);
  const bool altitude =
      contains_any(t, {"altitude", "h\xC3\xB6he", "hoehe", "altitud", "\xE9\xAB\x98\xE5\xBA\xA6",
                       "\xEA\xB3\xA0\xEB\x8F\x84", "\xE6\xB5\xB7\xE6\x8B\x94"});
  const bool instance_name = contains_any(
      t, {"instance name", "instanzname", "nom de l'instance", "nom d\xE2\x80\x99instance",
          "nombre de instancia",
          "\xE3\x82\xA4\xE3\x83\xB3\xE3\x82\xB9\xE3\x82\xBF\xE3\x83\xB3\xE3\x82\xB9\xE5\x90\x8D",
          "\xEC\x9D\xB8\xEC\x8A\xA4\xED\x84\xB4\xEC\x8A\xA4 \xEC\x9D\xB4\xEB\xA6\x84",
          "\xE5\xAE\x9E\xE4\xBE\x8B\xE5\x90\x8D", "\xE5\xAF\xA6\xE4\xBE\x8B\xE5\x90\x8D",
          "\xE5\x9F\xB7\xE8\xA1\x8C\xE5\x80\x8B\xE9\xAB\x94\xE5\x90\x8D\xE7\xA8\xB1"});
  const bool volume = contains_any(
      t, {"volume", "dos name", "dos-name", "nom dos", "nombre dos",
          "\xE3\x83\x9C\xE3\x83\xAA\xE3\x83\xA5\xE3\x83\xBC\xE3\x83\xA0",
          "\xEB\xB3\xBC\xEB\xA5\xA8", "\xE5\x8D\xB7", "\xE7\xA3\x81\xE7\xA2\x9F\xE5\x8D\x80"});
  const bool file_system =
      contains_any(t, {"filesystem", "file system", "dateisystem", "syst\xC3\xA8me de fichiers",
                       "sistema de archivos",
                       "\xE3\x83\x95\xE3\x82\xA1\xE3\x82\xA4\xE3\x83\xAB "
                       "\xE3\x82\xB7\xE3\x82\xB9\xE3\x83\x86\xE3\x83\xA0",
                       "\xE3\x83\x95\xE3\x82\xA1\xE3\x82\xA4\xE3\x83\xAB\xE3\x82\xB7\xE3\x82\xB9"
                       "\xE3\x83\x86\xE3\x83\xA0",
                       "\xED\x8C\x8C\xEC\x9D\xBC \xEC\x8B\x9C\xEC\x8A\xA4\xED\x85\x9C",
                       "\xE6\x96\x87\xE4\xBB\xB6\xE7\xB3\xBB\xE7\xBB\x9F",
                       "\xE6\xAA\x94\xE6\xA1\x88\xE7\xB3\xBB\xE7\xB5\xB1"});
  const bool filter = contains_any(
      t,
      {"filter", "filtre", "filtro", "\xE3\x83\x95\xE3\x82\xA3\xE3\x83\xAB\xE3\x82\xBF\xE3\x83\xBC",
       "\xED\x95\x84\xED\x84\xB0", "\xE7\xAD\x9B\xE9\x80\x89\xE5\x99\xA8",
       "\xE7\xAF\xA9\xE9\x81\xB8\xE5\x99\xA8", "\xE8\xBF\x87\xE6\xBB\xA4\xE5\x99\xA8",
       "\xE9\x81\x8E\xE6\xBF\xBE\xE5\x99\xA8"});
  if (volume && file_system && !frame)
    return HeaderKind{ObservedKind::fltmc_volumes, false};
  const bool instances =
      contains_any(t, {"instance", "instanz", "instancia",
                       "\xE3\x82\xA4\xE3\x83\xB3\xE3\x82\xB9\xE3\x82\xBF\xE3\x83\xB3\xE3\x82\xB9",
                       "\xEC\x9D\xB8\xEC\x8A\xA4\xED\x84\xB4\xEC\x8A\xA4",
                       "\xE5\xAE\x9E\xE4\xBE\x8B", "\xE5\xAF\xA6\xE4\xBE\x8B"});
  if (!filter || !frame || toks.size() < 3 || (!altitude && !instances))
    return std::nullopt;
  if (instance_name || (volume && altitude))
    return HeaderKind{ObservedKind::fltmc_instances, false};
  HeaderKind filters{ObservedKind::fltmc_filters, !altitude, false};
  // Words after the last Frame word: columns the author added.
  for (std::size_t k = toks.size(); k > 0; --k)
    if (names_frame(t.substr(toks[k - 1].begin, toks[k - 1].end - toks[k - 1].begin))) {
      filters.added_columns = k < toks.size();
      break;
    }
  return filters;
}

/// Whether a header names fltmc filters' Num Instances column (in a language listed above): a
/// column of instance counts, which `fltmc instances` does not have.
inline bool names_count_column(std::string_view t) {
  return contains_any(
      t, {"num instances", "num. instances", "number of instances", "nb instances",
          "nombre d'instances", "instn", "anzahl", "instancias", "n\xC3\xBAm. inst",
          "\xE3\x82\xA4\xE3\x83\xB3\xE3\x82\xB9\xE3\x82\xBF\xE3\x83\xB3\xE3\x82\xB9\xE6\x95\xB0",
          "\xEC\x9D\xB8\xEC\x8A\xA4\xED\x84\xB4\xEC\x8A\xA4 \xEC\x88\x98",
          "\xE5\xAE\x9E\xE4\xBE\x8B\xE6\x95\xB0", "\xE5\xAF\xA6\xE4\xBE\x8B\xE6\x95\xB8"});
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

inline Row single_row(const Line &l) {
  return {std::string(l.text), {{0, l.number}}, l.number};
}

inline Row joined_row(const Line &a, const Line &b, int wrap) {
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

inline std::pair<int, int> locate(const Row &row, int col) {
  Segment seg = row.segments.front();
  for (const auto &s : row.segments)
    if (s.logical_col <= col)
      seg = s;
  return {seg.line, col - seg.logical_col + 1};
}

} // namespace fltsim::observed::observed_detail
