// Runs every scenarios/**/*.yaml through manifest -> engine and checks the outcome the file states
// in its `expect:` block: regressions are data, so a bug fix adds a YAML file, not C++.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/sim/engine.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace fltsim;

namespace {

std::vector<fs::path> all_scenarios() {
  std::vector<fs::path> out;
  for (const auto &e : fs::recursive_directory_iterator(test::source_root() / "scenarios"))
    if (e.is_regular_file() && inputs::manifest_type(e.path()) == inputs::ManifestType::yaml)
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

bool same_altitude(const sim::Altitude &a, const std::string &expected) {
  auto e = sim::Altitude::parse(expected);
  return e && *e == a;
}

std::string frames_text(const sim::SimResult &r) {
  std::string s;
  for (const auto &f : r.frames)
    s += (s.empty() ? "" : ", ") + f.low.canonical() + "-" + f.high.canonical();
  return s;
}

std::vector<std::string> stack_names(const sim::SimResult &r) {
  std::vector<std::string> out;
  for (const auto &e : r.stack)
    out.push_back(e.kind == sim::StackEntry::Kind::frame ? "Frame " + std::to_string(e.frame)
                                                         : e.name);
  return out;
}

// State after the last consecutive trace step of driver `name`'s first appearance.
std::optional<int> step_after(const sim::SimResult &full, const std::string &name) {
  const auto &t = full.trace;
  auto it =
      std::find_if(t.begin(), t.end(), [&](const sim::TraceStep &s) { return s.driver == name; });
  if (it == t.end())
    return std::nullopt;
  while (std::next(it) != t.end() && std::next(it)->driver == name)
    ++it;
  return it->step;
}

void check_scenario(const fs::path &path) {
  CAPTURE(path.string());
  manifest::ScenarioLoad load = inputs::load_scenario_file(path);
  for (const auto &d : load.diagnostics)
    INFO(sim::format_diagnostic(d));
  REQUIRE_MESSAGE(load.scenario.has_value(), "scenario loads");
  REQUIRE_MESSAGE(load.expect.has_value(), "every bundled scenario states its expected outcome");
  const sim::Scenario &sc = *load.scenario;
  const manifest::Expectation &ex = *load.expect;
  const sim::SimResult r = sim::simulate(sc);

  std::vector<std::string> input_codes;
  for (const auto &d : r.input_errors)
    input_codes.push_back(d.code);
  std::vector<std::string> expected_input = ex.input_errors.value_or(std::vector<std::string>{});
  std::sort(input_codes.begin(), input_codes.end());
  std::sort(expected_input.begin(), expected_input.end());
  CHECK(input_codes == expected_input);
  if (!expected_input.empty())
    return; // invalid input: the stack is not meaningful

  if (ex.load_order)
    CHECK(r.load_order == *ex.load_order);
  if (ex.frames) {
    REQUIRE(r.frames.size() == ex.frames->size());
    for (std::size_t i = 0; i < r.frames.size(); ++i) {
      const auto &f = r.frames[i];
      const auto &e = (*ex.frames)[i];
      CAPTURE(i);
      CHECK(f.id == e.id);
      CHECK_MESSAGE(same_altitude(f.low, e.low), f.low.text(), " vs ", e.low);
      CHECK_MESSAGE(same_altitude(f.high, e.high), f.high.text(), " vs ", e.high);
      if (e.filters) {
        std::vector<std::string> names;
        for (const auto &ff : f.filters)
          names.push_back(ff.name);
        CHECK(names == *e.filters);
      }
    }
  }
  if (ex.stack)
    CHECK(stack_names(r) == *ex.stack);
  if (ex.findings) {
    // Exact multiset: every expected finding matches a distinct actual one, nothing left over.
    std::vector<bool> used(r.findings.size(), false);
    for (const auto &e : *ex.findings) {
      bool matched = false;
      for (std::size_t i = 0; i < r.findings.size() && !matched; ++i) {
        const auto &f = r.findings[i];
        if (used[i] || f.code != e.code || (!e.drivers.empty() && f.drivers != e.drivers))
          continue;
        used[i] = matched = true;
      }
      CHECK_MESSAGE(matched, "expected finding ", e.code, " not reported");
    }
    for (std::size_t i = 0; i < r.findings.size(); ++i)
      CHECK_MESSAGE(used[i], "unexpected finding: ", r.findings[i].code, ": ",
                    r.findings[i].message);
  }
  for (const auto &st : ex.steps) {
    CAPTURE(st.after);
    const auto step = step_after(r, st.after);
    REQUIRE_MESSAGE(step.has_value(), "trace mentions ", st.after);
    sim::SimOptions opt;
    opt.stop_after_step = *step;
    const sim::SimResult partial = sim::simulate(sc, opt);
    std::string expected;
    for (const auto &f : st.frames)
      expected += (expected.empty() ? "" : ", ") + f;
    // Compare canonical decimals: "0-149998.99" style on both sides.
    std::string expected_canonical;
    for (const auto &f : st.frames) {
      const auto dash = f.find('-');
      REQUIRE(dash != std::string::npos);
      expected_canonical += (expected_canonical.empty() ? "" : ", ") +
                            sim::Altitude::from_literal(f.substr(0, dash)).canonical() + "-" +
                            sim::Altitude::from_literal(f.substr(dash + 1)).canonical();
    }
    CHECK(frames_text(partial) == expected_canonical);
  }
  if (ex.order_dependent)
    CHECK(sim::explore_tie_orders(sc).order_dependent == *ex.order_dependent);
  if (ex.volumes)
    for (const manifest::ExpectedVolume &ev : *ex.volumes) {
      CAPTURE(ev.volume);
      auto it = std::find_if(r.volumes.begin(), r.volumes.end(),
                             [&](const sim::VolumeStack &v) { return v.volume == ev.volume; });
      REQUIRE_MESSAGE(it != r.volumes.end(), "the scenario has volume ", ev.volume);
      if (ev.stack) {
        std::vector<std::string> names;
        for (int si : it->stack) {
          const sim::StackEntry &e = r.stack[static_cast<std::size_t>(si)];
          names.push_back(
              e.kind == sim::StackEntry::Kind::frame ? "Frame " + std::to_string(e.frame) : e.name);
        }
        CHECK(names == *ev.stack);
      }
      if (ev.filters) {
        std::vector<std::string> names;
        for (const auto &f : it->filters)
          names.push_back(f.name);
        CHECK(names == *ev.filters);
      }
      if (ev.skipped) {
        std::vector<std::string> names;
        for (const auto &k : it->skipped)
          names.push_back(sc.drivers[static_cast<std::size_t>(k.driver)].name);
        std::vector<std::string> want = *ev.skipped;
        std::sort(names.begin(), names.end());
        std::sort(want.begin(), want.end());
        CHECK(names == want);
      }
    }
}

} // namespace

TEST_CASE("every bundled scenario states its outcome and the engine reproduces it") {
  const auto paths = all_scenarios();
  REQUIRE(paths.size() >= 15);
  for (const auto &p : paths) {
    SUBCASE(p.filename().string().c_str()) {
      check_scenario(p);
    }
  }
}
