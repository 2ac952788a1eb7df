#pragma once
// fltsim machine facade: a Windows machine's filter configuration, read from its registry
// (docs/machine-import.md).
//
// Every source of registry data fills one typed RegistrySnapshot (a copy of HKLM\SYSTEM):
// read_reg_export() for a regedit / `reg export` file, read_system_hive() for an offline SYSTEM
// hive (libhivex), or a caller's own rows (osquery's `registry` table) through
// RegistrySnapshot::key() and RegValue. import_machine() then picks the control set
// (Select\Current), decides each service's kind with decide_service_kind() (service_kind.hpp,
// docs/model.md#kind-evidence: the one rule every reader shares, INF and .reg manifests included),
// reads ServiceGroupOrder, GroupOrderList and the attach policies (docs/model.md#volume-policies)
// and returns the scenario that reproduces the machine's load order. What it leaves out it
// counts in notes; nothing it returns is a scenario the engine refuses.
//
// Example (compiled and run by tests/machine/facade_example_test.cpp):
//
//   machine::RegistrySnapshot reg;
//   reg.key("Select").set(machine::RegValue::dword("Current", 1));
//   machine::RegistryKey &av = reg.key("ControlSet001\\Services\\AVLegacy");
//   av.set(machine::RegValue::dword("Type", 2));   // a file system driver ...
//   av.set(machine::RegValue::dword("Start", 0));  // ... started at boot ...
//   av.set(machine::RegValue::sz("Group", "FSFilter Anti-Virus")); // ... in a filter group
//   machine::MachineImport m = machine::import_machine(reg);
//   // m.control_set == "ControlSet001"; m.scenario->drivers[0]: AVLegacy, a legacy filter (K3),
//   // boot start, group FSFilter Anti-Virus; its altitude comes from the group (x9998.99).
//
// Guarantees: never throws; errors (nothing to import: no Services key, an ambiguous control set)
// and warnings (a value that could not be used) are located diagnostics of their severity.
#include "fltsim/machine/machine_import.hpp"
#include "fltsim/machine/service_kind.hpp"
