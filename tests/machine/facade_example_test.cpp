// The worked example of machine/include/fltsim/machine/machine.hpp, compiled and run.
#include <doctest/doctest.h>

#include "fltsim/machine/machine.hpp"

namespace machine = fltsim::machine;

TEST_CASE("machine facade example: a boot-start Type 2 service in a filter group is a legacy "
          "filter") {
  machine::RegistrySnapshot reg;
  reg.key("Select").set(machine::RegValue::dword("Current", 1));
  machine::RegistryKey &av = reg.key("ControlSet001\\Services\\AVLegacy");
  av.set(machine::RegValue::dword("Type", 2));
  av.set(machine::RegValue::dword("Start", 0));
  av.set(machine::RegValue::sz("Group", "FSFilter Anti-Virus"));
  machine::MachineImport m = machine::import_machine(reg);
  REQUIRE(m.errors.empty());
  REQUIRE(m.scenario);
  CHECK(m.control_set == "ControlSet001");
  REQUIRE(m.scenario->drivers.size() == 1);
  const fltsim::sim::Driver &d = m.scenario->drivers[0];
  CHECK(d.name == "AVLegacy");
  CHECK(d.kind == fltsim::sim::DriverKind::legacy);
  CHECK(d.start == fltsim::sim::StartType::boot);
  REQUIRE(d.group);
  CHECK(*d.group == "FSFilter Anti-Virus");
}
