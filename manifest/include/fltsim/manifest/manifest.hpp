#pragma once
// fltsim manifest facade: the formats a driver is described in, each reader beside its writer.
//
//  * scenario YAML (scenario_yaml.hpp, docs/scenario-format.md): parse_scenario_yaml() and
//    write_scenario_yaml(), which round-trip; parse_driver_yaml() for one driver's manifest.
//  * INF (inf_reader.hpp, inf_writer.hpp): read as Windows reads it (byte-order mark, else the
//    ANSI code page; HKLM instance keys), written for the planner's dummy minifilters.
//  * .reg manifests (reg_reader.hpp): the services a .reg file installs.
// Each reader returns drivers plus located diagnostics (input errors) and notes (how evidence
// was read); a service's kind comes from machine::decide_service_kind (docs/model.md#kind-evidence), the
// rule every reader shares. Files are opened by the door (inputs/inputs.hpp), which also
// resolves a scenario's `include:` and `baseline:`; this module sees text, never the file
// system.
//
// Example (compiled and run by tests/manifest/facade_example_test.cpp):
//
//   manifest::ScenarioLoad load = manifest::parse_scenario_yaml(
//       "scenario: two filters\n"
//       "drivers:\n"
//       "  - {name: AVLegacy, kind: legacy, group: FSFilter Anti-Virus, start: boot}\n"
//       "  - {name: AVMini, kind: minifilter, start: boot, altitude: 328000}\n",
//       "example.yaml");
//   // load.scenario: two drivers; load.diagnostics empty.
//   std::string text = manifest::write_scenario_yaml(*load.scenario);
//   // parse_scenario_yaml(text, ...) gives an equal scenario.
#include "fltsim/manifest/inf_reader.hpp"
#include "fltsim/manifest/inf_writer.hpp"
#include "fltsim/manifest/reg_reader.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
