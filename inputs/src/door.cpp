// The one door for inputs (docs/where-things-go.md): manifest files by type, scenario files with
// their `include:` and `baseline:` resolved.
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/platform.hpp"

#include <system_error>

#include "fltsim/baselines/baselines.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/inf_reader.hpp"
#include "fltsim/manifest/reg_reader.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::inputs {

namespace fs = std::filesystem;
using manifest::IncludeLoader;
using manifest::IncludeResult;
using manifest::InfReadOptions;
using manifest::Limits;
using manifest::ScenarioLoad;

ManifestType manifest_type(const fs::path &path) {
  const std::string ext = sim::ascii_lower(io::path_to_utf8(path.extension()));
  if (ext == ".yaml" || ext == ".yml")
    return ManifestType::yaml;
  if (ext == ".inf")
    return ManifestType::inf;
  if (ext == ".reg")
    return ManifestType::reg;
  return ManifestType::unknown;
}

IncludeResult load_manifest_file(const fs::path &path, const Limits &limits,
                                 const InfReadOptions &inf) {
  IncludeResult out;
  const ManifestType type = manifest_type(path);
  if (type == ManifestType::unknown) {
    out.diagnostics.push_back(
        sim::make_diagnostic({io::path_to_utf8(path), 0, 0}, "unknown-file-type",
                             "not a manifest: expected a .yaml, .yml, .inf or .reg file"));
    return out;
  }
  if (type == ManifestType::inf) { // decoded as Windows reads INFs: BOM, else a code page
    sim::Diagnostic error;
    const std::optional<std::string> bytes = io::read_file_bytes(path, error);
    if (!bytes) {
      out.diagnostics.push_back(std::move(error));
      return out;
    }
    return manifest::read_inf(*bytes, io::path_to_utf8(path), inf);
  }
  io::DecodedText text = io::read_text_file(path);
  if (!text.text) {
    out.diagnostics.push_back(text.error);
    return out;
  }
  switch (type) {
  case ManifestType::yaml:
    return manifest::parse_driver_yaml(*text.text, io::path_to_utf8(path), limits);
  case ManifestType::inf: // read above
    break;
  case ManifestType::reg:
    return manifest::parse_reg(*text.text, io::path_to_utf8(path));
  case ManifestType::unknown:
    break;
  }
  return out;
}

ScenarioLoad load_scenario_file(const fs::path &path, const Limits &limits,
                                const InfReadOptions &inf) {
  // A driver INF or a .reg manifest named where a scenario goes (`fltsim simulate driver.inf`):
  // its drivers are the scenario, as if a scenario had only `include: [it]`. A whole machine's
  // registry is not a manifest: import makes its scenario (ServiceGroupOrder, tags, policies).
  if (const ManifestType type = manifest_type(path);
      type == ManifestType::inf || type == ManifestType::reg) {
    ScenarioLoad out;
    if (sniff_input(path) == InputKind::machine_registry) {
      out.diagnostics.push_back(sim::make_diagnostic(
          {io::path_to_utf8(path), 0, 0}, "unknown-file-type",
          "a whole machine's registry, not a scenario: `fltsim import " + io::path_to_utf8(path) +
              " -o machine.yaml` makes its scenario (docs/machine-import.md)"));
      return out;
    }
    IncludeResult manifest = load_manifest_file(path, limits, inf);
    out.notes = std::move(manifest.notes);
    if (!manifest.diagnostics.empty()) {
      out.diagnostics = std::move(manifest.diagnostics);
      return out;
    }
    sim::Scenario sc;
    sc.title = io::path_to_utf8(path.filename());
    sc.drivers = std::move(manifest.drivers);
    out.scenario = std::move(sc);
    return out;
  }
  io::DecodedText text = io::read_text_file(path);
  if (!text.text) {
    ScenarioLoad out;
    out.diagnostics.push_back(text.error);
    return out;
  }
  const fs::path base = path.parent_path();
  IncludeLoader include = [&](const std::string &rel,
                              const sim::SourceLocation &where) -> IncludeResult {
    const fs::path target = fs::path(rel).is_absolute() ? fs::path(rel) : base / rel;
    std::error_code ec;
    if (!fs::exists(target, ec)) {
      IncludeResult r;
      r.diagnostics.push_back({where, "include", "included file '" + rel + "' does not exist"});
      return r;
    }
    return load_manifest_file(target, limits, inf);
  };
  return manifest::parse_scenario_yaml(*text.text, io::path_to_utf8(path), include, limits,
                                       baselines::scenario_baseline_resolver());
}

ScenarioLoad parse_scenario_text(std::string_view text, const std::string &source_name,
                                 const Limits &limits) {
  return manifest::parse_scenario_yaml(text, source_name, nullptr, limits,
                                       baselines::scenario_baseline_resolver());
}

} // namespace fltsim::inputs
