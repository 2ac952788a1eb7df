#pragma once
// Subcommand registry: each cmd_*.cpp registers itself with a static RegisterCommand, so adding a
// command touches no shared file. Commands report an Outcome in `ctx.outcome` (exit_codes.hpp) from
// their callback; they write results to stdout and diagnostics to stderr.
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "fltsim/frontend/exit_codes.hpp"
#include "fltsim/manifest/inf_reader.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/observed/capture_policy.hpp"
#include "run_cli.hpp"

namespace fltsim::cli {

using frontend::exit_code;
using frontend::Outcome;

struct CommandContext {
  std::ostream &out;
  std::ostream &err;
  Outcome outcome = Outcome::clean;

  /// Prints "fltsim: MESSAGE" on stderr and ends the command with Outcome::input_error.
  void input_error(const std::string &message);
};

using CommandSetup = std::function<void(CLI::App &root, CommandContext &ctx)>;

/// A command is its arguments (`Args`, a plain struct), a `declare` function that binds CLI11
/// options to them and a `run` function that does the work and sets `ctx.outcome`:
///   const RegisterCommand registered(ORDER, "name", "one line for --help", declare, run);
/// The subcommand, the arguments' lifetime and the callback are made here, once for all commands.
/// Each cmd_NAME.cpp keeps its own names in `namespace fltsim::cli::NAME_command`: the CLI library
/// is compiled in unity batches (ui/cli/CMakeLists.txt), where anonymous namespaces are shared.
struct RegisterCommand {
  /// `order` sorts commands in --help.
  RegisterCommand(int order, CommandSetup setup);

  template <class Args>
  RegisterCommand(int order, std::string name, std::string description,
                  void (*declare)(CLI::App &sub, Args &args),
                  void (*run)(const Args &args, CommandContext &ctx))
      : RegisterCommand(order, [=](CLI::App &root, CommandContext &ctx) {
          auto args = std::make_shared<Args>();
          CLI::App &sub = *root.add_subcommand(name, description);
          declare(sub, *args);
          sub.callback([args, run, &ctx] { run(*args, ctx); });
        }) {}
};

/// Adds every registered subcommand to `root`.
void setup_commands(CLI::App &root, CommandContext &ctx);

/// Loads a scenario file; prints diagnostics (compiler style) to `err` and returns nullopt on
/// failure. INFs it includes are read with `inf`.
std::optional<manifest::ScenarioLoad>
load_scenario_or_report(const std::string &path, std::ostream &err,
                        const manifest::InfReadOptions &inf = {});

/// load_scenario_or_report that also ends the command (`ctx.outcome`) with an input error when
/// the scenario cannot be read.
std::optional<manifest::ScenarioLoad>
load_scenario_or_fail(const std::string &path, CommandContext &ctx,
                      const manifest::InfReadOptions &inf = {});

/// Adds `--format,-f` (one of `formats`) to `sub`, storing into `format`.
void add_format_option(CLI::App &sub, std::string &format, std::vector<std::string> formats,
                       const std::string &help = "Output format");

/// Reads the driver manifests of `--add` (INF, YAML, .reg, through the input door) and appends
/// their drivers to `into`; on an input error prints it, ends the command with it (`ctx.outcome`)
/// and returns false. `fleet` and `diagnose` read their change this way.
bool read_added_drivers(const std::vector<std::string> &files, std::vector<sim::Driver> &into,
                        CommandContext &ctx);

/// Adds `--codepage N` (the Windows code page of INFs without a byte-order mark, decode_inf) to
/// `sub`, storing into `inf`; a code page iconv cannot convert is a usage error (exit 2).
void add_codepage_option(CLI::App &sub, manifest::InfReadOptions &inf);

/// Adds `--lenient` (the capture policy's: rows of a capture or records of an event log that
/// cannot be read are listed as skipped instead of ending the command) and, when `events` is
/// given, `--events FILE` (FilterManager event 6 records: the observed load order). `import`,
/// `compare` and `diagnose` read captures under one policy, so they declare it the same way.
void add_capture_policy_options(CLI::App &sub, bool &lenient, std::string *events = nullptr);

/// Adds `--control-set N` (a registry input's control set; default: Select\Current).
void add_control_set_option(CLI::App &sub, std::string &control_set);

/// Adds `--stack-svg inline|none|URL` for markdown output; `picture` names what is drawn.
void add_stack_svg_option(CLI::App &sub, std::string &stack_svg, const std::string &picture);

/// Reads a capture (and its event log) under the capture policy (observed/capture_policy.hpp),
/// printing what it reports to `err`, prefixed "fltsim COMMAND: " for its summary line; nullopt
/// when the command must stop with an input error.
std::optional<observed::CaptureInput> read_capture_or_report(const std::string &command,
                                                             const std::string &capture,
                                                             const std::string &events,
                                                             bool lenient, std::ostream &err);

/// Prints diagnostics in compiler style.
void print_diagnostics(const std::vector<sim::Diagnostic> &diags, std::ostream &err);

} // namespace fltsim::cli
