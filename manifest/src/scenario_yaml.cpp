// YAML scenario reader/writer. Every problem becomes a Diagnostic with file:line:column; unknown
// keys are errors because a typo must not silently change the stack (docs/scenario-format.md).
#include "fltsim/manifest/scenario_yaml.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "fltsim/manifest/yaml_driver.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::manifest {

using sim::Diagnostic;
using sim::SourceLocation;

namespace {

// Thrown by the Reader to stop at a limit (Limits); the diagnostic is already in `diags`.
struct StopReading {};

class Reader {
public:
  Reader(std::string source, const Limits &limits, std::size_t text_size)
      : source_(std::move(source)), limits_(limits),
        budget_(1024 + text_size * limits.max_expansion_per_byte) {}

  std::vector<Diagnostic> diags;

  // Counts one visited collection entry. Aliases let a small document name the same entries
  // again and again (billion laughs); past the budget reading stops with a "limit" diagnostic.
  void visit(const YAML::Node &n) {
    if (++visited_ <= budget_)
      return;
    diags.push_back({loc(n), "limit",
                     "the document expands to more than " + std::to_string(budget_) +
                         " entries through aliases (*name repeats &name content); refusing it"});
    throw StopReading{};
  }

  SourceLocation loc(const YAML::Node &n) const { return detail::yaml_location(n, source_); }
  SourceLocation loc(const YAML::Mark &m) const { return {source_, m.line + 1, m.column + 1}; }

  void error(const YAML::Node &n, std::string code, std::string msg) {
    if (diags.size() + 1 >= limits_.max_diagnostics) {
      diags.push_back({loc(n), "too-many-errors",
                       "stopping after " + std::to_string(diags.size()) + " errors"});
      throw StopReading{};
    }
    diags.push_back({loc(n), std::move(code), std::move(msg)});
  }

  bool check_map(const YAML::Node &map, std::initializer_list<std::string_view> allowed,
                 const std::string &what) {
    return detail::check_map(
        map, allowed, what,
        [this](const YAML::Node &n, std::string code, std::string msg) {
          error(n, std::move(code), std::move(msg));
        },
        [this](const YAML::Node &n) { visit(n); });
  }

  std::optional<std::string> scalar(const YAML::Node &n, const std::string &what) {
    if (!n.IsScalar()) {
      error(n, "wrong-type", what + " must be a single value (a scalar)");
      return std::nullopt;
    }
    return n.Scalar();
  }

  std::optional<std::string> nonempty(const YAML::Node &n, const std::string &what) {
    auto s = scalar(n, what);
    if (s && s->empty()) {
      error(n, "wrong-type", what + " must not be empty");
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::uint64_t> uint_value(const YAML::Node &n, const std::string &what,
                                          std::uint64_t max) {
    auto s = scalar(n, what);
    if (!s)
      return std::nullopt;
    std::string_view t = *s;
    int base = 10;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
      base = 16;
      t.remove_prefix(2);
    }
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v, base);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size() || v > max) {
      error(n, "wrong-type",
            what + " must be a whole number from 0 to " + std::to_string(max) +
                " (decimal or 0x hex); got '" + *s + "'");
      return std::nullopt;
    }
    return v;
  }

  std::optional<sim::Altitude> altitude(const YAML::Node &n, const std::string &what) {
    auto s = scalar(n, what);
    if (!s)
      return std::nullopt;
    sim::Diagnostic why;
    auto a = sim::Altitude::parse(*s, &why);
    if (!a) {
      error(n, "invalid-altitude", what + ": " + why.message);
      diags.back().fact = why.fact;
    }
    return a;
  }

  std::vector<std::string> string_list(const YAML::Node &n, const std::string &what) {
    std::vector<std::string> out;
    if (n.IsScalar()) { // a single name is accepted where a list is expected
      if (!n.Scalar().empty())
        out.push_back(n.Scalar());
      return out;
    }
    if (!n.IsSequence()) {
      error(n, "wrong-type", what + " must be a list of names");
      return out;
    }
    for (const YAML::Node &item : n) {
      visit(item);
      if (auto s = nonempty(item, "each entry of " + what))
        out.push_back(*s);
    }
    return out;
  }

  std::optional<bool> boolean(const YAML::Node &n, const std::string &what) {
    auto v = scalar(n, what);
    if (!v)
      return std::nullopt;
    if (*v == "true" || *v == "yes")
      return true;
    if (*v == "false" || *v == "no")
      return false;
    error(n, "wrong-type", what + " must be true or false; got '" + *v + "'");
    return std::nullopt;
  }

  std::optional<sim::VolumeClass> volume_class(const YAML::Node &n, const std::string &what) {
    auto v = scalar(n, what);
    if (!v)
      return std::nullopt;
    if (auto c = sim::parse_volume_class(*v))
      return c;
    std::string list;
    for (sim::VolumeClass c : sim::all_volume_classes())
      list += (list.empty() ? "" : ", ") + std::string(sim::to_string(c));
    error(n, "wrong-value", what + " '" + *v + "' is not one of: " + list);
    return std::nullopt;
  }

  // volumes: names, or mappings {name, class, trusted, allowed_filters}
  // (docs/scenario-format.md#volumes).
  void volumes(const YAML::Node &n, sim::Scenario &sc) {
    if (n.IsScalar() || n.IsNull()) {
      sc.volumes = string_list(n, "volumes");
      return;
    }
    if (!n.IsSequence()) {
      error(n, "wrong-type", "volumes must be a list of volume names or volume mappings");
      return;
    }
    for (const YAML::Node &item : n) {
      visit(item);
      if (item.IsScalar()) {
        if (auto s = nonempty(item, "each entry of volumes"))
          sc.volumes.push_back(*s);
        continue;
      }
      if (!check_map(item, {"name", "class", "trusted", "allowed_filters"}, "a volume"))
        continue;
      auto name_node = item["name"];
      if (!name_node) {
        error(item, "missing-key", "a volume needs 'name' (e.g. 'D:' or '\\Device\\Mup')");
        continue;
      }
      auto name = nonempty(name_node, "volume name");
      if (!name)
        continue;
      sim::VolumeSpec spec;
      spec.location = loc(item);
      if (auto c = item["class"]; c)
        if (auto v = volume_class(c, "class of volume '" + *name + "'"))
          spec.volume_class = *v;
      if (auto t = item["trusted"]; t)
        if (auto v = boolean(t, "trusted of volume '" + *name + "'"))
          spec.trusted = *v;
      if (auto a = item["allowed_filters"]; a && !a.IsNull())
        spec.allowed_filters = string_list(a, "allowed_filters of volume '" + *name + "'");
      if (spec.volume_class != sim::VolumeClass::dev_drive &&
          (item["trusted"] || item["allowed_filters"]))
        error(item, "wrong-value",
              "volume '" + *name +
                  "': 'trusted' and 'allowed_filters' apply to Dev Drives "
                  "only (class: dev-drive)");
      if (sc.volume_specs.count(*name) != 0 ||
          std::find(sc.volumes.begin(), sc.volumes.end(), *name) != sc.volumes.end()) {
        error(name_node, "duplicate-key", "volume '" + *name + "' is listed twice");
        continue;
      }
      sc.volumes.push_back(*name);
      sc.volume_specs.emplace(*name, std::move(spec));
    }
  }

  // policies: the machine's attach policies (docs/scenario-format.md#policies).
  void policies(const YAML::Node &n, sim::Scenario &sc) {
    if (!check_map(
            n, {"block_legacy_filters", "dev_drive_allow_antivirus", "dev_drive_allowed_filters"},
            "policies"))
      return;
    sc.policy.location = loc(n);
    if (auto v = n["block_legacy_filters"]; v)
      if (auto b = boolean(v, "policies.block_legacy_filters"))
        sc.policy.block_legacy_filters = *b;
    if (auto v = n["dev_drive_allow_antivirus"]; v)
      if (auto b = boolean(v, "policies.dev_drive_allow_antivirus"))
        sc.policy.dev_drive_allow_antivirus = *b;
    if (auto v = n["dev_drive_allowed_filters"]; v && !v.IsNull())
      sc.policy.dev_drive_allowed_filters = string_list(v, "policies.dev_drive_allowed_filters");
  }

  std::optional<sim::Driver> driver(const YAML::Node &n) {
    // Counted before the keys are checked: a driver with an unknown or duplicate key is not
    // returned either (a typo such as 'gruop' must not leave a driver without its group in
    // `fltsim check`'s stack; fuzz_scenario_yaml found per-driver manifests doing that).
    const std::size_t errors_before = diags.size();
    if (!check_map(n,
                   {"name", "kind", "group", "start", "tag", "depends_on", "altitude", "instances",
                    "default_instance", "supports_dax", "supports_named_pipes", "skip_volumes"},
                   "a driver"))
      return std::nullopt;
    sim::Driver d;
    d.location = loc(n);
    if (auto s = n["name"]; s) {
      if (auto v = nonempty(s, "name"))
        d.name = *v;
    } else {
      error(n, "missing-key", "a driver needs 'name' (its service name)");
    }
    const std::string who = d.name.empty() ? std::string("driver") : "driver '" + d.name + "'";
    if (auto s = n["kind"]; s) {
      if (auto v = scalar(s, "kind")) {
        if (auto k = sim::parse_driver_kind(*v))
          d.kind = *k;
        else
          error(s, "wrong-value",
                "kind '" + *v + "' of " + who + " is not one of: minifilter, legacy, both");
      }
    }
    if (auto s = n["group"]; s && !s.IsNull()) {
      if (auto v = scalar(s, "group"); v && !v->empty())
        d.group = *v;
    }
    if (auto s = n["start"]; s) {
      if (auto v = scalar(s, "start")) {
        if (auto st = sim::parse_start_type(*v))
          d.start = *st;
        else
          error(s, "wrong-value",
                "start '" + *v + "' of " + who +
                    " is not one of: boot, system, auto, demand, disabled, 0-4");
      }
    } else {
      error(n, "missing-key",
            who + " needs 'start' (boot, system, auto, demand or disabled; rules L1)");
    }
    if (auto s = n["tag"]; s && !s.IsNull()) {
      if (auto v = uint_value(s, "tag", 0xFFFFFFFFull))
        d.tag = static_cast<std::uint32_t>(*v);
    }
    if (auto s = n["depends_on"]; s && !s.IsNull())
      d.depends_on = string_list(s, "depends_on");
    if (auto s = n["supports_dax"]; s)
      if (auto b = boolean(s, "supports_dax of " + who))
        d.supports_dax = *b;
    if (auto s = n["supports_named_pipes"]; s)
      if (auto b = boolean(s, "supports_named_pipes of " + who))
        d.supports_named_pipes = *b;
    if (auto s = n["skip_volumes"]; s && !s.IsNull()) {
      const YAML::Node list = s;
      if (list.IsScalar()) {
        if (auto c = volume_class(list, "skip_volumes of " + who))
          d.skip_volume_classes.push_back(*c);
      } else if (!list.IsSequence()) {
        error(list, "wrong-type", "skip_volumes of " + who + " must be a list of volume classes");
      } else {
        for (const YAML::Node &c : list) {
          visit(c);
          if (auto v = volume_class(c, "each entry of skip_volumes of " + who))
            d.skip_volume_classes.push_back(*v);
        }
      }
    }

    std::optional<sim::Altitude> alt;
    YAML::Node alt_node = n["altitude"];
    if (alt_node && !alt_node.IsNull())
      alt = altitude(alt_node, "altitude of " + who);
    YAML::Node inst_node = n["instances"];
    if (inst_node && !inst_node.IsNull()) {
      if (!inst_node.IsSequence()) {
        error(inst_node, "wrong-type", "instances of " + who + " must be a list");
      } else if (inst_node.size() > limits_.max_instances_per_driver) {
        error(inst_node, "limit",
              who + " has " + std::to_string(inst_node.size()) + " instances; the limit is " +
                  std::to_string(limits_.max_instances_per_driver));
      } else {
        for (const YAML::Node &in : inst_node) {
          visit(in);
          if (total_instances_ >= limits_.max_total_instances) {
            error(in, "limit",
                  "the scenario has more than " + std::to_string(limits_.max_total_instances) +
                      " instances in all");
            throw StopReading{};
          }
          if (!check_map(in, {"name", "altitude", "flags", "attach"}, "an instance"))
            continue;
          sim::Instance inst{{}, sim::Altitude::from_literal("0"), 0, {}, loc(in)};
          bool ok = true;
          if (auto s = in["name"]; s) {
            if (auto v = nonempty(s, "instance name"))
              inst.name = *v;
            else
              ok = false;
          } else {
            error(in, "missing-key", "an instance of " + who + " needs 'name'");
            ok = false;
          }
          if (auto s = in["altitude"]; s) {
            if (auto a = altitude(s, "altitude of instance '" + inst.name + "'"))
              inst.altitude = *a;
            else
              ok = false;
          } else {
            error(in, "missing-key",
                  "instance '" + inst.name + "' of " + who + " needs 'altitude'");
            ok = false;
          }
          if (auto s = in["flags"]; s && !s.IsNull()) {
            if (auto v = uint_value(s, "flags", 0xFFFFFFFFull))
              inst.flags = static_cast<std::uint32_t>(*v);
          }
          if (auto s = in["attach"]; s && !s.IsNull())
            inst.attach = string_list(s, "attach");
          total_instances_++;
          if (ok)
            d.instances.push_back(std::move(inst));
        }
      }
    }
    YAML::Node def_node = n["default_instance"];
    if (def_node && !def_node.IsNull()) {
      if (auto v = nonempty(def_node, "default_instance"))
        d.default_instance = *v;
    }

    if (d.kind == sim::DriverKind::legacy) {
      // A legacy filter's altitude comes from its group (docs/model.md#legacy-altitudes); stating
      // one would be misleading.
      if (alt_node && !alt_node.IsNull())
        error(alt_node, "legacy-altitude",
              who + " is a legacy filter: its altitude comes from its load order group "
                    "(docs/model.md#legacy-altitudes), so 'altitude' must not be given");
      if (inst_node && !inst_node.IsNull())
        error(inst_node, "legacy-instances",
              who + " is a legacy filter: legacy filters have no minifilter instances");
      if (def_node && !def_node.IsNull())
        error(def_node, "legacy-instances",
              who + " is a legacy filter: legacy filters have no default instance");
    } else if (d.instances.empty() && (!inst_node || inst_node.IsNull())) {
      if (alt) {
        detail::add_default_instance(d, *alt, loc(alt_node));
      } else if (!alt_node || alt_node.IsNull()) {
        error(n, "missing-key",
              who + " is a minifilter and needs 'altitude' (its default-instance altitude) "
                    "or 'instances'");
      }
    } else if (!d.instances.empty() && !d.default_instance) {
      detail::pick_default_instance(d, alt);
    }
    if (alt && !d.instances.empty() && d.kind != sim::DriverKind::legacy) {
      if (const sim::Instance *def = d.find_default_instance(); def && !(def->altitude == *alt))
        error(alt_node, "altitude-mismatch",
              "altitude " + alt->text() + " of " + who + " differs from its default instance '" +
                  def->name + "' at " + def->altitude.text() + "; give one or make them agree");
    }
    if (diags.size() != errors_before)
      return std::nullopt;
    return d;
  }

  std::optional<sim::Event> event(const YAML::Node &n) {
    if (!n.IsMap() || n.size() != 1) {
      error(n, "wrong-type", "an event is a one-key mapping: '- load: NAME' or '- unload: NAME'");
      return std::nullopt;
    }
    auto it = n.begin();
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
    sim::Event ev;
    ev.location = loc(n);
    if (key == "load")
      ev.kind = sim::Event::Kind::load;
    else if (key == "unload")
      ev.kind = sim::Event::Kind::unload;
    else {
      error(it->first, "unknown-key", "unknown event '" + key + "'; expected load or unload");
      return std::nullopt;
    }
    auto name = nonempty(it->second, key + " event's driver name");
    if (!name)
      return std::nullopt;
    ev.driver = *name;
    return ev;
  }

  Expectation expectation(const YAML::Node &n) {
    Expectation e;
    e.location = loc(n);
    if (!check_map(n,
                   {"frames", "stack", "load_order", "findings", "input_errors", "steps",
                    "order_dependent", "volumes"},
                   "expect"))
      return e;
    if (auto f = n["frames"]; f) {
      e.frames.emplace();
      if (!f.IsSequence())
        error(f, "wrong-type", "expect.frames must be a list");
      else
        for (const YAML::Node &fr : f) {
          visit(fr);
          if (!check_map(fr, {"id", "low", "high", "filters"}, "an expected frame"))
            continue;
          ExpectedFrame ef;
          if (auto v = fr["id"]; v)
            if (auto id = uint_value(v, "frame id", 1u << 30))
              ef.id = static_cast<int>(*id);
          if (auto v = fr["low"]; v)
            ef.low = scalar(v, "low").value_or("");
          if (auto v = fr["high"]; v)
            ef.high = scalar(v, "high").value_or("");
          if (auto v = fr["filters"]; v)
            ef.filters = string_list(v, "filters");
          e.frames->push_back(std::move(ef));
        }
    }
    if (auto s = n["stack"]; s)
      e.stack = string_list(s, "expect.stack");
    if (auto s = n["load_order"]; s)
      e.load_order = string_list(s, "expect.load_order");
    if (auto s = n["input_errors"]; s)
      e.input_errors = string_list(s, "expect.input_errors");
    if (auto s = n["order_dependent"]; s) {
      auto v = scalar(s, "expect.order_dependent");
      if (v && (*v == "true" || *v == "false"))
        e.order_dependent = *v == "true";
      else
        error(s, "wrong-type", "expect.order_dependent must be true or false");
    }
    if (auto s = n["findings"]; s) {
      e.findings.emplace();
      if (!s.IsSequence())
        error(s, "wrong-type", "expect.findings must be a list");
      else
        for (const YAML::Node &f : s) {
          visit(f);
          if (f.IsScalar()) {
            e.findings->push_back({f.Scalar(), {}});
          } else if (check_map(f, {"code", "drivers"}, "an expected finding")) {
            ExpectedFinding ef;
            if (auto c = f["code"]; c)
              ef.code = scalar(c, "code").value_or("");
            if (auto dv = f["drivers"]; dv)
              ef.drivers = string_list(dv, "drivers");
            e.findings->push_back(std::move(ef));
          }
        }
    }
    if (auto s = n["volumes"]; s) {
      e.volumes.emplace();
      if (!s.IsSequence())
        error(s, "wrong-type", "expect.volumes must be a list");
      else
        for (const YAML::Node &v : s) {
          visit(v);
          if (!check_map(v, {"volume", "stack", "filters", "skipped"}, "an expected volume"))
            continue;
          ExpectedVolume ev;
          ev.location = loc(v);
          if (auto a = v["volume"]; a)
            ev.volume = scalar(a, "volume").value_or("");
          else
            error(v, "missing-key", "an expected volume needs 'volume' (its name)");
          if (auto a = v["stack"]; a)
            ev.stack = string_list(a, "stack");
          if (auto a = v["filters"]; a)
            ev.filters = string_list(a, "filters");
          if (auto a = v["skipped"]; a)
            ev.skipped = string_list(a, "skipped");
          e.volumes->push_back(std::move(ev));
        }
    }
    if (auto s = n["steps"]; s) {
      if (!s.IsSequence())
        error(s, "wrong-type", "expect.steps must be a list");
      else
        for (const YAML::Node &st : s) {
          visit(st);
          if (!check_map(st, {"after", "frames"}, "an expected step"))
            continue;
          ExpectedStep es;
          es.location = loc(st);
          if (auto a = st["after"]; a)
            es.after = scalar(a, "after").value_or("");
          if (auto fr = st["frames"]; fr)
            es.frames = string_list(fr, "frames");
          e.steps.push_back(std::move(es));
        }
    }
    return e;
  }

  ScenarioLoad scenario(const YAML::Node &root, const IncludeLoader &include) {
    ScenarioLoad out;
    if (!root.IsMap()) {
      error(root, "wrong-type",
            "a scenario is a mapping with 'scenario', 'drivers' and optional 'events'");
      out.diagnostics = std::move(diags);
      return out;
    }
    check_map(root,
              {"scenario", "service_group_order", "group_order_list", "drivers", "include",
               "events", "volumes", "policies", "expect", "baseline"},
              "the scenario");
    sim::Scenario sc;
    if (auto t = root["scenario"]; t)
      sc.title = scalar(t, "scenario (the title)").value_or("");
    if (auto g = root["service_group_order"]; g)
      sc.service_group_order = string_list(g, "service_group_order");
    if (auto g = root["group_order_list"]; g) {
      if (!g.IsMap())
        error(g, "wrong-type", "group_order_list maps a group name to its tags in order");
      else
        for (auto it = g.begin(); it != g.end(); ++it) {
          visit(it->first);
          const std::string group = it->first.IsScalar() ? it->first.Scalar() : std::string();
          std::vector<std::uint32_t> tags;
          // A copy: `it->second` lives in a temporary proxy that a range-for would outlive.
          const YAML::Node tag_list = it->second;
          if (!tag_list.IsSequence()) {
            error(tag_list, "wrong-type", "tags of group '" + group + "' must be a list");
            continue;
          }
          for (const YAML::Node &t : tag_list) {
            visit(t);
            if (auto v = uint_value(t, "a tag", 0xFFFFFFFFull))
              tags.push_back(static_cast<std::uint32_t>(*v));
          }
          if (!sc.group_order_list.emplace(group, std::move(tags)).second)
            error(it->first, "duplicate-key", "group '" + group + "' appears twice");
        }
    }
    if (auto v = root["volumes"]; v)
      volumes(v, sc);
    if (auto p = root["policies"]; p && !p.IsNull())
      policies(p, sc);
    if (auto ds = root["drivers"]; ds && !ds.IsNull()) {
      if (!ds.IsSequence()) {
        error(ds, "wrong-type", "drivers must be a list of driver mappings");
      } else if (ds.size() > limits_.max_drivers) {
        error(ds, "limit",
              "the scenario has " + std::to_string(ds.size()) + " drivers; the limit is " +
                  std::to_string(limits_.max_drivers));
      } else {
        for (const YAML::Node &dn : ds) {
          visit(dn);
          if (auto d = driver(dn))
            sc.drivers.push_back(std::move(*d));
        }
      }
    }
    if (auto inc = root["include"]; inc && !inc.IsNull()) {
      std::vector<std::pair<std::string, YAML::Node>> items;
      if (inc.IsScalar()) {
        if (auto s = nonempty(inc, "include"))
          items.emplace_back(*s, inc);
      } else if (inc.IsSequence()) {
        for (const YAML::Node &p : inc) {
          visit(p);
          if (auto s = nonempty(p, "each entry of include"))
            items.emplace_back(*s, p);
        }
      } else {
        error(inc, "wrong-type", "include must be a list of manifest file paths");
      }
      if (!include && !items.empty())
        error(inc, "include", "include: is not available for this input (no file to resolve from)");
      else
        for (const auto &[path, node] : items) {
          IncludeResult r = include(path, loc(node));
          for (auto &d : r.diagnostics)
            diags.push_back(std::move(d));
          for (auto &d : r.drivers)
            sc.drivers.push_back(std::move(d));
          // An included file's notes (kind-evidence: a file system left out, ambiguous
          // evidence) reach the user as they would for the file named alone.
          for (auto &n : r.notes)
            out.notes.push_back(std::move(n));
        }
    }
    if (auto b = root["baseline"]; b && !b.IsNull())
      apply_baseline(b, sc, out);
    if (sc.drivers.size() > limits_.max_drivers)
      error(root, "limit",
            "the scenario has more than " + std::to_string(limits_.max_drivers) +
                " drivers with its includes");
    if (auto ev = root["events"]; ev && !ev.IsNull()) {
      if (!ev.IsSequence())
        error(ev, "wrong-type", "events must be a list of '- load: NAME' / '- unload: NAME'");
      else if (ev.size() > limits_.max_events)
        error(ev, "limit",
              "the scenario has more than " + std::to_string(limits_.max_events) + " events");
      else
        for (const YAML::Node &en : ev) {
          visit(en);
          if (auto e = event(en))
            sc.events.push_back(std::move(*e));
        }
    }
    if (auto ex = root["expect"]; ex)
      out.expect = expectation(ex);
    out.diagnostics = std::move(diags);
    if (out.diagnostics.empty())
      out.scenario = std::move(sc);
    return out;
  }

  // `baseline:` (docs/scenario-format.md, "Baselines"): the drivers of one Windows build and
  // any overlays come first; a scenario driver of the same name replaces the baseline's.
  void apply_baseline(const YAML::Node &node, sim::Scenario &sc, ScenarioLoad &out) {
    const std::vector<std::string> ids = string_list(node, "baseline");
    if (!baseline_) {
      error(node, "unknown-baseline",
            "baseline: is not available for this input (no baseline resolver)");
      return;
    }
    BaselineResolution resolved = baseline_(ids, sc);
    if (!resolved.scenario) {
      error(node, "unknown-baseline", resolved.error);
      return;
    }
    out.baselines = ids;
    out.without_baselines = sc;
    sc = std::move(*resolved.scenario);
  }

  BaselineResolver baseline_; ///< resolves `baseline:`; null = not available

private:
  std::string source_;
  Limits limits_;
  std::size_t budget_;
  std::size_t visited_ = 0;
  std::size_t total_instances_ = 0;
};

// A cheap pass over the text before yaml-cpp sees it (Limits, docs/reliability.md):
//  * Flow collections nest without indentation and yaml-cpp recurses on them: absurd nesting is
//    refused so crafted input cannot exhaust the stack. Block nesting is bounded by indentation.
//  * The number of YAML entries is estimated from the indicators that introduce them (line
//    starts, ',', '[', '{', and '-', '?', ':' before a blank): yaml-cpp needs about 0.5 KB per
//    node, so a 60 MB list of one-letter items would otherwise take 8 GB before any other check.
//  * A quoted scalar still open at the end of the text is a truncated file. yaml-cpp 0.7 accepts
//    it when a line break follows the quote, folding the rest of the file into the value.
// Quotes count only where a scalar starts (line start, after an indicator, an anchor or a tag),
// so apostrophes inside plain scalars are text; block scalars (| and >) are skipped.
std::optional<Diagnostic> check_nesting(std::string_view text, const std::string &source,
                                        const Limits &limits) {
  const std::size_t max_depth = limits.max_nesting;
  const std::size_t max_indent = max_depth * 8;
  auto limit = [&](int line, int col, std::string msg) {
    return Diagnostic{{source, line, col}, "limit", std::move(msg)};
  };
  std::size_t depth = 0, entries = 0, indent = 0;
  int line = 1, col = 0, quote_line = 0, quote_col = 0;
  bool in_comment = false, at_line_start = true, scalar_start = true;
  char quote = 0;
  std::optional<std::size_t> block_indent; // inside a block scalar of a line indented this much
  std::size_t line_indent = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    ++col;
    if (c == '\n') {
      ++line;
      col = 0;
      in_comment = false;
      at_line_start = true;
      indent = 0;
      if (!quote)
        scalar_start = true;
      continue;
    }
    if (at_line_start && !quote) {
      if (c == ' ') {
        if (++indent > max_indent)
          return limit(line, col,
                       "indentation deeper than " + std::to_string(max_indent) +
                           " columns; nesting is limited to " + std::to_string(max_depth) +
                           " levels");
        continue;
      }
      if (c == '\r' || c == '\t')
        continue;
      at_line_start = false;
      line_indent = indent;
      if (block_indent && line_indent > *block_indent) {
        in_comment = true; // block scalar content: skip the line
        continue;
      }
      block_indent.reset();
      if (++entries > limits.max_yaml_entries)
        break;
    }
    if (in_comment)
      continue;
    if (quote == '"') {
      if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n')
        ++i, ++col; // an escaped character (an escaped line break is left to the line count)
      else if (c == '"')
        quote = 0;
      continue;
    }
    if (quote == '\'') {
      if (c == '\'' && i + 1 < text.size() && text[i + 1] == '\'')
        ++i, ++col; // '' is a quote inside the string
      else if (c == '\'')
        quote = 0;
      continue;
    }
    const char prev = i > 0 ? text[i - 1] : '\n';
    const char next = i + 1 < text.size() ? text[i + 1] : '\n';
    const bool blank_next = next == ' ' || next == '\t' || next == '\n' || next == '\r';
    if (c == ' ' || c == '\t' || c == '\r')
      continue;
    if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n')) {
      in_comment = true;
      continue;
    }
    if (c == ',' || c == '[' || c == '{' || ((c == '-' || c == '?' || c == ':') && blank_next)) {
      if (++entries > limits.max_yaml_entries)
        break;
      scalar_start = true;
      if (c == '[' || c == '{') {
        if (++depth > max_depth)
          return limit(line, col,
                       "collections nest more than " + std::to_string(max_depth) + " levels deep");
      }
      continue;
    }
    if ((c == ']' || c == '}') && depth > 0) {
      --depth;
      continue;
    }
    if (scalar_start && (c == '"' || c == '\'')) {
      quote = c;
      quote_line = line;
      quote_col = col;
      continue;
    }
    if (scalar_start && (c == '|' || c == '>')) {
      block_indent = line_indent;
      in_comment = true; // the rest of the header line holds indicators or a comment
      continue;
    }
    if (scalar_start && (c == '&' || c == '!')) { // anchor or tag: a scalar may still follow
      while (i + 1 < text.size() && text[i + 1] != ' ' && text[i + 1] != '\n')
        ++i, ++col;
      continue;
    }
    scalar_start = false;
  }
  if (entries > limits.max_yaml_entries)
    return limit(line, col,
                 "the document has more than " + std::to_string(limits.max_yaml_entries) +
                     " YAML entries (list items, keys and values), the limit");
  if (quote)
    return Diagnostic{{source, quote_line, quote_col},
                      "yaml-syntax",
                      std::string("the quoted string that starts here is not closed before the "
                                  "end of the file (truncated file?)")};
  return std::nullopt;
}

template <class Fn>
auto with_yaml(std::string_view text, const std::string &source, const Limits &limits,
               std::vector<Diagnostic> &diags, Fn &&fn) {
  if (auto d = check_nesting(text, source, limits)) {
    diags.push_back(*d);
    return false;
  }
  try {
    YAML::Node root = YAML::Load(std::string(text));
    fn(root);
    return true;
  } catch (const YAML::DeepRecursion &e) {
    // Block collections can nest on one line ("- - - x"), which check_nesting does not count.
    diags.push_back(
        {{source, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1},
         "limit",
         "collections nest more than " + std::to_string(e.depth()) + " levels deep"});
    return false;
  } catch (const YAML::Exception &e) {
    diags.push_back(
        {{source, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1},
         "yaml-syntax",
         "YAML: " + e.msg});
    return false;
  }
}

} // namespace

ScenarioLoad parse_scenario_yaml(std::string_view text, const std::string &source_name,
                                 const IncludeLoader &include, const Limits &limits,
                                 const BaselineResolver &baseline) {
  ScenarioLoad out;
  with_yaml(text, source_name, limits, out.diagnostics, [&](const YAML::Node &root) {
    Reader r(source_name, limits, text.size());
    r.baseline_ = baseline;
    try {
      out = r.scenario(root, include);
    } catch (const StopReading &) {
      out.diagnostics = std::move(r.diags);
    }
  });
  return out;
}

namespace detail {

sim::SourceLocation yaml_location(const YAML::Node &n, const std::string &source) {
  const YAML::Mark m = n.Mark();
  if (m.is_null())
    return {source, 0, 0};
  return {source, m.line + 1, m.column + 1};
}

bool check_map(const YAML::Node &map, std::initializer_list<std::string_view> allowed,
               const std::string &what, const YamlError &error,
               const std::function<void(const YAML::Node &)> &visit) {
  if (!map.IsMap()) {
    error(map, "wrong-type", what + " must be a mapping");
    return false;
  }
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (visit)
      visit(it->first);
    if (!it->first.IsScalar()) {
      error(it->first, "wrong-type", "keys of " + what + " must be plain names");
      continue;
    }
    const std::string key = it->first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed)
        list += (list.empty() ? "" : ", ") + std::string(a);
      error(it->first, "unknown-key",
            "unknown key '" + key + "' in " + what + "; expected one of: " + list);
    } else if (!seen.insert(key).second) {
      error(it->first, "duplicate-key", "key '" + key + "' appears twice in " + what);
    }
  }
  return true;
}

void add_default_instance(sim::Driver &d, const sim::Altitude &altitude,
                          const sim::SourceLocation &at) {
  d.instances.push_back({d.name + " Instance", altitude, 0, {}, at});
  if (!d.default_instance)
    d.default_instance = d.instances.back().name;
}

void pick_default_instance(sim::Driver &d, const std::optional<sim::Altitude> &altitude) {
  const sim::Instance *pick = &d.instances.front();
  if (altitude)
    for (const sim::Instance &i : d.instances)
      if (i.altitude == *altitude) {
        pick = &i;
        break;
      }
  d.default_instance = pick->name;
}

std::optional<sim::Driver> read_driver_node(const YAML::Node &n, const std::string &source,
                                            std::vector<sim::Diagnostic> &diags) {
  Reader r(source, Limits{}, 1u << 20);
  std::optional<sim::Driver> d;
  try {
    d = r.driver(n);
  } catch (const StopReading &) {
    d.reset();
  }
  for (Diagnostic &x : r.diags)
    diags.push_back(std::move(x));
  return d;
}

} // namespace detail

IncludeResult parse_driver_yaml(std::string_view text, const std::string &source_name,
                                const Limits &limits) {
  IncludeResult out;
  with_yaml(text, source_name, limits, out.diagnostics, [&](const YAML::Node &root) {
    Reader r(source_name, limits, text.size());
    try {
      if (auto d = r.driver(root))
        out.drivers.push_back(std::move(*d));
    } catch (const StopReading &) {
      out.drivers.clear();
    }
    out.diagnostics = std::move(r.diags);
  });
  return out;
}

namespace {

// yaml-cpp's emitter writes a string holding a carriage return or another control character as a
// plain scalar, raw; a "\r" before the line break then reads back as part of a CRLF, and the
// title changes on every write (fuzz_scenario_yaml's writer round trip found it, see
// docs/reliability.md). Such strings, and strings with blanks at either end, are written
// double-quoted, where yaml-cpp escapes them ("\r", "\x01").
bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

bool needs_double_quotes(const std::string &s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  return std::any_of(s.begin(), s.end(), is_control) ||
         (!s.empty() && (blank(s.front()) || blank(s.back())));
}

void put_string(YAML::Emitter &y, const std::string &s) {
  if (needs_double_quotes(s))
    y << YAML::DoubleQuoted;
  y << s;
}

// The comment is made of '#' lines; a control character in it (a file name can hold one) would
// end or corrupt the comment, so it becomes '?'.
std::string comment_safe(std::string s) {
  for (char &c : s)
    if (c != '\n' && is_control(c))
      c = '?';
  return s;
}

} // namespace

std::string write_scenario_yaml(const sim::Scenario &sc, const std::string &raw_comment) {
  YAML::Emitter y;
  y << YAML::BeginMap;
  y << YAML::Key << "scenario" << YAML::Value;
  put_string(y, sc.title);
  if (sc.service_group_order) {
    y << YAML::Key << "service_group_order" << YAML::Value << YAML::BeginSeq;
    for (const auto &g : *sc.service_group_order)
      put_string(y, g);
    y << YAML::EndSeq;
  }
  if (!sc.group_order_list.empty()) {
    y << YAML::Key << "group_order_list" << YAML::Value << YAML::BeginMap;
    for (const auto &[g, tags] : sc.group_order_list) {
      y << YAML::Key;
      put_string(y, g);
      y << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (auto t : tags)
        y << t;
      y << YAML::EndSeq;
    }
    y << YAML::EndMap;
  }
  if (!sc.volumes.empty() && sc.volume_specs.empty()) {
    y << YAML::Key << "volumes" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto &v : sc.volumes)
      put_string(y, v);
    y << YAML::EndSeq;
  } else if (!sc.volumes.empty()) {
    y << YAML::Key << "volumes" << YAML::Value << YAML::BeginSeq;
    for (const auto &v : sc.volumes) {
      auto it = sc.volume_specs.find(v);
      if (it == sc.volume_specs.end()) {
        put_string(y, v);
        continue;
      }
      const sim::VolumeSpec &spec = it->second;
      y << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value;
      put_string(y, v);
      y << YAML::Key << "class" << YAML::Value << sim::to_string(spec.volume_class);
      if (spec.volume_class == sim::VolumeClass::dev_drive) {
        if (!spec.trusted)
          y << YAML::Key << "trusted" << YAML::Value << false;
        if (!spec.allowed_filters.empty()) {
          y << YAML::Key << "allowed_filters" << YAML::Value << YAML::Flow << YAML::BeginSeq;
          for (const auto &f : spec.allowed_filters)
            put_string(y, f);
          y << YAML::EndSeq;
        }
      }
      y << YAML::EndMap;
    }
    y << YAML::EndSeq;
  }
  const sim::MachinePolicy &pol = sc.policy;
  if (pol.block_legacy_filters || !pol.dev_drive_allow_antivirus ||
      !pol.dev_drive_allowed_filters.empty()) {
    y << YAML::Key << "policies" << YAML::Value << YAML::BeginMap;
    if (pol.block_legacy_filters)
      y << YAML::Key << "block_legacy_filters" << YAML::Value << true;
    if (!pol.dev_drive_allow_antivirus)
      y << YAML::Key << "dev_drive_allow_antivirus" << YAML::Value << false;
    if (!pol.dev_drive_allowed_filters.empty()) {
      y << YAML::Key << "dev_drive_allowed_filters" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (const auto &f : pol.dev_drive_allowed_filters)
        put_string(y, f);
      y << YAML::EndSeq;
    }
    y << YAML::EndMap;
  }
  y << YAML::Key << "drivers" << YAML::Value << YAML::BeginSeq;
  for (const sim::Driver &d : sc.drivers) {
    y << YAML::BeginMap;
    y << YAML::Key << "name" << YAML::Value;
    put_string(y, d.name);
    y << YAML::Key << "kind" << YAML::Value << sim::to_string(d.kind);
    if (d.group) {
      y << YAML::Key << "group" << YAML::Value;
      put_string(y, *d.group);
    }
    y << YAML::Key << "start" << YAML::Value << sim::to_string(d.start);
    if (d.tag)
      y << YAML::Key << "tag" << YAML::Value << *d.tag;
    if (!d.depends_on.empty()) {
      y << YAML::Key << "depends_on" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (const auto &s : d.depends_on)
        put_string(y, s);
      y << YAML::EndSeq;
    }
    if (d.supports_dax)
      y << YAML::Key << "supports_dax" << YAML::Value << true;
    if (d.supports_named_pipes)
      y << YAML::Key << "supports_named_pipes" << YAML::Value << true;
    if (!d.skip_volume_classes.empty()) {
      y << YAML::Key << "skip_volumes" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (sim::VolumeClass c : d.skip_volume_classes)
        y << sim::to_string(c);
      y << YAML::EndSeq;
    }
    const sim::Instance *def = d.find_default_instance();
    const bool simple = d.instances.size() == 1 && def && def->flags == 0 && def->attach.empty() &&
                        def->name == d.name + " Instance";
    if (simple) {
      y << YAML::Key << "altitude" << YAML::Value << def->altitude.text();
    } else if (!d.instances.empty()) {
      y << YAML::Key << "instances" << YAML::Value << YAML::BeginSeq;
      for (const sim::Instance &i : d.instances) {
        y << YAML::Flow << YAML::BeginMap;
        y << YAML::Key << "name" << YAML::Value;
        put_string(y, i.name);
        y << YAML::Key << "altitude" << YAML::Value << i.altitude.text();
        if (i.flags != 0)
          y << YAML::Key << "flags" << YAML::Value << i.flags;
        if (!i.attach.empty()) {
          y << YAML::Key << "attach" << YAML::Value << YAML::Flow << YAML::BeginSeq;
          for (const auto &v : i.attach)
            put_string(y, v);
          y << YAML::EndSeq;
        }
        y << YAML::EndMap;
      }
      y << YAML::EndSeq;
      if (d.default_instance) {
        y << YAML::Key << "default_instance" << YAML::Value;
        put_string(y, *d.default_instance);
      }
    }
    y << YAML::EndMap;
  }
  y << YAML::EndSeq;
  if (!sc.events.empty()) {
    y << YAML::Key << "events" << YAML::Value << YAML::BeginSeq;
    for (const sim::Event &e : sc.events) {
      y << YAML::Flow << YAML::BeginMap;
      y << YAML::Key << (e.kind == sim::Event::Kind::load ? "load" : "unload") << YAML::Value;
      put_string(y, e.driver);
      y << YAML::EndMap;
    }
    y << YAML::EndSeq;
  }
  y << YAML::EndMap;
  std::string out;
  if (!raw_comment.empty()) {
    const std::string comment = comment_safe(raw_comment);
    std::size_t start = 0;
    while (start <= comment.size()) {
      const std::size_t nl = comment.find('\n', start);
      out += "# " +
             comment.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + "\n";
      if (nl == std::string::npos)
        break;
      start = nl + 1;
    }
  }
  out += y.c_str();
  out += "\n";
  return out;
}

} // namespace fltsim::manifest
