// import and compare on the corpus captures (tests/corpus/fltmc): observed stacks become scenarios
// that re-simulate to what was observed; predictions are compared with observations; round trips.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/observed/observed_import.hpp"
#include "report.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace fltsim;

namespace {
using Run = test::CliRun;
using test::run;
fs::path sample(const std::string &prefix) {
  for (const auto &e : fs::directory_iterator(test::corpus_root() / "fltmc"))
    if (e.path().filename().string().rfind(prefix + "-", 0) == 0)
      return e.path();
  FAIL("no sample " << prefix);
  return {};
}
std::string read(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
} // namespace

TEST_SUITE("observed stacks") {
  TEST_CASE("every complete listing imports and re-simulates to the observed frames") {
    for (const char *id : {"01", "02", "07", "08", "09", "10", "11", "12"}) {
      CAPTURE(id);
      test::TempDir dir;
      const fs::path out = dir.path() / "imported.yaml";
      const Run imp = run({"import", sample(id).string(), "-o", out.string()});
      CHECK(imp.code == 0);
      REQUIRE(fs::exists(out));
      // The written scenario loads back and compares equal to what was observed.
      const Run cmp = run({"compare", out.string(), sample(id).string(), "--format", "json"});
      CHECK(cmp.code == 0);
      const auto j = nlohmann::json::parse(cmp.out);
      CHECK(j["match"] == true);
      CHECK(j["differences"].empty());
    }
  }

  TEST_CASE("an implausible instance count is refused, not turned into that many volumes") {
    // A fuzz finding: "3851000" (a Num Instances cell run into the altitude) made import create
    // 3.8 million placeholder volumes and run out of memory.
    const std::string listing =
        "Filter Name                     Num Instances    Altitude    Frame\n"
        "------------------------------  -------------  ------------  -----\n"
        "WdFilter                                5       328010         0\n"
        "storqosflt                        3851000       244000         0\n";
    const observed::ObservedStack obs = observed::parse_observed(listing, "big.txt");
    const observed::ImportResult res = observed::import_observed(obs, "big.txt");
    CHECK_FALSE(res.scenario);
    REQUIRE(res.errors.size() == 1);
    CHECK(res.errors[0].code == "observed-instances");
    CHECK(res.errors[0].location.line == 4);
    CHECK(res.errors[0].message.find("storqosflt") != std::string::npos);
  }

  TEST_CASE("import infers legacy groups from fltmgr altitudes and delays what must load later") {
    const observed::ObservedStack obs = observed::parse_observed(read(sample("01")), "01.txt");
    const observed::ImportResult res = observed::import_observed(obs, "01.txt");
    REQUIRE(res.scenario);
    CHECK(res.reproduces);
    const sim::Scenario &sc = *res.scenario;
    const auto &av_legacy = sc.drivers.at(static_cast<std::size_t>(sc.find_driver("AVLegacy")));
    CHECK(av_legacy.kind == sim::DriverKind::legacy);
    CHECK(av_legacy.group == "FSFilter Activity Monitor"); // 389998.99 in the listing (Q1)
    const auto &enc = sc.drivers.at(static_cast<std::size_t>(sc.find_driver("EncryptionLegacy")));
    CHECK(enc.group == "FSFilter Encryption");
    // AVMiniFilter sits in Frame 0 below both legacy filters: only a later start explains it.
    const auto &av = sc.drivers.at(static_cast<std::size_t>(sc.find_driver("AVMiniFilter")));
    CHECK(av.start != sim::StartType::boot);
    const sim::SimResult r = sim::simulate(sc);
    CHECK(r.frames.size() == 1);
    CHECK(std::any_of(r.findings.begin(), r.findings.end(),
                      [](const sim::Finding &f) { return f.code == "altitude-inversion"; }));
  }

  TEST_CASE("fragments and truncated listings give a partial-input message, not a stack") {
    for (const char *id : {"13", "15", "16"}) {
      CAPTURE(id);
      const Run imp = run({"import", sample(id).string()});
      CHECK(imp.code == 2);
      CHECK(imp.err.find("error[observed-") != std::string::npos);
    }
    // A `fltmc filters` listing cut in the middle of a row.
    test::TempDir dir;
    std::string text = read(sample("09"));
    text = text.substr(0, text.find("FileCrypt") + 14);
    const fs::path cut = dir.path() / "cut.txt";
    std::ofstream(cut, std::ios::binary) << text;
    const Run imp = run({"import", cut.string()});
    CHECK(imp.code == 2);
    CHECK(imp.err.find("partial input") != std::string::npos);
    const Run cmp =
        run({"compare", (test::source_root() / "scenarios/example_c_no_legacy.yaml").string(),
             cut.string()});
    CHECK(cmp.code == 2);
  }

  TEST_CASE("compare reports what differs: the blog listing's AVLegacy altitude (Q1)") {
    const Run cmp =
        run({"compare", (test::source_root() / "scenarios/blog_example_a.yaml").string(),
             sample("01").string(), "-f", "json"});
    CHECK(cmp.code == 1);
    const auto j = nlohmann::json::parse(cmp.out);
    CHECK(j["match"] == false);
    bool altitude = false, frame = false;
    for (const auto &d : j["differences"]) {
      if (d["kind"] == "altitude" && d["filter"] == "AVLegacy") {
        altitude = true;
        CHECK(d["predicted"] == "329998.99");
        CHECK(d["observed"] == "389998.99");
        CHECK(d["line"].get<int>() > 0);
      }
      frame = frame || d["kind"] == "frame";
    }
    CHECK(altitude);
    CHECK_FALSE(frame); // every minifilter is in the observed frame
    // The fixed scenario disagrees on frames with the unfixed machine.
    const Run fixed =
        run({"compare", (test::source_root() / "scenarios/blog_example_b_fixed.yaml").string(),
             sample("01").string(), "-f", "json"});
    CHECK(fixed.code == 1);
    const auto jf = nlohmann::json::parse(fixed.out);
    int frames = 0;
    for (const auto &d : jf["differences"])
      frames += d["kind"] == "frame" || d["kind"] == "frame-count";
    CHECK(frames >= 2);
  }

  TEST_CASE("round trip: simulate as fltmc and fltkd, then compare, matches for every scenario") {
    for (const auto &e : fs::recursive_directory_iterator(test::source_root() / "scenarios")) {
      if (!e.is_regular_file() || e.path().extension() != ".yaml")
        continue;
      CAPTURE(e.path().string());
      const auto load = inputs::load_scenario_file(e.path());
      REQUIRE(load.scenario);
      const sim::SimResult r = sim::simulate(*load.scenario);
      if (!r.input_errors.empty())
        continue; // scenarios that must be rejected
      for (const std::string &text : {observed::write_fltmc_filters(*load.scenario, r),
                                      observed::write_fltkd_frames(*load.scenario, r)}) {
        const auto obs = observed::parse_observed(text, "roundtrip.txt");
        const auto c = observed::compare_observed(*load.scenario, r, obs, "roundtrip.txt");
        REQUIRE(c.errors.empty());
        for (const auto &d : c.differences)
          INFO(d.message);
        CHECK(c.match);
      }
    }
  }
}

TEST_CASE("end to end: import a real machine's listing, then plan fixes its inversion") {
  test::TempDir dir;
  const fs::path imported = dir.path() / "machine.yaml";
  REQUIRE(run({"import", sample("01").string(), "-o", imported.string()}).code == 0);
  // The imported machine has the blog's inversion...
  const Run sim = run({"simulate", imported.string(), "-f", "json"});
  CHECK(sim.code == 1);
  // ...and the planner finds a verified dummy that removes it.
  const fs::path fixed = dir.path() / "machine-fixed.yaml";
  const Run plan =
      run({"plan", imported.string(), "--format", "json", "--emit-scenario", fixed.string()});
  CHECK(plan.code == 0);
  const auto j = nlohmann::json::parse(plan.out);
  CHECK(j["status"] == "fixed");
  CHECK(j["verified"] == true);
  CHECK(j["dummies"].size() == 1);
  CHECK(j["after_findings"].empty());
  const Run after = run({"simulate", fixed.string()});
  CHECK(after.code == 0);
}

TEST_CASE("import of a driver INF or a scenario says what it is and which command reads it") {
  const std::string inf = (test::corpus_root() / "inf" / "wds-nullFilter.inf").string();
  const Run r = run({"import", inf});
  CHECK(r.code == 2);
  CHECK(r.err.find("is a driver INF, not an observation") != std::string::npos);
  CHECK(r.err.find("fltsim check " + inf) != std::string::npos);
  CHECK(r.err.find("observed-row") == std::string::npos); // no half-read "rows" of the INF
  const std::string yaml = (test::source_root() / "scenarios/blog_example_a.yaml").string();
  const Run s = run({"import", yaml});
  CHECK(s.code == 2);
  CHECK(s.err.find("fltsim simulate " + yaml) != std::string::npos);
}
