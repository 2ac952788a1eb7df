// Fuzzes the YAML scenario reader end to end: bytes -> decode_text -> parse_scenario_yaml (with an
// include loader) and parse_driver_yaml. Accepted scenarios must survive the writer round trip
// (write_scenario_yaml -> parse -> write gives the same text) and the engine's invariants.
#include <cstdint>
#include <string>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fuzz_common.hpp"

using namespace fltsim;

namespace {

manifest::IncludeResult fake_include(const std::string &path, const sim::SourceLocation &where) {
  manifest::IncludeResult r;
  if (path.size() % 2 == 0) {
    r.diagnostics.push_back({where, "include", "included file '" + path + "' does not exist"});
    return r;
  }
  sim::Driver d;
  d.name = path;
  d.start = sim::StartType::boot;
  d.instances.push_back({path + " Instance", sim::Altitude::from_literal("385100"), 0, {}, where});
  d.default_instance = d.instances.back().name;
  d.location = where;
  r.drivers.push_back(std::move(d));
  return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const io::DecodedText decoded = io::decode_text(fuzz::as_text(data, size), "f.yaml");
  if (!decoded.text) {
    fuzz::check_diagnostic(decoded.error, 0);
    FUZZ_CHECK(decoded.error.code == "encoding");
    return 0;
  }
  const std::string &text = *decoded.text;
  const int lines = fuzz::count_lines(text);

  const manifest::IncludeResult one = manifest::parse_driver_yaml(text, "f.yaml");
  fuzz::check_diagnostics(one.diagnostics, lines);
  FUZZ_CHECK(one.drivers.size() <= 1);
  FUZZ_CHECK(one.diagnostics.empty() == (one.drivers.size() == 1));

  const manifest::ScenarioLoad load = manifest::parse_scenario_yaml(text, "f.yaml", fake_include);
  for (const sim::Diagnostic &d : load.diagnostics)
    fuzz::check_diagnostic(d, d.location.file == "f.yaml" ? lines : 0);
  FUZZ_CHECK(load.scenario.has_value() == load.diagnostics.empty());
  if (!load.scenario)
    return 0;
  const sim::Scenario &sc = *load.scenario;

  // Writer round trip: what we write, we read back to the same scenario.
  const std::string written = manifest::write_scenario_yaml(sc, "round trip");
  const manifest::ScenarioLoad back = manifest::parse_scenario_yaml(written, "back.yaml");
  if (!back.scenario) {
    for (const sim::Diagnostic &d : back.diagnostics)
      std::fprintf(stderr, "%s\n", sim::format_diagnostic(d).c_str());
    std::fprintf(stderr, "--- written:\n%s\n", written.c_str());
  }
  FUZZ_CHECK(back.scenario.has_value());
  FUZZ_CHECK(manifest::write_scenario_yaml(*back.scenario, "round trip") == written);

  fuzz::check_engine(sc, size, text.size());
  return 0;
}
