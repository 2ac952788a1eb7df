// import_machine (fltsim/manifest/machine_import.hpp; docs/model.md#machine-import): the filters
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
        if (cur->type != RegType::dword || cur->number == 0 || cur->number > 999) {
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
        sets.empty()
            ? std::string("no control set (CurrentControlSet or ControlSetNNN) in the "
                          "snapshot: expected an export of HKLM\\SYSTEM or of a control "
                          "set")
            : std::to_string(sets.size()) + " control sets and no Select\\Current value: name one "
                                            "(--control-set)"));
    return false;
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

  // docs/model.md#machine-import: which services are filters.
  void read_services(const std::string &root, sim::Scenario &sc) {
    std::size_t user_mode = 0, drivers = 0, disabled_left_out = 0;
    std::vector<std::string> examples; // the first few drivers that are not filters
    for (const std::string &name : s_.children(root)) {
      ++out_.counts.services;
      const std::string path = root + '\\' + name;
      const RegistryKey *k = s_.find(path);
      static const RegistryKey empty;
      const RegistryKey &key = k ? *k : empty;
      const std::string who = "service '" + name + "'";
      const SourceLocation where = key.location.file.empty() ? src_ : key.location;
      const auto type = dword(key, "Type", who);
      if (type && !machine::is_filter_service_type(*type)) {
        ++user_mode;
        continue;
      }
      if (sim::is_filter_manager(name)) {
        ++drivers; // fltmgr itself: the engine models it (R1)
        continue;
      }
      // Instances: under the service key, or (some drivers) under Parameters.
      std::string inst_root = path + "\\Instances";
      if (!has_key(inst_root) && has_key(path + "\\Parameters\\Instances"))
        inst_root = path + "\\Parameters\\Instances";
      const RegistryKey *inst_key = s_.find(inst_root);
      const std::vector<std::string> inst_names = s_.children(inst_root);
      std::optional<std::string> def;
      if (inst_key)
        def = text(*inst_key, "DefaultInstance", who);
      const std::vector<std::string> depends = strings(key, "DependOnService");
      const bool on_fltmgr = std::any_of(depends.begin(), depends.end(), [](const std::string &d) {
        return sim::is_filter_manager(d);
      });
      auto group = text(key, "Group", who);
      if (group && group->empty())
        group.reset();
      const bool minifilter = !inst_names.empty() || def.has_value() || on_fltmgr;
      const bool legacy = !minifilter && type && *type == machine::service_file_system_driver &&
                          group && sim::find_group(*group) != nullptr;
      if (!minifilter && !legacy) {
        ++drivers;
        if (examples.size() < 4)
          examples.push_back(name);
        continue;
      }
      const auto start = dword(key, "Start", who);
      if (!start || *start > 4) {
        warn(where, "reg-missing-value",
             who + " is a filter but has no valid \"Start\" value (0-4); left out");
        ++out_.counts.skipped;
        continue;
      }
      if (*start == 4 && !o_.keep_disabled) {
        ++disabled_left_out;
        continue;
      }
      sim::Driver d;
      d.name = name;
      d.location = where;
      d.kind = minifilter ? sim::DriverKind::minifilter : sim::DriverKind::legacy;
      d.group = group;
      d.start = static_cast<sim::StartType>(*start);
      d.tag = dword(key, "Tag", who);
      d.depends_on = depends;
      bool ok = true;
      if (minifilter) {
        d.default_instance = def;
        for (const std::string &iname : inst_names) {
          const RegistryKey *ik = s_.find(inst_root + '\\' + iname);
          if (!ik)
            continue;
          const std::string iwho = "instance '" + iname + "' of " + who;
          const auto alt_text = text(*ik, "Altitude", iwho);
          const SourceLocation iloc = ik->location.file.empty() ? where : ik->location;
          if (!alt_text) {
            warn(iloc, "reg-missing-value",
                 iwho + " has no \"Altitude\" value; " + who + " is left out");
            ok = false;
            continue;
          }
          sim::Diagnostic why;
          auto alt = sim::Altitude::parse(*alt_text, &why);
          if (!alt) {
            const RegValue *av = ik->find("Altitude");
            warn(av && !av->location.file.empty() ? av->location : iloc, "invalid-altitude",
                 iwho + ": " + why.message + "; " + who + " is left out");
            ok = false;
            continue;
          }
          sim::Instance inst{iname, *alt, dword(*ik, "Flags", iwho).value_or(0), {}, {}};
          const RegValue *av = ik->find("Altitude");
          inst.location = av && !av->location.file.empty() ? av->location : iloc;
          d.instances.push_back(std::move(inst));
        }
      }
      if (!ok) {
        ++out_.counts.skipped;
        continue;
      }
      (minifilter ? out_.counts.minifilters : out_.counts.legacy)++;
      sc.drivers.push_back(std::move(d));
    }
    out_.counts.not_filters = user_mode + drivers;
    if (out_.counts.services > 0) {
      std::string eg;
      for (const std::string &e : examples)
        eg += (eg.empty() ? " such as " : ", ") + e;
      out_.notes.push_back(
          std::to_string(out_.counts.not_filters) + " of " + std::to_string(out_.counts.services) +
          " services are not filters and are left out: " + std::to_string(drivers) +
          " kernel or file system drivers" + eg + " (FltMgr included), " +
          std::to_string(user_mode) + " user-mode services or other service types");
    }
    if (disabled_left_out > 0)
      out_.notes.push_back(std::to_string(disabled_left_out) +
                           " disabled filters (Start = 4) are left out");
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
    out_.notes.push_back("ServiceGroupOrder\\List: " + std::to_string(v->strings.size()) +
                         " groups");
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

// Larger than max_input_bytes: a full UTF-16 `reg export HKLM\SYSTEM` runs to hundreds of MB
// (docs/performance.md).
constexpr std::uintmax_t kMaxMachineFile = 1024ull * 1024ull * 1024ull;

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

MachineImport import_machine_file(const std::filesystem::path &path,
                                  const MachineImportOptions &options) {
  MachineImport out;
  const std::string source = io::path_to_utf8(path);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    out.errors.push_back(
        sim::make_diagnostic({source, 0, 0}, "io", "cannot read the file: " + ec.message()));
    return out;
  }
  if (size > kMaxMachineFile) {
    out.errors.push_back(sim::make_diagnostic({source, 0, 0}, "limit",
                                              "the file has " + std::to_string(size) +
                                                  " bytes; the limit for a machine import is " +
                                                  std::to_string(kMaxMachineFile)));
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    out.errors.push_back(sim::make_diagnostic({source, 0, 0}, "io", "cannot read the file"));
    return out;
  }
  RegistryRead read;
  if (looks_like_hive(bytes)) {
    bytes = std::string();
    read = read_system_hive(path);
  } else {
    io::DecodedText text = io::decode_text(bytes, source);
    bytes = std::string();
    if (!text.text) {
      out.errors.push_back(text.error);
      return out;
    }
    read = read_reg_export(*text.text, source);
  }
  if (!read.errors.empty()) {
    out.errors = std::move(read.errors);
    out.warnings = std::move(read.warnings);
    return out;
  }
  out = import_machine(read.snapshot, options);
  out.warnings.insert(out.warnings.begin(), read.warnings.begin(), read.warnings.end());
  return out;
}

} // namespace fltsim::machine
