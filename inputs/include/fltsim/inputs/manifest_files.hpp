#pragma once
// `fltsim check` inputs: which files to read (docs/check.md, "How the scenario is built"). How
// they merge onto the base scenario is fltsim_check's (fltsim/check/merge.hpp).
//
//  * PATH arguments: a file is read as given (its type from its extension); a directory is walked
//    recursively, in sorted order, taking .inf, .reg, .yaml and .yml files and skipping hidden
//    entries (".git", ".github", ...).
#include <filesystem>
#include <string>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::inputs {

/// Expands PATH arguments into manifest files (duplicates removed, each directory's files sorted).
/// A missing path, an unreadable directory or no manifest at all adds an "io" diagnostic.
[[nodiscard]] std::vector<std::filesystem::path>
collect_manifest_files(const std::vector<std::string> &args, std::vector<sim::Diagnostic> &errors);

} // namespace fltsim::inputs
