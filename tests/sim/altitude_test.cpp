#include <doctest/doctest.h>

#include "fltsim/sim/altitude.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/findings.hpp"

using fltsim::sim::Altitude;

namespace {
Altitude alt(const char *s) {
  return Altitude::from_literal(s);
}
} // namespace

TEST_SUITE("altitude") {
  TEST_CASE("altitudes compare as exact decimals, not as strings or floats (A2)") {
    CHECK(alt("03333") > alt("100.123456"));
    CHECK(alt("45000") < alt("328000"));
    CHECK(alt("149998.99") < alt("149999"));
    CHECK(alt("385250.5") > alt("385250.49999999999999999"));
    CHECK(alt("0.5") < alt("0.51"));
    CHECK(alt("9") < alt("10"));
    // 2^53 + 1 is not representable as a double; the comparison must still see the difference.
    CHECK(alt("9007199254740993") > alt("9007199254740992"));
  }

  TEST_CASE("leading and trailing zeros do not change the value but the text is kept") {
    const Altitude a = alt("0328000.50");
    CHECK(a == alt("328000.5"));
    CHECK(a.text() == "0328000.50");
    CHECK(a.canonical() == "328000.5");
    CHECK(alt("000") == alt("0"));
    CHECK(alt("0.0").canonical() == "0");
    CHECK(alt(".5") == alt("0.5"));
    CHECK(alt("5.") == alt("5"));
  }

  TEST_CASE("invalid altitude strings are reported, not crashed on (A1/A3)") {
    for (const char *bad : {"", "12a", "1.2.3", "-5", "+5", " 5", "5 ", "1e5", ".", "３"}) {
      CAPTURE(bad);
      fltsim::sim::Diagnostic why;
      CHECK_FALSE(Altitude::parse(bad, &why).has_value());
      CHECK_FALSE(why.message.empty());
      CHECK(why.code == "invalid-altitude");
      CHECK(why.fact == fltsim::sim::rule::invalid_altitude);
    }
    CHECK_FALSE(Altitude::parse(std::string(Altitude::max_length + 1, '1')).has_value());
    CHECK(Altitude::parse(std::string(Altitude::max_length, '1')).has_value());
  }

  TEST_CASE("an accepted altitude's canonical form reparses to the same value (fuzz finding)") {
    // ".5555…" at the length limit canonicalises to "0.5555…", one character longer.
    const std::string at_limit = "." + std::string(Altitude::max_length - 1, '5');
    fltsim::sim::Diagnostic why;
    CHECK_FALSE(Altitude::parse(at_limit, &why).has_value());
    CHECK(why.message.find("canonical form") != std::string::npos);
    const std::string one_shorter = "." + std::string(Altitude::max_length - 2, '5');
    const auto a = Altitude::parse(one_shorter);
    REQUIRE(a.has_value());
    const auto c = Altitude::parse(a->canonical());
    REQUIRE(c.has_value());
    CHECK(*c == *a);
    // Leading zeros do not count against the canonical form.
    CHECK(Altitude::parse(std::string(Altitude::max_length - 1, '0') + "7").has_value());
  }

  TEST_CASE("assign() parses into an altitude as parse() does, and keeps it on invalid text") {
    Altitude a = alt("1");
    for (const char *text :
         {"0328000.50", "385250.49999999999999999", "12345678901234567890123.4", ".5", "7"}) {
      CAPTURE(text);
      REQUIRE(a.assign(text));
      const auto p = Altitude::parse(text);
      REQUIRE(p.has_value());
      CHECK(a == *p);
      CHECK(a.text() == text);
      CHECK(a.canonical() == p->canonical());
      CHECK(a.hash() == p->hash());
    }
    CHECK_FALSE(a.assign("1.2.3"));
    CHECK(a.text() == "7");
    CHECK_FALSE(a.assign(""));
    CHECK(a == alt("7"));
  }

  TEST_CASE("equal values hash alike however they are written, long ones too") {
    CHECK(alt("0328000.50").hash() == alt("328000.5").hash());
    CHECK(alt("000").hash() == alt("0").hash());
    const std::string long_int = "1234567890123456789012345";
    CHECK(alt(("000" + long_int + ".500").c_str()).hash() == alt((long_int + ".5").c_str()).hash());
    CHECK(alt(("000" + long_int + ".500").c_str()) == alt((long_int + ".5").c_str()));
    CHECK(alt((long_int + ".5").c_str()) > alt("9999999999999999999.9"));
  }
}
