// The observed-capture corpus (tests/corpus/observed): every capture has a `.expect` sidecar with
// its outcome (ok / partial / refused / rows / events), kind, filters and frames, and the text an
// error must contain. Complete captures import with exit 0 and re-simulate to the observed frames
// (compare exits 0); partial ones exit 2 naming the cut. A property test deletes, duplicates and
// garbles single rows of every capture and checks that each change is read or reported with its
// line.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/observed/events_reader.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/observed/observed_import.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace fltsim;

namespace {

fs::path corpus_dir() {
  return test::corpus_root() / "observed";
}

std::map<std::string, std::string> read_expect(const fs::path &p) {
  std::map<std::string, std::string> kv;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t colon = line.find(": ");
    if (colon != std::string::npos)
      kv[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return kv;
}

std::string read_file(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Capture files (with their sidecars) of the given outcome; "" = every outcome but events.
std::vector<std::pair<fs::path, std::map<std::string, std::string>>>
corpus(const std::string &outcome) {
  std::vector<std::pair<fs::path, std::map<std::string, std::string>>> out;
  for (const auto &e : fs::directory_iterator(corpus_dir())) {
    if (e.path().extension() != ".expect")
      continue;
    auto kv = read_expect(e.path());
    fs::path capture = e.path();
    capture.replace_extension();
    const bool events = kv["outcome"] == "events";
    if ((outcome.empty() && !events) || kv["outcome"] == outcome)
      out.emplace_back(capture, kv);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string listed_filters(const observed::ImportResult &res) {
  std::string out;
  for (const observed::ImportedFilter &f : res.filters) {
    out += out.empty() ? "" : ", ";
    out += f.name + "@" + (f.legacy ? "L" : (f.frame ? std::to_string(*f.frame) : "?"));
  }
  return out;
}

bool mentions_line(const std::string &note, int line) {
  return note.find("line " + std::to_string(line) + ":") != std::string::npos;
}

/// The line is read (a filter, instance, volume or frame has it) or reported: a diagnostic at
/// it, or a note of an incomplete listing (or of the input) that names it.
bool accounted(const observed::ObservedStack &st, int line) {
  for (const auto &d : st.diagnostics)
    if (d.location.line == line)
      return true;
  for (const std::string &n : st.notes)
    if (mentions_line(n, line))
      return true;
  for (const auto &s : st.sections) {
    for (const auto &f : s.filters)
      if (f.line == line)
        return true;
    for (const auto &i : s.instances)
      if (i.line == line)
        return true;
    for (const auto &v : s.volumes)
      if (v.line == line)
        return true;
    for (const auto &f : s.frames)
      if (f.line == line)
        return true;
    if (s.truncated)
      for (const std::string &n : s.notes)
        if (mentions_line(n, line))
          return true;
  }
  return false;
}

std::set<int> row_lines(const observed::ObservedStack &st) {
  std::set<int> out;
  for (const auto &s : st.sections) {
    for (const auto &f : s.filters)
      out.insert(f.line);
    for (const auto &i : s.instances)
      out.insert(i.line);
    for (const auto &v : s.volumes)
      out.insert(v.line);
  }
  return out;
}

std::vector<std::string> split_keep(const std::string &text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

std::string join(const std::vector<std::string> &lines) {
  std::string out;
  for (const std::string &l : lines)
    out += l;
  return out;
}

} // namespace

TEST_SUITE("observed corpus") {
  TEST_CASE("the corpus holds at least 30 captures covering every outcome") {
    const auto all = corpus("");
    CHECK(all.size() >= 30);
    for (const char *outcome : {"ok", "partial", "refused", "rows"})
      CHECK_FALSE(corpus(outcome).empty());
    CHECK(corpus("events").size() >= 4);
    MESSAGE("observed corpus: " << all.size() << " captures, " << corpus("ok").size()
                                << " complete, " << corpus("partial").size() << " partial");
  }

  TEST_CASE("complete captures import with exit 0 and re-simulate to the observed frames") {
    for (const auto &entry : corpus("ok")) {
      const fs::path &capture = entry.first;
      const auto &kv = entry.second;
      CAPTURE(capture.filename().string());
      test::TempDir dir;
      const fs::path out = dir.path() / "imported.yaml";
      std::vector<std::string> args{"import", capture.string(), "-o", out.string()};
      std::vector<std::string> cmp{"compare", out.string(), capture.string(), "--format", "json"};
      if (kv.count("events")) {
        const std::string events = (corpus_dir() / kv.at("events")).string();
        args.insert(args.end(), {"--events", events});
        cmp.insert(cmp.end(), {"--events", events});
      }
      const test::CliRun imp = test::run_fltsim(args);
      CHECK(imp.code == 0);
      INFO(imp.err);
      if (kv.count("message"))
        CHECK(imp.out.find(kv.at("message")) != std::string::npos);
      REQUIRE(fs::exists(out));
      const test::CliRun c = test::run_fltsim(cmp);
      CHECK(c.code == 0);
      const auto j = nlohmann::json::parse(c.out);
      CHECK(j["match"] == true);
      CHECK(j["observed_kind"] == kv.at("kind"));
      // The filters and frames the reader found are the ones the capture shows.
      const auto decoded = io::read_text_file(capture);
      REQUIRE(decoded.text);
      const auto st = observed::parse_observed(*decoded.text, capture.filename().string());
      CHECK(st.diagnostics.empty());
      const auto res = observed::import_observed(st, capture.filename().string());
      REQUIRE(res.scenario);
      CHECK(listed_filters(res) == kv.at("filters"));
      CHECK(observed::to_string(res.source_kind) == kv.at("kind"));
    }
  }

  TEST_CASE("partial captures exit 2 with a message that names the cut") {
    const fs::path scenario = test::source_root() / "scenarios" / "example_c_no_legacy.yaml";
    for (const auto &entry : corpus("partial")) {
      CAPTURE(entry.first.filename().string());
      const test::CliRun imp = test::run_fltsim({"import", entry.first.string()});
      CHECK(imp.code == 2);
      CHECK(imp.err.find("error[observed-partial]") != std::string::npos);
      CHECK(imp.err.find(entry.second.at("message")) != std::string::npos);
      INFO(imp.err);
      const test::CliRun cmp =
          test::run_fltsim({"compare", scenario.string(), entry.first.string()});
      CHECK(cmp.code == 2);
    }
  }

  TEST_CASE("captures without frames are refused, unreadable rows exit 2 unless --lenient") {
    for (const auto &entry : corpus("refused")) {
      CAPTURE(entry.first.filename().string());
      const test::CliRun imp = test::run_fltsim({"import", entry.first.string()});
      CHECK(imp.code == 2);
      CHECK(imp.err.find(entry.second.at("message")) != std::string::npos);
    }
    for (const auto &entry : corpus("rows")) {
      CAPTURE(entry.first.filename().string());
      const test::CliRun imp = test::run_fltsim({"import", entry.first.string()});
      CHECK(imp.code == 2);
      CHECK(imp.err.find(entry.second.at("message")) != std::string::npos);
      const test::CliRun lenient = test::run_fltsim({"import", entry.first.string(), "--lenient"});
      CHECK(lenient.code == 0);
      CHECK(lenient.err.find("--lenient: skipped the 1 line(s)") != std::string::npos);
    }
  }

  TEST_CASE("event logs: wevtutil, Format-List, CSV and JSON give the same load order") {
    for (const auto &entry : corpus("events")) {
      CAPTURE(entry.first.filename().string());
      const auto decoded = io::read_text_file(entry.first);
      REQUIRE(decoded.text);
      const observed::FilterEventLog log =
          observed::parse_filter_events(*decoded.text, entry.first.filename().string());
      CHECK(log.diagnostics.empty());
      std::string order;
      for (const std::string &n : log.load_order())
        order += (order.empty() ? "" : ", ") + n;
      CHECK(order == entry.second.at("order"));
      for (const auto &e : log.events)
        CHECK(e.line > 0);
    }
  }

  TEST_CASE("import --events takes the observed order, compare reports an order that differs") {
    const fs::path capture = corpus_dir() / "01-en-fltmc-prompt.txt";
    const fs::path events = corpus_dir() / "01-en-fltmc-prompt.events.txt";
    test::TempDir dir;
    const fs::path out = dir.path() / "ordered.yaml";
    const test::CliRun imp = test::run_fltsim(
        {"import", capture.string(), "--events", events.string(), "-o", out.string()});
    CHECK(imp.code == 0);
    CHECK(imp.out.find("FilterManager event 6") != std::string::npos);
    // The same scenario against the events with two filters swapped: an order difference.
    std::string text = read_file(events);
    const std::size_t a = text.find("'Wof'");
    const std::size_t b = text.find("'bindflt'");
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    text.replace(b, 9, "'Wof'    ");
    text.replace(a, 5, "'bindflt'");
    const fs::path swapped = dir.path() / "swapped.events.txt";
    std::ofstream(swapped, std::ios::binary) << text;
    const test::CliRun cmp = test::run_fltsim(
        {"compare", out.string(), capture.string(), "--events", swapped.string(), "-f", "json"});
    CHECK(cmp.code == 1);
    const auto j = nlohmann::json::parse(cmp.out);
    bool order = false;
    for (const auto &d : j["differences"])
      order = order || d["kind"] == "order";
    CHECK(order);
    // Without events the imported scenario still matches (frames, kinds, altitudes).
    CHECK(test::run_fltsim({"compare", out.string(), capture.string()}).code == 0);
  }

  TEST_CASE("compare: instance counts are notes unless the scenario models volumes") {
    const fs::path capture = corpus_dir() / "02-en-fltmc-filters-crlf-ps.txt";
    test::TempDir dir;
    const fs::path out = dir.path() / "s.yaml";
    REQUIRE(test::run_fltsim({"import", capture.string(), "-o", out.string()}).code == 0);
    // Change one instance count in the capture: the imported scenario models volumes, so the
    // count is a difference.
    std::string text = read_file(capture);
    const std::size_t at = text.find("WdFilter                              5");
    REQUIRE(at != std::string::npos);
    text[at + 38] = '4';
    const fs::path changed = dir.path() / "changed.txt";
    std::ofstream(changed, std::ios::binary) << text;
    const test::CliRun with_volumes =
        test::run_fltsim({"compare", out.string(), changed.string(), "-f", "json"});
    CHECK(with_volumes.code == 1);
    // A scenario without volumes: the same count is a note and the stacks match.
    const fs::path plain = test::source_root() / "scenarios" / "example_c_no_legacy.yaml";
    const auto load = inputs::load_scenario_file(plain);
    REQUIRE(load.scenario);
    REQUIRE(load.scenario->volumes.empty());
    const auto r = sim::simulate(*load.scenario);
    const std::string fltmc = observed::write_fltmc_filters(*load.scenario, r);
    std::string bumped = fltmc;
    const std::size_t one = bumped.find("       1 ");
    REQUIRE(one != std::string::npos);
    bumped[one + 7] = '7';
    const auto c = observed::compare_observed(*load.scenario, r,
                                              observed::parse_observed(bumped, "b.txt"), "b.txt");
    CHECK(c.match);
    REQUIRE(c.notes.size() == 1);
    CHECK(c.notes[0].kind == observed::DifferenceKind::instances);
  }

  TEST_CASE("property: a deleted, duplicated or garbled row is read or reported with its line") {
    std::vector<fs::path> files;
    for (const auto &entry : corpus(""))
      files.push_back(entry.first);
    for (const auto &e : fs::directory_iterator(test::corpus_root() / "fltmc"))
      if (e.path().extension() == ".txt")
        files.push_back(e.path());
    std::size_t mutations = 0;
    for (const fs::path &file : files) {
      const auto decoded = io::read_text_file(file);
      REQUIRE(decoded.text);
      const std::string &text = *decoded.text;
      const auto base = observed::parse_observed(text, "m.txt");
      const std::set<int> rows = row_lines(base);
      const std::vector<std::string> lines = split_keep(text);
      for (const int row : rows) {
        if (row < 1 || static_cast<std::size_t>(row) > lines.size())
          continue;
        const std::size_t k = static_cast<std::size_t>(row) - 1;
        const std::string name = file.filename().string() + ":" + std::to_string(row);
        CAPTURE(name);
        { // delete: every other row is still read or reported
          std::vector<std::string> m = lines;
          m.erase(m.begin() + static_cast<std::ptrdiff_t>(k));
          const auto st = observed::parse_observed(join(m), "m.txt");
          for (const int other : rows)
            if (other != row) {
              const int moved = other < row ? other : other - 1;
              CAPTURE(moved);
              CHECK(accounted(st, moved));
            }
          ++mutations;
        }
        { // duplicate: both copies are read or reported
          std::vector<std::string> m = lines;
          m.insert(m.begin() + static_cast<std::ptrdiff_t>(k), lines[k]);
          const auto st = observed::parse_observed(join(m), "m.txt");
          CHECK(accounted(st, row));
          CHECK(accounted(st, row + 1));
          ++mutations;
        }
        std::string body = lines[k];
        std::string eol;
        while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) {
          eol.insert(eol.begin(), body.back());
          body.pop_back();
        }
        const std::size_t last_blank = body.find_last_of(" \t");
        const std::size_t first_blank = body.find_first_of(" \t");
        std::vector<std::string> garbles;
        if (last_blank != std::string::npos)
          garbles.push_back(body.substr(0, last_blank + 1) + "?!"); // last value garbled
        garbles.push_back(body.substr(0, body.size() / 2));         // cut in the middle
        if (first_blank != std::string::npos)                       // a stray value
          garbles.push_back(body.substr(0, first_blank) + " @@" + body.substr(first_blank));
        for (const std::string &g : garbles) {
          std::vector<std::string> m = lines;
          m[k] = g + eol;
          const auto st = observed::parse_observed(join(m), "m.txt");
          CAPTURE(g);
          // A JSON parser notices a damaged value where the next token fails: on that line or
          // the next one.
          const bool json = file.extension() == ".json";
          CHECK((accounted(st, row) || (json && accounted(st, row + 1))));
          ++mutations;
        }
      }
    }
    MESSAGE("row mutations checked: " << mutations);
    CHECK(mutations >= 1000);
  }
}
