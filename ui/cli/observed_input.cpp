// See observed_input.hpp.
#include "observed_input.hpp"

#include "command.hpp"
#include "fltsim/manifest/events_reader.hpp"
#include "fltsim/manifest/files.hpp"

namespace fltsim::cli {

std::optional<ObservedInput> read_observed_input(const std::string &command,
                                                 const std::string &capture,
                                                 const std::string &events, bool lenient,
                                                 std::ostream &err) {
  const manifest::DecodedText text = manifest::read_text_file(capture);
  if (!text.text) {
    print_diagnostics({text.error}, err);
    return std::nullopt;
  }
  ObservedInput in;
  in.stack = manifest::parse_observed(*text.text, capture);
  const std::vector<sim::Diagnostic> &diags = in.stack.diagnostics;
  if (in.stack.sections.empty()) { // nothing to read: no listing, or an error instead
    print_diagnostics(diags, err);
    return std::nullopt;
  }
  if (!diags.empty()) {
    print_diagnostics(diags, err);
    if (!lenient) {
      err << "fltsim " << command << ": " << diags.size()
          << " line(s) of the capture could not be read (listed above); nothing is dropped "
             "silently: fix them or pass --lenient to skip them\n";
      return std::nullopt;
    }
    err << "fltsim " << command << ": --lenient: skipped the " << diags.size()
        << " line(s) listed above\n";
  }
  if (!events.empty()) {
    const manifest::DecodedText ev = manifest::read_text_file(events);
    if (!ev.text) {
      print_diagnostics({ev.error}, err);
      return std::nullopt;
    }
    const manifest::FilterEventLog log = manifest::parse_filter_events(*ev.text, events);
    if (!log.diagnostics.empty()) {
      print_diagnostics(log.diagnostics, err);
      if (!lenient || log.events.empty())
        return std::nullopt;
    }
    in.load_order = log.load_order();
  }
  return in;
}

} // namespace fltsim::cli
