// `fltsim diagnose INPUT... [--add DRIVER]... [--baseline ID] [--format text|markdown|json|html]`
// (docs/diagnose.md): whatever one machine's evidence is -- captures, an event log, a .reg export
// or SYSTEM hive, a scenario, a support bundle folder -- which Windows, every filter named, the
// stack explained, the baseline's differences and, with --add, what the change does and the
// planner's fix. Exit 0 = nothing to look at, 1 = something to look at, 2 = unreadable input.
#include <ostream>

#include "command.hpp"
#include "fltsim/diagnose/diagnose.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/inputs/machine_evidence.hpp"
#include "fltsim/viewer/stack_view.hpp"
#include "fltsim/viewer/svg.hpp"

namespace fltsim::cli::diagnose_command {
namespace {

struct DiagnoseArgs {
  std::vector<std::string> inputs;
  std::vector<std::string> add;
  std::string baseline;
  std::string format = "text";
  bool lenient = false;
  std::string control_set;
};

/// The stack as the viewer draws it; with --add, before and after side by side.
std::string stack_svg(const diagnose::Diagnosis &d) {
  viewer::StackLayoutOptions layout;
  layout.axis_max_altitude = viewer::max_altitude_of(d.result);
  if (d.what_if)
    layout.axis_max_altitude =
        std::max(layout.axis_max_altitude, viewer::max_altitude_of(d.what_if->after_result));
  const viewer::StackView now = viewer::build_stack_view(d.scenario, d.result, {}, -1, layout);
  std::vector<viewer::SvgPanel> panels{{&now, d.what_if ? "This machine" : "The stack"}};
  viewer::StackView after;
  if (d.what_if) {
    after = viewer::build_stack_view(d.what_if->after, d.what_if->after_result, {}, -1, layout);
    panels.push_back({&after, "With the change"});
  }
  viewer::SvgOptions so;
  so.standalone = false;
  so.title = "fltsim diagnose: " + d.machine;
  return viewer::panels_svg(panels, so);
}

void run(const DiagnoseArgs &args, CommandContext &ctx) {
  const inputs::MachineEvidence ev =
      inputs::read_machine_evidence(args.inputs, {args.lenient, args.control_set});
  print_diagnostics(ev.diagnostics, ctx.err);
  if (ev.has_errors()) {
    ctx.outcome = Outcome::input_error;
    return;
  }
  diagnose::Options opt;
  opt.baseline = args.baseline;
  if (!args.add.empty()) {
    fleet::Change change;
    if (!read_added_drivers(args.add, change.add, ctx))
      return;
    opt.change = std::move(change);
  }
  const diagnose::DiagnoseResult res = diagnose::diagnose(ev, opt);
  if (!res.diagnosis) {
    print_diagnostics(res.errors, ctx.err);
    ctx.outcome = Outcome::input_error;
    return;
  }
  const diagnose::Diagnosis &d = *res.diagnosis;
  if (args.format == "json")
    ctx.out << diagnose::render_json(d);
  else if (args.format == "markdown")
    ctx.out << diagnose::render_markdown(d);
  else if (args.format == "html")
    ctx.out << diagnose::render_html(d, stack_svg(d));
  else
    ctx.out << diagnose::render_text(d);
  ctx.outcome = d.needs_attention() ? Outcome::findings : Outcome::clean;
}

// CLI11 declarations: alike in shape in every command, on purpose (ui/cli/command.hpp).
void declare(CLI::App &sub, DiagnoseArgs &args) {
  sub.add_option("inputs", args.inputs,
                 "The machine's evidence: fltmc / !fltkd / NtObjectManager captures, a "
                 "FilterManager event log, a .reg export of HKLM\\SYSTEM or a SYSTEM hive, a "
                 "scenario .yaml, or a folder of them (a LogScout / PSSDiag bundle); several "
                 "are combined")
      ->required();
  sub.add_option("--add", args.add,
                 "What if: a driver manifest (INF, YAML, .reg) added to the machine; classified "
                 "as `fltsim fleet` does, fixed as `fltsim plan` does");
  sub.add_option("--baseline", args.baseline,
                 "The Windows build baseline the machine runs (see `fltsim baselines`); "
                 "default: guessed from its inbox filters");
  add_format_option(sub, args.format, {"text", "markdown", "json", "html"});
  add_capture_policy_options(sub, args.lenient);
  add_control_set_option(sub, args.control_set);
}

const RegisterCommand
    registered(43, "diagnose",
               "Explain one machine's filter stack from whatever it sent: captures, an event "
               "log, a .reg export or hive, a support bundle folder",
               declare, run);

} // namespace
} // namespace fltsim::cli::diagnose_command
