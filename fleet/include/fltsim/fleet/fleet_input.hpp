#pragma once
// Fleet inputs (docs/fleet.md, docs/scenario-format.md#fleet-jsonl): many machines, read one at a
// time so memory stays bounded whatever the fleet's size.
//
//  * JSONL: one machine per line, {"machine": "host-42", "build": "10.0.19045", "scenario": {...}}.
//    The scenario is the scenario format written as JSON and is read by the scenario YAML reader
//    itself (JSON is YAML), so every key and value means what it means in a .yaml file;
//    diagnostics point into the JSONL file (file:line:col of the line).
//  * A directory tree: one sub-folder or file per machine, holding what fltsim reads (scenario
//    .yaml, .reg exports, .inf manifests, fltmc / !fltkd captures, the per-host FLTMC_Filters.out
//    and FLTMC_Instances.out of Microsoft's support collectors).
//  * osquery result logs: JSON lines with hostIdentifier, name and `columns` (event/differential
//    rows) or `snapshot` (snapshot rows) of the `registry` table, grouped per host; see
//    osquery_input.hpp.
//
// The split is: a MachineSource yields RawMachine units cheaply (a line, a path, a host's rows);
// load_machine() turns one into a MachineRecord (a Scenario, or diagnostics). The expensive part
// runs on worker threads.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::fleet {

/// One osquery `registry` table row (the columns fltsim uses).
struct RegistryRow {
  std::string key;  ///< "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\x"
  std::string path; ///< key + "\\" + name
  std::string name; ///< value name; "" or "(Default)" for the key's default value
  std::string type; ///< "REG_SZ", "REG_DWORD", "REG_MULTI_SZ", "REG_BINARY", ...
  std::string data; ///< as osquery prints it (REG_DWORD decimal, REG_MULTI_SZ joined, binary hex)
  int line = 0;     ///< line of the log the row came from
};

/// A machine as the source found it, before any parsing.
struct RawMachine {
  /// skipped: not a machine (a FIFO or device in a machine directory); `errors` holds the
  /// note that says so.
  enum class Kind : std::uint8_t { json_line, directory, file, registry_rows, error, skipped };
  Kind kind = Kind::json_line;
  std::string text;                    ///< json_line: the line
  std::filesystem::path path;          ///< directory / file
  std::string name;                    ///< machine name when the source knows it (dirs, osquery)
  std::vector<RegistryRow> rows;       ///< registry_rows
  sim::SourceLocation location;        ///< file:line of the record
  std::vector<sim::Diagnostic> errors; ///< kind == error: why the unit could not be read
};

/// A machine ready to simulate, or the reason it is not.
struct MachineRecord {
  std::string machine;                   ///< name; "<file>:<line>" when the record has none
  std::string build;                     ///< Windows build ("10.0.19045"), "" when unknown
  std::optional<sim::Scenario> scenario; ///< nullopt when diagnostics holds an error
  std::vector<sim::Diagnostic> diagnostics;
  std::vector<sim::Diagnostic> notes; ///< how it was read (a file skipped); not errors
  sim::SourceLocation location;
};

/// Reads MACHINES arguments one machine at a time. Not thread-safe: one reader thread calls next().
class MachineSource {
public:
  virtual ~MachineSource() = default;
  /// The next machine, or nullopt at the end.
  virtual std::optional<RawMachine> next() = 0;
  /// Progress: bytes (or entries) consumed and the total when known (0 = unknown).
  [[nodiscard]] virtual std::uint64_t done() const = 0;
  [[nodiscard]] virtual std::uint64_t total() const = 0;
};

/// Opens one MACHINES argument ("-" = stdin, JSONL). What it is, inputs::sniff_input says (a
/// FIFO's kind from the lines read ahead): a folder, an osquery log, JSON lines, or one machine's
/// file (a scenario, a .reg export, an INF, a capture); errors (missing file) come back as one
/// RawMachine of kind error. `stdin_name` and `stdin_line_offset` name and number the lines of "-"
/// (a partition of a larger file handed over a pipe reports the file's own name and line numbers).
[[nodiscard]] std::unique_ptr<MachineSource>
open_machine_source(const std::string &argument, const std::string &stdin_name = "<stdin>",
                    int stdin_line_offset = 0);

/// A JSONL record's envelope: its machine and build, and the scenario's JSON text (a view into
/// the line). Cheap: the scenario is not parsed, so a caller can look it up first (the fleet's
/// result cache keys on it).
struct MachineEnvelope {
  std::string machine;
  std::string build;
  std::string_view scenario;       ///< empty when diagnostics holds an error
  std::size_t scenario_offset = 0; ///< byte offset of the scenario's '{' in the line
  std::vector<sim::Diagnostic> diagnostics;
  sim::SourceLocation location;
};
[[nodiscard]] MachineEnvelope split_machine_json_line(std::string_view line,
                                                      const std::string &source, int line_no);
/// The scenario of an envelope: the fast JSON reader, else the scenario YAML reader.
[[nodiscard]] MachineRecord parse_machine_scenario(const MachineEnvelope &env);
/// The same with the scenario YAML reader only (tests compare the two).
[[nodiscard]] MachineRecord parse_machine_scenario_yaml(const MachineEnvelope &env);

/// Parses one JSONL machine line (line_no is 1-based). Diagnostics carry source:line:col.
[[nodiscard]] MachineRecord parse_machine_json_line(std::string_view line,
                                                    const std::string &source, int line_no);

/// Reads one machine of a directory tree (a folder or a single file).
[[nodiscard]] MachineRecord load_machine_path(const std::filesystem::path &path,
                                              const std::string &name);

/// Turns a RawMachine into a record (dispatch on kind).
[[nodiscard]] MachineRecord load_machine(const RawMachine &raw);

} // namespace fltsim::fleet
