// `fltsim check PATH... [--base SCENARIO] [--format text|json|sarif|junit|markdown] [--fail-on
// error|warning] [--suppress FILE] [--output FILE] [--baseline ID]...` (docs/check.md; baselines:
// docs/baselines.md, one run per Windows build with a table of outcomes): a CI gate over driver
// manifests. Parses the arguments, reads the manifests (INF, .reg, YAML), the base scenario and
// the suppressions, hands them to fltsim_check (fltsim/check/check.hpp: merge, simulate, rules,
// suppressions) and renders the report (check_report.hpp). Exit 0 clean, 1 findings at or above
// --fail-on, 2 input or usage error (the report is still written for what could be read).
#include <algorithm>
#include <filesystem>
#include <memory>
#include <ostream>

#include "baseline_options.hpp"
#include "check_report.hpp"
#include "command.hpp"
#include "fltsim/check/check.hpp"
#include "fltsim/check/merge.hpp"
#include "fltsim/frontend/install_paths.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/inputs/manifest_files.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/io/platform.hpp"
#include "fltsim/viewer/svg.hpp"

#ifndef FLTSIM_VERSION
#define FLTSIM_VERSION "0.0.0"
#endif

namespace fltsim::cli::check_command {
namespace {

namespace fs = std::filesystem;

struct CheckArgs {
  std::vector<std::string> paths;
  std::string base;
  std::string format = "text";
  std::string fail_on = "error";
  std::string suppress;
  std::string output;
  std::string srcroot;
  std::string rules_uri;
  std::string max_orders = "auto";
  std::string link_base;
  std::string stack_svg = "inline";
  manifest::InfReadOptions inf; ///< --codepage
  std::vector<std::string> baselines;
};

/// markdown: the stack that was checked (the manifests merged onto --base, manifest load order),
/// drawn as the viewer draws it.
std::string checked_stack_svg(const check::CheckInputs &in) {
  std::vector<sim::Driver> drivers;
  for (const check::ManifestFile &m : in.manifests)
    drivers.insert(drivers.end(), m.drivers.begin(), m.drivers.end());
  const check::CheckedScenario checked =
      check::merge_scenario(in.base ? &*in.base : nullptr, std::move(drivers));
  const sim::SimResult result = sim::simulate(checked.scenario);
  viewer::SvgOptions so;
  so.standalone = false;
  so.title = "The stack fltsim check simulated";
  return viewer::stack_svg(viewer::build_stack_view(checked.scenario, result), so);
}

// file:// URI of the rules.md installed beside this binary (frontend::doc_dir: found at run
// time, so no path of the build machine is compiled in); empty when it is not there, and the
// SARIF log then has no help links.
std::string default_rules_uri() {
  const fs::path docs = frontend::doc_dir();
  if (docs.empty())
    return {};
  return io::file_uri(docs / "rules.md");
}

void run(const CheckArgs &args, CommandContext &ctx) {
  // Usage-level inputs first: a bad suppression file or base scenario stops before any work.
  check::CheckInputs in;
  if (!args.suppress.empty()) {
    const io::DecodedText text = io::read_text_file(args.suppress);
    if (!text.text) {
      print_diagnostics({text.error}, ctx.err);
      ctx.outcome = Outcome::input_error;
      return;
    }
    check::SuppressionList list = check::parse_suppressions(*text.text, args.suppress);
    if (!list.errors.empty()) {
      print_diagnostics(list.errors, ctx.err);
      ctx.outcome = Outcome::input_error;
      return;
    }
    in.suppressions = std::move(list.entries);
  }
  const auto runs = resolve_baselines_or_report(args.baselines, ctx.err);
  if (!runs) {
    ctx.outcome = Outcome::input_error;
    return;
  }
  if (!args.base.empty()) {
    auto load = load_scenario_or_fail(args.base, ctx, args.inf);
    if (!load)
      return;
    // --baseline replaces the base scenario's own `baseline:` (docs/baselines.md).
    if (!runs->empty())
      in.base = scenario_without_baselines(*load);
    else if (!load->baselines.empty())
      in.baseline = to_check_baseline(baselines::resolve_baseline_set(load->baselines));
    if (!in.base)
      in.base = std::move(*load->scenario);
  }

  // Reading is the front end's job; everything after it is fltsim_check's (run_check).
  in.options.fail_on = args.fail_on == "warning" ? sim::Severity::warning : sim::Severity::error;
  if (args.max_orders != "auto")
    in.options.max_orders = std::stoull(args.max_orders); // validated by the option's check
  const std::vector<fs::path> files = inputs::collect_manifest_files(args.paths, in.input_errors);
  for (const fs::path &f : files) {
    manifest::IncludeResult r = inputs::load_manifest_file(f, {}, args.inf);
    // kind-evidence notes become findings (check::rule_for_diagnostic), never input errors
    r.diagnostics.insert(r.diagnostics.end(), r.notes.begin(), r.notes.end());
    in.manifests.push_back({io::path_to_utf8(f), std::move(r.drivers), std::move(r.diagnostics)});
  }
  const bool picture = args.format == "markdown" && args.stack_svg == "inline";
  const std::string svg = picture ? checked_stack_svg(in) : std::string();
  // One check per Windows build of --baseline (docs/baselines.md), else one.
  std::vector<check::CheckReport> reports;
  if (runs->empty()) {
    reports.push_back(check::run_check(std::move(in)));
  } else {
    for (const baselines::BaselineSet &set : *runs) {
      check::CheckInputs one = in;
      one.base = baselines::with_baselines(in.base ? *in.base : sim::Scenario{}, set.parts);
      one.baseline = to_check_baseline(set);
      reports.push_back(check::run_check(std::move(one)));
    }
  }
  const check::CheckReport &report = reports.front();
  const bool per_baseline = !runs->empty();

  std::string text;
  if (args.format == "json") {
    text = (per_baseline ? check_json_baselines(reports) : check_json(report)).dump(2) + "\n";
  } else if (args.format == "sarif") {
    SarifOptions so;
    so.tool_version = FLTSIM_VERSION;
    so.rules_uri = args.rules_uri.empty() ? default_rules_uri() : args.rules_uri;
    if (!so.rules_uri.empty())
      so.information_uri = so.rules_uri.substr(0, so.rules_uri.rfind('/') + 1) + "check.md";
    std::error_code ec;
    so.cwd = fs::current_path(ec);
    so.srcroot = args.srcroot.empty() ? so.cwd : fs::absolute(args.srcroot, ec);
    text = (per_baseline ? check_sarif_baselines(reports, so) : check_sarif(report, so)).dump(2) +
           "\n";
  } else if (args.format == "junit") {
    text = per_baseline ? check_junit_baselines(reports) : check_junit(report);
  } else if (args.format == "markdown") {
    MarkdownOptions mo;
    mo.link_base = args.link_base;
    while (!mo.link_base.empty() && mo.link_base.back() == '/')
      mo.link_base.pop_back();
    mo.rules_uri = args.rules_uri; // no default: a file:// link is no use in a job summary
    mo.stack_svg = svg;
    if (args.stack_svg != "inline" && args.stack_svg != "none")
      mo.stack_image = args.stack_svg;
    mo.stack_caption = "Simulated stack (manifest load order)";
    std::error_code ec;
    mo.cwd = fs::current_path(ec);
    mo.srcroot = args.srcroot.empty() ? mo.cwd : fs::absolute(args.srcroot, ec);
    text = check_markdown(report, mo); // with --baseline: the first build's run
  } else {
    text = per_baseline ? render_check_text_baselines(reports) : render_check_text(report);
  }
  print_diagnostics(report.input_errors, ctx.err);
  if (args.output.empty() || args.output == "-") {
    ctx.out << text;
  } else {
    std::vector<fs::path> inputs(files.begin(), files.end());
    if (!args.base.empty())
      inputs.emplace_back(args.base);
    if (!args.suppress.empty())
      inputs.emplace_back(args.suppress);
    if (auto err = io::write_file_atomic(args.output, text, inputs)) {
      ctx.err << "fltsim: " << *err << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
  }
  // The worst outcome of any baseline decides (input errors are the same in every run).
  if (!report.input_errors.empty())
    ctx.outcome = Outcome::input_error;
  else
    ctx.outcome =
        std::any_of(reports.begin(), reports.end(),
                    [](const check::CheckReport &r) { return check::failing_count(r) > 0; })
            ? Outcome::findings
            : Outcome::clean;
}

// CLI11 declarations: alike in shape in every command, on purpose (ui/cli/command.hpp).
void declare(CLI::App &sub, CheckArgs &args) {
  sub.add_option("paths", args.paths,
                 "Manifest files and directories (read recursively: .inf, .reg, .yaml, .yml)")
      ->required();
  sub.add_option("--base,-b", args.base,
                 "Scenario YAML describing the target machines; manifests replace drivers of "
                 "the same name and add the others");
  add_baseline_option(sub, args.baselines);
  add_format_option(sub, args.format, {"text", "json", "sarif", "junit", "markdown"});
  sub.add_option("--fail-on", args.fail_on,
                 "Exit 1 when a finding of at least this severity remains")
      ->check(CLI::IsMember({"error", "warning"}));
  sub.add_option("--suppress,-s", args.suppress,
                 "Suppression file: lines 'rule-id [driver] [path-glob]', # comments");
  sub.add_option("--output,-o", args.output, "Write the report to FILE instead of stdout");
  sub.add_option("--srcroot", args.srcroot,
                 "Directory SARIF locations are relative to (%SRCROOT%); default: the current "
                 "directory");
  sub.add_option("--rules-uri", args.rules_uri,
                 "Where docs/rules.md is published, for SARIF help links (and markdown rule "
                 "links); default: a file:// URI of the copy installed beside fltsim (SARIF "
                 "only)");
  sub.add_option("--link-base", args.link_base,
                 "markdown: prefix of the file:line links, e.g. "
                 "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA (docs/ci.md); default: "
                 "links relative to --srcroot");
  add_stack_svg_option(sub, args.stack_svg, "the simulated stack");
  sub.add_option("--max-orders", args.max_orders,
                 "Load orders to simulate when drivers tie inside a group (order-dependent-"
                 "outcome): a number (0 turns the exploration off) or auto (up to 720, fewer "
                 "for large scenarios)")
      ->check(CLI::Validator(
          [](const std::string &v) {
            const bool digits =
                !v.empty() && v.size() <= 9 &&
                std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
            return v == "auto" || digits ? std::string()
                                         : std::string("expected auto or a number of orders");
          },
          "auto|N"))
      ->capture_default_str();
  add_codepage_option(sub, args.inf);
}

const RegisterCommand
    registered(30, "check",
               "Check driver manifests (INF, .reg, YAML) against the rules in docs/rules.md; "
               "a CI gate",
               declare, run);

} // namespace
} // namespace fltsim::cli::check_command
