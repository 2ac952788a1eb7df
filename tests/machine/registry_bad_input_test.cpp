// Damaged and crafted hives (tests/bad_input/hives/, written by make_bad_hives.py from
// tests/corpus/machine/system_small.hiv): each gives its exact diagnostic, never a wrong stack
// (docs/machine-import.md#damaged-hives).
#include <doctest/doctest.h>

#include <string>

#include "fltsim/io/platform.hpp"
#include "fltsim/machine/machine_import.hpp"
#include "fltsim/sim/engine.hpp"
#include "machine/machine_support.hpp"

namespace m = fltsim::machine;
namespace sim = fltsim::sim;

namespace {

std::string hive(const std::string &name) {
  return std::string(FLTSIM_SOURCE_ROOT) + "/tests/bad_input/hives/" + name;
}

const sim::Diagnostic *find(const std::vector<sim::Diagnostic> &ds, const std::string &code) {
  for (const auto &d : ds)
    if (d.code == code)
      return &d;
  return nullptr;
}

} // namespace

// Under wine the hive loader (RegLoadAppKeyW) is a stub: machine_import_test.cpp checks that it
// refuses cleanly there; what a damaged hive does is checked where a hive can be read.
TEST_SUITE("bad hive" * doctest::skip(fltsim::io::running_under_wine())) {

  TEST_CASE("bad hive: a value named Altitude\\0X does not override the real Altitude") {
    const m::MachineImport imp = m::import_machine_file(hive("nul_value_name.hiv"));
    REQUIRE(imp.scenario);
    const sim::Driver *a = driver(*imp.scenario, "AlphaMon");
    REQUIRE(a);
    REQUIRE(a->instances.size() == 1);
    CHECK(a->instances[0].altitude.text() == "385101");
    const sim::Diagnostic *w = find(imp.warnings, "hive-bad-name");
    REQUIRE(w);
    CHECK(w->location.file == hive("nul_value_name.hiv"));
    CHECK(w->message.find("[ControlSet001\\Services\\AlphaMon\\Instances\\AlphaMon Instance]") !=
          std::string::npos);
    CHECK(w->message.find("a value is named \"Altitude\\0X\"") != std::string::npos);
  }

  TEST_CASE("bad hive: a key named Services\\Evil is no phantom filter") {
    const m::MachineImport imp = m::import_machine_file(hive("backslash_key_name.hiv"));
    REQUIRE(imp.scenario);
    CHECK(driver(*imp.scenario, "Evil") == nullptr);
    const sim::Diagnostic *w = find(imp.warnings, "hive-bad-name");
    REQUIRE(w);
    CHECK(w->message.find("a subkey is named \"Services\\Evil\"") != std::string::npos);
    CHECK(w->message.find("[ControlSet001]") != std::string::npos);
  }

  TEST_CASE("bad hive: a key listed under itself is refused, in bounded memory") {
    const m::MachineImport imp = m::import_machine_file(hive("self_loop.hiv"));
    CHECK_FALSE(imp.scenario);
    const sim::Diagnostic *e = find(imp.errors, "hive-damaged");
    REQUIRE(e);
    CHECK(e->message.find("[ControlSet001\\Loop\\Loop]") != std::string::npos);
    CHECK(e->message.find("reached a second time") != std::string::npos);
  }

  TEST_CASE("bad hive: subkeys shared by two parents (a DAG) are refused") {
    const m::MachineImport imp = m::import_machine_file(hive("shared_subkeys.hiv"));
    CHECK_FALSE(imp.scenario);
    const sim::Diagnostic *e = find(imp.errors, "hive-damaged");
    REQUIRE(e);
    CHECK(e->message.find("[ControlSet001\\Dag\\A]") != std::string::npos);
  }

  TEST_CASE("bad hive: a wrong subkey count in the control set refuses the import") {
    const m::MachineImport imp = m::import_machine_file(hive("wrong_subkey_count.hiv"));
    CHECK_FALSE(imp.scenario);
    const sim::Diagnostic *w = find(imp.warnings, "hive-damaged");
    REQUIRE(w);
    CHECK(w->message.find("[ControlSet001\\Control]") != std::string::npos);
    CHECK(w->message.find("subkey list cannot be read") != std::string::npos);
    const sim::Diagnostic *e = find(imp.errors, "hive-damaged");
    REQUIRE(e);
    CHECK(e->message.find("[ControlSet001\\Control]") != std::string::npos);
  }

  TEST_CASE("bad hive: a wrong value count refuses the import") {
    const m::MachineImport imp = m::import_machine_file(hive("wrong_value_count.hiv"));
    CHECK_FALSE(imp.scenario);
    const sim::Diagnostic *w = find(imp.warnings, "hive-damaged");
    REQUIRE(w);
    CHECK(w->message.find("[ControlSet001\\Services\\AlphaMon\\Instances\\AlphaMon Instance]") !=
          std::string::npos);
    CHECK(w->message.find("value list cannot be read") != std::string::npos);
  }

  TEST_CASE("bad hive: each limit of the hive walk holds at the limit and refuses one past it") {
    const std::string small =
        std::string(FLTSIM_SOURCE_ROOT) + "/tests/corpus/machine/system_small.hiv";
    const m::RegistryRead all = m::read_system_hive(small);
    REQUIRE(all.errors.empty());
    const std::size_t keys = all.snapshot.key_count();
    const std::size_t values = all.snapshot.value_count();
    std::size_t depth = 0, per_key = 0;
    for (const auto &[k, key] : all.snapshot.keys()) {
      std::size_t d = k.empty() ? 0 : 1;
      for (char c : k)
        d += c == '\\' ? 1 : 0;
      depth = std::max(depth, d);
      per_key = std::max(per_key, key.values.size());
    }
    auto refused = [&](const m::RegistryLimits &l) {
      const m::RegistryRead r = m::read_system_hive(small, l);
      return r.errors.size() == 1 && r.errors[0].code == "limit";
    };
    m::RegistryLimits l;
    l.max_keys = keys;
    CHECK_FALSE(refused(l));
    l.max_keys = keys - 1;
    CHECK(refused(l));
    l = {};
    l.max_values = values;
    CHECK_FALSE(refused(l));
    l.max_values = values - 1;
    CHECK(refused(l));
    l = {};
    l.max_values_per_key = per_key;
    CHECK_FALSE(refused(l));
    l.max_values_per_key = per_key - 1;
    CHECK(refused(l));
    l = {};
    l.max_depth = depth;
    CHECK_FALSE(refused(l));
    l.max_depth = depth - 1;
    CHECK(refused(l));
  }

  TEST_CASE("bad hive: a value's type word outside the REG_* numbers is kept as raw, not undefined "
            "behaviour (a fuzz_hive finding, the sanitizer build checks the read)") {
    const m::RegistryRead read = m::read_system_hive(hive("value_type_outside_enum.hiv"));
    bool odd_type = false;
    for (const auto &[path, key] : read.snapshot.keys())
      for (const m::RegValue &v : key.values)
        if (v.raw_type > 11u) {
          odd_type = true;
          CHECK(v.type == m::RegType::other);
        }
    CHECK(odd_type);
  }

} // TEST_SUITE("bad hive")
