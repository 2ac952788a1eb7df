#pragma once
// Shared pieces of the libFuzzer harnesses (docs/reliability.md): an always-on invariant check that
// aborts (libFuzzer then saves the input as a crash), diagnostic sanity checks and the engine's
// frame invariants (the same ones tests/sim/property_test.cpp checks).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/engine.hpp"

#define FUZZ_CHECK(cond)                                                                           \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond);       \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)

namespace fltsim::fuzz {

inline std::string_view as_text(const std::uint8_t *data, std::size_t size) {
  return {reinterpret_cast<const char *>(data), size};
}

/// Lines of `text`, counting LF, CRLF and a lone CR as line ends (readers may accept any of them).
inline int count_lines(std::string_view text) {
  int n = 1;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')))
      ++n;
  return n;
}

/// A diagnostic names a code, says something, and points inside the text it is about (or nowhere:
/// line 0). `lines` is the line count of that text; 0 = do not check the line.
inline void check_diagnostic(const sim::Diagnostic &d, int lines) {
  FUZZ_CHECK(!d.code.empty());
  FUZZ_CHECK(!d.message.empty());
  FUZZ_CHECK(d.location.line >= 0);
  FUZZ_CHECK(d.location.column >= 0);
  if (lines > 0)
    FUZZ_CHECK(d.location.line <= lines + 1);
  FUZZ_CHECK(!sim::format_diagnostic(d).empty());
}

inline void check_diagnostics(const std::vector<sim::Diagnostic> &diags, int lines) {
  for (const sim::Diagnostic &d : diags)
    check_diagnostic(d, lines);
}

/// Frame invariants of R3-R7 for a scenario the engine accepted without input errors.
inline void check_frame_invariants(const sim::Scenario &sc, const sim::SimResult &r) {
  using sim::Altitude;
  FUZZ_CHECK(!r.frames.empty());
  FUZZ_CHECK(r.frames[0].low == Altitude::from_literal("0"));
  FUZZ_CHECK(r.drivers.size() == sc.drivers.size());
  for (std::size_t i = 0; i < r.frames.size(); ++i) {
    const sim::Frame &f = r.frames[i];
    FUZZ_CHECK(f.id == static_cast<int>(i));
    FUZZ_CHECK(f.low <= f.high);
    if (i > 0)
      FUZZ_CHECK(f.low == r.frames[i - 1].high);
    for (std::size_t k = 0; k < f.filters.size(); ++k) {
      const sim::FrameFilter &ff = f.filters[k];
      FUZZ_CHECK(ff.driver >= 0 && static_cast<std::size_t>(ff.driver) < sc.drivers.size());
      FUZZ_CHECK(f.low <= ff.altitude);
      FUZZ_CHECK(ff.altitude <= f.high);
      if (k > 0)
        FUZZ_CHECK(f.filters[k - 1].altitude <= ff.altitude);
      if (i > 0)
        FUZZ_CHECK(!(ff.altitude == f.low)); // at a boundary: the lower frame (E6)
    }
  }
  int next_frame = 0;
  for (const sim::StackEntry &e : r.stack)
    if (e.kind == sim::StackEntry::Kind::frame)
      FUZZ_CHECK(e.frame == next_frame++);
    else
      FUZZ_CHECK(e.driver >= 0 && static_cast<std::size_t>(e.driver) < sc.drivers.size());
  FUZZ_CHECK(next_frame == static_cast<int>(r.frames.size()));
  std::map<int, int> frame_of;
  for (const sim::Frame &f : r.frames)
    for (const sim::FrameFilter &ff : f.filters) {
      FUZZ_CHECK(frame_of.count(ff.driver) == 0);
      frame_of[ff.driver] = f.id;
    }
  for (const auto &[driver, frame] : frame_of) {
    FUZZ_CHECK(r.drivers[static_cast<std::size_t>(driver)].loaded);
    FUZZ_CHECK(r.drivers[static_cast<std::size_t>(driver)].frame == frame);
  }
}

/// The stack equals the registration order narrated by the trace (needs record_trace).
inline void check_trace_matches_stack(const sim::SimResult &r) {
  std::vector<std::string> registrations;
  for (const sim::TraceStep &t : r.trace) {
    if (t.kind == sim::TraceEvent::fltmgr_start || t.kind == sim::TraceEvent::frame_create)
      registrations.push_back("F" + std::to_string(t.frame));
    else if (t.kind == sim::TraceEvent::legacy_attach)
      registrations.push_back(t.driver);
  }
  std::vector<std::string> stack;
  for (const sim::StackEntry &e : r.stack)
    stack.push_back(e.kind == sim::StackEntry::Kind::frame ? "F" + std::to_string(e.frame)
                                                           : e.name);
  FUZZ_CHECK(stack == registrations);
}

/// Whole-engine checks for any scenario: runs, is deterministic, stops cleanly at any step, and
/// the tie-order exploration's claims are reproducible.
inline void check_engine(const sim::Scenario &sc, std::uint64_t stop_step,
                         std::uint64_t max_orders) {
  const sim::SimResult r = sim::simulate(sc);
  if (r.input_errors.empty()) {
    check_frame_invariants(sc, r);
    check_trace_matches_stack(r);
  }
  const sim::SimResult again = sim::simulate(sc);
  FUZZ_CHECK(sim::outcome_signature(r) == sim::outcome_signature(again));
  FUZZ_CHECK(r.findings.size() == again.findings.size());
  FUZZ_CHECK(r.trace.size() == again.trace.size());

  if (!r.trace.empty()) {
    sim::SimOptions part_opt;
    part_opt.stop_after_step = static_cast<int>(stop_step % (r.trace.size() + 1));
    const sim::SimResult part = sim::simulate(sc, part_opt);
    FUZZ_CHECK(part.trace.size() == static_cast<std::size_t>(*part_opt.stop_after_step));
    for (std::size_t k = 0; k < part.trace.size(); ++k)
      FUZZ_CHECK(part.trace[k].text == r.trace[k].text);
    FUZZ_CHECK(part.frames.size() <= r.frames.size());
  }

  sim::ExploreOptions eo;
  eo.max_orders = 1 + max_orders % 64;
  const sim::TieExploration ex = sim::explore_tie_orders(sc, eo);
  FUZZ_CHECK(ex.orders_tried >= 1);
  FUZZ_CHECK(ex.orders_tried <= ex.total_orders || !ex.exhaustive);
  if (ex.exhaustive && !ex.order_dependent)
    FUZZ_CHECK(ex.orders_tried == ex.total_orders);
  if (ex.order_dependent) {
    // The permutation it reports really gives another stack.
    sim::SimOptions o;
    o.record_trace = false;
    o.compute_findings = false;
    const std::string base = sim::outcome_signature(sim::simulate(sc, o));
    o.tie_permutation = ex.differing_permutation;
    FUZZ_CHECK(sim::outcome_signature(sim::simulate(sc, o)) != base);
    FUZZ_CHECK(!ex.drivers_involved.empty());
  }
}

} // namespace fltsim::fuzz
