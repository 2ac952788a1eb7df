// The INF writer beside the INF reader: what render_minifilter_inf() writes reads back through
// parse_inf() to the same service (name, group, start type, FltMgr dependency, default instance
// with its altitude and flags), for groups with and without a setup class.
#include <doctest/doctest.h>

#include "fltsim/manifest/inf_reader.hpp"
#include "fltsim/manifest/inf_writer.hpp"

using namespace fltsim;

namespace {

sim::Driver minifilter(const std::string &name, const std::string &group, sim::StartType start,
                       const std::string &altitude, std::uint32_t flags) {
  sim::Driver d;
  d.name = name;
  d.group = group;
  d.start = start;
  d.depends_on = {"FltMgr"};
  d.instances.push_back({name + " Instance", sim::Altitude::from_literal(altitude), flags, {}, {}});
  d.default_instance = name + " Instance";
  return d;
}

} // namespace

TEST_SUITE("INF writer") {

  TEST_CASE("a written INF reads back to the same minifilter") {
    const sim::Driver cases[] = {
        minifilter("FrameDummy1", "FSFilter Anti-Virus", sim::StartType::boot, "329998.995", 0x1),
        minifilter("TopDummy", "Filter", sim::StartType::system, "420001", 0x0),
        minifilter("Enc_Dummy-2", "FSFilter Encryption", sim::StartType::automatic, "0141000.50",
                   0x3),
    };
    for (const sim::Driver &want : cases) {
      CAPTURE(want.name);
      const std::string text = manifest::render_minifilter_inf(want);
      const manifest::IncludeResult r = manifest::parse_inf(text, "written.inf");
      CHECK(r.diagnostics.empty());
      REQUIRE(r.drivers.size() == 1);
      const sim::Driver &got = r.drivers[0];
      CHECK(got.name == want.name);
      CHECK(got.kind == sim::DriverKind::minifilter);
      CHECK(got.group == want.group);
      CHECK(got.start == want.start);
      CHECK(got.depends_on == want.depends_on);
      REQUIRE(got.find_default_instance() != nullptr);
      CHECK(got.find_default_instance()->name == want.instances[0].name);
      CHECK(got.find_default_instance()->altitude.text() == want.instances[0].altitude.text());
      CHECK(got.find_default_instance()->flags == want.instances[0].flags);
    }
  }

  TEST_CASE("header lines are comments and cannot inject INF lines") {
    manifest::InfWriteOptions o;
    o.header = {"first", "", "evil\r\n[Strings]\nServiceName = \"x\""};
    const std::string text = manifest::render_minifilter_inf(
        minifilter("D", "FSFilter Top", sim::StartType::boot, "400000", 0x1), o);
    CHECK(text.rfind(";;;\r\n;;; first\r\n;;;\r\n;;; evil??[Strings]?ServiceName", 0) == 0);
    const manifest::IncludeResult r = manifest::parse_inf(text, "written.inf");
    CHECK(r.diagnostics.empty());
    REQUIRE(r.drivers.size() == 1);
    CHECK(r.drivers[0].name == "D");
  }

  TEST_CASE("file names are the service name lower-cased with unsafe characters replaced") {
    CHECK(manifest::inf_file_name("FrameDummy1") == "framedummy1.inf");
    CHECK(manifest::inf_file_name("a b/c") == "a_b_c.inf");
    CHECK(manifest::inf_file_name("") == "dummy.inf");
  }

} // TEST_SUITE
