// decide_service_kind (fltsim/machine/service_kind.hpp; docs/model.md#kind-evidence).
#include "fltsim/machine/service_kind.hpp"

namespace fltsim::machine {

const char *rule_id(KindRule r) {
  switch (r) {
  case KindRule::k1_filter_manager:
    return "K1";
  case KindRule::k2_leftover:
    return "K2";
  case KindRule::k3_not_a_driver:
    return "K3";
  case KindRule::k4_instances:
    return "K4";
  case KindRule::k5_file_system:
    return "K5";
  case KindRule::k6_filter_group:
    return "K6";
  case KindRule::k7_cannot_attach:
    return "K7";
  case KindRule::k8_no_evidence:
    break;
  }
  return "K8";
}

bool is_fsfilter_group(std::string_view group) {
  return group.size() > 8 && sim::iequals(group.substr(0, 8), "FSFilter");
}

bool is_file_system_group(std::string_view group) {
  return sim::iequals(group, "File System") || sim::iequals(group, "Boot File System");
}

bool is_fltmgr(std::string_view service) {
  return sim::iequals(service, "FltMgr");
}

namespace {

std::string cite(KindRule r) {
  return std::string(" (docs/model.md#kind-evidence, ") + rule_id(r) + ")";
}

// "depends on FltMgr", "has an Instances key without an instance that has an altitude", ...
std::string minifilter_evidence(const ServiceEvidence &e) {
  std::string s;
  if (e.depends_on_fltmgr)
    s = "depends on FltMgr";
  if (e.has_instances_key)
    s += std::string(s.empty() ? "" : " and ") + "has an Instances key";
  return s + " but no instance with an altitude";
}

// What makes a leftover key look like a filter: "is in the group \"FSFilter Bottom\" and has an
// Instances key". A key with no Type is not read further, so its instances are not counted.
std::string filter_hints(const ServiceEvidence &e, const std::string &group) {
  std::string s;
  auto add = [&s](const std::string &hint) { s += (s.empty() ? "" : " and ") + hint; };
  if (!group.empty())
    add("is in the group \"" + group + "\"");
  if (e.instances_with_altitude > 0)
    add("has instances");
  else if (e.has_instances_key)
    add("has an Instances key");
  if (e.depends_on_fltmgr)
    add("depends on FltMgr");
  return s;
}

} // namespace

KindDecision decide_service_kind(const ServiceEvidence &e) {
  KindDecision out;
  const std::string who = "service '" + e.name + "'";
  const std::string group = e.group.value_or(std::string());
  const bool fs_group = is_file_system_group(group);
  const bool fsfilter = is_fsfilter_group(group);
  const bool filter = sim::iequals(group, "Filter");
  const bool minifilter_hint = e.depends_on_fltmgr || e.has_instances_key;
  auto decide = [&](ServiceKind k, KindRule r) {
    out.kind = k;
    out.rule = r;
    return out;
  };
  if (is_fltmgr(e.name))
    return decide(ServiceKind::not_filter, KindRule::k1_filter_manager);
  if (!e.type || !e.start) {
    if (fsfilter || filter || minifilter_hint || e.instances_with_altitude > 0)
      out.note = who + " has " +
                 (!e.type && !e.start ? std::string("no Type and no Start value")
                  : !e.type           ? std::string("no Type value")
                                      : std::string("no Start value")) +
                 (e.image_path ? " (ImagePath " + *e.image_path + ")" : std::string()) +
                 ": a leftover key that Windows cannot load as a driver, though it " +
                 filter_hints(e, group) + "; left out" + cite(KindRule::k2_leftover);
    return decide(ServiceKind::not_filter, KindRule::k2_leftover);
  }
  if (*e.type != service_kernel_driver && *e.type != service_file_system_driver)
    return decide(ServiceKind::not_filter, KindRule::k3_not_a_driver);
  if (e.instances_with_altitude > 0) {
    if (fs_group)
      out.note = who + " is in the \"" + group +
                 "\" group, the group of file systems, but has instances with altitudes: read "
                 "as a minifilter" +
                 cite(KindRule::k4_instances);
    return decide(ServiceKind::minifilter, KindRule::k4_instances);
  }
  if (fs_group)
    return decide(ServiceKind::not_filter, KindRule::k5_file_system);
  if (fsfilter || (filter && *e.type == service_file_system_driver)) {
    if (minifilter_hint)
      out.note = who + " is in the filter group \"" + group + "\" and " + minifilter_evidence(e) +
                 ": read as a legacy filter, placed by its group, since no minifilter instance "
                 "of it can attach" +
                 cite(KindRule::k6_filter_group);
    return decide(ServiceKind::legacy, KindRule::k6_filter_group);
  }
  if (minifilter_hint) {
    out.note =
        who + " " + minifilter_evidence(e) +
        (group.empty() ? std::string(" and no load order group")
                       : " and the group \"" + group + "\", which is not an FSFilter group") +
        ": FltRegisterFilter would find no instance to attach, so it is not on the filter "
        "stack; left out" +
        cite(KindRule::k7_cannot_attach);
    return decide(ServiceKind::not_filter, KindRule::k7_cannot_attach);
  }
  if (filter)
    out.note = who + " is in the group \"Filter\" as a kernel driver (Type " +
               std::to_string(*e.type) +
               ") with no instances: drivers other than file system filters (CLFS) load in this "
               "group too, so it is not read as a legacy filter; left out" +
               cite(KindRule::k8_no_evidence);
  return decide(ServiceKind::not_filter, KindRule::k8_no_evidence);
}

} // namespace fltsim::machine
