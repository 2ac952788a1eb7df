// Replays every input that once made a fuzz harness fail (tests/bad_input/fuzz_regressions/
// <harness>/) through the code that harness drives, so the sanitizer build of the test suites
// keeps checking them. Each file also has its expected outcome here.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "fltsim/fleet/fleet_input.hpp"
#include "fltsim/fleet/summary_json.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/inf_reader.hpp"
#include "fltsim/manifest/reg_reader.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/observed/observed_import.hpp"
#include "fltsim/sim/altitude.hpp"
#include "fltsim/sim/engine.hpp"
#include "support.hpp"

using namespace fltsim;
namespace fs = std::filesystem;

namespace {

/// Runs the reader a harness drives on `bytes`; returns the diagnostic codes.
std::vector<std::string> replay(const std::string &harness, const std::string &bytes) {
  std::vector<std::string> codes;
  if (harness == "fuzz_fleet_jsonl") {
    // The raw bytes as one record line (the harness does not decode): every diagnostic points
    // into the line, at column 1 or later.
    const std::string line = bytes.substr(0, bytes.find('\n'));
    const fleet::MachineEnvelope env = fleet::split_machine_json_line(line, "regression", 7);
    for (const sim::Diagnostic &d : env.diagnostics) {
      CHECK(d.location.line == 7);
      CHECK(d.location.column >= 1);
      CHECK(d.location.column <= static_cast<int>(line.size()) + 1);
      codes.push_back(d.code);
    }
    return codes;
  }
  if (harness == "fuzz_fleet_summary") {
    // As the harness: the bytes as a summary document, its error located in them.
    sim::Diagnostic error;
    const auto summary = fleet::read_summary(bytes, "regression", error);
    if (!summary)
      codes.push_back(error.code);
    return codes;
  }
  const io::DecodedText text = io::decode_text(bytes, "regression");
  if (!text.text)
    return {text.error.code};
  auto collect = [&](const std::vector<sim::Diagnostic> &diags) {
    for (const sim::Diagnostic &d : diags)
      codes.push_back(d.code);
  };
  if (harness == "fuzz_scenario_yaml") {
    // As the harness: a per-driver manifest gives its driver exactly when it has no diagnostic.
    const manifest::IncludeResult one = manifest::parse_driver_yaml(*text.text, "regression");
    CHECK(one.drivers.size() <= 1);
    CHECK(one.diagnostics.empty() == (one.drivers.size() == 1));
    const manifest::ScenarioLoad load = manifest::parse_scenario_yaml(*text.text, "regression");
    collect(load.diagnostics);
    if (load.scenario) {
      const sim::SimResult r = sim::simulate(*load.scenario);
      collect(r.input_errors);
      // The harness's writer round trip: what is written reads back and writes the same text.
      const std::string written = manifest::write_scenario_yaml(*load.scenario);
      const auto back = manifest::parse_scenario_yaml(written, "regression-back");
      REQUIRE(back.scenario.has_value());
      CHECK(manifest::write_scenario_yaml(*back.scenario) == written);
    }
  } else if (harness == "fuzz_inf") {
    collect(manifest::parse_inf(*text.text, "regression").diagnostics);
  } else if (harness == "fuzz_reg") {
    collect(manifest::parse_reg(*text.text, "regression").diagnostics);
  } else if (harness == "fuzz_observed") {
    // As the harness: what import says re-simulates to the observed frames, compare agrees with
    // (no frame, frame-count or frame-range difference).
    const observed::ObservedStack st = observed::parse_observed(*text.text, "regression");
    collect(st.diagnostics);
    const observed::ImportResult res = observed::import_observed(st, "regression");
    if (res.scenario && res.reproduces && st.diagnostics.empty()) {
      const sim::SimResult r = sim::simulate(*res.scenario);
      const observed::Comparison cmp = observed::compare_observed(*res.scenario, r, st, "x");
      for (const observed::Difference &d : cmp.differences)
        CHECK((d.kind == observed::DifferenceKind::altitude ||
               d.kind == observed::DifferenceKind::order ||
               d.kind == observed::DifferenceKind::instances));
    }
  } else if (harness == "fuzz_altitude") {
    // Up to three altitudes separated by 0xFF, as the harness splits them.
    std::stringstream parts(*text.text);
    for (std::string part; std::getline(parts, part, '\xFF');) {
      const auto a = sim::Altitude::parse(part);
      if (!a) {
        codes.push_back("invalid-altitude");
        continue;
      }
      const auto canonical = sim::Altitude::parse(a->canonical());
      REQUIRE(canonical.has_value());
      CHECK(*canonical == *a);
    }
  } else if (harness == "fuzz_decode") {
    // decoding alone
  } else {
    FAIL("no replay for harness " << harness);
  }
  return codes;
}

// Expected diagnostic codes per reproducer (harness/file).
const std::map<std::string, std::vector<std::string>> kExpected = {
    {"fuzz_scenario_yaml/group_order_list_use_after_scope.yaml", {}},
    {"fuzz_scenario_yaml/title_with_carriage_returns.yaml", {}},
    // Its document is one flow mapping of driver keys (name, a misspelt group, start, altitude):
    // as a scenario, each of the four is an unknown key.
    {"fuzz_scenario_yaml/driver_with_unknown_key_was_returned.yaml",
     {"unknown-key", "unknown-key", "unknown-key", "unknown-key"}},
    {"fuzz_altitude/canonical_form_over_length_limit.txt", {"invalid-altitude"}},
    // bindflt's FLT_FILTER line says 409801, its instance and Frame 0's range 409800: import no
    // longer claims the scenario reproduces the frames (compare reports the range).
    {"fuzz_observed/fltkd-filter-altitude-apart-from-instance.txt", {}},
    // A UTF-16 BOM and an odd byte count: the encoding error at column 1 of the record's line.
    {"fuzz_fleet_jsonl/utf16-bom-odd-bytes.jsonl", {"encoding"}},
    // "fltsim_fleet_summary": 7.8e62 (a float far outside int) was converted to int to compare
    // it with 1, undefined behaviour; it is now not a summary.
    {"fuzz_fleet_summary/version-float-outside-int.json", {"fleet-summary"}},
};

} // namespace

TEST_CASE("fuzz regressions: every reproducer replays with its expected outcome") {
  const fs::path root = test::source_root() / "tests/bad_input/fuzz_regressions";
  std::size_t replayed = 0;
  for (const auto &dir : fs::directory_iterator(root)) {
    if (!dir.is_directory())
      continue;
    const std::string harness = dir.path().filename().string();
    for (const auto &f : fs::directory_iterator(dir.path())) {
      const std::string name = f.path().filename().string();
      if (name == "README.md")
        continue;
      const std::string key = harness + "/" + name;
      CAPTURE(key);
      const auto expected = kExpected.find(key);
      REQUIRE_MESSAGE(expected != kExpected.end(), "add the reproducer to kExpected");
      CHECK(replay(harness, test::read_file(f.path())) == expected->second);
      ++replayed;
    }
  }
  CHECK(replayed == kExpected.size());
}
