#pragma once
// Altitude: an exact decimal string (docs/model.md#altitudes, A1-A2).
//
// fltmgr compares altitudes with RtlCompareAltitudes as "infinite-precision" decimals: "03333" is
// above "100.123456". fltsim never converts an altitude to floating point. An Altitude keeps the
// text it was written with (fltmgr copies strings verbatim into frame bounds, R4) and, as spans of
// that text, the normalised integer/fraction pair used for comparison: one string to copy.
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
  /// parse(text) into this altitude, reusing its storage (readers that fill the same scenario
  /// machine after machine). On invalid text returns false and leaves the altitude as it was.
  [[nodiscard]] bool assign(std::string_view text);
  /// For literals the program itself owns (tables, tests). Aborts on invalid text.
  [[nodiscard]] static Altitude from_literal(std::string_view text);

  /// The text as written ("0328000.50" stays "0328000.50").
  [[nodiscard]] const std::string &text() const { return text_; }
  /// Canonical form: no leading integer zeros, no trailing fraction zeros ("328000.5").
  [[nodiscard]] std::string canonical() const;
  /// Integer digits without leading zeros ("0" for zero) and fraction digits without trailing
  /// zeros (possibly empty). Views into the altitude.
  [[nodiscard]] std::string_view integer_digits() const {
    return int_size_ == 0 ? std::string_view("0")
                          : std::string_view(text_).substr(int_begin_, int_size_);
  }
  [[nodiscard]] std::string_view fraction_digits() const {
    return std::string_view(text_).substr(frac_begin_, frac_size_);
  }

  /// A hash of the value: equal altitudes (however written) hash alike.
  [[nodiscard]] std::uint64_t hash() const {
    if (keyed_) {
      const std::uint64_t h = int_key_ * 0x9E3779B97F4A7C15ull ^ frac_key_;
      return h ^ (h >> 29);
    }
    return digits_hash();
  }

  /// Numeric comparison (A2). Equal values written differently compare equal. Inline for the
  /// keyed pairs (every real altitude): the engine compares altitudes in all its inner loops.
  friend std::strong_ordering operator<=>(const Altitude &a, const Altitude &b) {
    if (a.keyed_ && b.keyed_) {
      if (a.int_key_ != b.int_key_)
        return a.int_key_ <=> b.int_key_;
      return a.frac_key_ <=> b.frac_key_;
    }
    return compare_digits(a, b);
  }
  friend bool operator==(const Altitude &a, const Altitude &b) {
    if (a.keyed_ && b.keyed_)
      return a.int_key_ == b.int_key_ && a.frac_key_ == b.frac_key_;
    return compare_digits(a, b) == std::strong_ordering::equal;
  }

private:
  Altitude() = default;
  // A2 on the digit strings, for altitudes longer than the keys hold.
  static std::strong_ordering compare_digits(const Altitude &a, const Altitude &b);
  // The altitude of valid `text` whose normalised digits are the views into it given.
  void set(std::string_view text, std::string_view int_part, std::string_view frac_part);
  [[nodiscard]] std::uint64_t digits_hash() const;
  std::string text_;
  // The value as two integers when both parts have at most 19 digits (every real altitude):
  // the integer part, and the fraction digits padded with zeros to 19. Comparing the pairs is
  // exactly A2's comparison of the digit strings, without touching them; longer altitudes
  // compare their strings.
  std::uint64_t int_key_ = 0;
  std::uint64_t frac_key_ = 0;
  // The normalised digits inside text_ (max_length < 256); no integer digits means "0".
  std::uint8_t int_begin_ = 0, int_size_ = 0, frac_begin_ = 0, frac_size_ = 0;
  bool keyed_ = false;
};

} // namespace fltsim::sim
