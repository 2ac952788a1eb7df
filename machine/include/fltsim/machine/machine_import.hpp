#pragma once
// Whole-machine import (docs/machine-import.md): a registry snapshot of HKLM\SYSTEM -> the
// scenario that reproduces the machine's filter load order.
//
// Every source of registry data fills the same typed, in-memory RegistrySnapshot and calls
// import_machine():
//   * read_reg_export()   - a regedit / `reg export` .reg file (HKLM\SYSTEM or one control set),
//   * read_system_hive()  - an offline SYSTEM hive file, through libhivex,
//   * a caller's own reader (e.g. osquery `registry` table rows): build keys with
//     RegistrySnapshot::key() and values with RegValue::sz()/dword()/..., then import_machine().
//
// import_machine() picks the control set (Select\Current, else CurrentControlSet, else the only
// ControlSetNNN), keeps only file system filters (docs/model.md#machine-import: minifilter = has
// Instances / DefaultInstance or depends on FltMgr; legacy = Type 2 with a filter load order
// group), reads Control\ServiceGroupOrder\List, Control\GroupOrderList (tag vectors) and the
// machine's attach policies (docs/model.md#volume-policies), and counts everything else in notes.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::machine {

/// Registry value types (the REG_* numbers). Anything else is kept as `other` with its bytes.
enum class RegType : std::uint32_t {
  none = 0,
  sz = 1,
  expand_sz = 2,
  binary = 3,
  dword = 4,
  multi_sz = 7,
  qword = 11,
  other = 0xFFFFFFFFu,
};
[[nodiscard]] const char *to_string(RegType t); ///< "REG_SZ", "REG_DWORD", ...
/// "REG_SZ", "REG_EXPAND_SZ", "REG_MULTI_SZ", "REG_DWORD", "REG_BINARY", "REG_QWORD", "REG_NONE"
/// (case-insensitive; osquery's `type` column) -> RegType; nullopt for any other text.
[[nodiscard]] std::optional<RegType> parse_reg_type(std::string_view name);

/// One typed value. Exactly the member for `type` is meaningful:
/// sz/expand_sz -> text, multi_sz -> strings, dword/qword -> number, binary/none/other -> bytes.
struct RegValue {
  std::string name; ///< "" = the key's default value
  RegType type = RegType::none;
  std::uint32_t raw_type = 0;       ///< the REG_* number as read (== type, unless type is `other`)
  std::string text;                 ///< UTF-8
  std::vector<std::string> strings; ///< UTF-8, empty items dropped
  std::uint64_t number = 0;
  std::vector<unsigned char> bytes;
  sim::SourceLocation location; ///< where the value was written (file:line, or file only)

  [[nodiscard]] static RegValue sz(std::string name, std::string text,
                                   sim::SourceLocation where = {});
  [[nodiscard]] static RegValue expand_sz(std::string name, std::string text,
                                          sim::SourceLocation where = {});
  [[nodiscard]] static RegValue multi_sz(std::string name, std::vector<std::string> items,
                                         sim::SourceLocation where = {});
  [[nodiscard]] static RegValue dword(std::string name, std::uint32_t v,
                                      sim::SourceLocation where = {});
  [[nodiscard]] static RegValue binary(std::string name, std::vector<unsigned char> bytes,
                                       sim::SourceLocation where = {});
};

/// One key: its path relative to HKLM\SYSTEM as written (e.g. "ControlSet001\Services\FltMgr",
/// "Select"), its values in file order (a removed value's place is taken by the last one).
/// Values are found by name through a hash index: setting or finding one costs the same
/// whatever the number of values (docs/reliability.md#limits).
struct RegistryKey {
  std::string path;
  std::vector<RegValue> values; ///< read-only for callers: change values with set()/erase()
  sim::SourceLocation location; ///< where the key was first written

  /// Value by name, case-insensitive; nullptr if absent.
  [[nodiscard]] const RegValue *find(std::string_view name) const;
  /// Adds or replaces (case-insensitive name) a value; returns the stored one.
  RegValue &set(RegValue v);
  /// Removes a value (case-insensitive name); false if it was not there.
  bool erase(std::string_view name);

private:
  std::unordered_map<std::string, std::size_t> index_; ///< lower-cased name -> values[]
};

/// Bounds on what a registry reader reads (docs/reliability.md#limits). The defaults are far
/// above any real SYSTEM hive (the largest of tests/corpus/machine/real/ has about 180,000 keys
/// and 400,000 values); a reader refuses input past them with a "limit" error.
struct RegistryLimits {
  /// Bytes of a hive or .reg file: a full UTF-16 `reg export HKLM\SYSTEM` runs to hundreds of MB.
  std::uintmax_t max_bytes = 1024ull * 1024ull * 1024ull;
  std::size_t max_keys = 4'000'000;           ///< keys in one hive or export
  std::size_t max_values = 16'000'000;        ///< values in one hive or export
  std::size_t max_values_per_key = 1'000'000; ///< values of one key
  std::size_t max_depth = 512;                ///< key nesting below the root (Windows: 512)
};

/// A typed in-memory copy of (part of) HKLM\SYSTEM. Paths are relative to HKLM\SYSTEM,
/// '\'-separated, compared case-insensitively (as the registry does).
class RegistrySnapshot {
public:
  std::string source; ///< file name (or "osquery", ...) for notes and diagnostics

  /// The key at `path`, created (with its location) if absent. Parent keys need not exist.
  RegistryKey &key(std::string_view path, const sim::SourceLocation &where = {});
  /// The key at `path`, or nullptr.
  [[nodiscard]] const RegistryKey *find(std::string_view path) const;
  [[nodiscard]] RegistryKey *find(std::string_view path);
  /// Direct subkeys of `path` (their last path component), sorted case-insensitively. Includes
  /// subkeys implied by deeper keys ("A\B\C" present -> "B" is a child of "A").
  [[nodiscard]] std::vector<std::string> children(std::string_view path) const;
  /// Removes the key and everything below it (a .reg file's [-key]).
  void remove_tree(std::string_view path);
  [[nodiscard]] std::size_t key_count() const { return keys_.size(); }
  [[nodiscard]] std::size_t value_count() const;
  /// All keys, ordered by lower-cased path.
  [[nodiscard]] const std::map<std::string, RegistryKey> &keys() const { return keys_; }

private:
  std::map<std::string, RegistryKey> keys_; ///< lower-cased path -> key
};

/// Strips a full key name down to a path relative to HKLM\SYSTEM:
/// "HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\X", "HKLM\SYSTEM\...",
/// "\Registry\Machine\System\..." -> "CurrentControlSet\Services\X". An offline hive loaded under
/// another name (HKLM\PE_SYSTEM\...) is accepted too when `any_hive_name`. nullopt for paths
/// outside HKLM.
[[nodiscard]] std::optional<std::string> system_relative_path(std::string_view full_key,
                                                              bool any_hive_name = true);

/// What a reader produced: the snapshot, or errors that stop the import (located).
struct RegistryRead {
  RegistrySnapshot snapshot;
  std::vector<sim::Diagnostic> errors;   ///< input cannot be read (no header, not a hive, ...)
  std::vector<sim::Diagnostic> warnings; ///< lines skipped (syntax), the import goes on
  std::vector<std::string> notes;        ///< readings worth saying (a dirty hive, ...)
  /// Keys whose subkeys or values could not be read (hive-damaged warnings). import_machine
  /// refuses the snapshot when one of them is inside what it reads.
  std::vector<std::string> damaged_keys;
};

/// A .reg export (decoded UTF-8 text, see decode_text): every key under HKLM\<hive> and every
/// value, typed. Keys outside HKLM are skipped and counted in a warning.
[[nodiscard]] RegistryRead read_reg_export(std::string_view utf8_text,
                                           const std::string &source_name,
                                           const RegistryLimits &limits = {});
/// An offline SYSTEM hive file (regf), read with libhivex (Windows: RegLoadAppKeyW on a private
/// copy, hive_reader_win32.cpp). Key paths are relative to the hive
/// root, i.e. to HKLM\SYSTEM.
[[nodiscard]] RegistryRead read_system_hive(const std::filesystem::path &hive_file,
                                            const RegistryLimits &limits = {});
/// True when the file starts with the regf signature (a hive, not a .reg export).
[[nodiscard]] bool looks_like_hive(std::string_view first_bytes);

struct MachineImportOptions {
  /// Control set to read, e.g. "ControlSet002" or "CurrentControlSet". nullopt = the one
  /// Select\Current names, else CurrentControlSet, else the only ControlSetNNN.
  std::optional<std::string> control_set;
  std::string title; ///< scenario title; "" = "machine import of <source>"
  /// Also keep services with Start = 4 (disabled): they never load, but the scenario shows them.
  bool keep_disabled = true;
  /// What the readers of import_machine_file() accept (docs/reliability.md#limits).
  RegistryLimits limits;
};

/// Counts for notes and reports.
struct MachineImportCounts {
  std::size_t keys = 0;        ///< keys in the snapshot
  std::size_t services = 0;    ///< service keys in the control set
  std::size_t minifilters = 0; ///< entered the scenario as minifilters
  std::size_t legacy = 0;      ///< entered the scenario as legacy filters
  std::size_t not_filters = 0; ///< kernel drivers, user-mode services, ... (counted, left out)
  std::size_t skipped = 0;     ///< filters left out because of a warning
  std::size_t tagged = 0;      ///< filters with a Tag that GroupOrderList lists for their group
};

struct MachineImport {
  std::optional<sim::Scenario> scenario; ///< only filters; nullopt when `errors` is not empty
  std::string control_set;               ///< the key used, e.g. "ControlSet001"
  std::vector<std::string> notes;        ///< e.g. "412 services are not filters ..."
  std::vector<sim::Diagnostic> errors;   ///< nothing to import (no Services key, bad Select ...)
  std::vector<sim::Diagnostic> warnings; ///< a value that could not be used; import goes on
  MachineImportCounts counts;
};

/// Builds the scenario of the machine the snapshot describes. Never throws.
[[nodiscard]] MachineImport import_machine(const RegistrySnapshot &snapshot,
                                           const MachineImportOptions &options = {});

/// Convenience: reads a .reg export or SYSTEM hive file (by content: regf signature = hive) and
/// imports it. Reader errors end up in `errors`.
[[nodiscard]] MachineImport import_machine_file(const std::filesystem::path &path,
                                                const MachineImportOptions &options = {});

} // namespace fltsim::machine
