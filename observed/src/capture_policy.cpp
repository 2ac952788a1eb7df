// See capture_policy.hpp.
#include "fltsim/observed/capture_policy.hpp"

#include "fltsim/io/files.hpp"
#include "fltsim/observed/events_reader.hpp"
#include "fltsim/observed/observed_import.hpp"

namespace fltsim::observed {

CaptureRead read_capture(const std::string &capture, const std::string &events, bool lenient) {
  CaptureRead out;
  const io::DecodedText text = io::read_text_file(capture);
  if (!text.text) {
    out.diagnostics.push_back(text.error);
    return out;
  }
  CaptureInput in;
  in.stack = parse_observed(*text.text, capture);
  const std::vector<sim::Diagnostic> &diags = in.stack.diagnostics;
  out.diagnostics = diags;
  if (in.stack.sections.empty()) // nothing to read: no listing, or an error instead
    return out;
  if (!diags.empty()) {
    if (!lenient) {
      out.summary = std::to_string(diags.size()) +
                    " line(s) of the capture could not be read (listed above); nothing is "
                    "dropped silently: fix them or pass --lenient to skip them";
      return out;
    }
    out.summary =
        "--lenient: skipped the " + std::to_string(diags.size()) + " line(s) listed above";
  }
  // A partial listing beside the complete one that is used: said, not dropped unseen.
  for (sim::Diagnostic &d : unused_partial_listings(in.stack, capture))
    out.diagnostics.push_back(std::move(d));
  if (!events.empty()) {
    const io::DecodedText ev = io::read_text_file(events);
    if (!ev.text) {
      out.diagnostics.push_back(ev.error);
      return out;
    }
    const FilterEventLog log = parse_filter_events(*ev.text, events);
    if (!log.diagnostics.empty()) {
      out.diagnostics.insert(out.diagnostics.end(), log.diagnostics.begin(), log.diagnostics.end());
      if (!lenient || log.events.empty())
        return out;
    }
    in.load_order = log.load_order();
  }
  out.input = std::move(in);
  return out;
}

} // namespace fltsim::observed
