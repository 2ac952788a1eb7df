#pragma once
// `fltsim check` inputs: which files to read, and how manifests merge into one scenario on top of
// an optional base scenario (docs/check.md, "How the scenario is built").
//
//  * PATH arguments: a file is read as given (its type from its extension); a directory is walked
//    recursively, in sorted order, taking .inf, .reg, .yaml and .yml files and skipping hidden
//    entries (".git", ".github", ...).
//  * Merge: base drivers first, in base order. A manifest driver whose name matches a base driver
//    replaces it in place (the change under review is a new version of a fleet driver); two
//    manifests declaring one service stay both and the resolver reports duplicate-driver.
//  * Demand-start manifest drivers that boot does not start get a load event after the base
//    scenario's own events (dependencies first), as `fltmc load` would, so their frames,
//    instances and collisions are checked too.
#include <filesystem>
#include <string>
#include <vector>

#include "check_rules.hpp"
#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::cli::check {

/// Expands PATH arguments into manifest files (duplicates removed, each directory's files sorted).
/// A missing path, an unreadable directory or no manifest at all adds an "io" diagnostic.
[[nodiscard]] std::vector<std::filesystem::path>
collect_manifest_files(const std::vector<std::string> &args, std::vector<sim::Diagnostic> &errors);

/// Merges `manifest_drivers` (in file order) onto `base` (may be null) and adds the demand-start
/// load events described above. Pure.
[[nodiscard]] CheckedScenario merge_scenario(const sim::Scenario *base,
                                             std::vector<sim::Driver> manifest_drivers);

} // namespace fltsim::cli::check
