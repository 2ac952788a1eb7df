// machine::decide_service_kind (docs/model.md#kind-evidence): properties over every combination
// of evidence, and the services of the real hives that made the rule what it is.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fltsim/machine/service_kind.hpp"

namespace m = fltsim::machine;

namespace {

m::ServiceEvidence ev(std::string name, std::optional<std::uint32_t> type,
                      std::optional<std::uint32_t> start, std::optional<std::string> group,
                      bool inst_key, std::size_t alts, bool fltmgr) {
  m::ServiceEvidence e;
  e.name = std::move(name);
  e.type = type;
  e.start = start;
  e.group = std::move(group);
  e.has_instances_key = inst_key;
  e.instances_with_altitude = alts;
  e.depends_on_fltmgr = fltmgr;
  return e;
}

} // namespace

TEST_CASE("kind evidence: every combination gets exactly the documented reading") {
  const std::vector<std::optional<std::uint32_t>> types{std::nullopt, 1u, 2u, 0x10u, 8u};
  const std::vector<std::optional<std::uint32_t>> starts{std::nullopt, 0u, 3u, 4u};
  const std::vector<std::optional<std::string>> groups{
      std::nullopt,  "FSFilter Anti-Virus", "fsfilter top", "FSFilter Private", "Filter",
      "File System", "Boot File System",    "NDIS",         "FSFilter"};
  std::size_t n = 0;
  for (const auto &type : types)
    for (const auto &start : starts)
      for (const auto &group : groups)
        for (bool inst : {false, true})
          for (std::size_t alts : {std::size_t{0}, std::size_t{2}})
            for (bool fltmgr : {false, true}) {
              if (alts > 0 && !inst)
                continue; // altitudes live in an Instances key
              const m::ServiceEvidence e = ev("Svc", type, start, group, inst, alts, fltmgr);
              const m::KindDecision k = m::decide_service_kind(e);
              ++n;
              CAPTURE(n);
              const bool driver_type = type && (*type == 1 || *type == 2);
              const std::string g = group.value_or("");
              const bool fsfilter =
                  g.size() > 8 && (g.substr(0, 8) == "FSFilter" || g.substr(0, 8) == "fsfilter");
              // Never `both`: no registry value tells it.
              CHECK(k.kind != m::ServiceKind::both);
              // A filter needs a loadable driver: Type 1 or 2 and a Start.
              if (k.is_driver())
                CHECK((driver_type && start));
              // Minifilter exactly when an instance has an altitude (K4).
              CHECK((k.kind == m::ServiceKind::minifilter) == (driver_type && start && alts > 0));
              // Legacy exactly when K6 applies.
              const bool k6 =
                  driver_type && start && alts == 0 && (fsfilter || (g == "Filter" && *type == 2));
              CHECK((k.kind == m::ServiceKind::legacy) == k6);
              // Minifilter evidence that leads nowhere is always said (K6's ambiguity, K7).
              if (driver_type && start && alts == 0 && (inst || fltmgr) && g != "File System" &&
                  g != "Boot File System") {
                REQUIRE(k.note);
                CHECK(k.note->find("'Svc'") != std::string::npos);
                CHECK(k.note->find(fltmgr ? "FltMgr" : "Instances") != std::string::npos);
              }
              // A leftover that looks like a filter is named (K2).
              if ((!type || !start) && (fsfilter || g == "Filter" || inst || fltmgr)) {
                REQUIRE(k.note);
                CHECK(k.note->find("leftover") != std::string::npos);
              }
            }
  CHECK(n > 1000);
}

TEST_CASE("kind evidence: the services of the real hives") {
  // McAfee's mfehidk (Windows 7 hive): Type 1, FSFilter Anti-Virus, no Instances key -> legacy.
  auto k = m::decide_service_kind(ev("mfehidk", 1, 0, "FSFilter Anti-Virus", false, 0, false));
  CHECK(k.kind == m::ServiceKind::legacy);
  CHECK(k.rule == m::KindRule::k6_filter_group);
  CHECK_FALSE(k.note); // the documented reading, not an ambiguity
  // AppID (every hive from Windows 7 on): Type 1, no group, depends on FltMgr, no Instances.
  k = m::decide_service_kind(ev("AppID", 1, 3, std::nullopt, false, 0, true));
  CHECK(k.kind == m::ServiceKind::not_filter);
  CHECK(k.rule == m::KindRule::k7_cannot_attach);
  REQUIRE(k.note);
  CHECK(k.note->find("service 'AppID' depends on FltMgr") != std::string::npos);
  // PEAUTH: an Instances key with DefaultInstance and no instance subkey.
  k = m::decide_service_kind(ev("PEAUTH", 1, 2, std::nullopt, true, 0, false));
  CHECK(k.kind == m::ServiceKind::not_filter);
  CHECK(k.rule == m::KindRule::k7_cannot_attach);
  // CLFS: the group Filter, Type 1, nothing else.
  k = m::decide_service_kind(ev("CLFS", 1, 0, "Filter", false, 0, false));
  CHECK(k.kind == m::ServiceKind::not_filter);
  CHECK(k.rule == m::KindRule::k8_no_evidence);
  REQUIRE(k.note);
  CHECK(k.note->find("CLFS") != std::string::npos);
  // MsSecFlt: Type 1 in Filter with an instance; npsvctrig: Type 1, no group, an instance.
  CHECK(m::decide_service_kind(ev("MsSecFlt", 1, 0, "Filter", true, 1, false)).kind ==
        m::ServiceKind::minifilter);
  CHECK(m::decide_service_kind(ev("npsvctrig", 1, 1, std::nullopt, true, 1, false)).kind ==
        m::ServiceKind::minifilter);
  // PROCMON24 (Windows 10 1709 hive): Group and Instances left behind, no Type, no Start.
  k = m::decide_service_kind(
      ev("PROCMON24", std::nullopt, std::nullopt, "FSFilter Activity Monitor", true, 1, false));
  CHECK(k.kind == m::ServiceKind::not_filter);
  CHECK(k.rule == m::KindRule::k2_leftover);
  REQUIRE(k.note);
  CHECK(k.note->find("PROCMON24") != std::string::npos);
  // FltMgr itself, a file system, a user-mode service.
  CHECK(
      m::decide_service_kind(ev("FltMgr", 2, 0, "FSFilter Infrastructure", false, 0, false)).rule ==
      m::KindRule::k1_filter_manager);
  CHECK(m::decide_service_kind(ev("Ntfs", 2, 0, "Boot File System", false, 0, false)).rule ==
        m::KindRule::k5_file_system);
  CHECK(m::decide_service_kind(ev("Dhcp", 0x20, 2, "TDI", false, 0, false)).rule ==
        m::KindRule::k3_not_a_driver);
}

TEST_CASE("kind evidence: a leftover key's note names the evidence it has, never an empty group") {
  // PROCMON23 on a Windows 7 SP1 hive (Smanoli284/ShimCacheParser's SYSTEM.zip): only
  // SupportedFeatures and an Instances key; a key with no Type is not read further, so its
  // instance's altitude is not counted.
  const m::KindDecision k = m::decide_service_kind(
      ev("PROCMON23", std::nullopt, std::nullopt, std::nullopt, true, 0, false));
  CHECK(k.rule == m::KindRule::k2_leftover);
  REQUIRE(k.note);
  CHECK(k.note->find("has an Instances key") != std::string::npos);
  CHECK(k.note->find("group \"\"") == std::string::npos);
  const m::KindDecision both = m::decide_service_kind(
      ev("PROCMON24", std::nullopt, std::nullopt, "FSFilter Activity Monitor", true, 0, true));
  REQUIRE(both.note);
  CHECK(both.note->find("is in the group \"FSFilter Activity Monitor\" and has an Instances key "
                        "and depends on FltMgr") != std::string::npos);
}
