// The fleet pipeline (run.hpp): reader thread -> bounded queue of batches -> workers -> the
// calling thread, which hands batches to the sink in input order.
#include "fltsim/fleet/run.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "evaluate.hpp"
#include "fltsim/fleet/fleet_input.hpp"
#include "scenario_json.hpp"

namespace fltsim::fleet {

namespace {

struct Batch {
  std::uint64_t seq = 0;
  std::vector<RawMachine> items;
  std::size_t bytes = 0;
};

struct BatchOut {
  std::string records;
  std::string diagnostics;
};

std::size_t weight(const RawMachine &raw) {
  std::size_t n = raw.text.size() + 256;
  for (const RegistryRow &r : raw.rows)
    n += r.key.size() + r.path.size() + r.name.size() + r.type.size() + r.data.size() + 64;
  return n;
}

struct Shared {
  std::mutex m;
  std::condition_variable cv_queue, cv_space, cv_done, cv_window;
  std::deque<Batch> queue;
  std::size_t queue_cap = 4;
  std::size_t queued_bytes = 0;
  bool reader_done = false;
  std::map<std::uint64_t, BatchOut> done;
  std::uint64_t next_write = 0;
  std::uint64_t window = 8;
  std::atomic<std::uint64_t> machines{0};
  std::atomic<std::uint64_t> bytes_done{0};
  std::uint64_t bytes_total = 0;
  std::uint64_t batches = 0; // set when the reader is done
};

// Machines of one fleet often share a configuration: a worker keeps the results of scenarios it
// saw more than once, keyed by the scenario's exact JSON text (the change is the same for every
// machine), and reuses them for identical records. A text is remembered (by its hash) the first
// time and cached the second, so a fleet of distinct machines pays a hash per machine and no
// copy. Bounded: cleared when full.
struct ResultCache {
  static constexpr std::size_t max_entries = 1024;
  static constexpr std::size_t max_seen = 16384;
  static constexpr std::size_t max_key = 16 * 1024;
  struct Entry {
    std::string text; // the scenario's JSON text
    MachineResult result;
    std::vector<Outcome> candidates;
  };
  std::unordered_map<std::uint64_t, Entry> map; // by detail::text_hash(text)
  std::unordered_set<std::uint64_t> seen;
};

class Worker {
public:
  Worker(const Change &change, const std::vector<Change> &candidate_changes,
         const RunOptions &options)
      : options_(options), main_(change) {
    for (const Change &c : candidate_changes)
      candidates_.emplace_back(c);
  }

  MachineResult evaluate(const RawMachine &raw, std::vector<Outcome> &cand_out) {
    if (raw.kind != RawMachine::Kind::json_line) {
      MachineRecord rec = load_machine(raw);
      std::vector<sim::Diagnostic> notes = std::move(rec.notes);
      MachineResult r = rec.scenario ? simulate(std::move(rec.machine), std::move(rec.build),
                                                *rec.scenario, rec.location, cand_out)
                                     : failed(std::move(rec), cand_out);
      r.notes = std::move(notes);
      return r;
    }
    // The usual record: read in one pass, envelope and scenario. Anything else takes the
    // envelope first, then the scenario (below), which says what is wrong with it.
    MachineEnvelope env;
    sim::Scenario &scratch = scratch_for(raw.text);
    const bool read = detail::read_machine_json_line(raw.text, raw.location.file, raw.location.line,
                                                     env, scratch, &drivers_);
    if (!read) {
      drivers_.forget(scratch); // it may be read again without the cache, below
      env = split_machine_json_line(raw.text, raw.location.file, raw.location.line);
      if (!env.diagnostics.empty())
        return failed(parse_machine_scenario(env), cand_out);
    }
    const bool cacheable = env.scenario.size() <= ResultCache::max_key;
    std::uint64_t hash = 0;
    if (cacheable) {
      hash = detail::text_hash(env.scenario);
      if (auto it = cache_.map.find(hash);
          it != cache_.map.end() && it->second.text == env.scenario) {
        MachineResult r = it->second.result;
        r.machine = std::move(env.machine);
        r.build = std::move(env.build);
        r.location = env.location;
        cand_out = it->second.candidates;
        return r;
      }
    }
    sim::Scenario *sc = &scratch;
    std::optional<sim::Scenario> slow;
    if (!read && !detail::read_scenario_json(env.scenario, env.location.file, env.location.line,
                                             static_cast<int>(env.scenario_offset), scratch)) {
      MachineRecord rec = parse_machine_scenario_yaml(env);
      if (!rec.scenario)
        return failed(std::move(rec), cand_out);
      slow = std::move(rec.scenario);
      sc = &*slow;
    }
    MachineResult r =
        simulate(std::move(env.machine), std::move(env.build), *sc, env.location, cand_out);
    if (cacheable && r.outcome != Outcome::input_error) {
      if (!cache_.seen.insert(hash).second) { // the second time: keep the result
        if (cache_.map.size() >= ResultCache::max_entries)
          cache_.map.clear();
        ResultCache::Entry e{std::string(env.scenario), r, cand_out};
        e.result.machine.clear();
        e.result.build.clear();
        e.result.location = {};
        cache_.map.insert_or_assign(hash, std::move(e)); // a colliding text takes the place
      } else if (cache_.seen.size() >= ResultCache::max_seen) {
        cache_.seen.clear();
      }
    }
    return r;
  }

private:
  const RunOptions &options_;
  detail::MachineEvaluator main_;
  std::vector<detail::MachineEvaluator> candidates_;
  // The machine being read, one per build (the last few builds seen): its storage is reused,
  // and the drivers a machine shares with the last one of its build at the same positions (the
  // build's inbox drivers) are left where they are, not copied again (DriverCache).
  struct Scratch {
    std::string build;
    sim::Scenario scenario;
  };
  std::array<Scratch, 8> scratch_;
  std::size_t next_scratch_ = 0;
  detail::DriverCache drivers_; // drivers read before, by their JSON text

  // The scratch scenario for a record, by the text of its "build" when the record starts with
  // "machine" and "build" (as fleet files are written); any other record takes the first. Only
  // where the scenario is read into: what is read is the same in any of them.
  sim::Scenario &scratch_for(std::string_view line) {
    constexpr std::string_view key = "\"build\":\"";
    const std::string_view head = line.substr(0, 512);
    const std::size_t at = head.find(key);
    const std::size_t scenario = head.find("\"scenario\"");
    if (at == std::string_view::npos || (scenario != std::string_view::npos && scenario < at))
      return scratch_[0].scenario;
    const std::size_t from = at + key.size();
    const std::size_t end = head.find('"', from);
    if (end == std::string_view::npos)
      return scratch_[0].scenario;
    const std::string_view build = head.substr(from, end - from);
    for (std::size_t i = 1; i < scratch_.size(); ++i)
      if (scratch_[i].build == build)
        return scratch_[i].scenario;
    Scratch &s = scratch_[1 + next_scratch_];
    next_scratch_ = (next_scratch_ + 1) % (scratch_.size() - 1);
    s.build.assign(build);
    return s.scenario;
  }
  ResultCache cache_;

  MachineResult failed(MachineRecord rec, std::vector<Outcome> &cand_out) {
    std::fill(cand_out.begin(), cand_out.end(), Outcome::input_error);
    return input_error_result(std::move(rec.machine), std::move(rec.build),
                              std::move(rec.diagnostics), std::move(rec.location));
  }

  MachineResult simulate(std::string machine, std::string build, sim::Scenario &sc,
                         const sim::SourceLocation &location, std::vector<Outcome> &cand_out) {
    std::optional<sim::Scenario> under;
    sim::Scenario *target = &sc;
    if (options_.underlay) {
      under = options_.underlay(sc);
      target = &*under;
    }
    MachineResult r = main_.evaluate(std::move(machine), std::move(build), *target);
    r.location = location;
    for (std::size_t i = 0; i < candidates_.size(); ++i)
      cand_out[i] = r.outcome == Outcome::input_error
                        ? Outcome::input_error
                        : candidates_[i].evaluate({}, {}, *target).outcome;
    return r;
  }
};

} // namespace

Summary run(const std::vector<std::string> &sources, const Change &change,
            const RunOptions &options, Sink &sink) {
  const unsigned jobs =
      options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const std::vector<Candidate> candidates =
      options.suggest ? suggestion_candidates(change) : std::vector<Candidate>{};
  std::vector<Change> candidate_changes;
  for (const auto &c : candidates)
    candidate_changes.push_back(with_candidate(change, c));

  Shared p;
  p.queue_cap = 2 * jobs;
  p.window = 4 * jobs + 4;
  for (const std::string &m : sources) {
    std::error_code ec;
    if (m != "-" && std::filesystem::is_regular_file(m, ec))
      p.bytes_total += std::filesystem::file_size(m, ec);
  }
  const std::size_t batch_machines = std::max<std::size_t>(1, options.batch_machines);

  std::thread reader([&] {
    std::uint64_t seq = 0, before = 0;
    Batch batch;
    auto push = [&] {
      std::unique_lock lock(p.m);
      // Room for one more batch and its bytes; an empty queue takes any batch, so a record
      // larger than the budget still goes through.
      p.cv_space.wait(lock, [&] {
        return p.queue.empty() || (p.queue.size() < p.queue_cap &&
                                   p.queued_bytes + batch.bytes <= options.queue_bytes);
      });
      batch.seq = seq++;
      p.queued_bytes += batch.bytes;
      p.queue.push_back(std::move(batch));
      batch = {};
      p.cv_queue.notify_one();
    };
    for (const std::string &m : sources) {
      auto src = open_machine_source(m, options.stdin_name, options.line_offset);
      while (auto raw = src->next()) {
        batch.bytes += weight(*raw);
        batch.items.push_back(std::move(*raw));
        if (batch.items.size() >= batch_machines || batch.bytes >= options.batch_bytes) {
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

  std::vector<Summary> partial(jobs);
  for (auto &s : partial)
    s.change = change.describe();
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < jobs; ++w)
    workers.emplace_back([&, w] {
      Summary &summary = partial[w];
      Worker worker(change, candidate_changes, options);
      std::vector<Outcome> candidate_outcomes(candidates.size());
      while (true) {
        Batch batch;
        {
          std::unique_lock lock(p.m);
          p.cv_queue.wait(lock, [&] { return !p.queue.empty() || p.reader_done; });
          if (p.queue.empty())
            return;
          batch = std::move(p.queue.front());
          p.queue.pop_front();
          p.queued_bytes -= batch.bytes;
          p.cv_space.notify_one();
        }
        BatchOut out;
        std::uint64_t counted = 0;
        for (const RawMachine &raw : batch.items) {
          if (raw.kind == RawMachine::Kind::skipped) { // not a machine: its notes only
            for (const sim::Diagnostic &n : raw.errors)
              sink.render_note(n, out.diagnostics);
            continue;
          }
          ++counted;
          const MachineResult r = worker.evaluate(raw, candidate_outcomes);
          for (std::size_t i = 0; i < candidates.size(); ++i)
            summary.add_suggestion(candidates[i], candidate_outcomes[i]);
          summary.add(r);
          sink.render(r, out.records, out.diagnostics);
        }
        p.machines += counted;
        batch.items = {}; // the records' memory goes before the wait below
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
  while (true) {
    BatchOut out;
    bool got_batch = false;
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
        got_batch = true;
      }
    }
    if (got_batch)
      sink.write(out.records, out.diagnostics);
    const auto now = std::chrono::steady_clock::now();
    if (now - last > std::chrono::milliseconds(500)) {
      last = now;
      sink.progress({p.machines.load(), p.bytes_done.load(), p.bytes_total,
                     std::chrono::duration<double>(now - start).count()});
    }
  }
  reader.join();
  for (auto &t : workers)
    t.join();

  Summary total;
  total.change = change.describe();
  for (const auto &s : partial)
    total = *merge(total, s);
  return total;
}

} // namespace fltsim::fleet
