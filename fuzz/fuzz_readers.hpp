#pragma once
// Checks shared by the INF and .reg harnesses.
#include <string>
#include <string_view>

#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/sim/engine.hpp"
#include "fuzz_common.hpp"

namespace fltsim::fuzz {

inline void check_reader_result(const manifest::IncludeResult &r, std::string_view text,
                                const std::string &source) {
  const int lines = count_lines(text);
  for (const sim::Diagnostic &d : r.diagnostics) {
    check_diagnostic(d, lines);
    FUZZ_CHECK(d.location.file == source);
  }
  for (const sim::Driver &d : r.drivers) {
    FUZZ_CHECK(!d.name.empty());
    FUZZ_CHECK(d.location.line >= 0 && d.location.line <= lines + 1);
    for (const sim::Instance &i : d.instances)
      FUZZ_CHECK(i.altitude.text().size() <= sim::Altitude::max_length);
  }
  if (r.drivers.empty())
    return;
  sim::Scenario sc;
  sc.title = "fuzz";
  sc.drivers = r.drivers;
  const sim::SimResult res = sim::simulate(sc);
  if (res.input_errors.empty())
    check_frame_invariants(sc, res);
}

} // namespace fltsim::fuzz
