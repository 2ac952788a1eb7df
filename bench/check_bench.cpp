// `fltsim check DIR` over directories of 10 to 10,000 manifest files (docs/performance.md): one
// per-driver YAML manifest per file, the drivers of the benchmark scenario of that size. Runs
// the real command in process through run_cli (file walk, reads, merge, simulate, tie-order
// exploration with check's default --max-orders, rules, JSON report).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "bench_scenarios.hpp"
#include "run_cli.hpp"

namespace {

namespace fs = std::filesystem;

// A per-driver manifest (the keys of a `drivers:` entry, parse_driver_yaml). The generator's
// names, groups and altitudes are plain YAML scalars, so no quoting is needed.
std::string driver_yaml(const fltsim::sim::Driver &d) {
  std::ostringstream y;
  y << "name: " << d.name << "\nkind: " << fltsim::sim::to_string(d.kind) << "\n";
  if (d.group)
    y << "group: " << *d.group << "\n";
  y << "start: " << fltsim::sim::to_string(d.start) << "\n";
  if (d.tag)
    y << "tag: " << *d.tag << "\n";
  if (!d.depends_on.empty()) {
    y << "depends_on:\n";
    for (const std::string &s : d.depends_on)
      y << "  - " << s << "\n";
  }
  if (!d.instances.empty()) {
    y << "instances:\n";
    for (const fltsim::sim::Instance &i : d.instances) {
      y << "  - name: " << i.name << "\n    altitude: " << i.altitude.text() << "\n";
      if (i.flags != 0)
        y << "    flags: " << i.flags << "\n";
    }
    if (d.default_instance)
      y << "default_instance: " << *d.default_instance << "\n";
  }
  return y.str();
}

// Writes (once per process) a directory with one manifest per driver.
const fs::path &manifest_dir(std::size_t files) {
  static std::map<std::size_t, fs::path> dirs;
  auto it = dirs.find(files);
  if (it != dirs.end())
    return it->second;
  const fs::path dir = fs::temp_directory_path() / "fltsim-bench-check" / std::to_string(files);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fltsim::sim::Scenario sc = fltsim::bench::make_scenario(files);
  for (const fltsim::sim::Driver &d : sc.drivers)
    std::ofstream(dir / (d.name + ".yaml")) << driver_yaml(d);
  return dirs.emplace(files, dir).first->second;
}

void BM_check(benchmark::State &state) {
  const std::string dir = manifest_dir(static_cast<std::size_t>(state.range(0))).string();
  const char *argv[] = {"fltsim", "check", dir.c_str(), "--format", "json"};
  int code = 0;
  std::size_t out_bytes = 0;
  for (auto _ : state) {
    std::ostringstream out, err;
    code = fltsim::cli::run_cli(5, argv, out, err);
    out_bytes = out.str().size();
    benchmark::DoNotOptimize(out_bytes);
  }
  if (code != 0 && code != 1) // 1 = findings, expected for random stacks
    state.SkipWithError("fltsim check failed");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.counters["exit_code"] = code;
  state.counters["out_bytes"] = static_cast<double>(out_bytes);
}

} // namespace

BENCHMARK(BM_check)->Name("check")->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Unit(
    benchmark::kMillisecond);
