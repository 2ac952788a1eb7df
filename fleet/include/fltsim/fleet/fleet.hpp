#pragma once
// Fleet evaluation (docs/fleet.md): what one change -- drivers added or replaced, drivers removed
// -- does to many machines. The per-machine step is a pure map (evaluate_machine: scenario before
// -> apply the change -> simulate both -> classify), the summary a mergeable reduce
// (Summary::add, merge): merge is associative and commutative, so partial summaries of any
// partition of a fleet merge into the summary of one run over all of it.
//
// Outcomes, from worst to best (a machine gets the worst that applies):
//   input_error    the machine's record cannot be read, or its scenario is invalid (before or
//   after) new_collision  the change adds an altitude-collision finding (A4) new_inversion  the
//   change adds an altitude-inversion (R5) or legacy-order-inversion finding order_change   the
//   filters already present are ordered differently in the I/O path (R7) clean          the change
//   lands without any of the above unchanged      the stack is the same before and after (the
//   change does not apply here)
// "Responsible" filters are the machine's own filters named by the new findings (the legacy
// filter above an inverted minifilter, the filter at a colliding altitude) or, for an order
// change, those that moved.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/findings.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::fleet {

enum class Outcome : std::uint8_t {
  unchanged,
  clean,
  order_change,
  new_inversion,
  new_collision,
  input_error,
};
inline constexpr std::size_t outcome_count = 6;
/// "unchanged", "clean", "order-change", "new-inversion", "new-collision", "input-error".
[[nodiscard]] const char *to_string(Outcome o);
[[nodiscard]] std::optional<Outcome> parse_outcome(std::string_view name);
/// True for the outcomes a release must look at (everything but clean and unchanged).
[[nodiscard]] bool is_problem(Outcome o);

/// The change under test.
struct Change {
  std::vector<sim::Driver> add;    ///< added; a driver of the same name is replaced
  std::vector<std::string> remove; ///< service names removed (absent names are ignored)
  /// What else the run put under every machine (e.g. "baseline windows-10-22h2"), for describe().
  std::string context;
  /// A stable description ("add X 320000 (FSFilter Anti-Virus); remove Y"), stored in summaries so
  /// that only summaries of the same change merge.
  [[nodiscard]] std::string describe() const;
};

/// The scenario with the change applied (pure).
[[nodiscard]] sim::Scenario apply_change(const sim::Scenario &before, const Change &change);

/// A finding the change introduced.
struct NewFinding {
  std::string code;
  std::vector<std::string> drivers;
  std::string message;
};

struct MachineResult {
  std::string machine;
  std::string build; ///< "" = unknown
  Outcome outcome = Outcome::clean;
  std::vector<std::string> responsible; ///< the machine's filters responsible, sorted, unique
  std::vector<NewFinding> new_findings; ///< every finding after the change that was not before
  std::vector<std::string> moved;       ///< order_change: filters whose relative order changed
  std::vector<sim::Diagnostic> errors;  ///< input_error: why
  std::vector<sim::Diagnostic> notes;   ///< how the machine was read (a file skipped), any outcome
  sim::SourceLocation location;         ///< where the record was read
};

/// Classifies one machine. `before` is the machine's own scenario.
[[nodiscard]] MachineResult evaluate_machine(std::string machine, std::string build,
                                             const sim::Scenario &before, const Change &change);

/// A machine whose record could not be read.
[[nodiscard]] MachineResult input_error_result(std::string machine, std::string build,
                                               std::vector<sim::Diagnostic> errors,
                                               sim::SourceLocation location);

/// Outcome counts, indexed by Outcome.
using Counts = std::array<std::uint64_t, outcome_count>;
/// The machines the counts cover (their sum; summaries read by --merge are checked for overflow
/// when they are read, so this cannot wrap).
[[nodiscard]] inline std::uint64_t total(const Counts &c) {
  std::uint64_t n = 0;
  for (const std::uint64_t v : c)
    n += v;
  return n;
}

/// One candidate of --suggest: the added driver at another altitude and/or group.
struct Candidate {
  std::string group;    ///< "" = the driver's own group
  std::string altitude; ///< default-instance altitude text
  [[nodiscard]] std::string key() const { return group + "|" + altitude; }
};

struct Summary {
  std::string change; ///< Change::describe()
  std::uint64_t machines = 0;
  Counts outcomes{};
  /// Responsible filter (lower-cased key) -> its spelling (the smallest seen, so merging is
  /// order-independent) and the outcomes it was responsible for.
  struct Filter {
    std::string name;
    Counts counts{};
  };
  std::map<std::string, Filter> filters;
  std::map<std::string, Counts> builds; ///< Windows build ("" = unknown) -> outcomes
  /// --suggest: candidate key -> the candidate and the outcomes the fleet gets with it.
  struct Suggestion {
    Candidate candidate;
    Counts counts{};
  };
  std::map<std::string, Suggestion> suggestions;

  void add(const MachineResult &r);
  /// Adds a machine's outcome with a candidate (--suggest).
  void add_suggestion(const Candidate &c, Outcome o);
  [[nodiscard]] std::uint64_t problems() const;
  friend bool operator==(const Summary &, const Summary &) = default;
};
/// Filter::operator== for Summary's defaulted comparison.
bool operator==(const Summary::Filter &a, const Summary::Filter &b);
bool operator==(const Summary::Suggestion &a, const Summary::Suggestion &b);

/// a + b. Associative and commutative. Fails (nullopt, *error set) when the summaries are of
/// different changes; an empty summary (no change recorded, no machines) merges with anything.
[[nodiscard]] std::optional<Summary> merge(const Summary &a, const Summary &b,
                                           std::string *error = nullptr);

/// The filters most often responsible, by total count (descending, then name), at most `limit`.
[[nodiscard]] std::vector<const Summary::Filter *> top_filters(const Summary &s, std::size_t limit);

/// Suggestions ranked: machines left clean or unchanged (descending), then fewer problems, then
/// candidate key.
[[nodiscard]] std::vector<const Summary::Suggestion *> ranked_suggestions(const Summary &s);

/// --suggest: the candidates for the first added minifilter -- altitudes spread over its own
/// group's documented range and the middle of every other documented group's range
/// (docs/model.md#groups), skipping altitudes the allocated list gives another driver. Empty when
/// the change adds no minifilter.
[[nodiscard]] std::vector<Candidate> suggestion_candidates(const Change &change);

/// The change with its first added minifilter moved to the candidate.
[[nodiscard]] Change with_candidate(const Change &change, const Candidate &c);

} // namespace fltsim::fleet
