#pragma once
// One machine's evidence, as a customer sends it (docs/diagnose.md): any mix of a registry export
// or SYSTEM hive, a scenario, fltmc / !fltkd / NtObjectManager captures, a FilterManager event
// log and a `build` file, named one by one or as a folder (a LogScout / PSSDiag bundle). Each file
// is recognised here, at the door, and read by its own reader under its own policy (captures:
// observed::read_capture); what they say is combined into one MachineEvidence.
#include <optional>
#include <string>
#include <vector>

#include "fltsim/machine/machine_import.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::inputs {

/// What one file of the evidence was used as in the diagnosis. Not inputs::InputKind, which
/// says what the input door recognised a file to be: several InputKinds feed one role here
/// (an offline hive and a whole-machine .reg export are both the registry), and these names are
/// the ones the diagnosis prints ("simulated from the registry").
enum class EvidenceKind { registry, scenario, capture, event_log, build };
/// "registry", "scenario", "capture", "event-log", "build".
[[nodiscard]] const char *to_string(EvidenceKind k);

struct EvidenceFile {
  std::string path;
  EvidenceKind kind = EvidenceKind::capture;
  std::string detail; ///< "fltmc filters", "12 event 6 records", "control set ControlSet001", ...
};

struct EvidenceOptions {
  bool lenient = false;    ///< captures and event logs: go on past unreadable rows (read_capture)
  std::string control_set; ///< registry: "" = Select\Current
};

struct MachineEvidence {
  std::string name;                ///< the machine: the first path given (a bundle's folder)
  std::vector<EvidenceFile> files; ///< every file used, in reading order
  /// Configuration: a registry export / hive (machine import) or a scenario file, at most one.
  std::optional<sim::Scenario> configuration;
  std::string configuration_source;
  std::vector<std::string> configuration_notes; ///< the machine import's notes
  /// Observation: every capture's listings, in reading order (a folder's files in name order).
  std::optional<observed::ObservedStack> capture;
  std::string capture_source; ///< the first capture
  /// FilterManager event 6: the registration order of the last boot, oldest first.
  std::vector<std::string> load_order;
  std::string events_source; ///< "" = no event log
  /// The Windows build the evidence states ("" = none): a `build` / `build.txt` file, else the
  /// console banner of a pasted cmd session ("Microsoft Windows [Version 10.0.19045.3803]").
  std::string build;
  std::string build_source; ///< the file, or "FILE:LINE (the console banner)"
  /// Errors (an unreadable or unrecognised input: exit 2) and notes (a bundle file skipped),
  /// in reading order.
  std::vector<sim::Diagnostic> diagnostics;

  [[nodiscard]] bool has_errors() const;
};

/// Reads every path (a file, or a folder walked in name order, hidden entries skipped). A file
/// named on the command line that is none of the kinds above is an error; one inside a folder is
/// skipped with a note (a support bundle holds many other files).
[[nodiscard]] MachineEvidence read_machine_evidence(const std::vector<std::string> &paths,
                                                    const EvidenceOptions &options = {});

} // namespace fltsim::inputs
