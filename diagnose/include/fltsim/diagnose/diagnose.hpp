#pragma once
// fltsim_diagnose: `fltsim diagnose` as a library (docs/diagnose.md). One machine's evidence
// (inputs::read_machine_evidence: captures, an event log, a registry export or hive, a scenario)
// -> a Diagnosis: which Windows it is, every filter named, the stack explained, the differences
// from the build's baseline and, with a change, what the change does and the planner's fix.
//
// It computes nothing the other modules already decide: the stack is sim::simulate's, the
// findings are check::run_check's (with the baseline's inbox exceptions), configuration against
// observation is observed::compare_observed, a capture becomes a scenario through
// observed::import_observed, a change is classified by fleet::evaluate_machine and fixed by
// planner::plan. Pure: no files, no output; renderers turn a Diagnosis into text.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fltsim/check/check.hpp"
#include "fltsim/fleet/fleet.hpp"
#include "fltsim/inputs/machine_evidence.hpp"
#include "fltsim/observed/observed_import.hpp"
#include "fltsim/planner/planner.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::diagnose {

/// How sure the build guess is.
enum class Confidence : std::uint8_t { high, medium, low, unknown };
[[nodiscard]] const char *to_string(Confidence c); ///< "high", "medium", "low", "unknown"

/// One bundled build baseline held against the machine's filters.
struct BuildCandidate {
  std::string baseline; ///< "windows-11-24h2"
  int score = 0;
  std::size_t matched = 0;   ///< baseline filters present at the baseline's altitude
  std::size_t expected = 0;  ///< baseline filters a running machine shows (not demand start)
  std::size_t conflicts = 0; ///< present at another altitude, or inbox filters of other builds
  std::size_t missing = 0;   ///< baseline filters that should be here and are not
};

struct BuildGuess {
  std::string baseline;            ///< "" = unknown
  std::string title;               ///< the baseline's title
  std::vector<std::string> builds; ///< its build numbers ("10.0.26100")
  /// Other baselines that fit exactly as well (windows-10-1809 and windows-server-2019 hold the
  /// same filters): the guess is one of them.
  std::vector<std::string> also;
  Confidence confidence = Confidence::unknown;
  /// The machine's filters are the baseline's (none missing, none elsewhere, no other build's):
  /// false for a build between two bundled baselines (the nearest is named, confidence low).
  bool exact = false;
  enum class Source : std::uint8_t { guessed, option, stated };
  Source source = Source::guessed;
  std::string stated_build;               ///< a `build` file's text, when the evidence has one
  std::vector<std::string> evidence;      ///< one sentence each, the strongest first
  std::vector<BuildCandidate> candidates; ///< every build baseline, best first
};

/// Where a filter comes from.
enum class Origin : std::uint8_t {
  inbox,       ///< a filter of the Windows baseline (the guessed one, else any bundled build)
  microsoft,   ///< Microsoft's, by the allocated list, but not inbox in the baselines
  third_party, ///< allocated to another company
  unknown,     ///< in neither the allocated list nor a baseline
};
[[nodiscard]] const char *to_string(Origin o); ///< "inbox", "microsoft", "third-party", "unknown"

/// The filter's altitude against Microsoft's allocated list and its group's documented range.
enum class Allocation : std::uint8_t {
  this_name,           ///< "allocated": the list gives this altitude to this driver
  someone_else,        ///< "allocated-to-another": the list gives it to another driver
  outside_group_range, ///< "outside-group-range": not in the range of the filter's load order group
  not_allocated,       ///< "not-allocated": the list has nothing at this altitude
  legacy,              ///< "legacy": a legacy filter's altitude is its group's (no allocation)
  no_altitude,         ///< "no-altitude": none known (a legacy filter without a group)
};
[[nodiscard]] const char *to_string(Allocation a);

struct FilterReport {
  std::string name;
  std::string company;      ///< from the allocated list ("" = not listed)
  std::string listed_group; ///< the list's section for it ("FSFilter Anti-Virus")
  std::string listed_as; ///< the driver as the list names it ("mpFilter.sys", "FileInfo.sys(new)")
  Origin origin = Origin::unknown;
  Allocation allocation = Allocation::not_allocated;
  std::string allocation_detail; ///< whose altitude it is, which range, which exception
  bool inbox_exception = false;  ///< Windows itself is excused (data/baselines, inbox exceptions)
  sim::DriverKind kind = sim::DriverKind::minifilter;
  std::optional<sim::Altitude> altitude;
  std::string group; ///< load order group ("" = none)
  sim::StartType start = sim::StartType::boot;
  bool loaded = false;
  int frame = -1;     ///< minifilter: its frame; -1 = none (legacy, not loaded)
  int position = 0;   ///< 1-based place from the top of the stack; 0 = not on it
  int instances = -1; ///< observed instance count (fltmc), or attached instances; -1 = unknown
  /// Out of altitude order: the legacy filters above it on the stack although their altitude is
  /// lower (altitude-inversion findings, R5, R6): the filters responsible.
  std::vector<std::string> below_legacy;
  /// Altitude collisions (A4): the filters at its altitude on a volume.
  std::vector<std::string> collides_with;
};

/// Why a frame beyond Frame 0 exists (R4, R5).
struct FrameReason {
  int frame = 0;
  std::string low, high;
  std::string legacy_below; ///< the legacy filter between it and the frame under it
  std::string opened_by;    ///< the minifilter whose registration opened it
  std::string text;         ///< one sentence
};

/// An inbox filter that is not where the baseline puts it.
struct BaselineMove {
  std::string filter;
  std::string baseline_altitude;
  std::string machine_altitude;
};

struct BaselineDifferences {
  std::string baseline;             ///< "" = no baseline to compare with (build unknown)
  std::vector<std::string> added;   ///< filters not in the baseline (third-party, add-ons)
  std::vector<std::string> missing; ///< baseline filters not on the machine
  /// missing, but demand start: a capture lists only loaded filters, so this is no finding
  std::vector<std::string> missing_demand;
  std::vector<BaselineMove> moved;
  /// The baseline is only the nearest guess (confidence low): the differences are listed, but
  /// they are no finding.
  bool informative = false;
};

/// The load order an event log gives, beside the one the stack implies.
struct LoadOrder {
  std::string source;
  std::vector<std::string> observed; ///< event 6, oldest first
  /// Where the imported scenario's registration order differs from it (capture input).
  std::vector<std::string> differences;
};

/// `--add`: the change on this machine, as `fleet` classifies it and `plan` fixes it.
struct WhatIf {
  std::string change; ///< fleet::Change::describe()
  fleet::MachineResult result;
  std::vector<FilterReport> landed;       ///< the added filters on the machine after the change
  std::optional<planner::PlanResult> fix; ///< when the change lands wrong
  sim::Scenario after;
  sim::SimResult after_result;
};

struct Diagnosis {
  std::vector<inputs::EvidenceFile> evidence;
  std::string machine; ///< a name for the machine: its first input
  /// Where the machine's scenario came from: "registry", "scenario" or "capture" (imported).
  std::string scenario_from;
  std::vector<std::string> assumptions; ///< the capture import's guesses
  bool reproduces = true; ///< capture only: the imported scenario re-simulates to what was seen
  std::vector<std::string> mismatches;
  BuildGuess build;
  std::vector<FilterReport> filters; ///< top of the stack first, then filters not on it
  std::vector<FrameReason> frames;
  std::vector<check::LocatedFinding> findings; ///< run_check's, inbox exceptions applied
  std::size_t inbox_excepted = 0;
  std::vector<std::string> no_volume; ///< filters that attach to no volume
  std::optional<LoadOrder> load_order;
  /// Observation and configuration together: compare_observed's differences.
  std::optional<observed::Comparison> comparison;
  BaselineDifferences baseline;
  std::optional<WhatIf> what_if;
  sim::Scenario scenario;
  sim::SimResult result;

  /// Findings of severity warning or error, differences, missing or moved inbox filters, a change
  /// that lands wrong: something to look at (exit 1).
  [[nodiscard]] bool needs_attention() const;
};

struct Options {
  std::string baseline;                ///< `--baseline ID`: overrides the guess ("" = guess)
  std::optional<fleet::Change> change; ///< `--add`
  planner::Options plan;               ///< the planner's options for the fix (plan's defaults)
};

/// A result, or why there is none (input errors: exit 2).
struct DiagnoseResult {
  std::optional<Diagnosis> diagnosis;
  std::vector<sim::Diagnostic> errors;
};

/// Diagnoses one machine's evidence. The evidence must hold no error (inputs::MachineEvidence::
/// has_errors); a bad --baseline or a scenario with input errors comes back in `errors`.
[[nodiscard]] DiagnoseResult diagnose(const inputs::MachineEvidence &evidence,
                                      const Options &options = {});

/// The machine's scenario, as diagnose() builds it: the configuration, else the capture imported
/// (with the event log's load order). nullopt with `errors` when neither can be had.
[[nodiscard]] std::optional<sim::Scenario>
machine_scenario(const inputs::MachineEvidence &evidence, std::vector<sim::Diagnostic> &errors,
                 observed::ImportResult *import = nullptr);

/// The build guess alone (docs/diagnose.md#which-windows): the machine's filters held against
/// every bundled build baseline. Start types count only when they are the machine's own
/// (`start_types_known`: a registry or scenario, not a capture's guesses).
[[nodiscard]] BuildGuess guess_build(const sim::Scenario &machine, bool start_types_known);

// ---- the report (diagnose/src/report.cpp) ----
// One document of sections, drawn by every renderer and by the viewer's diagnosis panel, so that
// they all say the same.

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct Block {
  enum class Kind { paragraph, list, ordered, table };
  Kind kind = Kind::paragraph;
  std::string text;               ///< paragraph
  std::vector<std::string> items; ///< list, ordered
  Table table;
};

struct Section {
  std::string title;
  std::vector<Block> blocks;
  void para(std::string t) { blocks.push_back({Block::Kind::paragraph, std::move(t), {}, {}}); }
  void list(std::vector<std::string> items, bool ordered = false) {
    if (!items.empty())
      blocks.push_back(
          {ordered ? Block::Kind::ordered : Block::Kind::list, {}, std::move(items), {}});
  }
  void table(Table t) { blocks.push_back({Block::Kind::table, {}, {}, std::move(t)}); }
};

struct Document {
  std::string title;
  std::string summary;
  std::vector<Section> sections;
};

/// The report: evidence, which Windows, filters, the stack explained, load order, configuration
/// against observation, the baseline, what if, the import's assumptions.
[[nodiscard]] Document build_document(const Diagnosis &d);

// ---- renderers ----
[[nodiscard]] std::string render_text(const Diagnosis &d);
/// GitHub-flavoured Markdown; `svg` (may be empty) is put in as the stack picture.
[[nodiscard]] std::string render_markdown(const Diagnosis &d);
[[nodiscard]] std::string render_json(const Diagnosis &d);
/// A self-contained HTML page; `svg` is the stack picture (inline <svg>).
[[nodiscard]] std::string render_html(const Diagnosis &d, const std::string &svg);

} // namespace fltsim::diagnose
