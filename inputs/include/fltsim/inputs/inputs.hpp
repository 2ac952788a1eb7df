#pragma once
// fltsim_inputs: the one door for inputs. Every file or folder fltsim accepts is opened here and
// handed to its reader (manifest/, machine/, observed/, baselines/), so that a reader's notes reach
// the user the same way whether a file was named on the command line or pulled in by a
// scenario's `include:`.
#include <filesystem>

#include "fltsim/manifest/inf_reader.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"

namespace fltsim::inputs {

/// Manifest file types, by extension (case-insensitive): .yaml/.yml, .inf, .reg.
enum class ManifestType { yaml, inf, reg, unknown };
[[nodiscard]] ManifestType manifest_type(const std::filesystem::path &path);

/// Loads a scenario file, resolving `include:` relative to it (YAML, INF or .reg manifests;
/// included INFs are read with `inf`).
[[nodiscard]] manifest::ScenarioLoad load_scenario_file(const std::filesystem::path &path,
                                                        const manifest::Limits &limits = {},
                                                        const manifest::InfReadOptions &inf = {});

/// Parses scenario text that has no file to resolve `include:` from (a fleet record, a test's
/// text); `baseline:` is resolved as for a file.
[[nodiscard]] manifest::ScenarioLoad parse_scenario_text(std::string_view text,
                                                         const std::string &source_name,
                                                         const manifest::Limits &limits = {});

/// Loads the drivers of one manifest file of any supported type. An INF is decoded as Windows
/// reads it (decode_inf: byte-order mark, else the code page in `inf`); other files go through
/// decode_text.
[[nodiscard]] manifest::IncludeResult load_manifest_file(const std::filesystem::path &path,
                                                         const manifest::Limits &limits = {},
                                                         const manifest::InfReadOptions &inf = {});

} // namespace fltsim::inputs
