// Windows baselines: see fltsim/manifest/baselines.hpp and docs/baselines.md. The metadata is read
// here; every `drivers:` entry goes through the scenario reader (yaml_driver.hpp), so a baseline
// driver obeys exactly the rules of docs/scenario-format.md.
#include "fltsim/baselines/baselines.hpp"

#include <algorithm>
#include <cstddef>
#include <set>
#include <unordered_map>

#include <yaml-cpp/yaml.h>

#include "fltsim/manifest/yaml_driver.hpp"
#include "fltsim/sim/findings.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::baselines {

namespace detail {
struct EmbeddedBaseline {
  std::string_view id;
  std::string_view text;
};
extern const EmbeddedBaseline kEmbeddedBaselines[]; // generated: baselines/embed_baselines.cmake
extern const std::size_t kEmbeddedBaselineCount;
} // namespace detail

const char *to_string(BaselineKind k) {
  return k == BaselineKind::overlay ? "overlay" : "baseline";
}
const char *to_string(Completeness c) {
  return c == Completeness::complete ? "complete" : "partial";
}

const BaselineSource *Baseline::find_source(std::string_view source_id) const {
  for (const BaselineSource &s : sources)
    if (s.id == source_id)
      return &s;
  return nullptr;
}

namespace {

using sim::Diagnostic;
using sim::SourceLocation;

class MetaReader {
public:
  explicit MetaReader(std::string source) : source_(std::move(source)) {}
  std::vector<Diagnostic> diags;

  SourceLocation loc(const YAML::Node &n) const {
    return manifest::detail::yaml_location(n, source_);
  }
  void error(const YAML::Node &n, std::string code, std::string msg) {
    diags.push_back(sim::make_diagnostic(loc(n), std::move(code), std::move(msg)));
  }

  bool check_map(const YAML::Node &map, std::initializer_list<std::string_view> allowed,
                 const std::string &what) {
    return manifest::detail::check_map(
        map, allowed, what, [this](const YAML::Node &n, std::string code, std::string msg) {
          error(n, std::move(code), std::move(msg));
        });
  }

  std::string text(const YAML::Node &n, const std::string &what, bool required = false) {
    if (!n || n.IsNull()) {
      if (required)
        diags.push_back(
            sim::make_diagnostic({source_, 1, 1}, "missing-key", "needs '" + what + "'"));
      return {};
    }
    if (!n.IsScalar()) {
      error(n, "wrong-type", what + " must be a single value (a scalar)");
      return {};
    }
    return n.Scalar();
  }

  std::vector<std::string> list(const YAML::Node &n, const std::string &what) {
    std::vector<std::string> out;
    if (!n || n.IsNull())
      return out;
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
      return out;
    }
    if (!n.IsSequence()) {
      error(n, "wrong-type", what + " must be a list");
      return out;
    }
    for (const YAML::Node &item : n) {
      if (item.IsScalar())
        out.push_back(item.Scalar());
      else
        error(item, "wrong-type", "each entry of " + what + " must be a single value");
    }
    return out;
  }

  const std::string &source() const { return source_; }

private:
  std::string source_;
};

bool known_field(std::string_view f) {
  static constexpr std::string_view fields[] = {
      "name",          "kind",     "group",     "start",          "tag",
      "depends_on",    "altitude", "instances", "instance_names", "default_instance",
      "service_group", "presence", "purpose",   "image_name"};
  return std::find(std::begin(fields), std::end(fields), f) != std::end(fields);
}

Baseline read_baseline(const YAML::Node &root, const std::string &id, MetaReader &r) {
  Baseline b;
  b.id = id;
  if (!r.check_map(root,
                   {"baseline", "title", "kind", "applies_to", "builds", "builds_sources",
                    "derived_from", "completeness", "completeness_notes", "not_included", "sources",
                    "drivers", "provenance", "inbox_exceptions"},
                   "a baseline"))
    return b;
  if (const std::string v = r.text(root["baseline"], "baseline", true); !v.empty() && v != id)
    r.error(root["baseline"], "wrong-value",
            "baseline '" + v + "' must equal its file name '" + id + "'");
  b.title = r.text(root["title"], "title", true);
  if (const YAML::Node k = root["kind"]; k) {
    const std::string v = r.text(k, "kind");
    if (v == "overlay")
      b.kind = BaselineKind::overlay;
    else if (v != "baseline")
      r.error(k, "wrong-value", "kind '" + v + "' is not one of: baseline, overlay");
  }
  b.overlay_of = r.list(root["applies_to"], "applies_to");
  if (b.kind == BaselineKind::build && !b.overlay_of.empty())
    r.error(root["applies_to"], "wrong-value", "applies_to is for overlays (kind: overlay)");
  b.builds = r.list(root["builds"], "builds");
  if (const std::string v = r.text(root["derived_from"], "derived_from"); !v.empty())
    b.derived_from = v;
  if (const YAML::Node c = root["completeness"]; c) {
    const std::string v = r.text(c, "completeness");
    if (v == "complete")
      b.completeness = Completeness::complete;
    else if (v != "partial")
      r.error(c, "wrong-value", "completeness '" + v + "' is not one of: partial, complete");
  } else {
    r.error(root, "missing-key", "a baseline needs 'completeness' (partial or complete)");
  }
  b.completeness_notes = r.list(root["completeness_notes"], "completeness_notes");

  // Sources, and every use of a source id.
  std::set<std::string> defined, used;
  if (const YAML::Node ss = root["sources"]; ss && ss.IsSequence()) {
    for (const YAML::Node &s : ss) {
      if (!r.check_map(s, {"id", "what", "url_or_citation", "os_build"}, "a source"))
        continue;
      BaselineSource src{r.text(s["id"], "id"), r.text(s["what"], "what"),
                         r.text(s["url_or_citation"], "url_or_citation"),
                         r.text(s["os_build"], "os_build")};
      if (src.id.empty() || src.citation.empty())
        r.error(s, "missing-key", "a source needs 'id' and 'url_or_citation'");
      else if (!defined.insert(src.id).second)
        r.error(s, "duplicate-key", "source id '" + src.id + "' is defined twice");
      b.sources.push_back(std::move(src));
    }
  } else {
    r.error(root, "missing-key", "a baseline needs 'sources' (a list of {id, what, ...})");
  }
  auto use = [&](const YAML::Node &where, const std::vector<std::string> &ids) {
    for (const std::string &s : ids) {
      used.insert(s);
      if (!defined.contains(s))
        r.error(where, "unknown-source", "source '" + s + "' is not defined under 'sources'");
    }
  };
  use(root["builds_sources"], r.list(root["builds_sources"], "builds_sources"));

  if (const YAML::Node ds = root["drivers"]; ds && ds.IsSequence()) {
    for (const YAML::Node &dn : ds)
      if (auto d = manifest::detail::read_driver_node(dn, r.source(), r.diags))
        b.drivers.push_back(std::move(*d));
  } else {
    r.error(root, "missing-key", "a baseline needs 'drivers' (a list of scenario driver entries)");
  }

  bool any_assumed = false;
  const YAML::Node prov = root["provenance"];
  if (prov && prov.IsMap()) {
    for (auto it = prov.begin(); it != prov.end(); ++it) {
      const std::string name = it->first.IsScalar() ? it->first.Scalar() : std::string();
      const YAML::Node p = it->second;
      if (!r.check_map(p, {"sources", "fields", "unknown", "assumed", "notes"},
                       "the provenance of " + name))
        continue;
      DriverProvenance dp{
          name, r.list(p["sources"], "sources"), r.list(p["unknown"], "unknown"), {}};
      use(p["sources"], dp.sources);
      for (const std::string &f : dp.unknown)
        if (!known_field(f))
          r.error(p["unknown"], "wrong-value", "unknown field '" + f + "' in unknown of " + name);
      if (const YAML::Node fs = p["fields"]; fs && fs.IsMap())
        for (auto f = fs.begin(); f != fs.end(); ++f)
          use(f->second, r.list(f->second, "fields"));
      if (const YAML::Node as = p["assumed"]; as && as.IsSequence())
        for (const YAML::Node &a : as) {
          if (!r.check_map(a, {"field", "value", "why"}, "an assumed value"))
            continue;
          dp.assumed_fields.push_back(r.text(a["field"], "field"));
          if (r.text(a["why"], "why").empty())
            r.error(a, "missing-key", "an assumed value of " + name + " needs 'why'");
          any_assumed = true;
        }
      if (std::none_of(b.drivers.begin(), b.drivers.end(),
                       [&](const sim::Driver &d) { return d.name == name; }))
        r.error(it->first, "wrong-value", "provenance for '" + name + "', which is not a driver");
      b.provenance.push_back(std::move(dp));
    }
  } else {
    r.error(root, "missing-key", "a baseline needs 'provenance' (one entry per driver)");
  }
  for (const sim::Driver &d : b.drivers)
    if (std::none_of(b.provenance.begin(), b.provenance.end(),
                     [&](const DriverProvenance &p) { return p.driver == d.name; }))
      r.diags.push_back(
          sim::make_diagnostic(d.location, "missing-provenance",
                               "driver '" + d.name + "' has no entry under 'provenance'"));
  if (any_assumed && b.completeness == Completeness::complete)
    r.error(root["completeness"], "wrong-value",
            "a baseline with assumed values is partial, not complete");

  if (const YAML::Node ex = root["inbox_exceptions"]; ex && !ex.IsNull()) {
    if (!ex.IsSequence()) {
      r.error(ex, "wrong-type", "inbox_exceptions must be a list");
    } else {
      for (const YAML::Node &e : ex) {
        if (!r.check_map(
                e, {"filter", "field", "windows_value", "list_value", "rule", "source", "note"},
                "an inbox exception"))
          continue;
        BaselineInboxException x;
        x.location = r.loc(e);
        x.filter = r.text(e["filter"], "filter");
        x.field = r.text(e["field"], "field");
        x.windows_value = r.text(e["windows_value"], "windows_value");
        x.list_value = r.text(e["list_value"], "list_value");
        x.rule = r.text(e["rule"], "rule");
        x.sources = r.list(e["source"], "source");
        x.note = r.text(e["note"], "note");
        use(e["source"], x.sources);
        if (x.field != "altitude" && x.field != "group" && x.field != "name")
          r.error(e, "wrong-value",
                  "field '" + x.field +
                      "' of an inbox exception is not one of: altitude, "
                      "group, name");
        // Whether `rule` names a rule of check's catalogue is checked where that catalogue is
        // (tests/cli/baselines_cli_test.cpp): the readers sit below fltsim_check.
        if (x.rule.empty())
          r.error(e, "wrong-value", "an inbox exception needs the rule it excuses");
        if (std::none_of(b.drivers.begin(), b.drivers.end(),
                         [&](const sim::Driver &d) { return sim::iequals(d.name, x.filter); }))
          r.error(e, "wrong-value",
                  "inbox exception for '" + x.filter + "', which is not a driver of " + id);
        b.inbox_exceptions.push_back(std::move(x));
      }
    }
  }
  for (const BaselineSource &s : b.sources)
    if (!used.contains(s.id))
      r.diags.push_back(sim::make_diagnostic({r.source(), 0, 0}, "unused-source",
                                             "source '" + s.id + "' is defined but never cited"));
  return b;
}

struct Builtins {
  std::vector<Baseline> baselines;
  std::vector<Diagnostic> errors;
};

const Builtins &builtins() {
  static const Builtins b = [] {
    Builtins out;
    for (std::size_t i = 0; i < detail::kEmbeddedBaselineCount; ++i) {
      const detail::EmbeddedBaseline &e = detail::kEmbeddedBaselines[i];
      const std::string id(e.id);
      BaselineLoad l = parse_baseline_yaml(e.text, id, "data/baselines/" + id + ".yaml");
      if (l.baseline)
        out.baselines.push_back(std::move(*l.baseline));
      for (Diagnostic &d : l.diagnostics)
        out.errors.push_back(std::move(d));
    }
    std::sort(out.baselines.begin(), out.baselines.end(),
              [](const Baseline &a, const Baseline &c) { return a.id < c.id; });
    return out;
  }();
  return b;
}

} // namespace

BaselineLoad parse_baseline_yaml(std::string_view text, const std::string &id,
                                 const std::string &source_name) {
  BaselineLoad out;
  MetaReader r(source_name);
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    Baseline b = read_baseline(root, id, r);
    if (r.diags.empty())
      out.baseline = std::move(b);
  } catch (const YAML::Exception &e) {
    r.diags.push_back(sim::make_diagnostic({source_name, e.mark.is_null() ? 0 : e.mark.line + 1,
                                            e.mark.is_null() ? 0 : e.mark.column + 1},
                                           "yaml-syntax", "YAML: " + e.msg));
  }
  out.diagnostics = std::move(r.diags);
  return out;
}

std::span<const Baseline> builtin_baselines() {
  return builtins().baselines;
}
const std::vector<sim::Diagnostic> &builtin_baseline_errors() {
  return builtins().errors;
}

std::string_view builtin_baseline_text(std::string_view id) {
  for (std::size_t i = 0; i < detail::kEmbeddedBaselineCount; ++i)
    if (detail::kEmbeddedBaselines[i].id == id)
      return detail::kEmbeddedBaselines[i].text;
  return {};
}

const Baseline *find_baseline(std::string_view id) {
  // One file stands for 22H2 and 23H2 (data/baselines/README.md, "Why one file").
  if (sim::iequals(id, "windows-11-22h2") || sim::iequals(id, "windows-11-23h2"))
    id = "windows-11-22h2-23h2";
  for (const Baseline &b : builtin_baselines())
    if (sim::iequals(b.id, id))
      return &b;
  return nullptr;
}

std::string baseline_ids_text() {
  std::string s;
  for (const Baseline &b : builtin_baselines())
    s += (s.empty() ? "" : ", ") + b.id;
  return s;
}

sim::Scenario with_baselines(const sim::Scenario &own, std::span<const Baseline *const> parts) {
  sim::Scenario sc = own;
  sc.drivers.clear();
  for (const Baseline *b : parts) // an overlay's driver replaces the build's
    sim::put_drivers(sc.drivers, b->drivers, sim::SameName::latest_wins);
  // The scenario corrects the baseline for its machine; a second driver of one name stays
  // (duplicate-driver).
  sim::put_drivers(sc.drivers, own.drivers, sim::SameName::replace_once);
  return sc;
}

std::string BaselineSet::label() const {
  std::string s;
  for (const Baseline *b : parts)
    s += (s.empty() ? "" : "+") + b->id;
  return s;
}

BaselineSet resolve_baseline_set(const std::vector<std::string> &ids) {
  BaselineSet set;
  const Baseline *build = nullptr;
  for (const std::string &id : ids) {
    const Baseline *b = find_baseline(id);
    if (!b) {
      set.error =
          "unknown baseline '" + id + "'; the bundled baselines are: " + baseline_ids_text();
      set.parts.clear();
      return set;
    }
    if (b->kind == BaselineKind::build) {
      if (build) {
        set.error = "a scenario describes one machine, so it takes one Windows build; '" +
                    build->id + "' and '" + b->id +
                    "' are both builds (compare builds with "
                    "--baseline, once per build)";
        set.parts.clear();
        return set;
      }
      build = b;
    }
    if (std::find(set.parts.begin(), set.parts.end(), b) == set.parts.end())
      set.parts.push_back(b);
  }
  // The build first, then the overlays in the order given.
  std::stable_partition(set.parts.begin(), set.parts.end(),
                        [](const Baseline *b) { return b->kind == BaselineKind::build; });
  return set;
}

BaselineRuns resolve_baseline_runs(const std::vector<std::string> &ids) {
  BaselineRuns out;
  std::vector<const Baseline *> builds, overlays;
  for (const std::string &id : ids) {
    const Baseline *b = find_baseline(id);
    if (!b) {
      out.error =
          "unknown baseline '" + id + "'; the bundled baselines are: " + baseline_ids_text();
      return out;
    }
    auto &into = b->kind == BaselineKind::build ? builds : overlays;
    if (std::find(into.begin(), into.end(), b) == into.end())
      into.push_back(b);
  }
  if (builds.empty() && !overlays.empty())
    out.runs.push_back({overlays, {}});
  for (const Baseline *b : builds) {
    BaselineSet s;
    s.parts.push_back(b);
    s.parts.insert(s.parts.end(), overlays.begin(), overlays.end());
    out.runs.push_back(std::move(s));
  }
  return out;
}

manifest::BaselineResolver scenario_baseline_resolver() {
  return [](const std::vector<std::string> &ids,
            const sim::Scenario &own) -> manifest::BaselineResolution {
    const BaselineSet set = resolve_baseline_set(ids);
    if (!set.error.empty())
      return {std::nullopt, set.error};
    return {with_baselines(own, set.parts), {}};
  };
}

} // namespace fltsim::baselines
