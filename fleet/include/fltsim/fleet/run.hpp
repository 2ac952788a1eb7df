#pragma once
// The fleet pipeline (docs/fleet.md#streaming-and-parallelism): many machines through one change,
// streamed. One reader thread cuts the inputs into batches (at most `batch_machines` machines or
// `batch_bytes` bytes of records, whichever comes first) into a bounded queue; `jobs` workers read,
// simulate and classify; the calling thread hands finished batches to the sink in input order,
// holding a bounded window of them. Memory is bounded by the queue, the window and the per-worker
// cache, not by the fleet.
//
//   struct Quiet : fltsim::fleet::Sink {
//     void render(const fltsim::fleet::MachineResult &, std::string &, std::string &) const
//     override {} void write(const std::string &, const std::string &) override {}
//   } sink;
//   fltsim::fleet::Change change;
//   change.add = drivers_of_the_new_release;
//   const fltsim::fleet::Summary s = fltsim::fleet::run({"fleet.jsonl"}, change, {}, sink);
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fltsim/fleet/fleet.hpp"
#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::fleet {

struct RunOptions {
  unsigned jobs = 0;    ///< worker threads; 0 = every core
  bool suggest = false; ///< also evaluate suggestion_candidates(change) on every machine
  /// Name and first line number - 1 of the lines of "-" (a partition of a larger file handed
  /// over a pipe reports that file's own name and lines).
  std::string stdin_name = "<stdin>";
  int line_offset = 0;
  /// Applied to every machine's scenario before it is simulated (--baseline puts a Windows
  /// baseline under it). Called on worker threads; empty = none.
  std::function<sim::Scenario(const sim::Scenario &)> underlay;
  std::size_t batch_machines = 256;   ///< machines per batch at most
  std::size_t batch_bytes = 1u << 20; ///< record bytes per batch at most (one record may exceed it)
  std::size_t queue_bytes = 16u << 20; ///< record bytes waiting for a worker at most
};

/// How far a run is, for a progress line.
struct Progress {
  std::uint64_t machines = 0;
  std::uint64_t bytes_done = 0;
  std::uint64_t bytes_total = 0; ///< 0 = unknown (pipes)
  double seconds = 0;
};

/// Where a run's per-machine output goes.
class Sink {
public:
  virtual ~Sink() = default;
  /// On worker threads, concurrently: appends one machine's output to its batch's text (records
  /// for standard output, diagnostics for standard error). Must not touch shared state.
  virtual void render(const MachineResult &r, std::string &records,
                      std::string &diagnostics) const = 0;
  /// The same for a note about the input that is no machine (a FIFO in a machine folder,
  /// skipped).
  virtual void render_note(const sim::Diagnostic &note, std::string &diagnostics) const = 0;
  /// On run()'s thread, in input order.
  virtual void write(const std::string &records, const std::string &diagnostics) = 0;
  /// On run()'s thread, about twice a second while the run lasts.
  virtual void progress(const Progress & /*p*/) {}
};

/// Runs `change` over every machine of `sources` (open_machine_source arguments: JSONL files,
/// "-", machine directory trees, osquery logs) and returns the summary. Bad records never stop
/// the run: each is an input_error result, rendered and counted.
[[nodiscard]] Summary run(const std::vector<std::string> &sources, const Change &change,
                          const RunOptions &options, Sink &sink);

} // namespace fltsim::fleet
