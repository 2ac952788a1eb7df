// `fltsim fleet MACHINES... [--add MANIFEST]... [--remove NAME]... [--baseline ID]
//  [--format text|json|jsonl|html] [--jobs N] [--suggest] [--summary FILE] [--merge SUMMARY...]`
// (docs/fleet.md). Arguments, progress and rendering; the streaming pipeline and its readers are
// fleet::run (fleet/run.hpp), the summary document fleet/summary_json.hpp.
#include <cstdio>
#include <filesystem>
#include <ostream>

#include "command.hpp"
#include "fleet_report.hpp"
#include "fltsim/baselines/baselines.hpp"
#include "fltsim/fleet/fleet.hpp"
#include "fltsim/fleet/run.hpp"
#include "fltsim/fleet/summary_json.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/io/platform.hpp"

namespace fltsim::cli::fleet_command {
namespace {

struct FleetArgs {
  std::vector<std::string> machines;
  std::vector<std::string> add;
  std::vector<std::string> remove;
  std::vector<std::string> baseline;
  std::string format = "text";
  unsigned jobs = 0;
  bool suggest = false;
  std::vector<std::string> merge;
  std::string summary_file;
  bool progress = true;
  std::string stdin_name = "<stdin>";
  int line_offset = 0;
};

std::string fmt_duration(double s) {
  char buf[32];
  const long t = static_cast<long>(s);
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

// Renders what the pipeline hands over: JSONL records (-f jsonl), skipped machines and notes on
// stderr, the progress line while stderr is a terminal.
class CliSink : public fleet::Sink {
public:
  CliSink(CommandContext &ctx, bool jsonl, bool progress)
      : ctx_(ctx), jsonl_(jsonl), progress_(progress) {}
  ~CliSink() override {
    if (shown_)
      ctx_.err << "\r\033[K" << std::flush; // the progress line disappears
  }

  void render(const fleet::MachineResult &r, std::string &records,
              std::string &diagnostics) const override {
    for (const auto &n : r.notes)
      diagnostics += sim::format_diagnostic(n) + "\n";
    if (r.outcome == fleet::Outcome::input_error) {
      diagnostics += "fltsim fleet: machine '" + r.machine + "' skipped (input error)";
      if (!r.location.file.empty())
        diagnostics += " at " + r.location.file +
                       (r.location.line ? ":" + std::to_string(r.location.line) : std::string());
      diagnostics += "\n";
      for (const auto &d : r.errors)
        diagnostics += "  " + sim::format_diagnostic(d) + "\n";
    }
    if (jsonl_) {
      records += fleet_record_json(r);
      records += '\n';
    }
  }
  void write(const std::string &records, const std::string &diagnostics) override {
    ctx_.out << records;
    ctx_.err << diagnostics;
  }
  void render_note(const sim::Diagnostic &note, std::string &diagnostics) const override {
    diagnostics += sim::format_diagnostic(note) + "\n";
  }
  void progress(const fleet::Progress &p) override {
    if (!progress_)
      return;
    const double n = static_cast<double>(p.machines);
    std::string eta = "?";
    if (p.bytes_total && p.bytes_done > 0) {
      const double frac = static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total);
      if (frac > 0 && frac <= 1)
        eta = fmt_duration(p.seconds / frac - p.seconds);
    }
    char line[160];
    std::snprintf(line, sizeof line, "\rfltsim fleet: %.0f machines, %.0f/s, ETA %s   ", n,
                  p.seconds > 0 ? n / p.seconds : 0.0, eta.c_str());
    ctx_.err << line << std::flush;
    shown_ = true;
  }

private:
  CommandContext &ctx_;
  bool jsonl_, progress_;
  bool shown_ = false;
};

// Every file the run reads: a --summary that names one of them is refused before any work.
std::vector<std::filesystem::path> inputs_of(const FleetArgs &args) {
  std::vector<std::filesystem::path> in;
  for (const auto *list : {&args.machines, &args.add, &args.merge})
    for (const std::string &f : *list)
      if (f != "-")
        in.emplace_back(f);
  return in;
}

// Writes the summary document; false (reported, exit 2) when it cannot be written.
bool write_summary(const FleetArgs &args, const fleet::Summary &total, CommandContext &ctx) {
  if (args.summary_file.empty())
    return true;
  if (auto e = io::write_file_atomic(args.summary_file, fleet::summary_json_text(total) + "\n",
                                     inputs_of(args))) {
    ctx.err << "fltsim fleet: " << *e << "\n";
    ctx.outcome = Outcome::input_error;
    return false;
  }
  return true;
}

void render_summary(const FleetArgs &args, const fleet::Summary &total, CommandContext &ctx) {
  if (args.format == "html")
    ctx.out << summary_html(total);
  else if (args.format == "text")
    ctx.out << summary_text(total);
  else if (args.format == "json")
    ctx.out << fleet::summary_json_text(total) << "\n";
}

void run_merge(const FleetArgs &args, CommandContext &ctx) {
  fleet::Summary total;
  for (const std::string &f : args.merge) {
    io::DecodedText t = io::read_text_file(f);
    if (!t.text) {
      ctx.err << sim::format_diagnostic(t.error) << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
    sim::Diagnostic error;
    std::optional<fleet::Summary> s = fleet::read_summary(*t.text, f, error);
    std::string why;
    std::optional<fleet::Summary> m;
    if (s && !(m = fleet::merge(total, *s, &why)))
      error = sim::make_diagnostic({f, 0, 0}, "fleet-summary", why);
    if (!m) {
      ctx.err << sim::format_diagnostic(error) << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
    total = std::move(*m);
  }
  if (!write_summary(args, total, ctx))
    return;
  if (args.format == "jsonl") // there are no machine records to write
    ctx.out << fleet::summary_json_text(total) << "\n";
  else
    render_summary(args, total, ctx);
  ctx.outcome = total.problems() ? Outcome::findings : Outcome::clean;
}

void run(const FleetArgs &args, CommandContext &ctx) {
  if (!args.merge.empty() && !args.machines.empty()) {
    ctx.err << "fltsim fleet: --merge takes summary files, not MACHINES\n";
    ctx.outcome = Outcome::input_error;
    return;
  }
  if (args.merge.empty() && args.machines.empty()) {
    ctx.err << "fltsim fleet: give MACHINES (JSONL, directories, osquery logs) or --merge\n";
    ctx.outcome = Outcome::input_error;
    return;
  }
  // A summary onto an input would destroy it: refused before any work (the write refuses too).
  if (!args.summary_file.empty())
    if (auto clash = io::output_clashes_with_input(args.summary_file, inputs_of(args))) {
      ctx.err << "fltsim fleet: --summary: " << *clash << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
  if (!args.merge.empty()) {
    run_merge(args, ctx);
    return;
  }
  fleet::Change change;
  fleet::RunOptions options;
  options.jobs = args.jobs;
  options.suggest = args.suggest;
  options.stdin_name = args.stdin_name;
  options.line_offset = args.line_offset;
  if (!args.baseline.empty()) {
    // One build baseline and any overlays, under every machine (docs/fleet.md#baselines).
    baselines::BaselineSet set = baselines::resolve_baseline_set(args.baseline);
    if (!set.error.empty()) {
      ctx.err << "fltsim fleet: " << set.error << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
    options.underlay = [parts = set.parts](const sim::Scenario &sc) {
      return baselines::with_baselines(sc, parts);
    };
    change.context = "baseline " + set.label();
  }
  if (!read_added_drivers(args.add, change.add, ctx))
    return;
  change.remove = args.remove;
  if (args.suggest && fleet::suggestion_candidates(change).empty())
    ctx.err << "fltsim fleet: --suggest needs an added minifilter (--add); no suggestions\n";
  fleet::Summary total;
  {
    CliSink sink(ctx, args.format == "jsonl", args.progress && io::stderr_is_terminal());
    total = fleet::run(args.machines, change, options, sink);
  }
  if (!write_summary(args, total, ctx))
    return;
  render_summary(args, total, ctx);
  ctx.outcome = total.problems() ? Outcome::findings : Outcome::clean;
}

// What a partitioned run needs (scripts/fleet_dask.py, docs/fleet.md): each partition reads its
// lines from '-' and names them as the whole file would, and the partitions' summaries merge.
void declare_partition_options(CLI::App &sub, FleetArgs &args) {
  sub.add_option("--stdin-name", args.stdin_name,
                 "File name reported for the lines of '-' (a partition of that file)");
  sub.add_option("--line-offset", args.line_offset,
                 "Lines of '-' are numbered from this + 1 (the partition's first line)")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--merge", args.merge, "Merge summary JSON files instead of simulating");
}

// CLI11 declarations: alike in shape in every command, on purpose (ui/cli/command.hpp).
void declare(CLI::App &sub, FleetArgs &args) {
  sub.add_option("machines", args.machines,
                 "JSONL files ('-' = stdin), machine directory trees, osquery result logs");
  sub.add_option("--add", args.add, "Driver manifest to add or replace (YAML, INF, .reg)");
  sub.add_option("--remove", args.remove, "Service name to remove");
  sub.add_option("--baseline", args.baseline,
                 "Windows baseline (and overlays) under every machine's own drivers");
  add_format_option(sub, args.format, {"text", "json", "jsonl", "html"},
                    "Output: text|json|html summary, or jsonl = one record per machine");
  sub.add_option("--jobs,-j", args.jobs, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  sub.add_flag("--suggest", args.suggest,
               "Rank other altitudes/groups for the added driver by machines left clean");
  sub.add_option("--summary", args.summary_file,
                 "Also write the summary JSON to FILE (never one of the inputs)");
  sub.add_flag("!--no-progress", args.progress, "No progress line on stderr");
  declare_partition_options(sub, args);
}

const RegisterCommand
    registered(35, "fleet",
               "What a driver change does to many machines: simulate each before and after, "
               "classify, summarize (docs/fleet.md)",
               declare, run);

} // namespace
} // namespace fltsim::cli::fleet_command
