// Fuzzes the summary reader of `fltsim fleet --merge`: bytes -> read_summary. A summary it accepts
// writes back to a document that reads to the same summary, and merges with itself into counts
// that are exactly doubled (or an overflow error, never a wrapped count).
#include <cstdint>
#include <string>

#include "fltsim/fleet/summary_json.hpp"
#include "fuzz_common.hpp"

using namespace fltsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  sim::Diagnostic error;
  const auto s = fleet::read_summary(text, "s.json", error);
  if (!s) {
    fuzz::check_diagnostic(error, fuzz::count_lines(text));
    return 0;
  }
  sim::Diagnostic again_error;
  const auto again = fleet::read_summary(fleet::summary_json_text(*s), "t.json", again_error);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == *s);
  std::string why;
  const auto doubled = fleet::merge(*s, *s, &why);
  if (!doubled) {
    FUZZ_CHECK(!why.empty());
    return 0;
  }
  FUZZ_CHECK(doubled->machines == 2 * s->machines || s->change.empty());
  for (std::size_t i = 0; i < fleet::outcome_count; ++i)
    FUZZ_CHECK(doubled->outcomes[i] / 2 == s->outcomes[i] || s->change.empty());
  return 0;
}
