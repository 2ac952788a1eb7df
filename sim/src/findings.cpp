#include "fltsim/sim/findings.hpp"

#include <array>
#include <utility>

#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::sim {

const char *to_string(Severity s) {
  switch (s) {
  case Severity::note:
    return "note";
  case Severity::warning:
    return "warning";
  case Severity::error:
    return "error";
  }
  return "?";
}

namespace {
constexpr std::array<RuleInfo, 12> kRules{{
    {rule::altitude_inversion, Severity::error,
     "A legacy filter and a minifilter sit on the stack in the opposite order of their altitudes "
     "(rules R6; the blog's problem)."},
    {rule::legacy_order_inversion, Severity::warning,
     "Two legacy filters sit on the stack in the opposite order of their group altitudes (they "
     "loaded out of group order, e.g. in different start phases)."},
    {rule::altitude_collision, Severity::error,
     "Two minifilter instances share a numerically equal altitude on one volume; the later one "
     "fails with STATUS_FLT_INSTANCE_ALTITUDE_COLLISION (A4)."},
    {rule::legacy_without_altitude, Severity::warning,
     "A legacy filter's group has no altitude in fltmgr's table (no group, unknown group or "
     "FSFilter Infrastructure), so it never bounds a frame (E3; docs/model.md#legacy-altitudes)."},
    {rule::unknown_group, Severity::warning,
     "The driver's load order group is not in ServiceGroupOrder, so it loads after every grouped "
     "driver of its start type (L3)."},
    {rule::missing_default_instance, Severity::error,
     "A minifilter has no default instance (or it names no instance); FltRegisterFilter fails "
     "with STATUS_OBJECT_NAME_NOT_FOUND (A5)."},
    {rule::instance_outside_frame, Severity::error,
     "An instance altitude lies outside the frame chosen by the default altitude; the attach "
     "fails with STATUS_NOT_SUPPORTED (A3)."},
    {rule::legacy_unload_refused, Severity::warning,
     "An unload event names a legacy filter; legacy filters cannot unload (R6)."},
    {rule::missing_dependency, Severity::error,
     "A driver depends on a service that is not in the scenario; the Service Control Manager "
     "does not start it (L4)."},
    {rule::event_ignored, Severity::warning,
     "A load or unload event had no effect (already loaded, not loaded, or disabled)."},
    {rule::legacy_filter_blocked, Severity::error,
     "IoBlockLegacyFsFilters is set: the legacy filter does not load or attach, and the System "
     "log records event 1205 (V1; docs/model.md#block-legacy)."},
    {rule::dev_drive_not_allowed, Severity::warning,
     "A minifilter does not attach to a Dev Drive: it is not an antivirus filter allowed there "
     "and not on the Dev Drive allow list (V2; docs/model.md#dev-drive)."},
}};
} // namespace

std::span<const RuleInfo> rule_catalogue() {
  return kRules;
}

const RuleInfo *find_rule(std::string_view id) {
  for (const RuleInfo &r : kRules)
    if (r.id == id)
      return &r;
  return nullptr;
}

Diagnostic make_diagnostic(SourceLocation where, std::string code, std::string message) {
  return Diagnostic{std::move(where), std::move(code), std::move(message)};
}

Diagnostic make_warning(SourceLocation where, std::string code, std::string message) {
  Diagnostic d = make_diagnostic(std::move(where), std::move(code), std::move(message));
  d.severity = Severity::warning;
  return d;
}

std::string format_diagnostic(const Diagnostic &d) {
  std::string out;
  if (!d.location.file.empty()) {
    out += d.location.file;
    if (d.location.line > 0) {
      out += ":" + std::to_string(d.location.line);
      if (d.location.column > 0)
        out += ":" + std::to_string(d.location.column);
    }
    out += ": ";
  }
  out += to_string(d.severity);
  if (!d.code.empty())
    out += "[" + d.code + "]";
  out += ": " + d.message;
  return out;
}

} // namespace fltsim::sim
