// Optional suite (tests/reference/tests.cmake): the original real-world files that tests/corpus was
// made from, in $FLTSIM_REFERENCE_ROOT (the folder tests/reference/tests.cmake describes, next to
// the checkout). Every INF gives the rows of that folder's inf/summary.csv, every .reg export and
// every fltmc / !fltkd capture reads cleanly and imports (or is reported as partial input), and
// every corpus file is either a byte copy of its original or a fixture with the same facts.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/observed/observed.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace fltsim;

namespace {

fs::path reference_root() {
  return FLTSIM_REFERENCE_ROOT;
}

// RFC 4180-style CSV: quoted fields with "" escapes, CRLF or LF.
std::vector<std::vector<std::string>> read_csv(const std::string &text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
        ++i;
      row.push_back(std::move(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      cell += c;
    }
  }
  if (!cell.empty() || !row.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string join(const std::vector<std::string> &v, const std::string &sep) {
  std::string out;
  for (const auto &s : v)
    out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string diagnostics_text(const std::vector<sim::Diagnostic> &ds) {
  std::string s;
  for (const auto &d : ds)
    s += sim::format_diagnostic(d) + "\n";
  return s;
}

std::vector<fs::path> files_in(const fs::path &dir, const std::string &ext) {
  std::vector<fs::path> out;
  for (const auto &e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ext)
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// Everything a manifest reader returns about a driver except where it was read.
std::string describe(const sim::Driver &d) {
  std::string s = d.name + "|kind " + std::to_string(static_cast<int>(d.kind)) + "|group " +
                  d.group.value_or("-") + "|start " + std::to_string(static_cast<int>(d.start)) +
                  "|tag " + (d.tag ? std::to_string(*d.tag) : "-") + "|deps " +
                  join(d.depends_on, ",") + "|default " + d.default_instance.value_or("-");
  for (const auto &i : d.instances)
    s += "|" + i.name + " " + i.altitude.text() + " " + std::to_string(i.flags);
  return s;
}

std::vector<std::string> describe_all(const manifest::IncludeResult &r) {
  std::vector<std::string> out;
  for (const auto &d : r.drivers)
    out.push_back(describe(d));
  for (const auto &d : r.diagnostics)
    out.push_back("diagnostic " + d.code);
  return out;
}

/// summary.csv's spelling of instance flags: "0x0", "0x1".
std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", static_cast<unsigned>(v));
  return buf;
}

std::string alt(const std::optional<sim::Altitude> &a) {
  return a ? a->text() : "-";
}

/// What a capture says about the stack: every filter, instance and frame with its line, but not
/// the volume names (fixtures make some of them up) nor the notes' wording.
std::vector<std::string> facts(const observed::ObservedStack &st) {
  std::vector<std::string> out;
  for (const auto &s : st.sections) {
    out.push_back(std::string("section ") + observed::to_string(s.kind) + " line " +
                  std::to_string(s.line) + (s.truncated ? " truncated" : "") + " notes " +
                  std::to_string(s.notes.size()));
    for (const auto &f : s.filters)
      out.push_back("filter " + f.name + (f.legacy ? " legacy " : " ") + alt(f.altitude) + " " +
                    (f.frame ? std::to_string(*f.frame) : "-") + " " +
                    (f.num_instances ? std::to_string(*f.num_instances) : "-") + " line " +
                    std::to_string(f.line));
    for (const auto &i : s.instances)
      out.push_back("instance " + i.filter + " " + alt(i.altitude) + " '" + i.instance_name + "' " +
                    (i.frame ? std::to_string(*i.frame) : (i.legacy ? "<Legacy>" : "-")) + " " +
                    i.supported_features + " " + i.volume_status + " volume " +
                    (i.volume.empty() ? "empty" : "named") + " line " + std::to_string(i.line));
    for (const auto &f : s.frames) {
      std::vector<std::string> names;
      for (const auto &x : f.filters)
        names.push_back(x.name);
      out.push_back("frame " + std::to_string(f.id) + " " + alt(f.low) + " " + alt(f.high) + " " +
                    join(names, ","));
    }
  }
  for (const auto &d : st.diagnostics)
    out.push_back("diagnostic " + d.code);
  return out;
}

observed::ObservedStack parse_capture(const fs::path &p) {
  const auto decoded = io::read_text_file(p);
  REQUIRE(decoded.text.has_value());
  return observed::parse_observed(*decoded.text, p.filename().string());
}

std::string first_line(const fs::path &p) {
  const std::string text = test::read_file(p);
  return text.substr(0, text.find('\n'));
}

} // namespace

TEST_SUITE("reference") {
  TEST_CASE("every reference INF gives its rows of the reference summary.csv") {
    const fs::path dir = reference_root() / "inf";
    const auto rows = read_csv(test::read_file(dir / "summary.csv"));
    REQUIRE(rows.size() > 1);
    const std::vector<std::string> header = {
        "file",      "source",         "service",      "service_section", "ServiceType",
        "StartType", "LoadOrderGroup", "Dependencies", "DefaultInstance", "instances"};
    REQUIRE(rows[0] == header);
    std::set<std::string> in_csv;
    for (std::size_t k = 1; k < rows.size(); ++k) {
      const auto &row = rows[k];
      REQUIRE(row.size() == header.size());
      CAPTURE(row[0]);
      CAPTURE(row[3]);
      in_csv.insert(row[0]);
      const manifest::IncludeResult r = inputs::load_manifest_file(dir / row[0]);
      INFO(diagnostics_text(r.diagnostics));
      REQUIRE(r.diagnostics.empty());
      const auto it = std::find_if(r.drivers.begin(), r.drivers.end(),
                                   [&](const sim::Driver &d) { return d.name == row[2]; });
      REQUIRE(it != r.drivers.end());
      CHECK(static_cast<int>(it->start) == std::stoi(row[5]));
      CHECK(it->group.value_or("") == row[6]);
      CHECK(join(it->depends_on, ",") == row[7]);
      CHECK(it->default_instance.value_or("") == row[8]);
      std::vector<std::string> instances;
      for (const auto &i : it->instances)
        instances.push_back(i.name + ": alt=" + i.altitude.text() + " flags=" + hex(i.flags));
      CHECK(join(instances, "; ") == row[9]);
    }
    std::set<std::string> on_disk;
    for (const auto &p : files_in(dir, ".inf"))
      on_disk.insert(p.filename().string());
    CHECK(on_disk == in_csv);
  }

  TEST_CASE("every reference .reg export loads one driver without diagnostics") {
    const auto files = files_in(reference_root() / "registry", ".reg");
    CHECK_FALSE(files.empty());
    for (const auto &p : files) {
      CAPTURE(p.filename().string());
      const manifest::IncludeResult r = inputs::load_manifest_file(p);
      INFO(diagnostics_text(r.diagnostics));
      CHECK(r.diagnostics.empty());
      REQUIRE(r.drivers.size() == 1);
      CHECK(r.drivers[0].find_default_instance() != nullptr);
    }
  }

  TEST_CASE("every reference capture parses, and imports or is reported as partial input") {
    const auto files = files_in(reference_root() / "fltmc", ".txt");
    CHECK_FALSE(files.empty());
    for (const auto &p : files) {
      CAPTURE(p.filename().string());
      const observed::ObservedStack st = parse_capture(p);
      INFO(diagnostics_text(st.diagnostics));
      CHECK(st.diagnostics.empty());
      CHECK_FALSE(st.sections.empty());
      test::TempDir dir;
      const fs::path out = dir.path() / "imported.yaml";
      const test::CliRun imp = test::run_fltsim({"import", p.string(), "-o", out.string()});
      INFO(imp.err);
      if (imp.code == 0) {
        // A complete listing: the written scenario re-simulates to what was observed.
        const test::CliRun cmp = test::run_fltsim({"compare", out.string(), p.string()});
        INFO(cmp.out);
        CHECK(cmp.code == 0);
      } else {
        // A fragment or a cut-off listing: exit 2 with the observed-* reason, no scenario.
        CHECK(imp.code == 2);
        CHECK(imp.err.find("error[observed-") != std::string::npos);
      }
    }
  }

  TEST_CASE("each corpus file is a byte copy of its original or a fixture with its facts") {
    int copies = 0, fixtures = 0;
    for (const char *kind : {"inf", "registry", "fltmc"}) {
      for (const auto &e : fs::directory_iterator(test::corpus_root() / kind)) {
        const fs::path &p = e.path();
        const std::string ext = p.extension().string();
        if (ext != ".inf" && ext != ".reg" && ext != ".txt")
          continue;
        CAPTURE(p.string());
        const fs::path original = reference_root() / kind / p.filename();
        REQUIRE(fs::exists(original));
        const std::string head = first_line(p);
        if (head.rfind("; source: ", 0) == 0 || head.rfind("# source: ", 0) == 0) {
          ++copies;
          CHECK(test::read_file(p) == test::read_file(original));
          continue;
        }
        REQUIRE((head.rfind("; fixture for fltsim: reproduces the facts of ", 0) == 0 ||
                 head.rfind("# fixture for fltsim: reproduces the facts of ", 0) == 0));
        ++fixtures;
        // The same line ends: a CRLF original gives a CRLF fixture.
        CHECK((test::read_file(p).find('\r') != std::string::npos) ==
              (test::read_file(original).find('\r') != std::string::npos));
        if (ext == ".txt") {
          CHECK(facts(parse_capture(p)) == facts(parse_capture(original)));
        } else {
          CHECK(describe_all(inputs::load_manifest_file(p)) ==
                describe_all(inputs::load_manifest_file(original)));
        }
      }
    }
    CHECK(copies > 0);
    CHECK(fixtures > 0);
    // summary.csv: the same rows, apart from the source column that says copied or fixture.
    const auto mine = read_csv(test::read_file(test::corpus_root() / "inf" / "summary.csv"));
    const auto theirs = read_csv(test::read_file(reference_root() / "inf" / "summary.csv"));
    REQUIRE(mine.size() == theirs.size());
    for (std::size_t k = 0; k < mine.size(); ++k) {
      CAPTURE(k);
      REQUIRE(mine[k].size() == theirs[k].size());
      for (std::size_t c = 0; c < mine[k].size(); ++c)
        if (c != 1 || k == 0)
          CHECK(mine[k][c] == theirs[k][c]);
    }
  }
}
