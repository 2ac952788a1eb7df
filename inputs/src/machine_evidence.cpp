// See machine_evidence.hpp.
#include "fltsim/inputs/machine_evidence.hpp"

#include "fltsim/io/platform.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <system_error>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/observed/capture_policy.hpp"
#include "fltsim/observed/events_reader.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::inputs {

namespace fs = std::filesystem;

const char *to_string(EvidenceKind k) {
  switch (k) {
  case EvidenceKind::registry:
    return "registry";
  case EvidenceKind::scenario:
    return "scenario";
  case EvidenceKind::capture:
    return "capture";
  case EvidenceKind::event_log:
    return "event-log";
  case EvidenceKind::build:
    return "build";
  }
  return "?";
}

bool MachineEvidence::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const sim::Diagnostic &d) { return d.severity == sim::Severity::error; });
}

namespace {

sim::Diagnostic note(const std::string &file, std::string message) {
  sim::Diagnostic d = sim::make_diagnostic({file, 0, 0}, "machine-evidence", std::move(message));
  d.severity = sim::Severity::note;
  return d;
}

void add_all(std::vector<sim::Diagnostic> &to, const std::vector<sim::Diagnostic> &from) {
  to.insert(to.end(), from.begin(), from.end());
}

class Reader {
public:
  Reader(MachineEvidence &ev, const EvidenceOptions &opt) : ev_(ev), opt_(opt) {}

  void path(const std::string &p) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      folder(p);
      return;
    }
    if (!fs::exists(p, ec)) {
      ev_.diagnostics.push_back(sim::make_diagnostic({p, 0, 0}, "io", "no such file or folder"));
      return;
    }
    file(p, /*in_folder=*/false);
  }

private:
  MachineEvidence &ev_;
  const EvidenceOptions &opt_;

  void folder(const std::string &dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = io::path_to_utf8(it->path().filename());
      if (!name.empty() && name.front() == '.') { // .git, editor files
        if (it->is_directory())
          it.disable_recursion_pending();
        continue;
      }
      std::error_code e;
      if (it->is_regular_file(e))
        files.push_back(it->path());
      else if (!it->is_directory(e)) // a FIFO would wait for a writer forever
        ev_.diagnostics.push_back(note(io::path_to_utf8(it->path()),
                                       "not a regular file (a FIFO, device or socket); skipped"));
    }
    if (ec) {
      ev_.diagnostics.push_back(sim::make_diagnostic({dir, 0, 0}, "io", ec.message()));
      return;
    }
    std::sort(files.begin(), files.end());
    for (const fs::path &f : files)
      file(io::path_to_utf8(f),
           /*in_folder=*/true); // "/" on every platform (docs/windows.md#paths)
  }

  // Each file goes where sniff_input (the one dispatch point, inputs.hpp) says it belongs.
  void file(const std::string &p, bool in_folder) {
    const std::string lower = sim::ascii_lower(io::path_to_utf8(io::path_from_utf8(p).filename()));
    if (in_folder && lower.ends_with(".expect"))
      return; // a test sidecar beside the evidence: not machine evidence
    const InputKind kind = sniff_input(p);
    switch (kind) {
    case InputKind::build:
      build(p);
      return;
    case InputKind::machine_registry:
    case InputKind::reg_manifest: // a service-key export: the machine import says what it lacks
      registry(p);
      return;
    case InputKind::scenario:
      scenario(p);
      return;
    case InputKind::inf:
      if (in_folder)
        return; // a driver manifest beside the evidence: not machine evidence
      break;
    case InputKind::capture:
    case InputKind::event_log:
    case InputKind::folder: // a folder's entries are files; a path named is read by path()
    case InputKind::fleet_jsonl:
    case InputKind::osquery_log:
    case InputKind::unknown:
      break;
    }
    // Text from here on: a capture or an event log is read whole by its reader (the sniff saw
    // the head); anything else is said to be no evidence, with what the capture reader made of it.
    const io::DecodedText t = io::read_text_file(p);
    if (!t.text) {
      if (in_folder)
        ev_.diagnostics.push_back(
            note(p, "not text fltsim reads (" + t.error.message + "); skipped"));
      else
        ev_.diagnostics.push_back(t.error);
      return;
    }
    if (kind == InputKind::capture) {
      capture(p);
      banner(p, *t.text);
      return;
    }
    if (kind == InputKind::event_log) {
      events(p, observed::parse_filter_events(*t.text, p));
      return;
    }
    if (in_folder) {
      ev_.diagnostics.push_back(note(p, "no capture, event log, registry or scenario here; "
                                        "skipped"));
      return;
    }
    add_all(ev_.diagnostics, observed::parse_observed(*t.text, p).diagnostics);
    ev_.diagnostics.push_back(sim::make_diagnostic(
        {p, 0, 0}, "machine-evidence",
        "not machine evidence fltsim reads: expected a fltmc / !fltkd / NtObjectManager "
        "capture, a FilterManager event log, a .reg export or SYSTEM hive, or a scenario .yaml"));
  }

  // The Windows build, one line (as fleet reads it).
  void build(const std::string &p) {
    const io::DecodedText t = io::read_text_file(p);
    if (!t.text) {
      ev_.diagnostics.push_back(t.error);
      return;
    }
    std::string b = *t.text;
    while (!b.empty() && (b.back() == '\n' || b.back() == '\r' || b.back() == ' '))
      b.pop_back();
    ev_.build = b;
    ev_.build_source = p;
    ev_.files.push_back({p, EvidenceKind::build, b});
  }

  // The console banner a pasted cmd session starts with states the build: "Microsoft Windows
  // [Version 10.0.19045.3803]" (localised: "[Wersja ...]", "[Versión ...]").
  void banner(const std::string &p, const std::string &text) {
    if (!ev_.build.empty())
      return;
    static const std::regex re(
        R"(Microsoft Windows \[[^\]0-9]*([0-9]+\.[0-9]+\.[0-9]+(\.[0-9]+)?)\])");
    std::smatch m;
    if (!std::regex_search(text, m, re))
      return;
    const auto line = 1 + std::count(text.begin(), text.begin() + m.position(0), '\n');
    ev_.build = m[1].str();
    ev_.build_source = p + ":" + std::to_string(line) + " (the console banner)";
  }

  bool second_configuration(const std::string &p) {
    if (ev_.configuration_source.empty())
      return false;
    ev_.diagnostics.push_back(sim::make_diagnostic(
        {p, 0, 0}, "machine-evidence",
        "a second configuration of the machine (the first is " + ev_.configuration_source +
            "); give one registry export, hive or scenario"));
    return true;
  }

  void registry(const std::string &p) {
    if (second_configuration(p))
      return;
    machine::MachineImportOptions mo;
    if (!opt_.control_set.empty())
      mo.control_set = opt_.control_set;
    machine::MachineImport imp = machine::import_machine_file(p, mo);
    add_all(ev_.diagnostics, imp.warnings);
    if (configuration(p, imp.scenario, imp.errors, EvidenceKind::registry,
                      "control set " + imp.control_set))
      ev_.configuration_notes = imp.notes;
  }

  // The machine's configuration from `p` when it was read, else its errors; true when read.
  bool configuration(const std::string &p, std::optional<sim::Scenario> &sc,
                     const std::vector<sim::Diagnostic> &errors, EvidenceKind kind,
                     std::string what) {
    if (!sc) {
      add_all(ev_.diagnostics, errors);
      return false;
    }
    ev_.configuration = std::move(sc);
    ev_.configuration_source = p;
    ev_.files.push_back({p, kind, std::move(what)});
    return true;
  }

  void scenario(const std::string &p) {
    if (second_configuration(p))
      return;
    manifest::ScenarioLoad load = load_scenario_file(p);
    add_all(ev_.diagnostics, load.notes);
    configuration(p, load.scenario, load.diagnostics, EvidenceKind::scenario, "scenario");
  }

  void capture(const std::string &p) {
    // The one capture policy (observed/capture_policy.hpp): every line read or reported.
    observed::CaptureRead read = observed::read_capture(p, "", opt_.lenient);
    // Rows the policy let through (--lenient) are reported, as `import --lenient` reports them,
    // but they no longer stop the command.
    if (read.input)
      for (sim::Diagnostic &d : read.diagnostics)
        d.severity = sim::Severity::warning;
    add_all(ev_.diagnostics, read.diagnostics);
    if (read.summary)
      ev_.diagnostics.push_back(note(p, *read.summary));
    if (!read.input) {
      if (!ev_.has_errors())
        ev_.diagnostics.push_back(
            sim::make_diagnostic({p, 0, 0}, "machine-evidence", "the capture cannot be used"));
      return;
    }
    std::string kinds;
    for (const observed::ObservedSection &s : read.input->stack.sections)
      kinds += (kinds.empty() ? "" : ", ") + std::string(observed::to_string(s.kind));
    ev_.files.push_back({p, EvidenceKind::capture, kinds});
    if (!ev_.capture) {
      ev_.capture = std::move(read.input->stack);
      ev_.capture_source = p;
      return;
    }
    for (auto &s : read.input->stack.sections)
      ev_.capture->sections.push_back(std::move(s));
    add_all(ev_.capture->diagnostics, read.input->stack.diagnostics);
    for (auto &n : read.input->stack.notes)
      ev_.capture->notes.push_back(std::move(n));
  }

  void events(const std::string &p, const observed::FilterEventLog &log) {
    if (!ev_.events_source.empty()) {
      ev_.diagnostics.push_back(sim::make_diagnostic({p, 0, 0}, "machine-evidence",
                                                     "a second event log (the first is " +
                                                         ev_.events_source + "); give one"));
      return;
    }
    // As the capture policy reads an event log: records that name no filter stop it unless
    // lenient.
    std::vector<sim::Diagnostic> diags = log.diagnostics;
    if (opt_.lenient) // reported, no longer stopping the command
      for (sim::Diagnostic &d : diags)
        d.severity = sim::Severity::warning;
    add_all(ev_.diagnostics, diags);
    if (!log.diagnostics.empty() && !opt_.lenient)
      return;
    ev_.load_order = log.load_order();
    ev_.events_source = p;
    ev_.files.push_back({p, EvidenceKind::event_log,
                         std::to_string(log.events.size()) + " event 6 record(s), " +
                             std::to_string(log.boots) + " boot(s)"});
  }
};

} // namespace

MachineEvidence read_machine_evidence(const std::vector<std::string> &paths,
                                      const EvidenceOptions &options) {
  MachineEvidence ev;
  ev.name = paths.empty() ? std::string() : paths.front();
  Reader reader(ev, options);
  for (const std::string &p : paths)
    reader.path(p);
  if (!ev.has_errors() && !ev.configuration && !ev.capture && ev.events_source.empty())
    ev.diagnostics.push_back(sim::make_diagnostic(
        {paths.empty() ? std::string() : paths.front(), 0, 0}, "machine-evidence",
        "nothing fltsim reads here: expected a capture, an event log, a registry export or "
        "hive, or a scenario"));
  return ev;
}

} // namespace fltsim::inputs
