// `fltsim altitude ALT|NAME`: owners in Microsoft's allocated list, the documented group range,
// and the nearest free altitudes in it.
#include <doctest/doctest.h>

#include <algorithm>

#include "cli/check_support.hpp"
#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/groups.hpp"

using nlohmann::json;
using namespace fltsim;
using test::run_fltsim;

namespace {

json altitude_json(const std::string &query, int count = 5) {
  const auto r =
      run_fltsim({"altitude", query, "--format", "json", "--count", std::to_string(count)});
  INFO(r.err);
  REQUIRE(r.code == 0);
  return json::parse(r.out);
}

bool allocated(const std::string &alt) {
  return sim::builtin_allocated_altitudes().is_allocated(sim::Altitude::from_literal(alt));
}

} // namespace

TEST_SUITE("altitude command") {

  TEST_CASE("an allocated altitude names its owner, its group range and free neighbours") {
    const json j = altitude_json("370030");
    CHECK(j.at("allocated") == true);
    REQUIRE(j.at("owners").size() == 1);
    CHECK(j.at("owners")[0].at("driver") == "passThrough.sys");
    CHECK(j.at("owners")[0].at("company") == "Microsoft");
    CHECK(j.at("range").at("name") == "FSFilter Activity Monitor");
    CHECK(j.at("range").at("low") == "360000");
    CHECK(j.at("range").at("high") == "389999");
    const auto free = j.at("nearest_free").get<std::vector<std::string>>();
    REQUIRE(free.size() == 5);
    long long previous_distance = 0;
    for (const std::string &f : free) {
      CAPTURE(f);
      CHECK_FALSE(allocated(f));
      CHECK(f.find('.') == std::string::npos); // integer altitudes first
      const long long v = std::stoll(f);
      CHECK(v >= 360000);
      CHECK(v <= 389999);
      CHECK(v != 370030);
      const long long distance = std::llabs(v - 370030);
      CHECK(distance >= previous_distance); // nearest first
      previous_distance = distance;
    }
    // Every integer strictly closer than the farthest suggestion is allocated or suggested.
    for (long long v = 370030 - previous_distance + 1; v < 370030 + previous_distance; ++v)
      if (v != 370030 && !allocated(std::to_string(v)))
        CHECK(std::find(free.begin(), free.end(), std::to_string(v)) != free.end());
  }

  TEST_CASE("a free altitude says so and exact decimals are compared as such") {
    const json j = altitude_json("0362345.000");
    CHECK(j.at("allocated") == false);
    CHECK(j.at("owners").empty());
    CHECK(j.at("range").at("name") == "FSFilter Activity Monitor");
    // 189700.5 is p4vfsflt.sys's; 189700 is not.
    CHECK(altitude_json("189700.50").at("owners")[0].at("driver") == "p4vfsflt.sys");
    CHECK(altitude_json("189700").at("allocated") == false);
  }

  TEST_CASE("a fractional query ranks neighbours by exact distance") {
    // 362345.7: 362346 is 0.3 away, 362345 is 0.7 away; both are free.
    REQUIRE_FALSE(allocated("362345"));
    REQUIRE_FALSE(allocated("362346"));
    const auto free = altitude_json("362345.7", 2).at("nearest_free");
    CHECK(free == json::array({"362346", "362345"}));
    const auto low = altitude_json("362345.2", 2).at("nearest_free");
    CHECK(low == json::array({"362345", "362346"}));
  }

  TEST_CASE("an altitude outside every documented range has no group and no suggestions") {
    const json j = altitude_json("55000");
    CHECK(j.at("range").is_null());
    CHECK(j.at("nearest_free").empty());
    const auto text = run_fltsim({"altitude", "55000"});
    CHECK(text.code == 0);
    CHECK(text.out.find("no documented load order group covers 55000") != std::string::npos);
  }

  TEST_CASE("a driver name is found case-insensitively, with or without .sys") {
    for (const char *q : {"PASSTHROUGH", "passthrough.sys", "passThrough"}) {
      CAPTURE(q);
      const json j = altitude_json(q);
      REQUIRE(j.at("allocations").size() == 1);
      CHECK(j.at("allocations")[0].at("altitude") == "370030");
      CHECK(j.at("allocations")[0].at("range").at("name") == "FSFilter Activity Monitor");
      CHECK(j.at("allocations")[0].at("nearest_free").size() == 5);
    }
  }

  TEST_CASE("a driver with per-instance rows lists each of them") {
    const json j = altitude_json("minispy");
    std::vector<std::string> alts;
    for (const json &a : j.at("allocations"))
      alts.push_back(a.at("altitude"));
    std::sort(alts.begin(), alts.end());
    CHECK(alts == std::vector<std::string>{"361000", "370000", "385100"});
  }

  TEST_CASE("text output names owner, range and free altitudes") {
    const auto r = run_fltsim({"altitude", "385100"});
    CHECK(r.code == 0);
    CHECK(r.out.find("minispy.sys - Top (Microsoft") != std::string::npos);
    CHECK(r.out.find("FSFilter Activity Monitor (360000-389999)") != std::string::npos);
    CHECK(r.out.find("Nearest free in FSFilter Activity Monitor: ") != std::string::npos);
  }

  TEST_CASE("an unknown driver name exits 1, bad input exits 2") {
    const auto unknown = run_fltsim({"altitude", "NoSuchDriverAnywhere"});
    CHECK(unknown.code == 1);
    CHECK(unknown.out.find("not in Microsoft's allocated-altitude list") != std::string::npos);
    CHECK(run_fltsim({"altitude", "1.2.3"}).code == 2);
    CHECK(run_fltsim({"altitude", "."}).code == 2);
    CHECK(run_fltsim({"altitude", ""}).code == 2);
    CHECK(run_fltsim({"altitude", "a/b"}).code == 2);
    CHECK(run_fltsim({"altitude"}).code == 2);
    CHECK(run_fltsim({"altitude", "370030", "--count", "0"}).code == 2);
  }

} // TEST_SUITE
