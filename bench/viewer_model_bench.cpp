// Viewer model rebuilds: what the viewer recomputes when a file is opened, on
// every edit in the drivers table (each keystroke that parses) and when the timeline moves.
//
//   viewer_load   ViewerState::load(): simulate, stack picture, table rows, timeline
//   viewer_edit   apply(EditDriver altitude) on a loaded state: re-simulate and rebuild
//   viewer_seek   apply(Seek) to the middle of the trace: the stack as of that step
//
// The planner is left out (an empty PlannerFunction); it has its own benchmark.
#include <benchmark/benchmark.h>

#include "bench_scenarios.hpp"
#include "fltsim/viewer/viewer_state.hpp"

namespace {

using fltsim::bench::input;
namespace viewer = fltsim::viewer;

std::size_t size_arg(const benchmark::State &state) {
  return static_cast<std::size_t>(state.range(0));
}

void BM_viewer_load(benchmark::State &state) {
  const auto &in = input(size_arg(state));
  for (auto _ : state) {
    viewer::ViewerState s{viewer::PlannerFunction{}};
    s.load(in.scenario, "bench.yaml"); // includes copying the scenario in
    benchmark::DoNotOptimize(s.stack_view());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

// Index of a minifilter near the middle of the manifest, whose altitude the edits change.
int edited_driver(const fltsim::sim::Scenario &sc) {
  for (std::size_t i = sc.drivers.size() / 2; i < sc.drivers.size(); ++i)
    if (sc.drivers[i].kind == fltsim::sim::DriverKind::minifilter)
      return static_cast<int>(i);
  return 0;
}

void BM_viewer_edit(benchmark::State &state) {
  const auto &in = input(size_arg(state));
  viewer::ViewerState s{viewer::PlannerFunction{}};
  s.load(in.scenario, "bench.yaml");
  const int d = edited_driver(in.scenario);
  const std::string values[] = {"328000", "328001"};
  std::size_t k = 0;
  for (auto _ : state) {
    s.apply(viewer::intent::EditDriver{d, viewer::DriverField::altitude, values[k++ % 2]});
    benchmark::DoNotOptimize(s.stack_view());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_viewer_seek(benchmark::State &state) {
  const auto &in = input(size_arg(state));
  viewer::ViewerState s{viewer::PlannerFunction{}};
  s.load(in.scenario, "bench.yaml");
  const int steps = static_cast<int>(s.final_result().trace.size());
  const int positions[] = {steps / 2, steps / 2 + 1};
  std::size_t k = 0;
  for (auto _ : state) {
    s.apply(viewer::intent::Seek{positions[k++ % 2]});
    benchmark::DoNotOptimize(s.stack_view());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

// The viewer model rebuild is quadratic today (docs/performance.md): 10,000 drivers already take
// seconds per rebuild, so it runs up to 10,000 drivers, once at that size.
void sizes(benchmark::internal::Benchmark *b) {
  for (std::int64_t n : {10, 100, 1000})
    b->Arg(n);
  b->Unit(benchmark::kMillisecond);
}

void large(benchmark::internal::Benchmark *b) {
  b->Arg(10000)->Repetitions(1)->Unit(benchmark::kMillisecond);
}

} // namespace

BENCHMARK(BM_viewer_load)->Name("viewer_load")->Apply(sizes);
BENCHMARK(BM_viewer_load)->Name("viewer_load")->Apply(large);
BENCHMARK(BM_viewer_edit)->Name("viewer_edit")->Apply(sizes);
BENCHMARK(BM_viewer_edit)->Name("viewer_edit")->Apply(large);
BENCHMARK(BM_viewer_seek)->Name("viewer_seek")->Apply(sizes);
BENCHMARK(BM_viewer_seek)->Name("viewer_seek")->Apply(large);
