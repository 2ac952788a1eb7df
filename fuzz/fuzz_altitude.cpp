// Fuzzes Altitude::parse and comparison against an independent reference: the input is split in
// up to three altitude strings at 0xFF bytes. Accepted text is kept verbatim, its canonical form
// reparses to an equal value, and <=> agrees with a decimal comparison written out here.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/altitude.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/findings.hpp"
#include "fuzz_common.hpp"

using fltsim::sim::Altitude;

namespace {

// Reference: does `s` satisfy A1 (digits with at most one '.', no sign, no spaces)?
bool reference_valid(std::string_view s) {
  if (s.empty() || s.size() > Altitude::max_length)
    return false;
  int dots = 0, digits = 0;
  for (char c : s) {
    if (c == '.')
      ++dots;
    else if (c >= '0' && c <= '9')
      ++digits;
    else
      return false;
  }
  return dots <= 1 && digits > 0;
}

// Reference comparison on normalised (integer, fraction) digit strings.
int reference_compare(std::string_view a, std::string_view b) {
  auto split = [](std::string_view s) {
    const std::size_t dot = s.find('.');
    std::string i(s.substr(0, dot));
    std::string f(dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1));
    while (!i.empty() && i.front() == '0')
      i.erase(i.begin());
    while (!f.empty() && f.back() == '0')
      f.pop_back();
    return std::pair{i, f};
  };
  const auto [ai, af] = split(a);
  const auto [bi, bf] = split(b);
  if (ai.size() != bi.size())
    return ai.size() < bi.size() ? -1 : 1;
  if (ai != bi)
    return ai < bi ? -1 : 1;
  if (af != bf)
    return af < bf ? -1 : 1;
  return 0;
}

int sign(std::strong_ordering o) {
  return o < 0 ? -1 : o > 0 ? 1 : 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view all = fltsim::fuzz::as_text(data, size);
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (parts.size() < 3) {
    const std::size_t sep = all.find('\xFF', start);
    parts.push_back(all.substr(start, sep == std::string_view::npos ? sep : sep - start));
    if (sep == std::string_view::npos)
      break;
    start = sep + 1;
  }
  std::vector<std::pair<std::string_view, Altitude>> ok;
  for (std::string_view p : parts) {
    fltsim::sim::Diagnostic why;
    const std::optional<Altitude> a = Altitude::parse(p, &why);
    // Altitude::parse may be stricter than A1 (e.g. on a leading or trailing '.'), never looser.
    if (!reference_valid(p)) {
      FUZZ_CHECK(!a);
    }
    if (!a) {
      FUZZ_CHECK(!why.message.empty() && why.fact == fltsim::sim::rule::invalid_altitude);
      continue;
    }
    FUZZ_CHECK(a->text() == p);
    const std::string canon = a->canonical();
    const std::optional<Altitude> c = Altitude::parse(canon);
    FUZZ_CHECK(c.has_value());
    FUZZ_CHECK(*c == *a);
    FUZZ_CHECK(c->canonical() == canon);
    FUZZ_CHECK(reference_compare(p, canon) == 0);
    ok.emplace_back(p, *a);
  }
  for (const auto &[ta, a] : ok)
    for (const auto &[tb, b] : ok) {
      FUZZ_CHECK(sign(a <=> b) == reference_compare(ta, tb));
      FUZZ_CHECK(sign(a <=> b) == -sign(b <=> a));
      FUZZ_CHECK((a == b) == (a.canonical() == b.canonical()));
    }
  return 0;
}
