// Hostile captures, NtObjectManager exports and FilterManager event logs (docs/reliability.md):
// each is refused with its exact diagnostic and exit code 2, in time linear in its size; every
// limit of these readers is tested at its value and one past it. Small inputs are files in
// tests/bad_input/observed/, large ones are generated here.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>

#include "cli_support.hpp"
#include "fltsim/observed/events_reader.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/observed/observed_import.hpp"
#include "support.hpp"

using namespace fltsim;
namespace fs = std::filesystem;

namespace {

fs::path bad(const std::string &name) {
  return test::source_root() / "tests/bad_input/observed" / name;
}

fs::path observed_corpus(const std::string &name) {
  return test::corpus_root() / "observed" / name;
}

std::string codes_at_lines(const std::vector<sim::Diagnostic> &diags) {
  std::string s;
  for (const sim::Diagnostic &d : diags)
    s += (s.empty() ? "" : " ") + d.code + "@" + std::to_string(d.location.line);
  return s;
}

/// Seconds `f` takes.
template <class F> double seconds(F &&f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// An NtObjectManager `Get-FilterDriver | Export-Csv` with `n` minifilter records.
std::string ntobject_csv(std::size_t n) {
  std::string s =
      "\"Name\",\"Altitude\",\"FrameID\",\"NumberOfInstances\",\"MiniFilter\",\"Flags\"\n";
  for (std::size_t i = 0; i < n; ++i)
    s += "\"f" + std::to_string(i) + "\",\"" + std::to_string(100000 + i % 300000) +
         "\",\"0\",\"1\",\"True\",\"None\"\n";
  return s;
}

/// `Get-WinEvent | Export-Csv` with `n` event 6 records of distinct filters.
std::string events_csv(std::size_t n) {
  std::string s = "\"Message\",\"Id\",\"ProviderName\"\n";
  for (std::size_t i = 0; i < n; ++i)
    s += "\"File System Filter 'f" + std::to_string(i) +
         "' (10.0, 2020-01-01T00:00:00.000000000Z) has successfully loaded and registered with "
         "Filter Manager.\",\"6\",\"Microsoft-Windows-FilterManager\"\n";
  return s;
}

} // namespace

TEST_SUITE("observed bad input") {
  TEST_CASE("1e999 in an NtObjectManager JSON export: exit 2 at its line, not an internal error") {
    const fs::path f = bad("ntobject_number_overflow.json");
    const auto st = observed::parse_observed(test::read_file(f), "x.json");
    CHECK(codes_at_lines(st.diagnostics) == "observed-row@6");
    const test::CliRun r = test::run_fltsim({"import", f.string()});
    CHECK(r.code == 2);
    CHECK(r.err.find(":6:1: error[observed-row]: the JSON export holds a value that cannot be "
                     "read: number overflow") != std::string::npos);
  }

  TEST_CASE("1e999 in a Get-WinEvent JSON event log: exit 2 at its line") {
    const fs::path f = bad("events_number_overflow.json");
    const auto log = observed::parse_filter_events(test::read_file(f), "e.json");
    CHECK(codes_at_lines(log.diagnostics) == "events-row@4");
    CHECK(log.events.empty());
    const test::CliRun r = test::run_fltsim(
        {"import", observed_corpus("01-en-fltmc-prompt.txt").string(), "--events", f.string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("error[events-row]") != std::string::npos);
  }

  TEST_CASE("a CSV event log with a quote never closed is refused in linear time") {
    // Small: the record that opens the quote is named.
    const auto small =
        observed::parse_filter_events(test::read_file(bad("events_unclosed_quote.csv")), "e.csv");
    CHECK(codes_at_lines(small.diagnostics) == "events-row@3");
    // Large (the finding: 52 s): a quote opened on line 2 and 200,000 lines after it.
    std::string text = "\"Message\",\"Id\"\n\"File System Filter 'a\n";
    for (int i = 0; i < 200000; ++i)
      text += "x,\"6\"\n";
    observed::FilterEventLog log;
    CHECK(seconds([&] { log = observed::parse_filter_events(text, "e.csv"); }) < 2.0);
    CHECK(codes_at_lines(log.diagnostics) == "limit@2");
  }

  TEST_CASE("an NtObjectManager CSV of 1,000,000 records is refused at the row limit") {
    const std::string text = ntobject_csv(1000000);
    observed::ObservedStack st;
    CHECK(seconds([&] { st = observed::parse_observed(text, "big.csv"); }) < 5.0);
    CHECK(st.sections.empty());
    CHECK(codes_at_lines(st.diagnostics) ==
          "limit@" + std::to_string(observed::max_capture_rows + 2)); // header is line 1
  }

  TEST_CASE("capture rows: max_capture_rows is read, one more is refused") {
    for (const std::size_t n : {observed::max_capture_rows, observed::max_capture_rows + 1}) {
      CAPTURE(n);
      const auto csv = observed::parse_observed(ntobject_csv(n), "n.csv");
      std::string text = "Filter Name                     Num Instances    Altitude    Frame\n"
                         "------------------------------  -------------  ------------  -----\n";
      for (std::size_t i = 0; i < n; ++i)
        text += "f" + std::to_string(i) + "                                1       " +
                std::to_string(100000 + i % 300000) + "         0\n";
      const auto fltmc = observed::parse_observed(text, "n.txt");
      if (n == observed::max_capture_rows) {
        CHECK(csv.diagnostics.empty());
        CHECK(fltmc.diagnostics.empty());
        REQUIRE(fltmc.sections.size() == 1);
        CHECK(fltmc.sections[0].filters.size() == n);
      } else {
        CHECK(codes_at_lines(csv.diagnostics) == "limit@" + std::to_string(n + 1));
        CHECK(codes_at_lines(fltmc.diagnostics) == "limit@" + std::to_string(n + 2));
        CHECK(fltmc.sections.empty());
      }
    }
  }

  TEST_CASE("filters imported from one listing: max_import_filters, and one more refused") {
    for (const std::size_t n : {observed::max_import_filters, observed::max_import_filters + 1}) {
      CAPTURE(n);
      std::string text = "Filter Name                     Num Instances    Altitude    Frame\n"
                         "------------------------------  -------------  ------------  -----\n";
      for (std::size_t i = 0; i < n; ++i)
        text += "f" + std::to_string(i) + "                                1       " +
                std::to_string(300000 + i) + "         0\n";
      const auto st = observed::parse_observed(text, "n.txt");
      REQUIRE(st.diagnostics.empty());
      const auto res = observed::import_observed(st, "n.txt");
      if (n == observed::max_import_filters) {
        CHECK(res.scenario.has_value());
        CHECK(res.reproduces);
      } else {
        CHECK_FALSE(res.scenario.has_value());
        CHECK(codes_at_lines(res.errors) == "limit@" + std::to_string(n + 2));
      }
    }
  }

  TEST_CASE("record size: max_record_bytes is read, one byte more is refused") {
    for (const std::size_t extra : {std::size_t{0}, std::size_t{1}}) {
      CAPTURE(extra);
      // NtObjectManager CSV: one record line of exactly max_record_bytes (+ extra).
      std::string head = "\"Name\",\"Altitude\",\"FrameID\",\"NumberOfInstances\",\"MiniFilter\"\n";
      std::string rec = "\"\",\"328010\",\"0\",\"1\",\"True\"";
      std::string name(observed::max_record_bytes + extra - rec.size(), 'a');
      rec.insert(1, name);
      REQUIRE(rec.size() == observed::max_record_bytes + extra);
      const auto st = observed::parse_observed(head + rec + "\n", "r.csv");
      // Event log: one message of exactly that size.
      std::string ev = "\"Message\",\"Id\"\n";
      std::string msg = "\"File System Filter 'x' ,\",\"6\"";
      msg.insert(msg.size() - 6, std::string(observed::max_record_bytes + extra - msg.size(), 'b'));
      REQUIRE(msg.size() == observed::max_record_bytes + extra);
      const auto log = observed::parse_filter_events(ev + msg + "\n", "r.csv");
      if (extra == 0) {
        CHECK(codes_at_lines(st.diagnostics).find("limit") == std::string::npos);
        CHECK(codes_at_lines(log.diagnostics).find("limit") == std::string::npos);
      } else {
        CHECK(codes_at_lines(st.diagnostics) == "limit@2");
        CHECK(codes_at_lines(log.diagnostics) == "limit@2");
      }
    }
  }

  TEST_CASE("JSON nesting: max_json_depth levels are parsed, one more is refused") {
    for (const int depth : {observed::max_json_depth, observed::max_json_depth + 1}) {
      CAPTURE(depth);
      // The outer array (level 1) holds one object (level 2) whose member nests arrays until
      // `depth` levels in all.
      const std::string nested = std::string(static_cast<std::size_t>(depth - 2), '[') +
                                 std::string(static_cast<std::size_t>(depth - 2), ']');
      const std::string text = "[{\"Name\":\"WdFilter\",\"Altitude\":\"328010\",\"FrameID\":0,"
                               "\"NumberOfInstances\":1,\"MiniFilter\":true,\"X\":" +
                               nested + "}]";
      const auto st = observed::parse_observed(text, "d.json");
      const std::string ev = "[{\"Message\":\"File System Filter 'x' (1.0) has successfully "
                             "loaded\",\"Id\":6,\"X\":" +
                             nested + "}]";
      const auto log = observed::parse_filter_events(ev, "d.json");
      if (depth == observed::max_json_depth) {
        CHECK(st.diagnostics.empty());
        CHECK(log.diagnostics.empty());
      } else {
        CHECK(codes_at_lines(st.diagnostics) == "limit@1");
        CHECK(codes_at_lines(log.diagnostics) == "limit@1");
      }
    }
    // 100,000 levels (the fleet finding, here for captures and event logs): refused, no crash.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string deep_export = "[{\"Name\":\"WdFilter\",\"Altitude\":\"328010\",\"FrameID\":0,"
                                    "\"MiniFilter\":true,\"X\":" +
                                    deep + "}]";
    CHECK(codes_at_lines(observed::parse_observed(deep_export, "d.json").diagnostics) == "limit@1");
    CHECK(codes_at_lines(observed::parse_filter_events(deep, "d.json").diagnostics) == "limit@1");
  }

  TEST_CASE("event records: max_event_records are read, one more is refused") {
    for (const std::size_t n : {observed::max_event_records, observed::max_event_records + 1}) {
      CAPTURE(n);
      const auto log = observed::parse_filter_events(events_csv(n), "n.csv");
      if (n == observed::max_event_records) {
        CHECK(log.diagnostics.empty());
        CHECK(log.events.size() == n);
      } else {
        CHECK(codes_at_lines(log.diagnostics) == "limit@" + std::to_string(n + 1));
        CHECK(log.events.empty());
      }
    }
  }

  TEST_CASE("compare reports a legacy filter that an fltmc instances listing lacks") {
    test::TempDir dir;
    const fs::path scenario = dir.path() / "s.yaml";
    test::write_bytes(
        scenario, "scenario: a legacy filter and a minifilter\n"
                  "drivers:\n"
                  "  - {name: AVLegacy, kind: legacy, group: FSFilter Anti-Virus, start: boot}\n"
                  "  - {name: FileInfo, group: FSFilter Bottom, start: boot, altitude: 40500}\n");
    const fs::path capture = bad("instances_without_the_legacy_filter.txt");
    const test::CliRun r =
        test::run_fltsim({"compare", scenario.string(), capture.string(), "--format", "json"});
    CHECK(r.code == 1);
    CHECK(r.out.find("\"not-observed\"") != std::string::npos);
    CHECK(r.out.find("AVLegacy") != std::string::npos);
  }

  TEST_CASE("a piped findstr listing that kept its header is partial") {
    const fs::path capture = bad("findstr_kept_the_header.txt");
    const auto st = observed::parse_observed(test::read_file(capture), "f.txt");
    CHECK(st.diagnostics.empty());
    CHECK(st.truncated());
    const test::CliRun r = test::run_fltsim({"import", capture.string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("error[observed-partial]") != std::string::npos);
    CHECK(r.err.find("findstr") != std::string::npos);
  }

  TEST_CASE("a capture read from a pipe is read whole (process substitution, FIFO)") {
    test::TempDir dir;
    const fs::path fifo = dir.path() / "capture.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Two listings, more than 8 KB in all: the first bytes must not be lost to a peek.
    std::string text = test::read_file(observed_corpus("20-several-listings.txt"));
    std::string padding;
    while (padding.size() < 12000)
      padding += "# padding line so that the listing starts after the first 8 KB\n";
    text = padding + text;
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << text; });
    const fs::path out = dir.path() / "s.yaml";
    const test::CliRun r = test::run_fltsim({"import", fifo.string(), "-o", out.string()});
    writer.join();
    CHECK(r.code == 0);
    INFO(r.err);
    const test::CliRun plain =
        test::run_fltsim({"import", observed_corpus("20-several-listings.txt").string()});
    CHECK(test::read_file(out).find("drivers:") != std::string::npos);
    CHECK(r.out.find("drivers from the") != std::string::npos);
    CHECK(plain.code == 0);
  }
}
