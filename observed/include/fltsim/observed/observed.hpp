#pragma once
// Observed filter stacks: readers for text captured on a real machine -- `fltmc` /
// `fltmc filters`, `fltmc instances`, WinDbg `!fltkd.frames` and `!fltkd.filters` (formats in
// docs/model.md#output-formats). Pure text -> data: no IO, never throws.
//
// The input is decoded UTF-8 (decode_text converts UTF-16LE/BE with BOM); CRLF is accepted.
// Table columns are found from the dashed rule line under the header, never from the header
// words, so localized headers work. Rows that do not line up with the rule (a long volume name
// pushes the later fields right, pasted text with collapsed spaces) are read from their values
// instead. Truncation is never silent: `[... truncated ...]` / `[... gap ...]` markers and rows
// cut off at the end of a listing set ObservedSection::truncated and add a note.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/altitude.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/result.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::observed {

// Limits of the capture readers (docs/reliability.md#limits): over one, the reader gives an
// `error[limit]` diagnostic at the line where it was passed and nothing else.
/// Rows of one capture: fltmc filter, instance and volume rows, `!fltkd` FLT_ lines, exported
/// objects or records.
inline constexpr std::size_t max_capture_rows = 100000;
/// Bytes of one exported record (a CSV record, quoted line breaks included).
inline constexpr std::size_t max_record_bytes = 64 * 1024;
/// Nesting of `[` / `{` in a JSON export (NtObjectManager, Get-WinEvent | ConvertTo-Json).
inline constexpr int max_json_depth = 64;

/// A filter: one `fltmc filters` row or one `!fltkd` FLT_FILTER line.
struct ObservedFilter {
  std::string name;
  bool legacy = false; ///< `<Legacy>` in the Frame column (fltmc only)
  /// nullopt when the column is blank (a legacy filter whose group has no altitude) or when the
  /// text is not an altitude (then `diagnostics` has an "observed-altitude" entry).
  std::optional<sim::Altitude> altitude;
  std::optional<int> frame;         ///< FrameID; nullopt for legacy rows or when not shown
  std::optional<int> num_instances; ///< fltmc "Num Instances"; fltkd: FLT_INSTANCE lines listed
  int line = 0;                     ///< 1-based line of the row
};

/// An instance: one `fltmc instances` row or one `!fltkd` FLT_INSTANCE line.
struct ObservedInstance {
  std::string filter;
  std::string volume; ///< as printed; empty = volume without a DOS name (or fltkd, which omits it)
  std::optional<sim::Altitude> altitude; ///< nullopt: blank (legacy rows) or unreadable
  std::string instance_name;             ///< empty for legacy rows
  std::optional<int> frame;              ///< nullopt for legacy rows
  bool legacy = false;                   ///< `<Legacy>` in the Frame column
  std::string supported_features;        ///< SprtFtrs as printed ("00000003"); empty if absent
  std::string volume_status;             ///< VlStatus ("Detached"); empty if blank
  int line = 0;
};

/// An fltmgr frame as `!fltkd.frames` (FLTP_FRAME "Frame N" "low to high") or `!fltkd.filters`
/// (Filter List ... "Frame N", no range) prints it.
struct ObservedFrame {
  int id = 0;
  std::optional<sim::Altitude> low;    ///< nullopt for !fltkd.filters or an unreadable range
  std::optional<sim::Altitude> high;   ///< likewise
  std::vector<ObservedFilter> filters; ///< in printed order (descending altitude)
  int line = 0;
};

/// A volume: one `fltmc volumes` row (Dos Name, Volume Name, FileSystem, Status).
struct ObservedVolume {
  std::string dos_name; ///< "C:"; empty for volumes without one
  std::string volume;   ///< "\Device\HarddiskVolume3"
  std::string file_system;
  std::string status;
  int line = 0;
};

enum class ObservedKind {
  fltmc_filters,
  fltmc_instances,
  fltkd_frames,
  fltkd_filters,
  fltmc_volumes,      ///< `fltmc volumes`: volumes only, no filters
  ntobject_filters,   ///< NtObjectManager `Get-FilterDriver` via ConvertTo-Json / Export-Csv
  ntobject_instances, ///< NtObjectManager `Get-FilterDriverInstance` (no frames)
};

/// "fltmc filters", "fltmc instances", "!fltkd.frames", "!fltkd.filters", "fltmc volumes",
/// "Get-FilterDriver", "Get-FilterDriverInstance".
[[nodiscard]] const char *to_string(ObservedKind kind);

/// One listing. `filters` holds every filter of the section in printed order whatever the kind
/// (for fltkd kinds the same filters also appear under `frames`); `instances` holds fltmc instance
/// rows or fltkd FLT_INSTANCE lines; `frames` is filled for the fltkd kinds only.
struct ObservedSection {
  ObservedKind kind = ObservedKind::fltmc_filters;
  int line = 0; ///< first line of the listing (header, rule, list header or first row)
  std::vector<ObservedFilter> filters;
  std::vector<ObservedInstance> instances;
  std::vector<ObservedFrame> frames;
  std::vector<ObservedVolume> volumes; ///< fltmc volumes rows
  bool truncated = false; ///< the listing is incomplete: marker, row cut off, error, filter
  bool pre_vista = false; ///< `fltmc filters` without an Altitude column (altitudes unknown)
  std::vector<std::string> notes; ///< "line N: ..." facts about how the text was read
};

struct ObservedStack {
  std::vector<ObservedSection> sections; ///< in input order
  /// Input problems: "observed-unrecognized" (no listing found, or a table of unknown shape),
  /// "observed-row" (a row or line that fits no column layout), "observed-altitude" (a value in
  /// an altitude position that is not an altitude). Each has file:line:col where known.
  std::vector<sim::Diagnostic> diagnostics;
  /// "line N: ..." facts about the input outside any listing: an error printed instead of a
  /// listing, a filtered command (`fltmc | findstr X`), stripped annotations.
  std::vector<std::string> notes;
  /// What pasting added around the listing and the reader took off before reading its rows
  /// (docs/import.md#presentation), once per kind: "line 6: a line-number gutter (`1. `) is not
  /// part of the listing; taken off".
  std::vector<std::string> presentation;

  /// First section of that kind, or nullptr.
  [[nodiscard]] const ObservedSection *find(ObservedKind kind) const;
  /// True if any section is incomplete.
  [[nodiscard]] bool truncated() const;
};

/// Reads every listing in `utf8_text`. Skips `#` comment lines, prompt/command lines
/// (`C:\>fltmc`, `kd> !fltkd.frames`), blank lines and truncation markers; joins lines wrapped by
/// the console. Several listings in one text give several sections. Quote prefixes (`> `, `//`,
/// `*`) are taken off every line and trailing annotations (`// ...`, `<-- ...`) off rows; tables
/// whose dashed rule was lost are found from their header words (English, German, French,
/// Spanish, Japanese, Korean, Chinese) and read from their values. JSON and CSV exports of
/// NtObjectManager's Get-FilterDriver / Get-FilterDriverInstance are recognised and read too
/// (observed_structured.cpp).
[[nodiscard]] ObservedStack parse_observed(std::string_view utf8_text,
                                           const std::string &source_name);

// ---- writers: a simulated stack as the real tools print it (docs/model.md#output-formats) ----
// Pure functions of (Scenario, SimResult); `fltsim simulate --format fltmc|fltmc-instances|fltkd`.
// parse_observed() reads what they write back (fltsim compare, fltsim import).

/// `fltmc filters` layout: legacy rows first (stack top first), then minifilters by descending
/// altitude (docs/model.md#output-formats, Q7).
[[nodiscard]] std::string write_fltmc_filters(const sim::Scenario &sc, const sim::SimResult &r);
/// `fltmc instances` layout: one row per attached instance and volume (legacy filters: one row
/// per volume with Frame `<Legacy>`). A scenario without `volumes:` has one volume, shown as "C:".
[[nodiscard]] std::string write_fltmc_instances(const sim::Scenario &sc, const sim::SimResult &r);

/// One row of `fltmc filters`, as printed. `frame` nullopt: a legacy filter (Frame "<Legacy>", no
/// instance count).
struct FltmcFilterRow {
  std::string name;
  int instances = 0;
  std::string altitude; ///< as printed; "" for a legacy filter without one
  std::optional<int> frame;
};
/// `fltmc filters` of these rows, in this order: the one layout both writers above and the
/// live snapshot (live.hpp) print.
[[nodiscard]] std::string format_fltmc_filters(const std::vector<FltmcFilterRow> &rows);

/// One row of `fltmc instances`, as printed. `frame` nullopt: a legacy filter ("<Legacy>").
struct FltmcInstanceRow {
  std::string filter;
  std::string volume; ///< "C:", "\Device\Mup", ...
  std::string altitude;
  std::string instance;
  std::optional<int> frame;
  std::string features; ///< SprtFtrs ("00000003"); "" when unknown
};
/// `fltmc instances` of these rows, in this order.
[[nodiscard]] std::string format_fltmc_instances(const std::vector<FltmcInstanceRow> &rows);

/// `!fltkd.frames` layout: frames newest first, filters by descending altitude with instances.
[[nodiscard]] std::string write_fltkd_frames(const sim::Scenario &sc, const sim::SimResult &r);

} // namespace fltsim::observed
