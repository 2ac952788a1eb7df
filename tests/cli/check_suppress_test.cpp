// `fltsim check --suppress FILE`: format, matching, and errors with file:line.
#include <doctest/doctest.h>

#include "cli/check_support.hpp"
#include "fltsim/check/suppress.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace fltsim;
namespace check = fltsim::check;
using test::check_fixtures;
using test::run_fltsim;

namespace {

check::LocatedFinding finding(const std::string &rule, std::vector<std::string> drivers,
                              const std::string &file) {
  return {{rule, sim::Severity::warning, "m", std::move(drivers)}, {file, 3, 1}};
}

bool suppressed_by(const std::string &text, const check::LocatedFinding &f) {
  const auto list = check::parse_suppressions(text, "s.txt");
  REQUIRE(list.errors.empty());
  for (const auto &s : list.entries)
    if (check::suppresses(s, f))
      return true;
  return false;
}

} // namespace

TEST_SUITE("check suppressions") {

  TEST_CASE("a suppression matches rule, then driver, then path glob") {
    const auto f = finding("altitude-collision", {"PassThrough", "Minifilter-Driver"},
                           "vendor/inf/wds-passThrough.inf");
    CHECK(suppressed_by("altitude-collision\n", f));
    CHECK(suppressed_by("altitude-collision minifilter-driver.sys\n", f)); // case, .sys optional
    CHECK(suppressed_by("altitude-collision * vendor/*.inf\n", f));        // * crosses '/'
    CHECK(suppressed_by("altitude-collision * wds-*.inf\n", f));           // no '/': file name
    CHECK(suppressed_by("  # comment\n\naltitude-collision PassThrough # why\n", f));
    CHECK_FALSE(suppressed_by("unknown-group\n", f));
    CHECK_FALSE(suppressed_by("altitude-collision OtherDriver\n", f));
    CHECK_FALSE(suppressed_by("altitude-collision * other/*.inf\n", f));
    CHECK_FALSE(suppressed_by("altitude-collision * *.yaml\n", f));
  }

  TEST_CASE("quoted fields may hold blanks") {
    const auto f = finding("unknown-group", {"X"}, "my drivers/x.inf");
    CHECK(suppressed_by("unknown-group * \"my drivers/*\"\n", f));
  }

  TEST_CASE("unknown rule ids and extra fields are errors with file:line:col") {
    const auto list = check::parse_suppressions(
        "# ok\naltitude-colision Foo\nunknown-group a b c\nunknown-group \"open\n", "supp.txt");
    REQUIRE(list.errors.size() == 3);
    CHECK(list.errors[0].location.line == 2);
    CHECK(list.errors[0].location.column == 1);
    CHECK(list.errors[0].message.find("altitude-colision") != std::string::npos);
    CHECK(list.errors[1].location.line == 3);
    CHECK(list.errors[1].location.column == 19); // the fourth field, "c"
    CHECK(list.errors[2].location.line == 4);
  }

  TEST_CASE("check --suppress hides matching findings and counts them") {
    test::TempDir tmp;
    const fs::path supp = tmp.path() / "fltsim-suppress.txt";
    test::write_text(supp, "# accepted: the tie is resolved by tags on the fleet\n"
                           "order-dependent-outcome AVMiniFilter\n");
    const fs::path dir = check_fixtures() / "order-dependent-outcome" / "fail";
    const auto r = run_fltsim({"check", dir.string(), "--suppress", supp.string()});
    CHECK(r.code == 1); // the altitude-inversion error stays
    CHECK(r.out.find("[order-dependent-outcome]") == std::string::npos);
    CHECK(r.out.find("[altitude-inversion]") != std::string::npos);
    CHECK(r.out.find("1 suppressed") != std::string::npos);
  }

  TEST_CASE("check --suppress with an unknown rule id exits 2 and names the line") {
    test::TempDir tmp;
    const fs::path supp = tmp.path() / "s.txt";
    test::write_text(supp, "altitude-inversion\nno-such-rule\n");
    const auto r = run_fltsim({"check", (check_fixtures() / "unknown-group" / "fail").string(),
                               "--suppress", supp.string()});
    CHECK(r.code == 2);
    CHECK(r.err.find(supp.string() + ":2:1: error[unknown-rule]") != std::string::npos);
    CHECK(r.out.empty());
  }

} // TEST_SUITE
