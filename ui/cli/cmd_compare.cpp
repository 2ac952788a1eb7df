// `fltsim compare SCENARIO OBSERVED.txt [--format text|json] [--events EVENTS] [--lenient]`:
// prediction vs a real machine's fltmc / !fltkd / NtObjectManager output (docs/import.md). Exit 0 =
// match, 1 = stack differences (frame, order, altitude, kind, presence), 2 = input or usage error
// (a row that could not be read, unless --lenient; a partial capture). Instance counts are notes
// unless the scenario models volumes.
#include <ostream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/observed/events_reader.hpp"
#include "fltsim/observed/observed_import.hpp"

namespace fltsim::cli::compare_command {
namespace {

struct CompareArgs {
  std::string scenario;
  std::string observed;
  std::string format = "text";
  std::string events;
  bool lenient = false;
};

void run(const CompareArgs &args, CommandContext &ctx) {
  auto load = load_scenario_or_fail(args.scenario, ctx);
  if (!load)
    return;
  const auto input =
      read_capture_or_report("compare", args.observed, args.events, args.lenient, ctx.err);
  if (!input) {
    ctx.outcome = Outcome::input_error;
    return;
  }
  const observed::ObservedStack &observed = input->stack;
  const sim::SimResult r = sim::simulate(*load->scenario);
  if (!r.input_errors.empty()) {
    print_diagnostics(r.input_errors, ctx.err);
    ctx.outcome = Outcome::input_error;
    return;
  }
  observed::CompareOptions options;
  if (!args.events.empty()) {
    options.load_order = input->load_order;
    options.events_source = args.events;
  }
  const observed::Comparison c =
      observed::compare_observed(*load->scenario, r, observed, args.observed, options);
  if (!c.errors.empty()) {
    print_diagnostics(c.errors, ctx.err);
    ctx.outcome = Outcome::input_error;
    return;
  }
  if (args.format == "json") {
    nlohmann::json j;
    j["match"] = c.match;
    j["observed_kind"] = observed::to_string(c.observed_kind);
    for (const char *key : {"differences", "notes"}) {
      j[key] = nlohmann::json::array();
      for (const auto &d : std::string(key) == "notes" ? c.notes : c.differences)
        j[key].push_back({{"kind", observed::to_string(d.kind)},
                          {"filter", d.filter},
                          {"predicted", d.predicted},
                          {"observed", d.observed},
                          {"message", d.message},
                          {"line", d.line}});
    }
    ctx.out << j.dump(2) << "\n";
  } else if (c.match) {
    ctx.out << "Match: the prediction for " << args.scenario << " agrees with the "
            << observed::to_string(c.observed_kind) << " listing in " << args.observed << ".\n";
  } else {
    ctx.out << c.differences.size() << " difference(s) between the prediction and the "
            << observed::to_string(c.observed_kind) << " listing:\n";
    for (const auto &d : c.differences) {
      ctx.out << "  ";
      if (d.line > 0)
        ctx.out << args.observed << ":" << d.line << ": ";
      ctx.out << observed::to_string(d.kind) << ": " << d.message << "\n";
    }
  }
  if (args.format != "json")
    for (const auto &d : c.notes) {
      ctx.out << "  note: ";
      if (d.line > 0)
        ctx.out << args.observed << ":" << d.line << ": ";
      ctx.out << d.message << " (instance counts; the scenario models no volumes)\n";
    }
  ctx.outcome = c.match ? Outcome::clean : Outcome::findings;
}

// CLI11 declarations: alike in shape in every command, on purpose (ui/cli/command.hpp).
void declare(CLI::App &sub, CompareArgs &args) {
  sub.add_option("scenario", args.scenario, "Scenario YAML file")->required();
  sub.add_option("observed", args.observed, "Text file with fltmc / !fltkd output")->required();
  add_format_option(sub, args.format, {"text", "json"});
  add_capture_policy_options(sub, args.lenient, &args.events);
}

const RegisterCommand
    registered(41, "compare",
               "Compare a scenario's predicted stack with observed `fltmc` / `!fltkd` output",
               declare, run);

} // namespace
} // namespace fltsim::cli::compare_command
