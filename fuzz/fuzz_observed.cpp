// Fuzzes the fltmc / !fltkd text readers: bytes -> decode_text -> parse_observed. Every row it
// returns points at a line of the text; altitudes are within the length limit; sections agree
// with their kind.
#include <cstdint>
#include <string>

#include "fltsim/manifest/files.hpp"
#include "fltsim/manifest/observed.hpp"
#include "fuzz_common.hpp"

using namespace fltsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const manifest::DecodedText decoded = manifest::decode_text(fuzz::as_text(data, size), "f.txt");
  if (!decoded.text) {
    fuzz::check_diagnostic(decoded.error, 0);
    return 0;
  }
  const std::string &text = *decoded.text;
  const int lines = fuzz::count_lines(text);
  const manifest::ObservedStack st = manifest::parse_observed(text, "f.txt");
  fuzz::check_diagnostics(st.diagnostics, lines);
  auto line_ok = [&](int line) { return line >= 1 && line <= lines + 1; };
  bool any_truncated = false;
  for (const manifest::ObservedSection &s : st.sections) {
    FUZZ_CHECK(line_ok(s.line));
    FUZZ_CHECK(std::string(manifest::to_string(s.kind)).size() > 0);
    FUZZ_CHECK(st.find(s.kind) != nullptr);
    any_truncated = any_truncated || s.truncated;
    for (const manifest::ObservedFilter &f : s.filters) {
      FUZZ_CHECK(line_ok(f.line));
      if (f.altitude)
        FUZZ_CHECK(f.altitude->text().size() <= sim::Altitude::max_length);
    }
    for (const manifest::ObservedInstance &i : s.instances)
      FUZZ_CHECK(line_ok(i.line));
    const bool fltkd = s.kind == manifest::ObservedKind::fltkd_frames ||
                       s.kind == manifest::ObservedKind::fltkd_filters;
    if (!fltkd)
      FUZZ_CHECK(s.frames.empty());
    for (const manifest::ObservedFrame &f : s.frames) {
      FUZZ_CHECK(line_ok(f.line));
      for (const manifest::ObservedFilter &ff : f.filters)
        FUZZ_CHECK(line_ok(ff.line));
    }
  }
  FUZZ_CHECK(st.truncated() == any_truncated);
  return 0;
}
