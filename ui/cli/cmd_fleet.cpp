// `fltsim fleet MACHINES... [--add MANIFEST]... [--remove NAME]... [--baseline ID]
//  [--format text|json|jsonl|html] [--jobs N] [--suggest] [--summary FILE] [--merge SUMMARY...]`
// (docs/fleet.md). The machines stream through a bounded pipeline: one reader thread -> a queue
// of batches -> N workers (parse, simulate before/after, classify) -> this thread, which writes
// batches in input order. Memory is bounded by the queue and the reorder window, not the fleet.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <ostream>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <unistd.h>

#include "command.hpp"
#include "fleet_report.hpp"
#include "fltsim/baselines/baselines.hpp"
#include "fltsim/fleet/fleet.hpp"
#include "fltsim/fleet/fleet_input.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"

namespace fltsim::cli {
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

constexpr std::size_t batch_size = 256;

struct Batch {
  std::uint64_t seq = 0;
  std::vector<fleet::RawMachine> items;
};

struct BatchOut {
  std::string records;     // JSONL lines
  std::string diagnostics; // stderr lines
};

struct Pipeline {
  std::mutex m;
  std::condition_variable cv_queue, cv_space, cv_done, cv_window;
  std::deque<Batch> queue;
  std::size_t queue_cap = 4;
  bool reader_done = false;
  std::map<std::uint64_t, BatchOut> done;
  std::uint64_t next_write = 0;
  std::uint64_t window = 8;
  std::atomic<std::uint64_t> machines{0};
  std::atomic<std::uint64_t> bytes_done{0};
  std::uint64_t bytes_total = 0;
  std::uint64_t batches = 0; // set when the reader is done
};

// Machines of one fleet often share a configuration: a worker keeps the results of the last
// scenarios it saw, keyed by the scenario's exact JSON text (the change is the same for every
// machine), and reuses them for identical records. Bounded: cleared when full.
struct CachedResult {
  fleet::MachineResult result;
  std::vector<fleet::Outcome> candidates;
};
struct ResultCache {
  static constexpr std::size_t max_entries = 1024;
  static constexpr std::size_t max_key = 16 * 1024;
  std::unordered_map<std::string, CachedResult> map;
};

// The change and the baselines put under every machine.
struct FleetRun {
  fleet::Change change;
  std::vector<const baselines::Baseline *> baseline;
};

fleet::MachineResult evaluate_raw(const fleet::RawMachine &raw, const FleetRun &run,
                                  const std::vector<fleet::Candidate> &candidates,
                                  const std::vector<fleet::Change> &candidate_changes,
                                  ResultCache &cache, std::vector<fleet::Outcome> &cand_out) {
  auto finish = [&](fleet::MachineRecord rec, const std::string *key) {
    fleet::MachineResult r;
    if (!rec.scenario) {
      r = fleet::input_error_result(rec.machine, rec.build, std::move(rec.diagnostics),
                                    rec.location);
      std::fill(cand_out.begin(), cand_out.end(), fleet::Outcome::input_error);
      return r;
    }
    if (!run.baseline.empty())
      rec.scenario = baselines::with_baselines(*rec.scenario, run.baseline);
    r = fleet::evaluate_machine(rec.machine, rec.build, *rec.scenario, run.change);
    r.location = rec.location;
    for (std::size_t i = 0; i < candidates.size(); ++i)
      cand_out[i] =
          r.outcome == fleet::Outcome::input_error
              ? fleet::Outcome::input_error
              : fleet::evaluate_machine({}, {}, *rec.scenario, candidate_changes[i]).outcome;
    if (key && key->size() <= ResultCache::max_key && r.outcome != fleet::Outcome::input_error) {
      if (cache.map.size() >= ResultCache::max_entries)
        cache.map.clear();
      CachedResult c{r, cand_out};
      c.result.machine.clear();
      c.result.build.clear();
      c.result.location = {};
      cache.map.emplace(*key, std::move(c));
    }
    return r;
  };
  if (raw.kind != fleet::RawMachine::Kind::json_line)
    return finish(fleet::load_machine(raw), nullptr);
  fleet::MachineEnvelope env =
      fleet::split_machine_json_line(raw.text, raw.location.file, raw.location.line);
  if (!env.diagnostics.empty())
    return finish(fleet::parse_machine_scenario(env), nullptr);
  std::string key(env.scenario);
  if (auto it = cache.map.find(key); it != cache.map.end()) {
    fleet::MachineResult r = it->second.result;
    r.machine = std::move(env.machine);
    r.build = std::move(env.build);
    r.location = env.location;
    cand_out = it->second.candidates;
    return r;
  }
  return finish(fleet::parse_machine_scenario(env), &key);
}

std::string fmt_duration(double s) {
  char buf[32];
  const long t = static_cast<long>(s);
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

void run_fleet(const FleetArgs &args, const FleetRun &run, CommandContext &ctx) {
  const fleet::Change &change = run.change;
  const unsigned jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  const bool jsonl = args.format == "jsonl";
  const bool progress = args.progress && ::isatty(STDERR_FILENO) == 1;
  const std::vector<fleet::Candidate> candidates =
      args.suggest ? fleet::suggestion_candidates(change) : std::vector<fleet::Candidate>{};
  std::vector<fleet::Change> candidate_changes;
  for (const auto &c : candidates)
    candidate_changes.push_back(fleet::with_candidate(change, c));
  if (args.suggest && candidates.empty())
    ctx.err << "fltsim fleet: --suggest needs an added minifilter (--add); no suggestions\n";

  Pipeline p;
  p.queue_cap = 2 * jobs;
  p.window = 4 * jobs + 4;
  for (const std::string &m : args.machines) {
    std::error_code ec;
    if (m != "-" && std::filesystem::is_regular_file(m, ec))
      p.bytes_total += std::filesystem::file_size(m, ec);
  }

  std::thread reader([&] {
    std::uint64_t seq = 0, before = 0;
    Batch batch;
    auto push = [&] {
      std::unique_lock lock(p.m);
      p.cv_space.wait(lock, [&] { return p.queue.size() < p.queue_cap; });
      batch.seq = seq++;
      p.queue.push_back(std::move(batch));
      batch = {};
      p.cv_queue.notify_one();
    };
    for (const std::string &m : args.machines) {
      auto src = fleet::open_machine_source(m, args.stdin_name, args.line_offset);
      while (auto raw = src->next()) {
        batch.items.push_back(std::move(*raw));
        if (batch.items.size() == batch_size) {
          p.bytes_done = before + src->done();
          push();
        }
      }
      before += src->total() && src->done() <= src->total() ? src->done() : 0;
      p.bytes_done = before;
    }
    if (!batch.items.empty())
      push();
    std::lock_guard lock(p.m);
    p.reader_done = true;
    p.batches = seq;
    p.cv_queue.notify_all();
    p.cv_done.notify_all();
  });

  std::vector<fleet::Summary> partial(jobs);
  for (auto &s : partial)
    s.change = change.describe();
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < jobs; ++w)
    workers.emplace_back([&, w] {
      fleet::Summary &summary = partial[w];
      ResultCache cache;
      std::vector<fleet::Outcome> candidate_outcomes(candidates.size());
      while (true) {
        Batch batch;
        {
          std::unique_lock lock(p.m);
          p.cv_queue.wait(lock, [&] { return !p.queue.empty() || p.reader_done; });
          if (p.queue.empty())
            return;
          batch = std::move(p.queue.front());
          p.queue.pop_front();
          p.cv_space.notify_one();
        }
        BatchOut out;
        for (const fleet::RawMachine &raw : batch.items) {
          fleet::MachineResult r =
              evaluate_raw(raw, run, candidates, candidate_changes, cache, candidate_outcomes);
          for (std::size_t i = 0; i < candidates.size(); ++i)
            summary.add_suggestion(candidates[i], candidate_outcomes[i]);
          if (r.outcome == fleet::Outcome::input_error) {
            out.diagnostics += "fltsim fleet: machine '" + r.machine + "' skipped (input error)";
            if (!r.location.file.empty())
              out.diagnostics +=
                  " at " + r.location.file +
                  (r.location.line ? ":" + std::to_string(r.location.line) : std::string());
            out.diagnostics += "\n";
            for (const auto &d : r.errors)
              out.diagnostics += "  " + sim::format_diagnostic(d) + "\n";
          }
          summary.add(r);
          if (jsonl) {
            out.records += fleet_record_json(r);
            out.records += '\n';
          }
        }
        p.machines += batch.items.size();
        std::unique_lock lock(p.m);
        // The reorder window: a batch far ahead of the writer waits (the one the writer needs
        // next never does), so at most `window` finished batches are held.
        p.cv_window.wait(lock, [&] { return batch.seq < p.next_write + p.window; });
        p.done.emplace(batch.seq, std::move(out));
        p.cv_done.notify_all();
      }
    });

  const auto start = std::chrono::steady_clock::now();
  auto last = start;
  bool shown = false;
  while (true) {
    BatchOut out;
    {
      std::unique_lock lock(p.m);
      const bool got = p.cv_done.wait_for(lock, std::chrono::milliseconds(500), [&] {
        return p.done.contains(p.next_write) || (p.reader_done && p.next_write >= p.batches);
      });
      if (got && !p.done.contains(p.next_write))
        break; // everything written
      if (got) {
        auto it = p.done.find(p.next_write);
        out = std::move(it->second);
        p.done.erase(it);
        ++p.next_write;
        p.cv_window.notify_all();
      }
    }
    ctx.out << out.records;
    ctx.err << out.diagnostics;
    const auto now = std::chrono::steady_clock::now();
    if (progress && now - last > std::chrono::milliseconds(500)) {
      last = now;
      const double secs = std::chrono::duration<double>(now - start).count();
      const double n = static_cast<double>(p.machines.load());
      std::string eta = "?";
      if (p.bytes_total && p.bytes_done > 0) {
        const double frac =
            static_cast<double>(p.bytes_done.load()) / static_cast<double>(p.bytes_total);
        if (frac > 0 && frac <= 1)
          eta = fmt_duration(secs / frac - secs);
      }
      char line[160];
      std::snprintf(line, sizeof line, "\rfltsim fleet: %.0f machines, %.0f/s, ETA %s   ", n,
                    secs > 0 ? n / secs : 0.0, eta.c_str());
      ctx.err << line << std::flush;
      shown = true;
    }
  }
  reader.join();
  for (auto &t : workers)
    t.join();
  if (shown)
    ctx.err << "\r\033[K" << std::flush; // the progress line disappears

  fleet::Summary total;
  total.change = change.describe();
  for (const auto &s : partial)
    total = *fleet::merge(total, s);

  bool summary_failed = false; // a summary that cannot be written is an error (exit 2)
  if (!args.summary_file.empty()) {
    if (auto e = io::write_file_atomic(args.summary_file, summary_json(total).dump(2) + "\n")) {
      ctx.err << "fltsim fleet: " << *e << "\n";
      summary_failed = true;
    }
  }
  if (args.format == "json")
    ctx.out << summary_json(total).dump(2) << "\n";
  else if (args.format == "html")
    ctx.out << summary_html(total);
  else if (args.format == "text")
    ctx.out << summary_text(total);
  ctx.outcome = summary_failed     ? Outcome::input_error
                : total.problems() ? Outcome::findings
                                   : Outcome::clean;
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
    std::string why;
    std::optional<fleet::Summary> s;
    try {
      s = summary_from_json(nlohmann::json::parse(*t.text), &why);
    } catch (const nlohmann::json::parse_error &e) {
      why = std::string("not JSON: ") + e.what();
    }
    if (!s) {
      ctx.err << f << ": error[fleet-summary]: " << why << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
    auto m = fleet::merge(total, *s, &why);
    if (!m) {
      ctx.err << f << ": error[fleet-summary]: " << why << "\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
    total = std::move(*m);
  }
  bool summary_failed = false; // a summary that cannot be written is an error (exit 2)
  if (!args.summary_file.empty())
    if (auto e = io::write_file_atomic(args.summary_file, summary_json(total).dump(2) + "\n")) {
      ctx.err << "fltsim fleet: " << *e << "\n";
      summary_failed = true;
    }
  if (args.format == "html")
    ctx.out << summary_html(total);
  else if (args.format == "text")
    ctx.out << summary_text(total);
  else // json (and jsonl: there are no machine records to write)
    ctx.out << summary_json(total).dump(2) << "\n";
  ctx.outcome = summary_failed     ? Outcome::input_error
                : total.problems() ? Outcome::findings
                                   : Outcome::clean;
}

void setup(CLI::App &root, CommandContext &ctx) {
  auto args = std::make_shared<FleetArgs>();
  CLI::App *sub = root.add_subcommand(
      "fleet", "What a driver change does to many machines: simulate each before and after, "
               "classify, summarize (docs/fleet.md)");
  sub->add_option("machines", args->machines,
                  "JSONL files ('-' = stdin), machine directory trees, osquery result logs");
  sub->add_option("--add", args->add, "Driver manifest to add or replace (YAML, INF, .reg)");
  sub->add_option("--remove", args->remove, "Service name to remove");
  sub->add_option("--baseline", args->baseline,
                  "Windows baseline (and overlays) under every machine's own drivers");
  sub->add_option("--format,-f", args->format,
                  "Output: text|json|html summary, or jsonl = one record per machine")
      ->check(CLI::IsMember({"text", "json", "jsonl", "html"}));
  sub->add_option("--jobs,-j", args->jobs, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  sub->add_flag("--suggest", args->suggest,
                "Rank other altitudes/groups for the added driver by machines left clean");
  sub->add_option("--summary", args->summary_file, "Also write the summary JSON to FILE");
  sub->add_option("--merge", args->merge, "Merge summary JSON files instead of simulating");
  sub->add_flag("!--no-progress", args->progress, "No progress line on stderr");
  sub->add_option("--stdin-name", args->stdin_name,
                  "File name reported for the lines of '-' (a partition of that file)");
  sub->add_option("--line-offset", args->line_offset,
                  "Lines of '-' are numbered from this + 1 (the partition's first line)")
      ->check(CLI::NonNegativeNumber);
  sub->callback([args, &ctx] {
    if (!args->merge.empty()) {
      if (!args->machines.empty()) {
        ctx.err << "fltsim fleet: --merge takes summary files, not MACHINES\n";
        ctx.outcome = Outcome::input_error;
        return;
      }
      run_merge(*args, ctx);
      return;
    }
    if (args->machines.empty()) {
      ctx.err << "fltsim fleet: give MACHINES (JSONL, directories, osquery logs) or --merge\n";
      ctx.outcome = Outcome::input_error;
      return;
    }
    FleetRun run;
    fleet::Change &change = run.change;
    if (!args->baseline.empty()) {
      // One build baseline and any overlays, under every machine (docs/fleet.md#baselines).
      baselines::BaselineSet set = baselines::resolve_baseline_set(args->baseline);
      if (!set.error.empty()) {
        ctx.err << "fltsim fleet: " << set.error << "\n";
        ctx.outcome = Outcome::input_error;
        return;
      }
      run.baseline = set.parts;
      change.context = "baseline " + set.label();
    }
    for (const std::string &f : args->add) {
      manifest::IncludeResult r = inputs::load_manifest_file(f);
      if (!r.diagnostics.empty()) {
        print_diagnostics(r.diagnostics, ctx.err);
        ctx.outcome = Outcome::input_error;
        return;
      }
      for (auto &d : r.drivers)
        change.add.push_back(std::move(d));
    }
    change.remove = args->remove;
    run_fleet(*args, run, ctx);
  });
}

const RegisterCommand registered(35, setup);

} // namespace
} // namespace fltsim::cli
