// Fuzzes the fleet's JSONL reader: bytes -> one JSONL line -> split_machine_json_line ->
// parse_machine_scenario (the one-pass JSON reader, else the scenario YAML reader). Diagnostics
// point into the line; a record read by the fast reader reads the same through the YAML reader
// (the fast reader only takes what the YAML reader reads the same way); an accepted record
// simulates, keeps the frame invariants and is classified against a change without a crash.
#include <cstdint>
#include <string>

#include "fltsim/fleet/fleet.hpp"
#include "fltsim/fleet/fleet_input.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fuzz_common.hpp"

using namespace fltsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string line(fuzz::as_text(data, size));
  if (const auto nl = line.find('\n'); nl != std::string::npos)
    line.resize(nl); // one record is one line
  const fleet::MachineEnvelope env = fleet::split_machine_json_line(line, "f.jsonl", 7);
  for (const sim::Diagnostic &d : env.diagnostics) {
    fuzz::check_diagnostic(d, 0);
    FUZZ_CHECK(d.location.line == 7);
    FUZZ_CHECK(d.location.column >= 1 && d.location.column <= static_cast<int>(line.size()) + 1);
  }
  const fleet::MachineRecord rec = fleet::parse_machine_scenario(env);
  FUZZ_CHECK(rec.scenario.has_value() == rec.diagnostics.empty());
  for (const sim::Diagnostic &d : rec.diagnostics)
    fuzz::check_diagnostic(d, 0);
  if (!rec.scenario)
    return 0;
  const fleet::MachineRecord yaml = fleet::parse_machine_scenario_yaml(env);
  FUZZ_CHECK(yaml.scenario.has_value());
  FUZZ_CHECK(manifest::write_scenario_yaml(*yaml.scenario) ==
             manifest::write_scenario_yaml(*rec.scenario));
  fuzz::check_engine(*rec.scenario, size, 24);
  fleet::Change change;
  sim::Driver av;
  av.name = "FuzzAV";
  av.group = "FSFilter Anti-Virus";
  av.start = sim::StartType::boot;
  av.instances.push_back({"FuzzAV Instance", sim::Altitude::from_literal("328010"), 0, {}, {}});
  av.default_instance = "FuzzAV Instance";
  change.add.push_back(av);
  const fleet::MachineResult r =
      fleet::evaluate_machine(rec.machine, rec.build, *rec.scenario, change);
  FUZZ_CHECK(r.outcome != fleet::Outcome::input_error || !r.errors.empty());
  return 0;
}
