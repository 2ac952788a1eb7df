// fltsim-bench-report: turns a Google Benchmark JSON file (run with repetitions and aggregates)
// and the fltsim-bench-mem results into the markdown of docs/performance.md's table section.
//
//   fltsim-bench-report BENCH.json MEM.jsonl [--commit SHA] [--load "1.0 0.9 0.8"]
//                       [--load-after "..."]
//
// Benchmarks are named "<stage>/<size>". For each stage the report gives the median CPU time per
// size, the growth exponent k of time ~ n^k (least-squares fit of log time against log n over the
// sizes >= 1000, where fixed costs no longer dominate) and the local exponent between the two
// largest sizes, which would show a quadratic step that only starts to matter late.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

struct Point {
  double cpu_ms = 0;
  double real_ms = 0;
  double cv = 0; ///< coefficient of variation of the CPU time across repetitions
  json counters = json::object();
};

// stage -> size -> point, in first-seen stage order.
struct Results {
  std::vector<std::string> stages;
  std::map<std::string, std::map<long, Point>> data;
  json context;
};

// A numeric field, or `fallback` when it is missing or null.
double number(const json &j, const char *key, double fallback = 0) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

double to_ms(double t, const std::string &unit) {
  if (unit == "ns")
    return t / 1e6;
  if (unit == "us")
    return t / 1e3;
  if (unit == "s")
    return t * 1e3;
  return t;
}

Results load_bench(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  // Google Benchmark writes NaN (and -NaN, Infinity) for the spread of constant counters; JSON
  // has no such literals, so they become null.
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static const std::regex non_finite(R"((:\s*)-?(NaN|nan|Infinity|inf)\b)");
  text = std::regex_replace(text, non_finite, "$1null");
  const json doc = json::parse(text);
  Results r;
  r.context = doc.value("context", json::object());
  static const std::set<std::string> non_counters = {"name",
                                                     "family_index",
                                                     "per_family_instance_index",
                                                     "run_name",
                                                     "run_type",
                                                     "repetitions",
                                                     "repetition_index",
                                                     "threads",
                                                     "iterations",
                                                     "real_time",
                                                     "cpu_time",
                                                     "time_unit",
                                                     "aggregate_name",
                                                     "aggregate_unit",
                                                     "label",
                                                     "items_per_second",
                                                     "error_occurred",
                                                     "error_message"};
  for (const json &b : doc.at("benchmarks")) {
    const std::string run_name = b.value("run_name", b.value("name", ""));
    const std::string run_type = b.value("run_type", "iteration");
    const std::string agg = b.value("aggregate_name", "");
    if (run_type == "aggregate" && agg != "median" && agg != "cv")
      continue;
    // "<stage>/<size>[/<more args>]": the stage is everything before the first numeric part.
    std::string stage;
    long size = -1;
    for (std::size_t at = 0; at <= run_name.size();) {
      std::size_t end = run_name.find('/', at);
      if (end == std::string::npos)
        end = run_name.size();
      const std::string part = run_name.substr(at, end - at);
      if (!part.empty() && part.find_first_not_of("0123456789") == std::string::npos) {
        size = std::stol(part);
        break;
      }
      stage += (stage.empty() ? "" : "/") + part;
      at = end + 1;
    }
    if (size < 0 || stage.empty())
      continue;
    if (stage.rfind("BM_", 0) == 0)
      stage = stage.substr(3);
    if (!r.data.contains(stage))
      r.stages.push_back(stage);
    Point &p = r.data[stage][size];
    if (agg == "cv") {
      p.cv = number(b, "cpu_time"); // a fraction, not a time
      continue;
    }
    const std::string unit = b.value("time_unit", "ns");
    p.cpu_ms = to_ms(number(b, "cpu_time"), unit);
    p.real_ms = to_ms(number(b, "real_time"), unit);
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!non_counters.contains(it.key()) && it.value().is_number())
        p.counters[it.key()] = it.value();
  }
  return r;
}

struct Mem {
  long baseline_kib = 0;
  std::map<std::string, std::map<long, long>> peak_kib; ///< stage -> drivers -> KiB
  /// stage -> drivers -> CPU ms of each fresh-process run (bench.sh repeats the large sizes)
  std::map<std::string, std::map<long, std::vector<double>>> cpu_ms;
};

Mem load_mem(const std::string &path) {
  Mem m;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '{')
      continue;
    const json j = json::parse(line);
    const std::string stage = j.value("stage", "");
    if (stage == "baseline")
      m.baseline_kib = j.value("peak_kib", 0L);
    else {
      const long n = j.value("drivers", 0L);
      long &peak = m.peak_kib[stage][n];
      peak = std::max(peak, j.value("peak_kib", 0L));
      if (j.contains("cpu_ms"))
        m.cpu_ms[stage][n].push_back(j.value("cpu_ms", 0.0));
    }
  }
  return m;
}

double median(std::vector<double> v) {
  if (v.empty())
    return NAN;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// Least-squares slope of log(t) against log(n).
double fit_exponent(const std::vector<std::pair<double, double>> &pts) {
  if (pts.size() < 2)
    return NAN;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto &[n, t] : pts) {
    const double x = std::log(n), y = std::log(t);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double k = static_cast<double>(pts.size());
  const double den = k * sxx - sx * sx;
  return den == 0 ? NAN : (k * sxy - sx * sy) / den;
}

std::string fmt(const char *f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string ms_text(double ms) {
  if (ms <= 0)
    return "–";
  if (ms < 0.1)
    return fmt("%.3f", ms);
  if (ms < 10)
    return fmt("%.2f", ms);
  if (ms < 1000)
    return fmt("%.1f", ms);
  return fmt("%.0f", ms);
}

std::string size_text(long n) {
  if (n >= 1000 && n % 1000 == 0)
    return std::to_string(n / 1000) + "k";
  return std::to_string(n);
}

const std::map<std::string, std::string> &stage_notes() {
  static const std::map<std::string, std::string> notes = {
      {"parse", "YAML text → Scenario (yaml-cpp + reader): the floor"},
      {"simulate", "YAML text → Scenario → simulate (trace, findings) → JSON text"},
      {"engine", "simulate() with trace and findings"},
      {"engine_bare", "simulate() without trace and findings"},
      {"load_order", "resolve_load_order()"},
      {"render_json", "to_json(...) of a result, streamed to a counting sink"},
      {"tie_orders", "explore_tie_orders(), default options"},
      {"write_yaml", "write_scenario_yaml()"},
      {"dense/engine", "simulate(), 15% legacy filters at every size"},
      {"dense/simulate", "end to end, 15% legacy filters at every size"},
      {"check", "`fltsim check DIR --format json` in process (run_cli); size = files"},
      {"plan", "planner::plan(), fleet mix"},
      {"plan_fix", "planner::plan() on a stack that needs dummies"},
      {"viewer_load", "ViewerState::load(): simulate, stack picture, rows, timeline"},
      {"viewer_edit", "an altitude edit in the drivers table: re-simulate and rebuild"},
      {"viewer_seek", "timeline seek to the middle of the trace"},
  };
  return notes;
}

void print_stage_table(const Results &r, const std::vector<std::string> &stages,
                       const std::string &unit_label) {
  bool any_short_fit = false;
  std::set<long> sizes;
  for (const auto &s : stages)
    for (const auto &[n, p] : r.data.at(s))
      sizes.insert(n);
  std::cout << "| stage (" << unit_label << ")";
  for (long n : sizes)
    std::cout << " | " << size_text(n);
  std::cout << " | k (fit n ≥ 1k) | k (last step) | what |\n|---";
  for (std::size_t i = 0; i < sizes.size() + 3; ++i)
    std::cout << "|---";
  std::cout << "|\n";
  for (const auto &s : stages) {
    const auto &row = r.data.at(s);
    std::cout << "| " << s;
    std::vector<std::pair<double, double>> fit, all;
    for (long n : sizes) {
      auto it = row.find(n);
      if (it == row.end()) {
        std::cout << " | ";
        continue;
      }
      std::cout << " | " << ms_text(it->second.cpu_ms);
      if (it->second.cpu_ms > 0)
        all.emplace_back(static_cast<double>(n), it->second.cpu_ms);
      if (n >= 1000 && it->second.cpu_ms > 0)
        fit.emplace_back(static_cast<double>(n), it->second.cpu_ms);
    }
    // Stages that stop at 1,000: the two largest sizes from 100 on (marked with *).
    bool short_fit = false;
    if (fit.size() < 2 && all.size() >= 2 && all[all.size() - 2].first >= 100) {
      fit.assign(all.end() - 2, all.end());
      short_fit = any_short_fit = true;
    }
    const double k = fit_exponent(fit);
    double last = NAN;
    if (fit.size() >= 2)
      last = fit_exponent({fit[fit.size() - 2], fit.back()});
    auto note = stage_notes().find(s);
    std::cout << " | " << (std::isnan(k) ? "–" : fmt("%.2f", k) + (short_fit ? "*" : "")) << " | "
              << (std::isnan(last) ? "–" : fmt("%.2f", last)) << " | "
              << (note == stage_notes().end() ? "" : note->second) << " |\n";
  }
  if (any_short_fit)
    std::cout << "\n\\* fitted on the two largest sizes measured (100 and 1k).\n";
}

constexpr const char *kMainStages[] = {"parse",      "simulate",    "engine",     "engine_bare",
                                       "load_order", "render_json", "tie_orders", "write_yaml"};

int usage() {
  std::cerr << "usage: fltsim-bench-report BENCH.json MEM.jsonl [--commit SHA] [--load TEXT] "
               "[--load-after TEXT]\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3)
    return usage();
  std::string commit = "unknown", load_before, load_after;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--commit")
      commit = argv[i + 1];
    else if (opt == "--load")
      load_before = argv[i + 1];
    else if (opt == "--load-after")
      load_after = argv[i + 1];
    else
      return usage();
  }
  Results r;
  Mem mem;
  try {
    r = load_bench(argv[1]);
    mem = load_mem(argv[2]);
  } catch (const std::exception &e) {
    std::cerr << "fltsim-bench-report: " << e.what() << "\n";
    return 1;
  }
  const json &ctx = r.context;
  std::cout << "Measured at commit `" << commit << "` on " << ctx.value("host_name", "?") << ": "
            << ctx.value("num_cpus", 0) << " CPUs at " << ctx.value("mhz_per_cpu", 0) << " MHz, "
            << ctx.value("library_build_type", "?")
            << " Google Benchmark library; fltsim built Release. Load average before the run: "
            << (load_before.empty() ? "?" : load_before)
            << ", after: " << (load_after.empty() ? "?" : load_after)
            << ". Times are the median CPU time of the repetitions, in milliseconds.\n\n";

  // Main table: every stage except the dense-legacy and check/planner/viewer families.
  std::vector<std::string> main_stages, dense, other;
  for (const auto &s : r.stages) {
    if (s.rfind("dense/", 0) == 0)
      dense.push_back(s);
    else if (std::find(std::begin(kMainStages), std::end(kMainStages), s) != std::end(kMainStages))
      main_stages.push_back(s);
    else
      other.push_back(s);
  }
  std::cout << "### Scaling with the number of drivers (fleet mix)\n\n";
  print_stage_table(r, main_stages, "ms");

  // The headline numbers.
  std::cout << "\n";
  // simulate's and parse's entries at `n` in a stage -> drivers -> measurement table.
  const auto simulate_and_parse = [](auto &table, long n) {
    using Entry = const typename std::remove_reference_t<decltype(table)>::mapped_type::mapped_type;
    std::optional<std::pair<Entry *, Entry *>> out;
    const auto s = table.find("simulate"), p = table.find("parse");
    if (s == table.end() || p == table.end())
      return out;
    const auto sn = s->second.find(n), pn = p->second.find(n);
    if (sn != s->second.end() && pn != p->second.end())
      out.emplace(&sn->second, &pn->second);
    return out;
  };
  for (long n : {10000L, 100000L})
    if (const auto sp = simulate_and_parse(r.data, n))
      std::cout << "- **simulate / parse at " << size_text(n)
                << " drivers, in the benchmark process: "
                << fmt("%.2f", sp->first->cpu_ms / sp->second->cpu_ms) << "**\n";
  // The same ratio for whole `fltsim simulate`-like processes (start, file read, parse, simulate,
  // JSON streamed out), the median of the fresh-process runs: what a user of the CLI pays, free
  // of the heap state a long benchmark process builds up.
  for (long n : {10000L, 100000L})
    if (const auto sp = simulate_and_parse(mem.cpu_ms, n)) {
      const double sm = median(*sp->first), pm = median(*sp->second);
      std::cout << "- **simulate / parse at " << size_text(n)
                << " drivers, one fresh process per run: " << fmt("%.2f", sm / pm) << "** ("
                << fmt("%.0f", sm) << " / " << fmt("%.0f", pm) << " ms CPU, median of "
                << std::min(sp->first->size(), sp->second->size()) << " runs each)\n";
    }
  for (const char *s : {"engine", "engine_bare"}) {
    if (!r.data.contains(s))
      continue;
    std::vector<std::pair<double, double>> fit;
    for (const auto &[n, p] : r.data[s])
      if (n >= 1000)
        fit.emplace_back(static_cast<double>(n), p.cpu_ms);
    std::cout << "- growth exponent of `" << s << "` (1k–100k): " << fmt("%.2f", fit_exponent(fit))
              << "\n";
  }
  if (r.data.contains("engine")) {
    std::cout << "- engine output at each size (findings / trace steps / frames):";
    for (const auto &[n, p] : r.data["engine"])
      std::cout << " " << size_text(n) << ": " << fmt("%.0f", number(p.counters, "findings"))
                << " / " << fmt("%.0f", number(p.counters, "steps")) << " / "
                << fmt("%.0f", number(p.counters, "frames")) << ";";
    std::cout << "\n";
  }
  double worst_cv = 0;
  std::string worst;
  for (const auto &[s, row] : r.data)
    for (const auto &[n, p] : row)
      if (p.cv > worst_cv) {
        worst_cv = p.cv;
        worst = s + "/" + std::to_string(n);
      }
  if (!worst.empty())
    std::cout << "- largest spread across repetitions: " << fmt("%.0f", worst_cv * 100)
              << "% (coefficient of variation, " << worst << ")\n";

  if (!mem.peak_kib.empty()) {
    std::cout << "\n### Peak memory (MiB, resident set of a fresh process)\n\n";
    std::set<long> sizes;
    for (const auto &[s, row] : mem.peak_kib)
      for (const auto &[n, k] : row)
        sizes.insert(n);
    std::cout << "| stage";
    for (long n : sizes)
      std::cout << " | " << size_text(n);
    std::cout << " | KiB per driver (largest size, above baseline) |\n|---";
    for (std::size_t i = 0; i < sizes.size() + 1; ++i)
      std::cout << "|---";
    std::cout << "|\n";
    for (const auto &[s, row] : mem.peak_kib) {
      std::cout << "| " << s;
      for (long n : sizes) {
        auto it = row.find(n);
        std::cout << " | "
                  << (it == row.end() ? std::string()
                                      : fmt("%.1f", static_cast<double>(it->second) / 1024.0));
      }
      const auto &[n, k] = *row.rbegin();
      std::cout << " | "
                << fmt("%.1f", static_cast<double>(k - mem.baseline_kib) / static_cast<double>(n))
                << " |\n";
    }
    std::cout << "\nBaseline (the process doing nothing): "
              << fmt("%.1f", static_cast<double>(mem.baseline_kib) / 1024.0) << " MiB.\n";
  }

  if (!dense.empty()) {
    std::cout << "\n### Dense legacy mix (quadratic output by nature)\n\n";
    print_stage_table(r, dense, "ms");
    std::cout << "\nfindings per size:";
    for (const auto &[n, p] : r.data[dense.front()])
      std::cout << " " << size_text(n) << ": " << fmt("%.0f", number(p.counters, "findings"))
                << ";";
    std::cout << "\n";
  }
  if (!other.empty()) {
    std::cout
        << "\n### Check, planner and viewer model (size = files for check, drivers otherwise)\n\n";
    print_stage_table(r, other, "ms");
  }
  return 0;
}
