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

namespace fltsim::manifest::detail {

/// Service Type values (the registry's Type / the INF's ServiceType).
inline constexpr std::uint32_t service_kernel_driver = 0x1;      // SERVICE_KERNEL_DRIVER
inline constexpr std::uint32_t service_file_system_driver = 0x2; // SERVICE_FILE_SYSTEM_DRIVER

/// Whether a service of this Type takes part in the file system filter stack at all. Only kernel
/// and file-system drivers can be filters; user-mode services (0x10, 0x20, ...) and file system
/// recognizers (0x8) that an INF or .reg file may also carry are skipped, not turned into drivers.
[[nodiscard]] inline bool is_filter_service_type(std::uint32_t type) {
  return type == service_kernel_driver || type == service_file_system_driver;
}

/// The driver kind of a service, from what its manifest says (the same rule for INF and .reg):
///  * Instances or a DefaultInstance value -> minifilter. The service Type does not matter:
///    PROCMON23 is Type 1 (kernel driver) yet calls FltRegisterFilter.
///  * No instance information, Type 2 (file system driver) and a load order group -> legacy
///    filter: that is what a legacy FS filter's service key looks like (its altitude comes from
///    the group, docs/model.md#legacy-altitudes; unknown groups are the engine's findings, not
///    input errors).
///  * Anything else (for example KSystemInformer: Type 1, no group, no instances) -> a minifilter
///    without instances. A manifest cannot say more, and the engine then reports
///    missing-default-instance when the driver loads (A5), which is what the driver would hit if
///    it called FltRegisterFilter with only this key. `both` is never inferred.
[[nodiscard]] inline sim::DriverKind decide_kind(std::optional<std::uint32_t> type,
                                                 const std::optional<std::string> &group,
                                                 bool has_instance_info) {
  if (has_instance_info)
    return sim::DriverKind::minifilter;
  if (type && *type == service_file_system_driver && group && !group->empty())
    return sim::DriverKind::legacy;
  return sim::DriverKind::minifilter;
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

} // namespace fltsim::manifest::detail
