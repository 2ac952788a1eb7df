// fltsim-bench-mem: peak memory of one stage in a fresh process (docs/performance.md).
//
//   fltsim-bench-mem gen N FILE     writes the benchmark scenario of N drivers to FILE
//   fltsim-bench-mem STAGE FILE     runs STAGE on FILE and prints one JSON line with the
//                                   process's peak resident set (getrusage ru_maxrss, KiB)
//
// Stages: baseline (nothing: the process's own footprint), parse (read + decode + YAML ->
// Scenario, as `fltsim simulate` loads a file), simulate (parse, then simulate with trace and
// findings, then the JSON document written to /dev/null, as `fltsim simulate --format json`).
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>

#include "bench_scenarios.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/sim/engine.hpp"
#include "report.hpp"

namespace {

/// User + system CPU time of this process so far: the whole run of a stage, process start and
/// file read included, as a user of `fltsim simulate` pays it.
double cpu_ms() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  const auto ms = [](const timeval &t) {
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
  };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

long peak_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss; // KiB on Linux
}

int usage() {
  std::cerr << "usage: fltsim-bench-mem gen N FILE | fltsim-bench-mem "
               "baseline|parse|simulate FILE\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3)
    return usage();
  const std::string stage = argv[1];
  if (stage == "gen") {
    if (argc != 4)
      return usage();
    const auto n = static_cast<std::size_t>(std::stoull(argv[2]));
    std::ofstream(argv[3], std::ios::binary)
        << fltsim::manifest::write_scenario_yaml(fltsim::bench::make_scenario(n));
    return 0;
  }
  const std::string file = argv[2];
  long drivers = -1;
  if (stage == "parse" || stage == "simulate") {
    const fltsim::manifest::ScenarioLoad load = fltsim::inputs::load_scenario_file(file);
    if (!load.scenario) {
      std::cerr << file << ": does not load\n";
      return 1;
    }
    drivers = static_cast<long>(load.scenario->drivers.size());
    if (stage == "simulate") {
      const fltsim::sim::SimResult r = fltsim::sim::simulate(*load.scenario);
      std::ofstream sink("/dev/null"); // streamed, as `fltsim simulate --format json` does
      sink << std::setw(2) << fltsim::cli::to_json(*load.scenario, r, false) << "\n";
    }
  } else if (stage != "baseline") {
    return usage();
  }
  std::cout << "{\"stage\": \"" << stage << "\", \"drivers\": " << drivers
            << ", \"peak_kib\": " << peak_kib() << ", \"cpu_ms\": " << cpu_ms() << "}\n";
  return 0;
}
