#pragma once
// fltsim_inputs: the one door for inputs. Every file or folder fltsim accepts is opened here and
// handed to its reader (manifest/, machine/, observed/, baselines/), so that a reader's notes reach
// the user the same way whether a file was named on the command line or pulled in by a
// scenario's `include:`.
#include <cstddef>
#include <filesystem>
#include <string_view>

#include "fltsim/manifest/inf_reader.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"

namespace fltsim::inputs {

/// What a file or folder is: the one answer, which every dispatch point asks (`import`, `diagnose`
/// and the viewer through read_machine_evidence, `fleet` through open_machine_source).
enum class InputKind {
  scenario,         ///< a scenario or driver manifest in YAML (.yaml / .yml)
  inf,              ///< a driver INF (.inf)
  reg_manifest,     ///< a .reg export of service keys only (…\Services\NAME)
  machine_registry, ///< a whole-machine .reg export (HKLM\SYSTEM or a control set) or an offline
                    ///< SYSTEM hive (its "regf" signature, whatever the file is named)
  capture,          ///< fltmc / !fltkd / NtObjectManager output, in any form parse_observed reads
  event_log,        ///< FilterManager event 6 records, in any form parse_filter_events reads
  build,            ///< a `build` / `build.txt` file: the Windows build, one line
  folder,           ///< a directory: a machine folder, a support bundle or a fleet tree
  fleet_jsonl,      ///< JSON lines, one machine record each (docs/fleet.md)
  osquery_log,      ///< an osquery results log: JSON lines whose first carries "hostIdentifier"
  unknown,          ///< none of these: binary, empty without a telling name, or other text
};
/// "scenario", "inf", "reg-manifest", "machine-registry", "capture", "event-log", "build",
/// "folder", "fleet-jsonl", "osquery-log", "unknown".
[[nodiscard]] const char *to_string(InputKind k);

/// How many bytes of a file sniff_input(path) reads (peeks: a pipe keeps them for its reader,
/// io/input.hpp): a capture or event log is recognised when parse_observed / parse_filter_events
/// find one in its first 256 KiB, so a listing that starts later than that is not seen.
inline constexpr std::size_t sniff_head_bytes = 256u * 1024u;

/// THE dispatch point for inputs (docs/where-things-go.md): what `path` is, from its name and its
/// first sniff_head_bytes bytes, in this order:
///  1. a folder is `folder`; the "regf" signature is `machine_registry`, whatever the name;
///  2. the name `build` / `build.txt` is `build`; `.yaml` / `.yml` is `scenario` and `.inf` is
///     `inf` (those readers report what is wrong with the text);
///  3. the text (decoded as io::decode_text does: BOMs, UTF-16) by its first non-blank line: a
///     regedit header ("Windows Registry Editor Version 5.00", "REGEDIT4") is a .reg export,
///     `machine_registry` when a key of the head lies outside …\Services\ (Select, Control, a
///     control set's root), else `reg_manifest`; a line naming "hostIdentifier" is
///     `osquery_log`; a JSON object on one line is `fleet_jsonl` (in a `.json` file only when no
///     capture or event log is read from it: NtObjectManager and Get-WinEvent write JSON);
///  4. a capture (parse_observed finds a listing), else an event log (parse_filter_events finds a
///     record);
///  5. a `.reg` file that is none of these is `reg_manifest` (its reader says why it is not a
///     registry export); anything else, binary or empty included, is `unknown`.
/// So content wins where the name lies: a capture or an event log saved as `.reg` (no regedit
/// header) is a capture or event log, a hive is a hive under any name; a `.yaml` or `.inf` name is
/// trusted. A path that cannot be read sniffs as its name alone would (an empty head).
[[nodiscard]] InputKind sniff_input(const std::filesystem::path &path);
/// The same, on bytes already read from the start of `path` (`head`; at most sniff_head_bytes are
/// looked at): for a pipe or FIFO that can be read only once, whose reader took them already
/// (fleet reads a FIFO's first lines ahead). Never opens `path`, so never says `folder`.
[[nodiscard]] InputKind sniff_input(const std::filesystem::path &path, std::string_view head);

/// Manifest file types by extension (case-insensitive): .yaml/.yml, .inf, .reg. The name half
/// of sniff_input, for walks that take files by name without opening them (`check`'s PATH
/// folders, a fleet machine folder) and for picking a manifest's reader; what a file *is*,
/// sniff_input says.
enum class ManifestType { yaml, inf, reg, unknown };
[[nodiscard]] ManifestType manifest_type(const std::filesystem::path &path);

/// Loads a scenario file, resolving `include:` relative to it (YAML, INF or .reg manifests;
/// included INFs are read with `inf`). A driver INF or a .reg manifest given itself is a scenario
/// of its drivers (as `include: [it]` alone); a whole machine's registry is refused, naming
/// `fltsim import`.
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
