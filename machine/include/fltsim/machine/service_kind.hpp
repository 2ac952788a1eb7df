#pragma once
// Private helpers shared by the INF and .reg readers (inf_reader.cpp, reg_reader.cpp): number
// parsing, how a service becomes a sim::Driver (kind), duplicate comparison and a capped
// diagnostic sink. Header-only so the manifest library's source list stays unchanged.
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/findings.hpp"
#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::machine {

/// Service Type values (the registry's Type / the INF's ServiceType).
inline constexpr std::uint32_t service_kernel_driver = 0x1;      // SERVICE_KERNEL_DRIVER
inline constexpr std::uint32_t service_file_system_driver = 0x2; // SERVICE_FILE_SYSTEM_DRIVER

/// Whether a service of this Type takes part in the file system filter stack at all. Only kernel
/// and file-system drivers can be filters; user-mode services (0x10, 0x20, ...) and file system
/// recognizers (0x8) that an INF or .reg file may also carry are skipped, not turned into drivers.
[[nodiscard]] inline bool is_filter_service_type(std::uint32_t type) {
  return type == service_kernel_driver || type == service_file_system_driver;
}

/// What a service's manifest says about the service, as far as its kind goes.
struct ServiceEvidence {
  std::string name;                  ///< service name, for the note
  std::optional<std::uint32_t> type; ///< ServiceType / Type
  std::optional<std::string> group;  ///< LoadOrderGroup / Group
  bool has_instance_info = false;    ///< an Instances key: DefaultInstance or <instance> values
  bool depends_on_fltmgr = false;    ///< Dependencies / DependOnService names FltMgr
};

/// What a service is in the file system stack (docs/model.md#kind-evidence).
enum class ServiceRole {
  minifilter,    ///< becomes a sim::Driver of kind minifilter
  legacy_filter, ///< becomes a sim::Driver of kind legacy
  file_system,   ///< a file system (File System / Boot File System group): not a filter
};

struct KindDecision {
  ServiceRole role = ServiceRole::minifilter;
  /// Set when the evidence is ambiguous or the service is left out: which way it was read and
  /// why. Readers report it as a note (rule kind-evidence), never as an input error.
  std::optional<std::string> note;
  [[nodiscard]] bool is_driver() const {
    return role == ServiceRole::minifilter || role == ServiceRole::legacy_filter;
  }
  [[nodiscard]] sim::DriverKind kind() const {
    return role == ServiceRole::legacy_filter ? sim::DriverKind::legacy
                                              : sim::DriverKind::minifilter;
  }
};

/// True for the groups a legacy file system filter loads in: the FSFilter groups and "Filter" of
/// docs/model.md#groups, and any other "FSFilter ..." name (a misspelt or private FSFilter group
/// is still meant as one; the engine reports it as unknown-group).
[[nodiscard]] inline bool is_filter_group(std::string_view group) {
  if (sim::find_group(group) != nullptr)
    return true;
  return group.size() > 8 && sim::iequals(group.substr(0, 8), "FSFilter");
}

/// The groups of file systems (docs/model.md#servicegrouporder): NTFS and FAT are "Boot File
/// System", other file systems "File System".
[[nodiscard]] inline bool is_file_system_group(std::string_view group) {
  return sim::iequals(group, "File System") || sim::iequals(group, "Boot File System");
}

/// The kind of a service, from the evidence in its manifest; the same rule for INF and .reg
/// (docs/model.md#kind-evidence, K1-K5, in this order):
///  K1 an Instances key (DefaultInstance or an instance's values), or a dependency on FltMgr ->
///     minifilter, whatever ServiceType says (PROCMON23 is Type 1 and a minifilter). A FltMgr
///     dependency without instances stays a minifilter: one that cannot register (the engine
///     reports missing-default-instance, A5).
///  K2 group "File System" or "Boot File System" -> a file system, not a filter: left out, noted.
///  K3 a filter group (is_filter_group) and Type 2 -> legacy filter: what a legacy FS filter's
///     key looks like (its altitude comes from the group, docs/model.md#legacy-altitudes).
///  K4 a filter group and another Type (1) -> legacy filter, noted: legacy filters are normally
///     Type 2, and a minifilter would carry instances or depend on FltMgr.
///  K5 no filter group and no minifilter evidence -> a minifilter without instances, noted. A
///     legacy filter needs a filter group, so it is not one; the drivers that look like this
///     (KSystemInformer, sandbox drivers) call FltRegisterFilter after an application writes
///     their Instances key at run time. Read from the manifest alone such a driver cannot
///     register, and the engine says so (missing-default-instance, A5).
[[nodiscard]] inline KindDecision decide_kind(const ServiceEvidence &e) {
  KindDecision out;
  const std::string who = "service '" + e.name + "'";
  const bool fs_group = e.group && is_file_system_group(*e.group);
  const bool filter_group = e.group && is_filter_group(*e.group);
  if (e.has_instance_info || e.depends_on_fltmgr) {
    out.role = ServiceRole::minifilter;
    if (fs_group)
      out.note = who + " is in the \"" + *e.group + "\" group, the group of file systems, but " +
                 (e.has_instance_info ? "has an Instances key" : "depends on FltMgr") +
                 ": read as a minifilter (docs/model.md#kind-evidence, K1)";
    else if (!e.has_instance_info)
      out.note = who + " depends on FltMgr but declares no Instances key: read as a minifilter "
                       "that cannot register unless something else writes its instances "
                       "(docs/model.md#kind-evidence, K1)";
    return out;
  }
  if (fs_group) {
    out.role = ServiceRole::file_system;
    out.note = who + " is in the \"" + *e.group +
               "\" group: a file system, not a filter; it is left out of the filter stack "
               "(docs/model.md#kind-evidence, K2)";
    return out;
  }
  if (filter_group) {
    out.role = ServiceRole::legacy_filter;
    if (!e.type || *e.type != service_file_system_driver)
      out.note = who + " is in the filter group \"" + *e.group + "\" with ServiceType " +
                 (e.type ? std::to_string(*e.type) : std::string("unset")) +
                 ", no Instances key and no dependency on FltMgr: read as a legacy filter "
                 "(docs/model.md#kind-evidence, K4)";
    return out;
  }
  out.role = ServiceRole::minifilter;
  out.note = who + " has no Instances key, no dependency on FltMgr and " +
             (e.group ? "the group \"" + *e.group + "\", which is not a filter group"
                      : std::string("no load order group")) +
             ", so it is no legacy filter: read as a minifilter whose instances the manifest "
             "does not declare (if an application writes them at run time, suppress "
             "missing-default-instance for it; docs/model.md#kind-evidence, K5)";
  return out;
}

/// True when a Dependencies / DependOnService entry names Filter Manager.
[[nodiscard]] inline bool is_fltmgr(std::string_view service) {
  return sim::iequals(service, "FltMgr");
}

/// Parses an unsigned number as INF and regedit write them: decimal, or hex with 0x/0X.
/// Surrounding blanks are ignored. nullopt when it is not a number or exceeds `max`.
[[nodiscard]] inline std::optional<std::uint32_t> parse_uint(std::string_view t,
                                                             std::uint64_t max = 0xFFFFFFFFull) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t'))
    t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t'))
    t.remove_suffix(1);
  int base = 10;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    t.remove_prefix(2);
  }
  if (t.empty())
    return std::nullopt;
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v, base);
  if (ec != std::errc() || p != t.data() + t.size() || v > max)
    return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

/// True when two drivers built from different sections/keys describe the same service settings
/// (everything but source locations). Used to merge alternative install paths silently.
[[nodiscard]] inline bool same_settings(const sim::Driver &a, const sim::Driver &b) {
  auto same_opt = [](const std::optional<std::string> &x, const std::optional<std::string> &y) {
    return x.has_value() == y.has_value() && (!x || sim::iequals(*x, *y));
  };
  if (a.kind != b.kind || a.start != b.start || a.tag != b.tag || !same_opt(a.group, b.group) ||
      !same_opt(a.default_instance, b.default_instance) ||
      a.depends_on.size() != b.depends_on.size() || a.instances.size() != b.instances.size())
    return false;
  for (std::size_t i = 0; i < a.depends_on.size(); ++i)
    if (!sim::iequals(a.depends_on[i], b.depends_on[i]))
      return false;
  for (std::size_t i = 0; i < a.instances.size(); ++i) {
    const sim::Instance &x = a.instances[i];
    const sim::Instance &y = b.instances[i];
    if (!sim::iequals(x.name, y.name) || x.altitude.text() != y.altitude.text() ||
        x.flags != y.flags)
      return false;
  }
  return true;
}

/// A Diagnostic built member by member: brace-initialising one trips GCC 12's
/// -Wmaybe-uninitialized false positive.
[[nodiscard]] inline sim::Diagnostic make_diag(sim::SourceLocation where, std::string code,
                                               std::string message) {
  sim::Diagnostic d;
  d.location = std::move(where);
  d.code = std::move(code);
  d.message = std::move(message);
  return d;
}

/// A kind-evidence note (IncludeResult::notes, docs/model.md#kind-evidence): `check` reports it
/// as a finding of that rule (Diagnostic::fact), never as an input error.
[[nodiscard]] inline sim::Diagnostic make_note(sim::SourceLocation where, std::string message) {
  sim::Diagnostic d =
      make_diag(std::move(where), std::string(sim::rule::kind_evidence), std::move(message));
  d.fact = sim::rule::kind_evidence;
  d.severity = sim::Severity::note;
  return d;
}

/// Collects diagnostics, at most `max_diagnostics` plus one "limit" note, so a garbage input of
/// millions of bad lines cannot make the result huge.
class DiagSink {
public:
  static constexpr std::size_t max_diagnostics = 200;

  explicit DiagSink(std::vector<sim::Diagnostic> &out) : out_(out) {}

  /// `fact`: the check rule the diagnostic stands for (sim::Diagnostic::fact), if any.
  void add(sim::SourceLocation where, std::string code, std::string message,
           std::string_view fact = {}) {
    if (count_ < max_diagnostics) {
      out_.push_back(make_diag(std::move(where), std::move(code), std::move(message)));
      out_.back().fact = fact;
    } else if (count_ == max_diagnostics)
      out_.push_back(make_diag({where.file, 0, 0}, "limit",
                               "more than " + std::to_string(max_diagnostics) +
                                   " problems; the rest are not reported"));
    ++count_;
  }
  [[nodiscard]] std::size_t count() const { return count_; }

private:
  std::vector<sim::Diagnostic> &out_;
  std::size_t count_ = 0;
};

/// Orders diagnostics by position (stable: same-place problems keep the order they were found).
inline void sort_by_location(std::vector<sim::Diagnostic> &d) {
  std::stable_sort(d.begin(), d.end(), [](const sim::Diagnostic &a, const sim::Diagnostic &b) {
    return std::pair(a.location.line, a.location.column) <
           std::pair(b.location.line, b.location.column);
  });
}

/// "file:line" for messages that point at a second place.
[[nodiscard]] inline std::string where_text(const sim::SourceLocation &l) {
  return l.file + ":" + std::to_string(l.line);
}

} // namespace fltsim::machine
