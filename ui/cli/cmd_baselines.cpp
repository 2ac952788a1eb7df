// `fltsim baselines [ID] [--format text|json] [--scenario]` (docs/baselines.md): the Windows
// baselines compiled into fltsim, with their completeness and sources. With ID: one baseline in
// full (builds, what is partial and why, sources, drivers, inbox exceptions); `--scenario` prints
// its drivers as a scenario YAML to start from. Exit 0, or 2 for an unknown ID.
#include <algorithm>
#include <ostream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "fltsim/baselines/baselines.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"

namespace fltsim::cli::baselines_command {
namespace {

using nlohmann::json;

struct BaselinesArgs {
  std::string id;
  std::string format = "text";
  bool scenario = false;
};

std::string join(const std::vector<std::string> &v, const char *sep = ", ") {
  std::string s;
  for (const std::string &x : v)
    s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string pad(std::string s, std::size_t w) {
  s.resize(std::max(s.size(), w), ' ');
  return s;
}

json baseline_json(const baselines::Baseline &b) {
  json sources = json::array();
  for (const baselines::BaselineSource &s : b.sources)
    sources.push_back(
        {{"id", s.id}, {"what", s.what}, {"citation", s.citation}, {"os_build", s.os_build}});
  json drivers = json::array();
  for (const sim::Driver &d : b.drivers) {
    json j = {{"name", d.name},
              {"kind", sim::to_string(d.kind)},
              {"group", d.group ? json(*d.group) : json(nullptr)},
              {"start", sim::to_string(d.start)}};
    const sim::Instance *def = d.find_default_instance();
    j["altitude"] = def ? json(def->altitude.text()) : json(nullptr);
    for (const baselines::DriverProvenance &p : b.provenance)
      if (p.driver == d.name) {
        j["sources"] = p.sources;
        j["unknown"] = p.unknown;
        j["assumed"] = p.assumed_fields;
      }
    drivers.push_back(std::move(j));
  }
  json exceptions = json::array();
  for (const baselines::BaselineInboxException &x : b.inbox_exceptions)
    exceptions.push_back({{"filter", x.filter},
                          {"field", x.field},
                          {"windows_value", x.windows_value},
                          {"list_value", x.list_value},
                          {"rule", x.rule},
                          {"sources", x.sources}});
  return {{"id", b.id},
          {"title", b.title},
          {"kind", baselines::to_string(b.kind)},
          {"completeness", baselines::to_string(b.completeness)},
          {"completeness_notes", b.completeness_notes},
          {"builds", b.builds},
          {"overlay_of", b.overlay_of},
          {"derived_from", b.derived_from ? json(*b.derived_from) : json(nullptr)},
          {"sources", std::move(sources)},
          {"drivers", std::move(drivers)},
          {"inbox_exceptions", std::move(exceptions)}};
}

std::string list_text() {
  const auto all = baselines::builtin_baselines();
  std::size_t w = 2;
  for (const baselines::Baseline &b : all)
    w = std::max(w, b.id.size());
  std::string out = pad("id", w) + "  kind      completeness  drivers  sources  builds\n";
  for (const baselines::Baseline &b : all) {
    out += pad(b.id, w) + "  " + pad(baselines::to_string(b.kind), 8) + "  " +
           pad(baselines::to_string(b.completeness), 12) + "  " +
           pad(std::to_string(b.drivers.size()), 7) + "  " +
           pad(std::to_string(b.sources.size()), 7) + "  " +
           (b.kind == baselines::BaselineKind::overlay ? "overlay of " + join(b.overlay_of)
                                                       : join(b.builds)) +
           "\n";
  }
  out += "\nEvery value names its source: `fltsim baselines ID` shows one baseline with its "
         "sources; docs/baselines.md says how they were made.\n";
  return out;
}

std::string detail_text(const baselines::Baseline &b) {
  std::string out = b.id + ": " + b.title + "\n";
  out += "  kind: " + std::string(baselines::to_string(b.kind)) +
         (b.overlay_of.empty() ? "" : " of " + join(b.overlay_of)) + "\n";
  if (!b.builds.empty())
    out += "  builds: " + join(b.builds) + "\n";
  if (b.derived_from)
    out += "  derived from: " + *b.derived_from + "\n";
  out += "  completeness: " + std::string(baselines::to_string(b.completeness)) + "\n";
  for (const std::string &n : b.completeness_notes)
    out += "    - " + n + "\n";
  out += "  drivers (" + std::to_string(b.drivers.size()) + "):\n";
  for (const sim::Driver &d : b.drivers) {
    const sim::Instance *def = d.find_default_instance();
    std::string assumed;
    for (const baselines::DriverProvenance &p : b.provenance)
      if (p.driver == d.name && !p.assumed_fields.empty())
        assumed = "  (assumed: " + join(p.assumed_fields) + ")";
    out += "    " + pad(d.name, 14) + " " + pad(def ? def->altitude.text() : "-", 9) + " " +
           pad(sim::to_string(d.start), 7) + " " + (d.group ? *d.group : "(no group)") + assumed +
           "\n";
  }
  if (!b.inbox_exceptions.empty()) {
    out += "  inbox exceptions (not reported by check for these Windows filters):\n";
    for (const baselines::BaselineInboxException &x : b.inbox_exceptions)
      out += "    " + x.filter + " " + x.field + " " + x.windows_value + " [" + x.rule +
             "]: list: " + x.list_value + "\n";
  }
  out += "  sources (" + std::to_string(b.sources.size()) + "):\n";
  for (const baselines::BaselineSource &s : b.sources)
    out += "    " + s.id + ": " + s.citation + (s.os_build.empty() ? "" : " [" + s.os_build + "]") +
           "\n";
  return out;
}

void run(const BaselinesArgs &args, CommandContext &ctx) {
  for (const sim::Diagnostic &d : baselines::builtin_baseline_errors())
    ctx.err << "fltsim: internal: bundled baseline does not load: " << sim::format_diagnostic(d)
            << "\n";
  if (args.id.empty()) {
    if (args.scenario) {
      return ctx.input_error("--scenario needs a baseline ID");
    }
    if (args.format == "json") {
      json list = json::array();
      for (const baselines::Baseline &b : baselines::builtin_baselines())
        list.push_back(baseline_json(b));
      ctx.out << json{{"baselines", std::move(list)}}.dump(2) << "\n";
    } else {
      ctx.out << list_text();
    }
    return;
  }
  const baselines::Baseline *b = baselines::find_baseline(args.id);
  if (!b) {
    return ctx.input_error("unknown baseline '" + args.id +
                           "'; the bundled baselines are: " + baselines::baseline_ids_text());
  }
  if (args.scenario) {
    sim::Scenario sc;
    sc.title = b->title;
    sc.drivers = b->drivers;
    ctx.out << manifest::write_scenario_yaml(sc, "The drivers of the fltsim baseline " + b->id +
                                                     " (" + baselines::to_string(b->completeness) +
                                                     "; sources: fltsim baselines " + b->id +
                                                     ").\nA scenario may also say "
                                                     "`baseline: " +
                                                     b->id + "` instead of copying them.");
  } else if (args.format == "json") {
    ctx.out << baseline_json(*b).dump(2) << "\n";
  } else {
    ctx.out << detail_text(*b);
  }
}

// CLI11 declarations: alike in shape in every command, on purpose (ui/cli/command.hpp).
void declare(CLI::App &sub, BaselinesArgs &args) {
  sub.add_option("id", args.id, "Show this baseline in full");
  add_format_option(sub, args.format, {"text", "json"});
  sub.add_flag("--scenario", args.scenario,
               "With ID: print the baseline's drivers as a scenario YAML");
}

const RegisterCommand
    registered(42, "baselines",
               "List the Windows baselines (inbox filters per build) with their sources and "
               "completeness; use one with --baseline ID",
               declare, run);

} // namespace
} // namespace fltsim::cli::baselines_command
