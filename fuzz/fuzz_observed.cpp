// Fuzzes the tolerant observed-stack reader: bytes -> decode_text -> parse_observed (fltmc /
// !fltkd text in every form, NtObjectManager JSON / CSV), then import_observed and the
// FilterManager event reader on the same text. Every row it returns points at a line of the text;
// altitudes are within the length limit; sections agree with their kind; an import either gives
// a scenario or says why not, and an imported scenario simulates (with every filter in its
// observed frame when import says it reproduces the observation).
#include <cstdint>
#include <string>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/observed/events_reader.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/observed/observed_import.hpp"
#include "fltsim/sim/engine.hpp"
#include "fuzz_common.hpp"

using namespace fltsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const io::DecodedText decoded = io::decode_text(fuzz::as_text(data, size), "f.txt");
  if (!decoded.text) {
    fuzz::check_diagnostic(decoded.error, 0);
    return 0;
  }
  const std::string &text = *decoded.text;
  const int lines = fuzz::count_lines(text);
  const observed::ObservedStack st = observed::parse_observed(text, "f.txt");
  fuzz::check_diagnostics(st.diagnostics, lines);
  auto line_ok = [&](int line) { return line >= 1 && line <= lines + 1; };
  bool any_truncated = false;
  for (const observed::ObservedSection &s : st.sections) {
    FUZZ_CHECK(line_ok(s.line));
    FUZZ_CHECK(std::string(observed::to_string(s.kind)).size() > 0);
    FUZZ_CHECK(st.find(s.kind) != nullptr);
    any_truncated = any_truncated || s.truncated;
    for (const observed::ObservedFilter &f : s.filters) {
      FUZZ_CHECK(line_ok(f.line));
      if (f.altitude)
        FUZZ_CHECK(f.altitude->text().size() <= sim::Altitude::max_length);
    }
    for (const observed::ObservedInstance &i : s.instances)
      FUZZ_CHECK(line_ok(i.line));
    for (const observed::ObservedVolume &v : s.volumes)
      FUZZ_CHECK(line_ok(v.line));
    if (s.kind != observed::ObservedKind::fltmc_volumes)
      FUZZ_CHECK(s.volumes.empty());
    const bool fltkd = s.kind == observed::ObservedKind::fltkd_frames ||
                       s.kind == observed::ObservedKind::fltkd_filters;
    if (!fltkd)
      FUZZ_CHECK(s.frames.empty());
    for (const observed::ObservedFrame &f : s.frames) {
      FUZZ_CHECK(line_ok(f.line));
      for (const observed::ObservedFilter &ff : f.filters)
        FUZZ_CHECK(line_ok(ff.line));
    }
  }
  FUZZ_CHECK(st.truncated() == any_truncated);
  // Import: a scenario, or errors that say why not; never both empty.
  if (text.size() <= 16384) {
    const observed::ImportResult res = observed::import_observed(st, "f.txt");
    FUZZ_CHECK(res.scenario.has_value() != !res.errors.empty());
    fuzz::check_diagnostics(res.errors, lines);
    // Import-then-simulate: an accepted capture gives a scenario the engine runs without input
    // errors, keeping the frame invariants; when import says it re-simulates to the observed
    // frames, compare finds every filter, of its kind, in its frame. (A legacy altitude that is
    // no group's x9998.99 cannot be written in a scenario: import notes it, compare reports it.)
    if (res.scenario) {
      const sim::SimResult sim_res = sim::simulate(*res.scenario);
      FUZZ_CHECK(sim_res.input_errors.empty());
      if (sim_res.input_errors.empty())
        fuzz::check_frame_invariants(*res.scenario, sim_res);
      // Only for a capture read whole: a skipped row (a diagnostic) can hold the filter that set
      // a frame's observed range, and import does not have it.
      if (res.reproduces && st.diagnostics.empty()) {
        const observed::Comparison cmp =
            observed::compare_observed(*res.scenario, sim_res, st, "f.txt");
        FUZZ_CHECK(cmp.errors.empty());
        for (const observed::Difference &d : cmp.differences)
          FUZZ_CHECK(d.kind == observed::DifferenceKind::altitude ||
                     d.kind == observed::DifferenceKind::order ||
                     d.kind == observed::DifferenceKind::instances);
      }
    }
  }
  // The same bytes as a FilterManager event log.
  const observed::FilterEventLog log = observed::parse_filter_events(text, "f.txt");
  fuzz::check_diagnostics(log.diagnostics, lines);
  for (const observed::FilterLoadEvent &e : log.events) {
    FUZZ_CHECK(line_ok(e.line) || e.line == 1);
    FUZZ_CHECK(!e.filter.empty());
    FUZZ_CHECK(e.boot >= 0 && e.boot < log.boots);
  }
  FUZZ_CHECK(log.load_order().size() <= log.events.size());
  return 0;
}
