#include "command.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <exception>
#include <ostream>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/input.hpp"
#include "fltsim/io/platform.hpp"

#ifndef FLTSIM_VERSION
#define FLTSIM_VERSION "0.0.0"
#endif

namespace fltsim::cli {

namespace {
std::vector<std::pair<int, CommandSetup>> &registry() {
  static std::vector<std::pair<int, CommandSetup>> r;
  return r;
}
} // namespace

RegisterCommand::RegisterCommand(int order, CommandSetup setup) {
  registry().emplace_back(order, setup);
}

void setup_commands(CLI::App &root, CommandContext &ctx) {
  auto cmds = registry();
  std::stable_sort(cmds.begin(), cmds.end(),
                   [](const auto &a, const auto &b) { return a.first < b.first; });
  for (const auto &[order, setup] : cmds)
    setup(root, ctx);
}

void print_diagnostics(const std::vector<sim::Diagnostic> &diags, std::ostream &err) {
  for (const sim::Diagnostic &d : diags)
    err << sim::format_diagnostic(d) << "\n";
}

std::optional<manifest::ScenarioLoad> load_scenario_or_report(const std::string &path,
                                                              std::ostream &err,
                                                              const manifest::InfReadOptions &inf) {
  manifest::ScenarioLoad load = inputs::load_scenario_file(io::path_from_utf8(path), {}, inf);
  // Notes of included files (a file system left out, ambiguous kind evidence) are shown as they
  // are for a file named on the command line.
  print_diagnostics(load.notes, err);
  if (!load.scenario) {
    print_diagnostics(load.diagnostics, err);
    return std::nullopt;
  }
  return load;
}

void CommandContext::input_error(const std::string &message) {
  err << "fltsim: " << message << "\n";
  outcome = Outcome::input_error;
}

std::optional<manifest::ScenarioLoad> load_scenario_or_fail(const std::string &path,
                                                            CommandContext &ctx,
                                                            const manifest::InfReadOptions &inf) {
  auto load = load_scenario_or_report(path, ctx.err, inf);
  if (!load)
    ctx.outcome = Outcome::input_error;
  return load;
}

std::optional<observed::CaptureInput> read_capture_or_report(const std::string &command,
                                                             const std::string &capture,
                                                             const std::string &events,
                                                             bool lenient, std::ostream &err) {
  observed::CaptureRead read = observed::read_capture(capture, events, lenient);
  print_diagnostics(read.diagnostics, err);
  if (read.summary)
    err << "fltsim " << command << ": " << *read.summary << "\n";
  return std::move(read.input);
}

void add_format_option(CLI::App &sub, std::string &format, std::vector<std::string> formats,
                       const std::string &help) {
  sub.add_option("--format,-f", format, help)->check(CLI::IsMember(std::move(formats)));
}

bool read_added_drivers(const std::vector<std::string> &files, std::vector<sim::Driver> &into,
                        CommandContext &ctx) {
  for (const std::string &f : files) {
    manifest::IncludeResult r = inputs::load_manifest_file(f);
    if (!r.diagnostics.empty()) {
      print_diagnostics(r.diagnostics, ctx.err);
      ctx.outcome = Outcome::input_error;
      return false;
    }
    for (sim::Driver &d : r.drivers)
      into.push_back(std::move(d));
  }
  return true;
}

void add_codepage_option(CLI::App &sub, manifest::InfReadOptions &inf) {
  sub.add_option("--codepage", inf.codepage,
                 "Windows code page of INF files without a byte-order mark (Windows reads them "
                 "as ANSI text): 1252 Western (default), 936 Chinese GBK, 932 Japanese, 949 "
                 "Korean, 1251 Cyrillic, 65001 UTF-8, ...")
      ->check(CLI::Validator(
          [](const std::string &v) {
            std::uint32_t cp = 0;
            const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), cp);
            const bool ok = ec == std::errc() && p == v.data() + v.size() &&
                            manifest::inf_codepage_supported(cp);
            return ok ? std::string() : "code page '" + v + "' is not one this build can convert";
          },
          "N"))
      ->capture_default_str();
}

void add_capture_policy_options(CLI::App &sub, bool &lenient, std::string *events) {
  if (events)
    sub.add_option("--events", *events,
                   "FilterManager event 6 records (wevtutil /f:text, Get-WinEvent Format-List, "
                   "CSV or JSON): the observed load order");
  sub.add_flag("--lenient", lenient,
               "Go on when rows of a capture or records of an event log cannot be read (they "
               "are listed as skipped)");
}

void add_control_set_option(CLI::App &sub, std::string &control_set) {
  sub.add_option("--control-set", control_set,
                 "Registry input: the control set to read (default: Select\\Current)");
}

void add_stack_svg_option(CLI::App &sub, std::string &stack_svg, const std::string &picture) {
  sub.add_option("--stack-svg", stack_svg,
                 "markdown: " + picture +
                     " as inline SVG (inline, the default), not at all (none: GitHub strips "
                     "inline SVG), or an image at this URL")
      ->capture_default_str();
}

int run_cli(int argc, const char *const *argv, std::ostream &out, std::ostream &err) {
  CLI::App app{"fltsim: predicts the Windows file-system filter stack (fltmgr frames, legacy "
               "filters, load order) from driver manifests",
               "fltsim"};
  app.set_version_flag("--version", std::string("fltsim ") + FLTSIM_VERSION);
  app.require_subcommand(1);
  // "/path" is a path on every platform, never a Windows-style "/option" (CLI11's default on
  // Windows); set before the subcommands are made, which copy it.
  app.allow_windows_style_options(false);
  CommandContext ctx{out, err};
  // Every input this command reads is an input of the run: no output may overwrite it
  // (docs/reliability.md, "Nothing lost").
  io::RunInputs run_inputs;
  setup_commands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &) {
    out << app.help();
    return exit_code(Outcome::clean);
  } catch (const CLI::CallForAllHelp &) {
    out << app.help("", CLI::AppFormatMode::All);
    return exit_code(Outcome::clean);
  } catch (const CLI::CallForVersion &e) {
    out << e.what() << "\n";
    return exit_code(Outcome::clean);
  } catch (const CLI::ParseError &e) {
    // Subcommand --help arrives as CallForHelp too; anything else is a usage error (exit 2).
    err << "fltsim: " << e.what() << "\n";
    if (auto *sub = app.get_subcommands().empty() ? nullptr : app.get_subcommands().front())
      err << "Run 'fltsim " << sub->get_name() << " --help' for usage.\n";
    else
      err << "Run 'fltsim --help' for usage.\n";
    return exit_code(Outcome::input_error);
  } catch (const std::exception &e) {
    err << "fltsim: internal error: " << e.what() << "\n";
    return exit_code(Outcome::internal_error);
  }
  return exit_code(ctx.outcome);
}

} // namespace fltsim::cli
