#pragma once
// The kind of a service from the evidence its key holds (docs/model.md#kind-evidence, K1-K8):
// decide_service_kind, the one rule every reader of service keys shares (machine import of
// hives, .reg exports and osquery rows; the .reg manifest reader; the INF reader, which adds its
// INF-only rules). Also helpers those readers share: number parsing, duplicate comparison and a
// capped diagnostic sink.
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

/// What a service key says about the service, as far as its kind goes.
struct ServiceEvidence {
  std::string name;                        ///< service name, for the note
  std::optional<std::uint32_t> type;       ///< Type / ServiceType
  std::optional<std::uint32_t> start;      ///< Start / StartType
  std::optional<std::string> group;        ///< Group / LoadOrderGroup ("" counts as none)
  bool has_instances_key = false;          ///< an Instances key, or a DefaultInstance value
  std::size_t instances_with_altitude = 0; ///< instances whose Altitude is a valid altitude
  bool depends_on_fltmgr = false;          ///< DependOnService / Dependencies names FltMgr
  std::optional<std::string> image_path;   ///< ImagePath: reported in notes, decides nothing
};

enum class ServiceKind {
  minifilter, ///< a sim::Driver of kind minifilter
  legacy,     ///< a sim::Driver of kind legacy
  both,       ///< never decided from evidence (no value tells it); stated in a scenario only
  not_filter, ///< left out of the scenario
};

/// Which rule decided (docs/model.md#kind-evidence).
enum class KindRule {
  k1_filter_manager, ///< FltMgr itself: the engine models it (R1)
  k2_leftover,       ///< no Type or no Start: Windows cannot load it
  k3_not_a_driver,   ///< Type other than 1 or 2
  k4_instances,      ///< an instance with an altitude -> minifilter
  k5_file_system,    ///< File System / Boot File System group
  k6_filter_group,   ///< an FSFilter group (Type 1 or 2), or Filter with Type 2 -> legacy
  k7_cannot_attach,  ///< FltMgr dependency or Instances key, no altitude, no FSFilter group
  k8_no_evidence,    ///< nothing says filter (Tcpip, Disk, CLFS in Filter with Type 1 ...)
};

struct KindDecision {
  ServiceKind kind = ServiceKind::not_filter;
  KindRule rule = KindRule::k8_no_evidence;
  /// Set when the evidence is ambiguous (it points two ways, or the service looks like a filter
  /// but is left out): which way it was read and why, naming the service and the evidence.
  std::optional<std::string> note;
  [[nodiscard]] bool is_driver() const {
    return kind == ServiceKind::minifilter || kind == ServiceKind::legacy ||
           kind == ServiceKind::both;
  }
};

/// "K4", ... for notes and counts.
[[nodiscard]] const char *rule_id(KindRule r);

/// True for any "FSFilter ..." group name (the documented ones of docs/model.md#groups, and a
/// misspelt or private one, which the engine reports as unknown-group).
[[nodiscard]] bool is_fsfilter_group(std::string_view group);
/// "File System" or "Boot File System" (docs/model.md#servicegrouporder).
[[nodiscard]] bool is_file_system_group(std::string_view group);
/// True when a DependOnService / Dependencies entry names Filter Manager.
[[nodiscard]] bool is_fltmgr(std::string_view service);

/// The kind of a service from its evidence, docs/model.md#kind-evidence, in this order:
///  K1 FltMgr -> not a filter (the engine's R1).
///  K2 Type or Start missing -> not a filter, noted when the key looks like a filter's (a leftover
///     key such as Process Monitor leaves behind: Windows cannot load a service without them).
///  K3 Type other than 1 (kernel driver) or 2 (file system driver) -> not a filter.
///  K4 at least one instance with a valid altitude -> minifilter (noted when the group is a file
///     system's).
///  K5 group File System / Boot File System -> a file system, not a filter.
///  K6 an FSFilter group (Type 1 or 2: McAfee's mfehidk is Type 1), or the group Filter with
///     Type 2 -> legacy filter; noted when it also depends on FltMgr or has an Instances key
///     without altitudes (read as legacy: no instance can attach).
///  K7 a FltMgr dependency, an Instances key or a DefaultInstance, but no altitude and no filter
///     group (AppID, PEAUTH) -> not a filter, noted: FltRegisterFilter would find no instance.
///  K8 anything else (Tcpip, Disk; CLFS in the group Filter as a Type 1 kernel driver) -> not a
///     filter, noted only for the group Filter.
/// Total: every evidence gets exactly one decision. `both` is never decided from evidence.
[[nodiscard]] KindDecision decide_service_kind(const ServiceEvidence &e);

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
