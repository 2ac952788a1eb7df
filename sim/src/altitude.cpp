#include "fltsim/sim/altitude.hpp"

#include <algorithm>
#include <array>
#include <functional>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/findings.hpp"
#include "fltsim/sim/require.hpp"

namespace fltsim::sim {

namespace {

// Where a valid altitude's normalised digits are: the integer digits without leading zeros and
// the fraction digits without trailing zeros.
struct Digits {
  std::string_view int_part, frac_part;
};

// A1 syntax and the length limits; the reason it is invalid goes to *error (when given).
std::optional<Digits> digits_of(std::string_view text, std::size_t max_length, Diagnostic *error) {
  auto fail = [&](std::string why) -> std::optional<Digits> {
    if (error) {
      *error = make_diagnostic({}, std::string(rule::invalid_altitude), std::move(why));
      error->fact = rule::invalid_altitude;
    }
    return std::nullopt;
  };
  if (text.empty())
    return fail("an altitude is a decimal number such as 328000 or 325000.5; got an empty string");
  if (text.size() > max_length)
    return fail("altitude is " + std::to_string(text.size()) + " characters long; the limit is " +
                std::to_string(max_length));
  std::size_t dot = std::string_view::npos;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c - '0') <= 9)
      continue;
    if (c == '.') {
      if (dot != std::string_view::npos)
        return fail("altitude '" + std::string(text) + "' has a second '.' (rules A1/A3)");
      dot = i;
    } else {
      return fail("altitude '" + std::string(text) +
                  "' may contain only digits and one '.' (rules A1/A3)");
    }
  }
  std::string_view int_part = text.substr(0, dot);
  std::string_view frac_part =
      dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (int_part.empty() && frac_part.empty())
    return fail("altitude '" + std::string(text) + "' has no digits");
  while (!int_part.empty() && int_part.front() == '0')
    int_part.remove_prefix(1);
  while (!frac_part.empty() && frac_part.back() == '0')
    frac_part.remove_suffix(1);
  // The canonical form must reparse (fuzz_altitude found ".5555…" at the limit: its canonical
  // "0.5555…" is one character longer), so the limit also holds for the canonical form.
  const std::size_t canonical_size =
      std::max<std::size_t>(int_part.size(), 1) + (frac_part.empty() ? 0 : 1 + frac_part.size());
  if (canonical_size > max_length)
    return fail("altitude '" + std::string(text) + "' is " + std::to_string(canonical_size) +
                " characters long in canonical form (with its leading 0); the limit is " +
                std::to_string(max_length));
  return Digits{int_part, frac_part};
}

} // namespace

void Altitude::set(std::string_view text, std::string_view int_part, std::string_view frac_part) {
  static_assert(max_length < 256, "digit spans are 8-bit");
  const char *const base = text.data();
  text_.assign(text);
  int_begin_ = static_cast<std::uint8_t>(int_part.data() - base);
  int_size_ = static_cast<std::uint8_t>(int_part.size());
  frac_begin_ = static_cast<std::uint8_t>(frac_part.empty() ? 0 : frac_part.data() - base);
  frac_size_ = static_cast<std::uint8_t>(frac_part.size());
  constexpr std::size_t key_digits = 19; // 10^19 - 1 < 2^64
  int_key_ = frac_key_ = 0;
  keyed_ = int_part.size() <= key_digits && frac_part.size() <= key_digits;
  if (!keyed_)
    return;
  for (char c : int_part)
    int_key_ = int_key_ * 10 + static_cast<std::uint64_t>(c - '0');
  // The fraction digits padded with zeros to 19.
  for (char c : frac_part)
    frac_key_ = frac_key_ * 10 + static_cast<std::uint64_t>(c - '0');
  static constexpr auto pow10 = [] {
    std::array<std::uint64_t, key_digits + 1> p{};
    p[0] = 1;
    for (std::size_t i = 1; i <= key_digits; ++i)
      p[i] = p[i - 1] * 10;
    return p;
  }();
  frac_key_ *= pow10[key_digits - frac_part.size()];
}

std::optional<Altitude> Altitude::parse(std::string_view text, Diagnostic *error) {
  const std::optional<Digits> d = digits_of(text, max_length, error);
  if (!d)
    return std::nullopt;
  Altitude a;
  a.set(text, d->int_part, d->frac_part);
  return a;
}

bool Altitude::assign(std::string_view text) {
  const std::optional<Digits> d = digits_of(text, max_length, nullptr);
  if (!d)
    return false;
  set(text, d->int_part, d->frac_part);
  return true;
}

Altitude Altitude::from_literal(std::string_view text) {
  Diagnostic error;
  auto a = parse(text, &error);
  FLTSIM_REQUIRE(a.has_value(), error.message.c_str());
  return *a;
}

std::string Altitude::canonical() const {
  std::string s(integer_digits());
  if (frac_size_ != 0) {
    s += '.';
    s += fraction_digits();
  }
  return s;
}

std::uint64_t Altitude::digits_hash() const {
  const std::uint64_t h = std::hash<std::string_view>{}(integer_digits()) * 0x9E3779B97F4A7C15ull ^
                          std::hash<std::string_view>{}(fraction_digits());
  return h ^ (h >> 29);
}

std::strong_ordering Altitude::compare_digits(const Altitude &a, const Altitude &b) {
  // A2: compare integer length, then integer digits, then fraction digits. Both parts are
  // normalised, so a plain lexicographic fraction comparison is exact ("5" < "51").
  const std::string_view ai = a.integer_digits(), bi = b.integer_digits();
  if (auto c = ai.size() <=> bi.size(); c != 0)
    return c;
  if (auto c = ai.compare(bi); c != 0)
    return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
  const int c = a.fraction_digits().compare(b.fraction_digits());
  if (c == 0)
    return std::strong_ordering::equal;
  return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
}

} // namespace fltsim::sim
