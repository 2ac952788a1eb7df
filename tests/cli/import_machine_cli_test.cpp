// `fltsim import` of a whole machine's registry (docs/machine-import.md): .reg export and hive
// give the same scenario; --observed says where configuration and observation disagree.
#include <doctest/doctest.h>

#include <fstream>

#include "cli_support.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace fltsim;

namespace {
fs::path fixture(const char *name) {
  return test::corpus_root() / "machine" / name;
}
// The YAML without the comment header (which names the input file).
std::string body(const std::string &yaml) {
  const auto at = yaml.find("\nscenario:");
  return at == std::string::npos ? yaml : yaml.substr(at);
}
} // namespace

TEST_SUITE("import machine") {
  TEST_CASE("a .reg export and its hive import to the same filters") {
    const auto reg = test::run_fltsim({"import", fixture("system_small.reg").string()});
    const auto hive = test::run_fltsim({"import", fixture("system_small.hiv").string()});
    CHECK(reg.code == 0);
    CHECK(hive.code == 0);
    CHECK(reg.out.find("name: OldLegacy") != std::string::npos);
    CHECK(reg.out.find("name: Tcpip") == std::string::npos); // named only in the note
    CHECK(reg.out.find("7 of 12 services are not filters") != std::string::npos);
    // Same drivers, tables and policies; only the title (the file name) differs.
    std::string a = body(reg.out), b = body(hive.out);
    const auto title_end = [](const std::string &s) { return s.find('\n', 1); };
    CHECK(a.substr(title_end(a)) == b.substr(title_end(b)));
  }

  TEST_CASE("--observed: agreement exits 0, a disagreement exits 1 and says where") {
    test::TempDir dir;
    const fs::path yaml = dir.path() / "machine.yaml";
    const auto imp =
        test::run_fltsim({"import", fixture("system_small.reg").string(), "-o", yaml.string()});
    REQUIRE(imp.code == 0);
    const auto sim = test::run_fltsim({"simulate", yaml.string(), "--format", "fltmc"});
    REQUIRE(sim.code == 0);
    const fs::path same = dir.path() / "same.txt";
    test::write_bytes(same, sim.out);
    auto r = test::run_fltsim(
        {"import", fixture("system_small.hiv").string(), "--observed", same.string()});
    CHECK(r.code == 0);
    CHECK(r.out.find("agree.") != std::string::npos);
    // The machine showed no OldLegacy: the configuration says it loads.
    std::string text = sim.out;
    const auto at = text.find("OldLegacy");
    REQUIRE(at != std::string::npos);
    text.erase(at, text.find('\n', at) + 1 - at);
    const fs::path differs = dir.path() / "differs.txt";
    test::write_bytes(differs, text);
    r = test::run_fltsim(
        {"import", fixture("system_small.reg").string(), "--observed", differs.string()});
    CHECK(r.code == 1);
    CHECK(r.err.find("configuration and observation disagree") != std::string::npos);
    CHECK(r.err.find("OldLegacy") != std::string::npos);
  }

  TEST_CASE("bad registry input is exit 2 with a located diagnostic") {
    test::TempDir dir;
    const fs::path bad = dir.path() / "bad.reg";
    test::write_bytes(bad, "not a registry export\n");
    auto r = test::run_fltsim({"import", bad.string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("bad.reg:1:1: error[reg-missing-header]") != std::string::npos);
    r = test::run_fltsim(
        {"import", fixture("system_small.reg").string(), "--control-set", "ControlSet009"});
    CHECK(r.code == 2);
    CHECK(r.err.find("machine-control-set") != std::string::npos);
    // --observed needs registry input.
    r = test::run_fltsim({"import", bad.string() + ".txt", "--observed", bad.string()});
    CHECK(r.code == 2);
  }
}
