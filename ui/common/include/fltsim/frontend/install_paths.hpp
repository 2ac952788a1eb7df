#pragma once
// Where the files that ship beside the executables are found at run time. Paths are relative to
// the running executable, never compiled in, so a binary built in one place runs from any
// other: installed, `<prefix>/bin/fltsim` finds `<prefix>/share/fltsim` and
// `<prefix>/share/doc/fltsim`; in the build tree, `build/ui/cli/fltsim` finds
// `build/ui/share/...`, which the build links to the source tree's scenarios/ and docs/.
#include <filesystem>

namespace fltsim::frontend {

/// The directory of the running executable (read from /proc/self/exe); empty when unknown.
[[nodiscard]] std::filesystem::path executable_dir();

/// The bundled scenarios (`<exe>/../share/fltsim/scenarios`); empty when not there.
[[nodiscard]] std::filesystem::path bundled_scenario_dir();

/// The documentation (`<exe>/../share/doc/fltsim`, holding rules.md and model.md); empty when
/// not there.
[[nodiscard]] std::filesystem::path doc_dir();

} // namespace fltsim::frontend
