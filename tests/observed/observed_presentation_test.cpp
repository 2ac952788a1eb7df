// Presentation invariance (docs/import.md#presentation): a capture pasted through a Markdown pipe
// table, a line-number gutter, a `- ` list, a `> ` quote, a pair of backticks, collapsed or tabbed
// blanks, CRLF line ends, twice in a row, or with translated headers is the same observation. For
// every complete capture of the corpus and every presentation, alone and in pairs, the import is
// the scenario of the untouched capture -- or, where the presentation destroys what a row says,
// an input error that names a line; never another scenario. Partial captures stay partial.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "fltsim/io/files.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/observed/observed_import.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace fltsim;

namespace {

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && line.back() == '\r')
      line.pop_back();
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

std::string join_lines(const std::vector<std::string> &lines) {
  std::string out;
  for (const std::string &l : lines)
    out += l + "\n";
  return out;
}

std::string per_line(const std::string &text,
                     const std::function<std::string(std::size_t, const std::string &)> &f) {
  std::vector<std::string> lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i)
    lines[i] = f(i, lines[i]);
  return join_lines(lines);
}

/// fltmc's dashed rule: runs of two or more dashes, from the start of the line.
bool is_rule_line(const std::string &l) {
  if (l.find_first_not_of("- \t") != std::string::npos || l.rfind("--", 0) != 0)
    return false;
  static const std::regex runs("-{2,}");
  return std::distance(std::sregex_iterator(l.begin(), l.end(), runs), std::sregex_iterator()) >= 3;
}

struct Span {
  std::size_t begin = 0, end = 0;
};

/// The cells of a table row: by the rule's column spans when every word lies in one span, else
/// split at runs of two or more blanks.
std::vector<std::string> cells_of(const std::string &row, const std::vector<Span> &spans) {
  std::vector<std::string> cells(spans.size());
  bool aligned = true;
  std::size_t previous = 0;
  static const std::regex word("\\S+");
  for (auto it = std::sregex_iterator(row.begin(), row.end(), word); it != std::sregex_iterator();
       ++it) {
    const std::size_t b = static_cast<std::size_t>(it->position());
    const std::size_t e = b + static_cast<std::size_t>(it->length());
    std::size_t best = spans.size();
    for (std::size_t c = 0; c < spans.size(); ++c)
      if (b < spans[c].end + 1 && e > spans[c].begin)
        best = best == spans.size() ? c : spans.size() + 1;
    if (best >= spans.size() || best < previous) {
      aligned = false;
      break;
    }
    previous = best;
    cells[best] += (cells[best].empty() ? "" : " ") + it->str();
  }
  if (aligned)
    return cells;
  // A header word may run past its rule (German `Anzahl Instanzen` is wider than its column):
  // each word goes to the column its first byte lies in.
  cells.assign(spans.size(), "");
  for (auto it = std::sregex_iterator(row.begin(), row.end(), word); it != std::sregex_iterator();
       ++it) {
    const std::size_t b = static_cast<std::size_t>(it->position());
    std::size_t c = 0;
    while (c + 1 < spans.size() && spans[c + 1].begin <= b)
      ++c;
    cells[c] += (cells[c].empty() ? "" : " ") + it->str();
  }
  if (std::none_of(cells.begin(), cells.end(), [](const std::string &c) { return c.empty(); }))
    return cells;
  cells.clear();
  static const std::regex gap("\t+|\\s{2,}");
  std::string trimmed = std::regex_replace(row, std::regex("^\\s+|\\s+$"), "");
  for (auto it = std::sregex_token_iterator(trimmed.begin(), trimmed.end(), gap, -1);
       it != std::sregex_token_iterator(); ++it)
    cells.push_back(it->str());
  return cells;
}

std::string pipe_row(const std::vector<std::string> &cells) {
  std::string out = "|";
  for (const std::string &c : cells)
    out += " " + c + " |";
  return out;
}

/// Tables with a dashed rule become Markdown pipe tables (header, `| --- |`, rows).
std::string md_table(const std::string &text) {
  std::vector<std::string> lines = split_lines(text);
  for (std::size_t r = 1; r < lines.size(); ++r) {
    if (!is_rule_line(lines[r]))
      continue;
    std::vector<Span> spans;
    static const std::regex run("-+");
    for (auto it = std::sregex_iterator(lines[r].begin(), lines[r].end(), run);
         it != std::sregex_iterator(); ++it)
      spans.push_back({static_cast<std::size_t>(it->position()),
                       static_cast<std::size_t>(it->position() + it->length())});
    const std::size_t h = r - 1;
    if (lines[h].find_first_not_of(" \t") == std::string::npos || lines[h][0] == '#')
      continue;
    const std::vector<std::string> header = cells_of(lines[h], spans);
    if (header.size() != spans.size())
      continue; // blanks collapsed: no column layout left to make a table of
    lines[h] = pipe_row(header);
    lines[r] = pipe_row(std::vector<std::string>(spans.size(), "---"));
    for (std::size_t k = r + 1; k < lines.size(); ++k) {
      const std::string &l = lines[k];
      if (l.find_first_not_of(" \t") == std::string::npos || l[0] == '#' || l[0] == '[' ||
          is_rule_line(l))
        break;
      lines[k] = pipe_row(cells_of(l, spans));
    }
  }
  return join_lines(lines);
}

std::string collapsed(const std::string &text) {
  return per_line(text, [](std::size_t, const std::string &l) {
    return std::regex_replace(l, std::regex("[ \t]+"), " ");
  });
}

std::string translated(const std::string &text) {
  const std::vector<std::pair<std::string, std::string>> words{
      {"Filter Name", "Filtername"}, {"Num Instances", "Anzahl Instanzen"},
      {"Volume Name", "Volumename"}, {"Instance Name", "Instanzname"},
      {"Altitude", "H\xC3\xB6he"},   {"VlStatus", "Volumestatus"}};
  return per_line(text, [&](std::size_t, const std::string &l) {
    if (l.find("Altitude") == std::string::npos || l.find("Frame") == std::string::npos)
      return l;
    std::string out = l;
    for (const auto &[en, de] : words)
      for (std::size_t at = out.find(en); at != std::string::npos;
           at = out.find(en, at + de.size()))
        out.replace(at, en.size(), de);
    return out;
  });
}

struct Presentation {
  const char *name;
  std::function<std::string(const std::string &)> apply;
};

const std::vector<Presentation> &presentations() {
  static const std::vector<Presentation> all{
      {"markdown table", md_table},
      {"line-number gutter",
       [](const std::string &t) {
         return per_line(t, [](std::size_t i, const std::string &l) {
           return "  " + std::to_string(i + 1) + ". " + l;
         });
       }},
      {"list markers",
       [](const std::string &t) {
         return per_line(t, [](std::size_t, const std::string &l) { return "- " + l; });
       }},
      {"quote",
       [](const std::string &t) {
         return per_line(t, [](std::size_t, const std::string &l) { return "> " + l; });
       }},
      {"backtick wrap",
       [](const std::string &t) {
         std::vector<std::string> lines = split_lines(t);
         std::size_t first = 0, last = lines.size();
         while (first < lines.size() && (lines[first].empty() || lines[first][0] == '#'))
           ++first;
         while (last > first && lines[last - 1].find_first_not_of(" \t") == std::string::npos)
           --last;
         if (first < last) {
           lines[first] = "`" + lines[first];
           lines[last - 1] += "`";
         }
         return join_lines(lines);
       }},
      {"collapsed blanks", collapsed},
      {"tabs",
       [](const std::string &t) {
         return per_line(t, [](std::size_t, const std::string &l) {
           return std::regex_replace(l, std::regex(" {2,}"), "\t");
         });
       }},
      {"CRLF",
       [](const std::string &t) {
         return per_line(t, [](std::size_t, const std::string &l) { return l + "\r"; });
       }},
      {"two runs", [](const std::string &t) { return t + "\n" + t; }},
      {"translated headers", translated},
      // A PowerShell array of single-quoted strings, one listing line each (a Pester test's
      // mocked fltmc output): `$fltmc = @(` / `    'line',` with ' doubled / `)`.
      {"powershell array",
       [](const std::string &t) {
         std::string out = "$fltmc = @(\n";
         for (std::string l : split_lines(t)) {
           if (!l.empty() && l.back() == '\r')
             l.pop_back();
           for (std::size_t at = l.find('\''); at != std::string::npos; at = l.find('\'', at + 2))
             l.insert(at, "'");
           out += "    '" + l + "',\n";
         }
         return out + ")\n";
       }},
  };
  return all;
}

/// What an import gives, independent of where it came from: drivers (name, kind, group, start,
/// instance altitudes and attach counts), volumes, events; or the first error.
struct Outcome {
  bool ok = false;
  std::string scenario; ///< signature when ok
  std::string error;    ///< first error when not
  int error_line = 0;
};

Outcome import_text(const std::string &text) {
  Outcome o;
  const observed::ObservedStack st = observed::parse_observed(text, "p.txt");
  if (!st.diagnostics.empty()) {
    o.error = st.diagnostics.front().code + ": " + st.diagnostics.front().message;
    o.error_line = st.diagnostics.front().location.line;
    return o;
  }
  const observed::ImportResult r = observed::import_observed(st, "p.txt");
  if (!r.scenario) {
    o.error = r.errors.empty() ? "?" : r.errors.front().code + ": " + r.errors.front().message;
    o.error_line = r.errors.empty() ? 0 : r.errors.front().location.line;
    return o;
  }
  o.ok = true;
  std::string s = "volumes " + std::to_string(r.scenario->volumes.size()) + "\n";
  for (const sim::Driver &d : r.scenario->drivers) {
    s += d.name + " " + sim::to_string(d.kind) + " " + d.group.value_or("-") + " " +
         sim::to_string(d.start);
    for (const sim::Instance &in : d.instances)
      s += " [" + in.altitude.text() + " x" + std::to_string(in.attach.size()) + " f" +
           std::to_string(in.flags) + "]";
    s += "\n";
  }
  for (const sim::Event &e : r.scenario->events)
    s += "event " + e.driver + "\n";
  s += r.reproduces ? "reproduces\n" : "does not reproduce\n";
  o.scenario = s;
  return o;
}

std::map<std::string, std::string> read_expect(const fs::path &p) {
  std::map<std::string, std::string> kv;
  for (const std::string &line : split_lines(test::read_file(p))) {
    const std::size_t colon = line.find(": ");
    if (colon != std::string::npos)
      kv[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return kv;
}

/// Text captures of the corpus with the given outcome (structured exports and event logs aside:
/// pasting changes their syntax, not their presentation).
std::vector<fs::path> captures(const std::string &outcome) {
  std::vector<fs::path> out;
  for (const auto &e : fs::directory_iterator(test::corpus_root() / "observed")) {
    if (e.path().extension() != ".expect")
      continue;
    fs::path capture = e.path();
    capture.replace_extension();
    const std::string ext = capture.extension().string();
    if (ext == ".json" || ext == ".csv")
      continue;
    if (read_expect(e.path())["outcome"] == outcome)
      out.push_back(capture);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string text_of(const fs::path &p) {
  const auto decoded = io::read_text_file(p);
  REQUIRE(decoded.text);
  return *decoded.text;
}

} // namespace

TEST_SUITE("observed presentation") {
  TEST_CASE("every presentation alone gives the scenario of the untouched capture") {
    std::size_t checked = 0;
    for (const fs::path &capture : captures("ok")) {
      CAPTURE(capture.filename().string());
      const std::string text = text_of(capture);
      const Outcome base = import_text(text);
      REQUIRE(base.ok);
      for (const Presentation &p : presentations()) {
        const std::string presentation = p.name;
        CAPTURE(presentation);
        const Outcome o = import_text(p.apply(text));
        INFO(o.error);
        CHECK(o.ok);
        if (o.ok)
          CHECK(o.scenario == base.scenario);
        ++checked;
      }
    }
    MESSAGE("captures x presentations: " << checked);
    CHECK(checked >= 300);
  }

  TEST_CASE("pairs of presentations: the same scenario, or an input error that names a line") {
    std::size_t same = 0, refused = 0;
    for (const fs::path &capture : captures("ok")) {
      CAPTURE(capture.filename().string());
      const std::string text = text_of(capture);
      const Outcome base = import_text(text);
      REQUIRE(base.ok);
      for (const Presentation &a : presentations())
        for (const Presentation &b : presentations()) {
          if (&a == &b)
            continue;
          const std::string first = a.name, then = b.name;
          CAPTURE(first);
          CAPTURE(then);
          const Outcome o = import_text(b.apply(a.apply(text)));
          if (o.ok) {
            CHECK(o.scenario == base.scenario);
            ++same;
          } else {
            INFO(o.error);
            CHECK(o.error_line > 0);
            ++refused;
          }
        }
    }
    MESSAGE("pairs: " << same << " give the same scenario, " << refused
                      << " are refused with a line");
    CHECK(same > 20 * refused);
  }

  TEST_CASE("partial captures stay partial under every presentation and pair") {
    for (const fs::path &capture : captures("partial")) {
      CAPTURE(capture.filename().string());
      const std::string text = text_of(capture);
      for (const Presentation &a : presentations()) {
        const std::string first = a.name;
        CAPTURE(first);
        CHECK_FALSE(import_text(a.apply(text)).ok);
        for (const Presentation &b : presentations()) {
          if (&a == &b)
            continue;
          const std::string then = b.name;
          CAPTURE(then);
          CHECK_FALSE(import_text(b.apply(a.apply(text))).ok);
        }
      }
    }
  }
}
