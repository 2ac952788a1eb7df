#pragma once
// Altitude: an exact decimal string (docs/model.md#altitudes, A1-A2).
//
// fltmgr compares altitudes with RtlCompareAltitudes as "infinite-precision" decimals: "03333" is
// above "100.123456". fltsim never converts an altitude to floating point. An Altitude keeps the
// text it was written with (fltmgr copies strings verbatim into frame bounds, R4) and a normalised
// integer/fraction pair used for comparison.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fltsim::sim {

struct Diagnostic;

class Altitude {
public:
  /// Longest altitude text accepted. Real altitudes are at most ~10 characters; the limit keeps
  /// crafted input from making comparisons and output arbitrarily expensive.
  static constexpr std::size_t max_length = 64;

  /// Parses A1 syntax: one or more digits with at most one '.', no sign, no spaces.
  /// Returns nullopt on failure and sets *error (if given) to an "invalid-altitude" Diagnostic
  /// whose message is a one-line explanation; the caller knows the location and sets it.
  [[nodiscard]] static std::optional<Altitude> parse(std::string_view text,
                                                     Diagnostic *error = nullptr);
  /// For literals the program itself owns (tables, tests). Aborts on invalid text.
  [[nodiscard]] static Altitude from_literal(std::string_view text);

  /// The text as written ("0328000.50" stays "0328000.50").
  [[nodiscard]] const std::string &text() const { return text_; }
  /// Canonical form: no leading integer zeros, no trailing fraction zeros ("328000.5").
  [[nodiscard]] std::string canonical() const;
  /// Integer digits without leading zeros ("0" for zero) and fraction digits without trailing
  /// zeros (possibly empty).
  [[nodiscard]] const std::string &integer_digits() const { return int_; }
  [[nodiscard]] const std::string &fraction_digits() const { return frac_; }

  /// Numeric comparison (A2). Equal values written differently compare equal.
  friend std::strong_ordering operator<=>(const Altitude &a, const Altitude &b);
  friend bool operator==(const Altitude &a, const Altitude &b) {
    return (a <=> b) == std::strong_ordering::equal;
  }

private:
  Altitude() = default;
  std::string text_;
  std::string int_;
  std::string frac_;
  // The value as two integers when both parts have at most 19 digits (every real altitude):
  // the integer part, and the fraction digits padded with zeros to 19. Comparing the pairs is
  // exactly A2's comparison of the digit strings, without touching them; longer altitudes
  // compare their strings.
  std::uint64_t int_key_ = 0;
  std::uint64_t frac_key_ = 0;
  bool keyed_ = false;
};

} // namespace fltsim::sim
