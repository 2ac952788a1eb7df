// Parsing, simulation and exploration benchmarks (docs/performance.md). Names are
// "<stage>/<drivers>"; bench/report_main.cpp turns them into the docs/performance.md table.
//
//   parse        YAML text -> Scenario (yaml-cpp + fltsim's reader): the floor
//   simulate     YAML text -> Scenario -> simulate (trace + findings) -> JSON text, as
//                `fltsim simulate --format json` does minus the file read
//   engine       simulate() alone, with trace and findings (CLI defaults)
//   engine_bare  simulate() without trace and findings (what tie exploration runs per order)
//   load_order   resolve_load_order() alone
//   render_json  to_json(...).dump(2) alone
//   tie_orders   explore_tie_orders() with its default options
//   write_yaml   write_scenario_yaml()
//
// All of these use the fleet mix (bench_scenarios.hpp). dense/engine and dense/simulate repeat
// engine and simulate with the dense legacy mix, whose findings grow quadratically.
#include <benchmark/benchmark.h>
#include <iomanip>
#include <ostream>

#include "bench_scenarios.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/load_order.hpp"
#include "report.hpp"

namespace {

using fltsim::bench::input;
using fltsim::bench::Mix;

Mix mix_arg(const benchmark::State &state) {
  return state.range(1) == 0 ? Mix::fleet : Mix::dense;
}

std::size_t size_arg(const benchmark::State &state) {
  return static_cast<std::size_t>(state.range(0));
}

void set_drivers_per_second(benchmark::State &state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

/// A stream sink that discards what is written and counts it: the size of a report without
/// keeping it, buffered like a file stream so the serializer is timed as the CLI runs it.
class CountingSink : public std::streambuf {
public:
  CountingSink() { setp(buf_, buf_ + sizeof buf_); }
  std::size_t bytes() const { return flushed_ + static_cast<std::size_t>(pptr() - pbase()); }
  void reset() {
    flushed_ = 0;
    setp(buf_, buf_ + sizeof buf_);
  }

protected:
  int_type overflow(int_type c) override {
    flushed_ += static_cast<std::size_t>(pptr() - pbase());
    setp(buf_, buf_ + sizeof buf_);
    if (!traits_type::eq_int_type(c, traits_type::eof()))
      sputc(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }

private:
  char buf_[8192];
  std::size_t flushed_ = 0;
};

void BM_parse(benchmark::State &state) {
  const auto &in = input(size_arg(state));
  for (auto _ : state) {
    auto load = fltsim::manifest::parse_scenario_yaml(in.yaml, "bench.yaml");
    benchmark::DoNotOptimize(load);
  }
  set_drivers_per_second(state);
  state.counters["yaml_bytes"] = static_cast<double>(in.yaml.size());
}

void BM_simulate(benchmark::State &state) {
  const auto &in = input(size_arg(state), mix_arg(state));
  // Like `fltsim simulate --format json`, the report is streamed to the output (here a sink that
  // counts it) instead of being built as one string first.
  CountingSink counter;
  std::ostream sink(&counter);
  std::size_t out_bytes = 0;
  for (auto _ : state) {
    counter.reset();
    auto load = fltsim::manifest::parse_scenario_yaml(in.yaml, "bench.yaml");
    const fltsim::sim::SimResult r = fltsim::sim::simulate(*load.scenario);
    sink << std::setw(2) << fltsim::cli::to_json(*load.scenario, r, false) << "\n";
    out_bytes = counter.bytes();
  }
  set_drivers_per_second(state);
  state.counters["out_bytes"] = static_cast<double>(out_bytes);
}

void BM_engine(benchmark::State &state) {
  const auto &in = input(size_arg(state), mix_arg(state));
  std::size_t findings = 0, steps = 0, frames = 0;
  for (auto _ : state) {
    fltsim::sim::SimResult r = fltsim::sim::simulate(in.scenario);
    findings = r.findings.size();
    steps = r.trace.size();
    frames = r.frames.size();
    benchmark::DoNotOptimize(r);
  }
  set_drivers_per_second(state);
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["frames"] = static_cast<double>(frames);
}

void BM_engine_bare(benchmark::State &state) {
  const auto &in = input(size_arg(state));
  fltsim::sim::SimOptions opt;
  opt.record_trace = false;
  opt.compute_findings = false;
  for (auto _ : state) {
    fltsim::sim::SimResult r = fltsim::sim::simulate(in.scenario, opt);
    benchmark::DoNotOptimize(r);
  }
  set_drivers_per_second(state);
}

void BM_load_order(benchmark::State &state) {
  const auto &in = input(size_arg(state));
  std::size_t ties = 0;
  for (auto _ : state) {
    fltsim::sim::LoadPlan plan = fltsim::sim::resolve_load_order(in.scenario);
    ties = plan.ties.size();
    benchmark::DoNotOptimize(plan);
  }
  set_drivers_per_second(state);
  state.counters["tie_classes"] = static_cast<double>(ties);
}

void BM_render_json(benchmark::State &state) {
  const auto &in = input(size_arg(state));
  const fltsim::sim::SimResult r = fltsim::sim::simulate(in.scenario);
  CountingSink counter;
  std::ostream sink(&counter);
  for (auto _ : state)
    sink << std::setw(2) << fltsim::cli::to_json(in.scenario, r, false) << "\n";
  set_drivers_per_second(state);
}

void BM_tie_orders(benchmark::State &state) {
  const auto &in = input(size_arg(state));
  fltsim::sim::TieExploration ex;
  for (auto _ : state) {
    ex = fltsim::sim::explore_tie_orders(in.scenario);
    benchmark::DoNotOptimize(ex);
  }
  set_drivers_per_second(state);
  state.counters["orders_tried"] = static_cast<double>(ex.orders_tried);
  state.counters["order_dependent"] = ex.order_dependent ? 1 : 0;
}

void BM_write_yaml(benchmark::State &state) {
  const auto &in = input(size_arg(state));
  for (auto _ : state) {
    std::string out = fltsim::manifest::write_scenario_yaml(in.scenario);
    benchmark::DoNotOptimize(out);
  }
  set_drivers_per_second(state);
}

// 10 to 10,000 drivers, with the repetitions given on the command line (bench.sh: 3).
void sizes(benchmark::internal::Benchmark *b) {
  for (std::int64_t n : {10, 100, 1000, 10000})
    b->Args({n, 0});
  b->Unit(benchmark::kMillisecond);
}

// 100,000 drivers: one repetition. These runs take seconds each, so one run is already long
// against timer and scheduling noise, and three would push ./bench.sh past ten minutes.
void large(benchmark::internal::Benchmark *b) {
  b->Args({100000, 0})->Repetitions(1)->Unit(benchmark::kMillisecond);
}

// Dense mix. Its findings grow quadratically: 10,000 drivers give 1.9 million findings (a 700 MB
// JSON report), 100,000 would give some 10^8. Both stages run up to 1,000 drivers, and the engine
// alone once at 10,000.
void dense_sizes(benchmark::internal::Benchmark *b) {
  for (std::int64_t n : {10, 100, 1000})
    b->Args({n, 1});
  b->Unit(benchmark::kMillisecond);
}

void dense_large(benchmark::internal::Benchmark *b) {
  b->Args({10000, 1})->Repetitions(1)->Unit(benchmark::kMillisecond);
}

} // namespace

// Names are "<stage>/<drivers>/<mix>"; the report reads the stage and the size.
#define FLTSIM_BENCH_SIZES(fn, name)                                                               \
  BENCHMARK(fn)->Name(name)->Apply(sizes);                                                         \
  BENCHMARK(fn)->Name(name)->Apply(large)
FLTSIM_BENCH_SIZES(BM_parse, "parse");
FLTSIM_BENCH_SIZES(BM_simulate, "simulate");
FLTSIM_BENCH_SIZES(BM_engine, "engine");
FLTSIM_BENCH_SIZES(BM_engine_bare, "engine_bare");
FLTSIM_BENCH_SIZES(BM_load_order, "load_order");
FLTSIM_BENCH_SIZES(BM_render_json, "render_json");
FLTSIM_BENCH_SIZES(BM_tie_orders, "tie_orders");
FLTSIM_BENCH_SIZES(BM_write_yaml, "write_yaml");
BENCHMARK(BM_engine)->Name("dense/engine")->Apply(dense_sizes);
BENCHMARK(BM_engine)->Name("dense/engine")->Apply(dense_large);
BENCHMARK(BM_simulate)->Name("dense/simulate")->Apply(dense_sizes);
