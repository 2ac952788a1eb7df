// Planner benchmarks: planning time at 10, 100 and 1000 drivers (docs/performance.md).
//
//   plan/N      planner::plan() on the fleet mix of bench_scenarios.hpp (whatever status the
//               random stack gets: ordered, fixed or infeasible with alternatives)
//   plan_fix/N  planner::plan() on a stack built to need dummies: eight boot-start legacy
//               filters in eight groups, the rest minifilters (half auto-start) in random groups,
//               untagged, so ties are large and verification samples Options::sample_orders
//               orders once there are more than Options::max_exhaustive_orders
//
// Counters: the status (0 ordered, 1 fixed, 2 infeasible, 3 budget-exhausted), dummies,
// simulations run, and the orders the reported verification simulated.
#include <benchmark/benchmark.h>

#include <random>

#include "bench_scenarios.hpp"
#include "fltsim/planner/planner.hpp"
#include "fltsim/sim/groups.hpp"

namespace {

using fltsim::sim::Altitude;
using fltsim::sim::Driver;
using fltsim::sim::DriverKind;
using fltsim::sim::Scenario;
using fltsim::sim::StartType;

Scenario gap_stack(std::size_t drivers) {
  static const char *kLegacyGroups[] = {"FSFilter Open File",   "FSFilter Encryption",
                                        "FSFilter HSM",         "FSFilter Quota Management",
                                        "FSFilter Replication", "FSFilter Anti-Virus",
                                        "FSFilter Undelete",    "FSFilter Activity Monitor"};
  std::mt19937_64 rng(fltsim::bench::kSeed);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  Scenario sc;
  sc.title = "gap stack, " + std::to_string(drivers) + " drivers";
  for (std::size_t i = 0; i < 8 && i < drivers; ++i) {
    Driver d;
    d.name = "Legacy" + std::to_string(i);
    d.kind = DriverKind::legacy;
    d.group = kLegacyGroups[i];
    d.start = StartType::boot;
    sc.drivers.push_back(std::move(d));
  }
  const auto groups = fltsim::sim::documented_groups();
  for (std::size_t i = sc.drivers.size(); i < drivers; ++i) {
    const auto &g = groups[pick(groups.size() - 1)]; // not FSFilter Infrastructure
    Driver d;
    d.name = "Mini" + std::to_string(i);
    d.group = std::string(g.name);
    d.start = pick(2) == 0 ? StartType::automatic : static_cast<StartType>(pick(2));
    const auto lo = std::stoull(std::string(g.low)) / 10;
    const auto hi = std::stoull(std::string(g.high)) / 10;
    const std::string alt = std::to_string((lo + pick(hi - lo)) * 10 + 3) + "." +
                            std::to_string(i % 9 + 1) + std::to_string(i);
    d.instances.push_back({"inst", Altitude::from_literal(alt), 0, {}, {}});
    d.default_instance = "inst";
    sc.drivers.push_back(std::move(d));
  }
  return sc;
}

void run(benchmark::State &state, const Scenario &sc) {
  fltsim::planner::PlanResult p;
  for (auto _ : state) {
    p = fltsim::planner::plan(sc);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(sc.drivers.size()));
  state.counters["status"] = static_cast<double>(p.status);
  state.counters["dummies"] = static_cast<double>(p.dummies.size());
  state.counters["simulations"] = static_cast<double>(p.simulations);
  state.counters["orders"] = static_cast<double>(p.verification.orders_simulated);
}

void BM_plan(benchmark::State &state) {
  run(state, fltsim::bench::input(static_cast<std::size_t>(state.range(0))).scenario);
}

void BM_plan_fix(benchmark::State &state) {
  static std::map<std::size_t, Scenario> cache;
  const auto n = static_cast<std::size_t>(state.range(0));
  auto it = cache.find(n);
  if (it == cache.end())
    it = cache.emplace(n, gap_stack(n)).first;
  run(state, it->second);
}

void plan_sizes(benchmark::internal::Benchmark *b) {
  for (std::int64_t n : {10, 100, 1000})
    b->Args({n, 0});
  b->Unit(benchmark::kMillisecond);
}

} // namespace

BENCHMARK(BM_plan)->Name("plan")->Apply(plan_sizes);
BENCHMARK(BM_plan_fix)->Name("plan_fix")->Apply(plan_sizes);
