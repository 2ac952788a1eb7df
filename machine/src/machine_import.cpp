// import_machine (fltsim/machine/machine_import.hpp; docs/model.md#machine-import): the filters
// of one control set of a RegistrySnapshot, with the tables that order them and the machine's
// attach policies, as a Scenario.
#include "fltsim/machine/machine_import.hpp"
#include "fltsim/io/platform.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "fltsim/io/files.hpp"
#include "fltsim/machine/service_kind.hpp"
#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/load_order.hpp"

namespace fltsim::machine {

namespace {

using sim::SourceLocation;

std::string control_set_name(std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "ControlSet%03u", static_cast<unsigned>(n % 1000));
  return buf;
}

bool is_numbered_control_set(const std::string &name) {
  const std::string l = sim::ascii_lower(name);
  return l.size() > 10 && l.rfind("controlset", 0) == 0 &&
         l.find_first_not_of("0123456789", 10) == std::string::npos;
}

// What a scenario may hold (manifest::Limits, docs/reliability.md#limits): an import never
// writes more, so what it writes always reads back (docs/machine-import.md#invariant).
constexpr std::size_t kMaxFilters = 200000;
constexpr std::size_t kMaxInstancesPerFilter = 1024;

class Importer {
public:
  Importer(const RegistrySnapshot &s, const MachineImportOptions &o, MachineImport &out)
      : s_(s), o_(o), out_(out), src_{s.source, 0, 0} {}

  void run() {
    out_.counts.keys = s_.key_count();
    if (!pick_control_set())
      return;
    const std::string cs = out_.control_set;
    sim::Scenario sc;
    sc.title = o_.title.empty()
                   ? "machine import of " +
                         (s_.source.empty() ? std::string("a registry snapshot") : s_.source)
                   : o_.title;
    read_services(cs + "\\Services", sc);
    if (out_.counts.services == 0) {
      out_.errors.push_back(sim::make_diagnostic(
          src_, "machine-no-services",
          "no service keys under " + cs +
              "\\Services: expected an export of HKLM\\SYSTEM or of a control set "
              "(reg export HKLM\\SYSTEM\\CurrentControlSet)"));
      return;
    }
    read_service_group_order(cs, sc);
    break_dependency_cycles(sc);
    read_group_order_list(cs, sc);
    read_policies(cs, sc);
    notes(sc);
    out_.scenario = std::move(sc);
  }

private:
  void warn(const SourceLocation &where, std::string code, std::string msg) {
    out_.warnings.push_back(
        sim::make_warning(where.file.empty() ? src_ : where, std::move(code), std::move(msg)));
  }

  bool has_key(const std::string &path) const {
    return s_.find(path) != nullptr || !s_.children(path).empty();
  }

  // Select\Current, else CurrentControlSet, else the only ControlSetNNN
  // (docs/model.md#machine-import).
  bool pick_control_set() {
    if (o_.control_set) {
      if (!has_key(*o_.control_set)) {
        out_.errors.push_back(
            sim::make_diagnostic(src_, "machine-control-set",
                                 "the snapshot has no control set '" + *o_.control_set + "'"));
        return false;
      }
      out_.control_set = *o_.control_set;
      out_.notes.push_back("control set " + out_.control_set + " (chosen by the caller)");
      return true;
    }
    if (const RegistryKey *sel = s_.find("Select")) {
      if (const RegValue *cur = sel->find("Current")) {
        if (cur->type == RegType::dword && cur->number == 0)
          return setup_copy_control_set(*sel);
        if (cur->type != RegType::dword || cur->number > 999) {
          out_.errors.push_back(sim::make_diagnostic(
              cur->location.file.empty() ? src_ : cur->location, "machine-bad-select",
              "Select\\Current must be a REG_DWORD from 1 to 999 naming ControlSetNNN"));
          return false;
        }
        const std::string name = control_set_name(cur->number);
        if (!has_key(name)) {
          out_.errors.push_back(sim::make_diagnostic(
              cur->location.file.empty() ? src_ : cur->location, "machine-bad-select",
              "Select\\Current is " + std::to_string(cur->number) + " but the snapshot has no " +
                  name));
          return false;
        }
        out_.control_set = name;
        out_.notes.push_back("control set " + name +
                             " (Select\\Current = " + std::to_string(cur->number) + ")");
        return true;
      }
    }
    if (has_key("CurrentControlSet")) {
      out_.control_set = "CurrentControlSet";
      out_.notes.push_back("control set CurrentControlSet (an export of the current control set)");
      return true;
    }
    std::vector<std::string> sets;
    for (const std::string &c : s_.children(""))
      if (is_numbered_control_set(c))
        sets.push_back(c);
    if (sets.size() == 1) {
      out_.control_set = sets.front();
      out_.notes.push_back("control set " + sets.front() + " (the only one; no Select key)");
      return true;
    }
    out_.errors.push_back(sim::make_diagnostic(
        src_, "machine-control-set",
        sets.empty() ? std::string("no control set (CurrentControlSet or ControlSetNNN) in the "
                                   "snapshot: expected an export of HKLM\\SYSTEM or of a control "
                                   "set")
                     : std::to_string(sets.size()) + " control sets (" + join(sets) +
                           ") and no Select\\Current value to say which is current: name one "
                           "(--control-set)"));
    return false;
  }

  // Select\Current = 0: a copy of SYSTEM taken during setup (system.sav) before any control
  // set was current. Read Select\Default's set, else ControlSet001, and say so
  // (docs/machine-import.md#readings).
  bool setup_copy_control_set(const RegistryKey &sel) {
    std::string name;
    if (const RegValue *def = sel.find("Default"); def && def->type == RegType::dword &&
                                                   def->number >= 1 && def->number <= 999 &&
                                                   has_key(control_set_name(def->number)))
      name = control_set_name(def->number);
    else if (has_key("ControlSet001"))
      name = "ControlSet001";
    if (name.empty()) {
      out_.errors.push_back(sim::make_diagnostic(
          src_, "machine-bad-select",
          "Select\\Current is 0 (a setup copy of SYSTEM) and the snapshot has neither the "
          "control set Select\\Default names nor ControlSet001: name one (--control-set)"));
      return false;
    }
    out_.control_set = name;
    out_.notes.push_back("control set " + name +
                         " (Select\\Current = 0, as in a setup copy such as system.sav: no set "
                         "was current when it was saved; " +
                         (name == "ControlSet001" ? std::string("ControlSet001 is read")
                                                  : "Select\\Default names " + name) +
                         ")");
    return true;
  }

  std::optional<std::uint32_t> dword(const RegistryKey &k, std::string_view name,
                                     const std::string &who) {
    const RegValue *v = k.find(name);
    if (!v)
      return std::nullopt;
    if (v->type != RegType::dword) {
      warn(v->location, "reg-bad-value",
           "\"" + std::string(name) + "\" of " + who + " must be a REG_DWORD, not " +
               to_string(v->type) + "; ignored");
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(v->number);
  }

  std::optional<std::string> text(const RegistryKey &k, std::string_view name,
                                  const std::string &who) {
    const RegValue *v = k.find(name);
    if (!v)
      return std::nullopt;
    if (v->type == RegType::sz || v->type == RegType::expand_sz)
      return v->text;
    if (v->type == RegType::multi_sz && v->strings.size() <= 1)
      return v->strings.empty() ? std::string() : v->strings.front();
    warn(v->location, "reg-bad-value",
         "\"" + std::string(name) + "\" of " + who + " must be a string, not " +
             to_string(v->type) + "; ignored");
    return std::nullopt;
  }

  std::vector<std::string> strings(const RegistryKey &k, std::string_view name) {
    const RegValue *v = k.find(name);
    if (!v)
      return {};
    if (v->type == RegType::multi_sz)
      return v->strings;
    if ((v->type == RegType::sz || v->type == RegType::expand_sz) && !v->text.empty())
      return {v->text};
    return {};
  }

  // docs/model.md#machine-import: which services are filters; their kind from their evidence
  // (machine::decide_service_kind, docs/model.md#kind-evidence).
  void read_services(const std::string &root, sim::Scenario &sc) {
    std::size_t user_mode = 0, drivers = 0, disabled = 0, leftovers = 0, file_systems = 0;
    bool fltmgr_counted = false; // the summary says "(FltMgr included)" only when it was there
    std::vector<std::string> examples;    // the first few drivers that are not filters
    std::vector<std::string> empty_group; // filters whose Group is ""
    for (const std::string &name : s_.children(root)) {
      ++out_.counts.services;
      const std::string path = root + '\\' + name;
      const RegistryKey *k = s_.find(path);
      static const RegistryKey empty;
      const RegistryKey &key = k ? *k : empty;
      const std::string who = "service '" + name + "'";
      const SourceLocation where = key.location.file.empty() ? src_ : key.location;
      ServiceEvidence ev;
      ev.name = name;
      ev.type = dword(key, "Type", who);
      ev.start = dword(key, "Start", who);
      if (ev.start && *ev.start > 4) {
        warn(where, "reg-bad-value",
             who + " has Start = " + std::to_string(*ev.start) +
                 "; expected 0 (boot) to 4 (disabled): read as having no Start");
        ev.start.reset();
      }
      auto group = text(key, "Group", who);
      const bool group_was_empty = group && group->empty();
      if (group_was_empty)
        group.reset();
      ev.group = group;
      ev.image_path = text(key, "ImagePath", who);
      const std::vector<std::string> depends = strings(key, "DependOnService");
      ev.depends_on_fltmgr = std::any_of(depends.begin(), depends.end(),
                                         [](const std::string &d) { return is_fltmgr(d); });
      // Instances: under the service key, or (some drivers) under Parameters.
      std::string inst_root = path + "\\Instances";
      if (!has_key(inst_root) && has_key(path + "\\Parameters\\Instances"))
        inst_root = path + "\\Parameters\\Instances";
      const RegistryKey *inst_key = s_.find(inst_root);
      const std::vector<std::string> inst_names = s_.children(inst_root);
      std::optional<std::string> def;
      if (inst_key)
        def = text(*inst_key, "DefaultInstance", who);
      ev.has_instances_key = inst_key != nullptr || !inst_names.empty();
      // Only the instances of a service that could be a filter are parsed (and warned about).
      const bool maybe_filter =
          ev.type && (*ev.type == service_kernel_driver || *ev.type == service_file_system_driver);
      std::vector<sim::Instance> instances;
      if (maybe_filter && !is_fltmgr(name))
        instances = read_instances(inst_root, inst_names, who, where);
      ev.instances_with_altitude = instances.size();
      const KindDecision kind = decide_service_kind(ev);
      if (kind.note)
        out_.notes.push_back(*kind.note);
      if (!kind.is_driver()) {
        switch (kind.rule) {
        case KindRule::k2_leftover:
          ++leftovers;
          break;
        case KindRule::k3_not_a_driver:
          ++user_mode;
          break;
        case KindRule::k5_file_system:
          ++file_systems;
          break;
        default:
          ++drivers;
          fltmgr_counted = fltmgr_counted || kind.rule == KindRule::k1_filter_manager;
          if (examples.size() < 4 && kind.rule == KindRule::k8_no_evidence)
            examples.push_back(name);
          break;
        }
        continue;
      }
      if (sc.drivers.size() >= kMaxFilters) {
        warn(where, "limit",
             who + " and the filters after it are left out: a scenario holds at most " +
                 std::to_string(kMaxFilters) + " drivers");
        ++out_.counts.skipped;
        continue;
      }
      if (instances.size() > kMaxInstancesPerFilter) {
        warn(where, "limit",
             who + " has " + std::to_string(instances.size()) +
                 " instances; a scenario driver holds at most " +
                 std::to_string(kMaxInstancesPerFilter) + ": left out");
        ++out_.counts.skipped;
        continue;
      }
      if (*ev.start == 4)
        ++disabled;
      if (group_was_empty)
        empty_group.push_back(name);
      sim::Driver d;
      d.name = name;
      d.location = where;
      d.kind =
          kind.kind == ServiceKind::legacy ? sim::DriverKind::legacy : sim::DriverKind::minifilter;
      d.group = group;
      d.start = static_cast<sim::StartType>(*ev.start);
      d.tag = dword(key, "Tag", who);
      for (const std::string &dep : depends)
        if (!sim::iequals(dep, name)) // a service that depends on itself: never started
          d.depends_on.push_back(dep);
      if (d.kind == sim::DriverKind::minifilter) {
        d.instances = std::move(instances);
        d.default_instance = pick_default_instance(def, d.instances, who);
      }
      (d.kind == sim::DriverKind::minifilter ? out_.counts.minifilters : out_.counts.legacy)++;
      sc.drivers.push_back(std::move(d));
    }
    out_.counts.not_filters = user_mode + drivers + leftovers + file_systems;
    if (out_.counts.services > 0) {
      std::string eg;
      for (const std::string &e : examples)
        eg += (eg.empty() ? " such as " : ", ") + e;
      out_.notes.push_back(
          std::to_string(out_.counts.not_filters) + " of " + std::to_string(out_.counts.services) +
          " services are not filters and are left out: " + std::to_string(drivers) +
          " kernel drivers" + eg + (fltmgr_counted ? " (FltMgr included)" : "") + ", " +
          std::to_string(file_systems) + " file systems, " + std::to_string(user_mode) +
          " user-mode services or other service types, " + std::to_string(leftovers) +
          " keys without Type or Start (docs/model.md#kind-evidence)");
    }
    if (disabled > 0)
      out_.notes.push_back(std::to_string(disabled) +
                           " filters are disabled (Start = 4): kept in the scenario, they never "
                           "load");
    if (!empty_group.empty())
      out_.notes.push_back("an empty Group is read as no load order group (loaded after every "
                           "group, docs/model.md#l3): " +
                           join(empty_group));
  }

  // The instances of a service with a valid Altitude, in key order. An instance without one is
  // reported and left out; the service keeps its other instances (docs/model.md#kind-evidence).
  std::vector<sim::Instance> read_instances(const std::string &inst_root,
                                            const std::vector<std::string> &names,
                                            const std::string &who, const SourceLocation &where) {
    std::vector<sim::Instance> out;
    for (const std::string &iname : names) {
      const RegistryKey *ik = s_.find(inst_root + '\\' + iname);
      static const RegistryKey empty;
      const RegistryKey &key = ik ? *ik : empty;
      const std::string iwho = "instance '" + iname + "' of " + who;
      const SourceLocation iloc = key.location.file.empty() ? where : key.location;
      const auto alt_text = text(key, "Altitude", iwho);
      if (!alt_text) {
        warn(iloc, "reg-missing-value",
             iwho + " has no \"Altitude\" value; the instance is left out");
        continue;
      }
      const RegValue *av = key.find("Altitude");
      const SourceLocation aloc = av && !av->location.file.empty() ? av->location : iloc;
      sim::Diagnostic why;
      auto alt = sim::Altitude::parse(*alt_text, &why);
      if (!alt) {
        warn(aloc, "invalid-altitude", iwho + ": " + why.message + "; the instance is left out");
        continue;
      }
      sim::Instance inst{iname, *alt, dword(key, "Flags", iwho).value_or(0), {}, {}};
      inst.location = aloc;
      out.push_back(std::move(inst));
    }
    return out;
  }

  // DefaultInstance as FltRegisterFilter finds it: the registry compares key names without
  // case, so a name differing only in case is that instance (written with the instance's own
  // spelling, noted). A missing or dangling one is kept as it is and noted: the engine reports
  // missing-default-instance (docs/model.md#a5).
  std::optional<std::string> pick_default_instance(const std::optional<std::string> &def,
                                                   const std::vector<sim::Instance> &instances,
                                                   const std::string &who) {
    if (!def || def->empty()) {
      out_.notes.push_back(who + " has instances but no DefaultInstance value: FltRegisterFilter "
                                 "fails without one (docs/model.md#a5); the scenario's reader "
                                 "takes its first instance instead");
      return std::nullopt;
    }
    for (const sim::Instance &i : instances)
      if (sim::iequals(i.name, *def)) {
        if (i.name != *def)
          out_.notes.push_back(who + ": DefaultInstance \"" + *def + "\" names instance '" +
                               i.name +
                               "', differing only in case; registry names compare "
                               "without case, so it is that instance");
        return i.name;
      }
    out_.notes.push_back(who + ": DefaultInstance \"" + *def +
                         "\" names no instance with an altitude: FltRegisterFilter fails "
                         "(missing-default-instance, docs/model.md#a5)");
    return def;
  }

  static std::string join(const std::vector<std::string> &v) {
    std::string s;
    for (const std::string &x : v)
      s += (s.empty() ? "" : ", ") + x;
    return s;
  }

  void read_service_group_order(const std::string &cs, sim::Scenario &sc) {
    const RegistryKey *k = s_.find(cs + "\\Control\\ServiceGroupOrder");
    const RegValue *v = k ? k->find("List") : nullptr;
    if (!v) {
      out_.notes.push_back("no Control\\ServiceGroupOrder\\List: the Windows 10 default order is "
                           "used (docs/model.md#servicegrouporder)");
      return;
    }
    if (v->type != RegType::multi_sz) {
      warn(v->location, "reg-bad-value",
           "Control\\ServiceGroupOrder\\List must be a REG_MULTI_SZ; the Windows 10 default "
           "order is used");
      return;
    }
    sc.service_group_order = v->strings;
    std::size_t fsfilter = 0;
    std::set<std::string> listed;
    for (const std::string &g : v->strings) {
      listed.insert(sim::ascii_lower(g));
      if (is_fsfilter_group(g))
        ++fsfilter;
    }
    std::string note = "ServiceGroupOrder\\List: " + std::to_string(v->strings.size()) +
                       " groups, " + std::to_string(fsfilter) + " of them FSFilter groups";
    std::vector<std::string> missing_fsfilter;
    for (std::string_view g : sim::default_service_group_order())
      if (is_fsfilter_group(g) && !listed.contains(sim::ascii_lower(g)))
        missing_fsfilter.push_back(std::string(g));
    if (!missing_fsfilter.empty())
      note += " (" + join(missing_fsfilter) +
              " not among them, as on Windows versions older than the group)";
    out_.notes.push_back(note);
    // docs/model.md#l3: a group the list does not name loads after every listed group.
    std::vector<std::string> unlisted;
    std::set<std::string> seen;
    for (const sim::Driver &d : sc.drivers)
      if (d.group && !listed.contains(sim::ascii_lower(*d.group)) &&
          seen.insert(sim::ascii_lower(*d.group)).second)
        unlisted.push_back("\"" + *d.group + "\"");
    if (!unlisted.empty())
      out_.notes.push_back("groups of imported filters that ServiceGroupOrder\\List does not "
                           "name, loaded after every listed group (docs/model.md#l3): " +
                           join(unlisted));
  }

  // A dependency cycle among the imported filters would make the scenario an input error
  // (docs/model.md#l4), and the service control manager starts none of a cycle's services.
  // Each cycle is broken at the dependency that closes it, with a warning naming it, so the
  // scenario stays simulatable (docs/machine-import.md#invariant).
  void break_dependency_cycles(sim::Scenario &sc) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < sc.drivers.size(); ++i)
      index.emplace(sim::ascii_lower(sc.drivers[i].name), i);
    enum : unsigned char { white, grey, black };
    std::vector<unsigned char> colour(sc.drivers.size(), white);
    // Iterative DFS: (driver, next dependency to look at).
    std::vector<std::pair<std::size_t, std::size_t>> stack;
    for (std::size_t s = 0; s < sc.drivers.size(); ++s) {
      if (colour[s] != white)
        continue;
      stack.push_back({s, 0});
      colour[s] = grey;
      while (!stack.empty()) {
        auto &[v, next] = stack.back();
        sim::Driver &d = sc.drivers[v];
        if (next >= d.depends_on.size()) {
          colour[v] = black;
          stack.pop_back();
          continue;
        }
        auto it = index.find(sim::ascii_lower(d.depends_on[next]));
        if (it == index.end() || colour[it->second] == black) {
          ++next;
          continue;
        }
        if (colour[it->second] == grey) {
          warn(d.location, "machine-dependency-cycle",
               "service '" + d.name + "' depends on '" + d.depends_on[next] +
                   "', which depends on it in turn (DependOnService): the service control "
                   "manager starts none of them; this dependency is dropped so the scenario "
                   "simulates (docs/model.md#l4)");
          d.depends_on.erase(d.depends_on.begin() + static_cast<std::ptrdiff_t>(next));
          continue;
        }
        const std::size_t w = it->second;
        ++next;
        colour[w] = grey;
        stack.push_back({w, 0});
      }
    }
  }

  // Control\GroupOrderList: one REG_BINARY per group, a DWORD count followed by that many tags
  // (docs/model.md#machine-import). Kept for the groups of the imported filters.
  void read_group_order_list(const std::string &cs, sim::Scenario &sc) {
    const RegistryKey *k = s_.find(cs + "\\Control\\GroupOrderList");
    if (!k)
      return;
    std::set<std::string> used;
    for (const sim::Driver &d : sc.drivers)
      if (d.group)
        used.insert(sim::ascii_lower(*d.group));
    std::size_t read = 0;
    for (const RegValue &v : k->values) {
      if (!used.contains(sim::ascii_lower(v.name)))
        continue;
      if (v.type != RegType::binary && v.type != RegType::none && v.type != RegType::other) {
        warn(v.location, "reg-bad-value",
             "GroupOrderList value \"" + v.name +
                 "\" must be REG_BINARY (a DWORD count, then "
                 "the tags); ignored");
        continue;
      }
      const auto &b = v.bytes;
      auto u32 = [&](std::size_t at) {
        return std::uint32_t{b[at]} | (std::uint32_t{b[at + 1]} << 8) |
               (std::uint32_t{b[at + 2]} << 16) | (std::uint32_t{b[at + 3]} << 24);
      };
      if (b.size() < 4) {
        warn(v.location, "reg-bad-value",
             "GroupOrderList value \"" + v.name + "\" has " + std::to_string(b.size()) +
                 " bytes; expected a DWORD count and the tags; ignored");
        continue;
      }
      const std::uint32_t count = u32(0);
      if (count > (b.size() - 4) / 4) {
        warn(v.location, "reg-bad-value",
             "GroupOrderList value \"" + v.name + "\" says " + std::to_string(count) +
                 " tags but holds " + std::to_string((b.size() - 4) / 4) +
                 "; the tags present are used");
      }
      std::vector<std::uint32_t> tags;
      const std::size_t n = std::min<std::size_t>(count, (b.size() - 4) / 4);
      for (std::size_t i = 0; i < n; ++i)
        tags.push_back(u32(4 + 4 * i));
      sc.group_order_list[v.name] = std::move(tags);
      ++read;
    }
    std::size_t tagged = 0;
    for (const sim::Driver &d : sc.drivers) {
      if (!d.tag || !d.group)
        continue;
      for (const auto &[g, tags] : sc.group_order_list)
        if (sim::iequals(g, *d.group) && std::find(tags.begin(), tags.end(), *d.tag) != tags.end())
          ++tagged;
    }
    out_.counts.tagged = tagged;
    out_.notes.push_back("GroupOrderList: " + std::to_string(read) +
                         " groups of the imported filters; " + std::to_string(tagged) +
                         " filters have a tag listed there");
  }

  // docs/model.md#block-legacy and docs/model.md#dev-drive: where the registry holds them.
  void read_policies(const std::string &cs, sim::Scenario &sc) {
    if (const RegistryKey *io = s_.find(cs + "\\Control\\Session Manager\\I/O System"))
      if (auto v = dword(*io, "IoBlockLegacyFsFilters", "Session Manager\\I/O System")) {
        sc.policy.block_legacy_filters = *v == 1;
        out_.notes.push_back(std::string("IoBlockLegacyFsFilters = ") + std::to_string(*v) +
                             (*v == 1 ? ": legacy filters are blocked" : ""));
      }
    if (const RegistryKey *pol = s_.find(cs + "\\Policies")) {
      std::vector<std::string> allowed;
      for (const std::string &item : strings(*pol, "FltmgrDevDriveAttachPolicy")) {
        // The documented PowerShell writes one comma-separated string; split both forms.
        std::size_t b = 0;
        for (std::size_t i = 0; i <= item.size(); ++i)
          if (i == item.size() || item[i] == ',') {
            std::string name = item.substr(b, i - b);
            name.erase(0, name.find_first_not_of(" \t"));
            name.erase(name.find_last_not_of(" \t") + 1);
            if (!name.empty())
              allowed.push_back(name);
            b = i + 1;
          }
      }
      if (!allowed.empty()) {
        sc.policy.dev_drive_allowed_filters = allowed;
        std::string list;
        for (const std::string &a : allowed)
          list += (list.empty() ? "" : ", ") + a;
        out_.notes.push_back("Dev Drive filter attach policy (FltmgrDevDriveAttachPolicy): " +
                             list);
      }
      if (auto v = dword(*pol, "FltmgrDevDriveAllowAntivirusFilter", "Policies"))
        out_.notes.push_back("FltmgrDevDriveAllowAntivirusFilter = " + std::to_string(*v) +
                             (*v == 1 ? ": antivirus filters stay attached to Dev Drives" : ""));
      if (auto v = dword(*pol, "FsEnableDevDrive", "Policies"))
        out_.notes.push_back("FsEnableDevDrive = " + std::to_string(*v));
    }
  }

  void notes(const sim::Scenario &sc) {
    out_.notes.push_back(std::to_string(sc.drivers.size()) +
                         " filters imported: " + std::to_string(out_.counts.minifilters) +
                         " minifilters, " + std::to_string(out_.counts.legacy) + " legacy filters" +
                         (out_.counts.skipped ? ", " + std::to_string(out_.counts.skipped) +
                                                    " left out (see the warnings)"
                                              : std::string()));
    out_.notes.push_back("volumes are not in the registry: add 'volumes:' (classes, "
                         "docs/scenario-format.md#volumes) to see per-volume stacks");
  }

  const RegistrySnapshot &s_;
  const MachineImportOptions &o_;
  MachineImport &out_;
  SourceLocation src_;
};

} // namespace

MachineImport import_machine(const RegistrySnapshot &snapshot,
                             const MachineImportOptions &options) {
  MachineImport out;
  try {
    Importer(snapshot, options, out).run();
  } catch (const std::exception &e) {
    out.scenario.reset();
    out.errors.push_back(sim::make_diagnostic({snapshot.source, 0, 0}, "limit",
                                              std::string("the import failed: ") + e.what()));
  }
  if (!out.errors.empty())
    out.scenario.reset();
  return out;
}

bool looks_like_hive(std::string_view first_bytes) {
  return first_bytes.substr(0, 4) == "regf";
}

namespace {

// What the hive's base block says before libhivex (or RegLoadAppKeyW) reads its cells, read here
// so that both platforms' readers report it (regf format: github.com/msuhanov/regf).
struct BaseBlock {
  std::uint32_t primary_sequence = 0;   // offset 4
  std::uint32_t secondary_sequence = 0; // offset 8
  std::uint32_t flags = 0;              // offset 144
};

BaseBlock read_base_block(std::string_view bytes) {
  auto u32 = [&](std::size_t at) -> std::uint32_t {
    if (at + 4 > bytes.size())
      return 0;
    const auto b = [&](std::size_t k) {
      return std::uint32_t{static_cast<unsigned char>(bytes[at + k])};
    };
    return b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
  };
  return {u32(4), u32(8), u32(144)};
}

// Flag 0x2 of the base block: since Windows 10 it marks a hive that uses layered keys, the
// differencing hives of Windows containers and Windows Sandbox, which hold only the changes over
// a base hive (Windows 8 used the bit for a defragmented hive being written).
constexpr std::uint32_t kLayeredKeysFlag = 0x2;

void report_base_block(const BaseBlock &b, const std::string &source, RegistryRead &read) {
  // The sequence numbers differ when the hive was copied while Windows had writes pending in its
  // .LOG1/.LOG2 transaction logs.
  if (b.primary_sequence != b.secondary_sequence)
    read.notes.push_back("the hive is dirty (primary sequence number " +
                         std::to_string(b.primary_sequence) + ", secondary " +
                         std::to_string(b.secondary_sequence) +
                         "): writes still in its .LOG1/.LOG2 transaction logs are not applied; the "
                         "hive is read as it was last written to disk "
                         "(docs/machine-import.md#readings)");
  if ((b.flags & kLayeredKeysFlag) != 0)
    read.warnings.push_back(sim::make_warning(
        {source, 0, 0}, "hive-differencing",
        "the hive's base block marks it as a differencing hive (layered keys: Windows "
        "containers and Windows Sandbox keep one over a base hive): it holds only what changed, "
        "so services it does not change are missing and deleted ones are tombstones; read the "
        "merged registry instead, e.g. `reg save HKLM\\SYSTEM system.hiv` inside the container "
        "or sandbox (docs/machine-import.md#readings)"));
}

} // namespace

MachineImport import_machine_file(const std::filesystem::path &path,
                                  const MachineImportOptions &options) {
  MachineImport out;
  const std::string source = io::path_to_utf8(path);
  // Read whole, from a file or a pipe (`import <(cat SYSTEM)`), never seeking (io/input.hpp).
  sim::Diagnostic error;
  std::optional<std::string> whole = io::read_input_bytes(path, error, options.limits.max_bytes);
  if (!whole) {
    out.errors.push_back(std::move(error));
    return out;
  }
  std::string bytes = std::move(*whole);
  RegistryRead read;
  if (looks_like_hive(bytes)) {
    const BaseBlock base = read_base_block(bytes);
    if (io::input_kind(path) == io::InputKind::regular) {
      bytes = std::string();
      read = read_system_hive(path, options.limits);
    } else {
      // libhivex (or RegLoadAppKeyW) opens the hive by name: a pipe's bytes go to a scratch file.
      const io::ScratchFile scratch(bytes);
      bytes = std::string();
      if (scratch.path().empty()) {
        out.errors.push_back(sim::make_diagnostic(
            {source, 0, 0}, "io", "cannot keep the hive read from a pipe: " + scratch.error()));
        return out;
      }
      read = read_system_hive(scratch.path(), options.limits);
      read.snapshot.source = source;
      const std::string scratch_name = io::path_to_utf8(scratch.path());
      for (auto *list : {&read.errors, &read.warnings})
        for (sim::Diagnostic &d : *list)
          if (d.location.file.starts_with(scratch_name))
            d.location.file = source;
    }
    report_base_block(base, source, read);
  } else {
    io::DecodedText text = io::decode_text(bytes, source);
    bytes = std::string();
    if (!text.text) {
      out.errors.push_back(text.error);
      return out;
    }
    read = read_reg_export(*text.text, source, options.limits);
  }
  if (!read.errors.empty()) {
    out.errors = std::move(read.errors);
    out.warnings = std::move(read.warnings);
    out.notes = std::move(read.notes);
    return out;
  }
  out = import_machine(read.snapshot, options);
  out.warnings.insert(out.warnings.begin(), read.warnings.begin(), read.warnings.end());
  out.notes.insert(out.notes.begin(), read.notes.begin(), read.notes.end());
  // Damage inside what the import reads makes its result wrong without a word: refuse it.
  // Damage elsewhere (another control set, Enum, ...) stays a warning
  // (docs/machine-import.md#damaged-hives).
  if (out.scenario) {
    const std::string cs = sim::ascii_lower(out.control_set);
    for (const std::string &k : read.damaged_keys) {
      const std::string p = sim::ascii_lower(k);
      const bool inside = p.empty() || p == "select" || p == cs ||
                          p.rfind(cs + "\\services", 0) == 0 || p.rfind(cs + "\\control", 0) == 0 ||
                          p.rfind(cs + "\\policies", 0) == 0;
      if (inside) {
        out.errors.push_back(sim::make_diagnostic(
            {source, 0, 0}, "hive-damaged",
            "key [" + k +
                "] of the control set being imported could not be read (see the "
                "warning above): the import would silently lack what it holds; refusing it"));
        out.scenario.reset();
        break;
      }
    }
  }
  return out;
}

} // namespace fltsim::machine
