// Differential test of the planner against an exhaustive search (docs/planner.md, "Differential
// test"). Seeded random stacks (legacy filters, `kind: both`, minifilters, every group including
// FSFilter System and FSFilter Bottom, tags, ties) are planned, and every answer is checked with
// the engine alone (differential_support.hpp):
//  * `ordered`: the input is clean in every permitted order;
//  * `fixed`: the plan is clean in every permitted order, and no set of fewer grid dummies is;
//  * `infeasible`: no set of up to FLTSIM_PLANNER_DIFF_DEPTH grid dummies (default 3; sets of
//    three come from a coarser grid) is clean, or a replay proves that none can be
//    (diff::unfixable; every tenth proof is re-checked by the search);
//  * every alternative is clean and carries no more dummies than its edited stack needs;
//  * the planner's fallback search alone (Options::gap_analysis = false) reaches the same
//    status and, for `fixed`, the same number of dummies.
// FLTSIM_PLANNER_DIFF_STACKS sets the number of random stacks (default 500; `./test.sh --full`
// runs 5000 or more); the seeds in differential_seeds.txt always run first.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "differential_support.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/planner/planner.hpp"
#include "support.hpp"

using namespace fltsim;
using planner::Status;
namespace diff = fltsim::test::diff;

namespace {

std::uint64_t env_u64(const char *name, std::uint64_t fallback) {
  const char *v = std::getenv(name);
  if (!v || !*v)
    return fallback;
  char *end = nullptr;
  const unsigned long long x = std::strtoull(v, &end, 10);
  return end && *end == '\0' ? x : fallback;
}

/// Seeds kept as regression data: the first token of each non-comment line.
std::vector<std::uint64_t> regression_seeds() {
  std::ifstream in(test::source_root() / "tests" / "planner" / "differential_seeds.txt");
  std::vector<std::uint64_t> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto hash = line.find('#');
    std::istringstream s(line.substr(0, hash));
    std::uint64_t seed = 0;
    if (s >> seed)
      out.push_back(seed);
  }
  return out;
}

struct Tally {
  std::uint64_t stacks = 0;
  std::uint64_t ordered = 0, fixed = 0, infeasible = 0, other = 0;
  std::uint64_t multi = 0;        // fixed with 2+ dummies
  std::uint64_t non_boot = 0;     // fixed with a system- or auto-start dummy
  std::uint64_t alternatives = 0; // alternatives checked
  std::uint64_t disagreements = 0;
  std::uint64_t false_infeasible = 0;
  std::uint64_t not_minimal = 0;
  std::uint64_t proved = 0;         // infeasible stacks with a diff::unfixable proof
  std::uint64_t searched = 0;       // infeasible stacks the search had to exhaust
  std::uint64_t proofs_checked = 0; // proofs re-checked by the plain search
  std::uint64_t fallback = 0;       // fixed plans found by the planner's fallback search
  diff::Counter search;
};

std::string plan_text(const std::vector<planner::DummyFilter> &ds) {
  std::string s;
  for (const planner::DummyFilter &d : ds)
    s += (s.empty() ? "" : "; ") + d.group + " " + sim::to_string(d.start) + " " +
         d.altitude.text() + (d.tag ? " tag " + std::to_string(*d.tag) : "");
  return s.empty() ? "no dummy" : s;
}

void disagree(Tally &t, std::uint64_t seed, const sim::Scenario &sc, const std::string &what) {
  ++t.disagreements;
  FAIL_CHECK("seed ", seed, ": ", what, "\n", manifest::write_scenario_yaml(sc));
}

/// The grids of one stack: every candidate for up to two dummies, the coarse one for three.
struct Grids {
  std::vector<diff::Candidate> fine, coarse;
  explicit Grids(const sim::Scenario &sc) : fine(diff::grid(sc)), coarse(diff::grid(sc, true)) {}
};

/// The smallest k in [from, to] for which the search finds a clean set of k grid dummies (the
/// fine grid up to two, the coarse one for three or more), with a description of the set.
std::optional<std::pair<std::size_t, std::string>> smallest_fix(const sim::Scenario &sc,
                                                                std::size_t from, std::size_t to,
                                                                const std::set<std::string> &base,
                                                                diff::Counter &c) {
  if (to >= 1 && diff::unfixable(sc, c))
    to = 0; // no dummy set can help (see there); only the empty set is left to try
  std::optional<Grids> grids;
  for (std::size_t k = from; k <= to; ++k) {
    if (k == 0) {
      if (diff::clean(sc, base, c))
        return std::make_pair(k, std::string("no dummy"));
      continue;
    }
    if (!grids)
      grids.emplace(sc);
    const std::vector<diff::Candidate> &pool = k <= 2 ? grids->fine : grids->coarse;
    if (auto s = diff::search(sc, pool, k, base, c))
      return std::make_pair(k, diff::describe(pool, *s));
  }
  return std::nullopt;
}

/// Every alternative applies, is clean, and adds no more dummies than its edited stack needs.
void check_alternatives(Tally &t, std::uint64_t seed, const sim::Scenario &sc,
                        const planner::PlanResult &p, std::size_t depth,
                        const std::set<std::string> &base) {
  for (const planner::Alternative &a : p.alternatives) {
    ++t.alternatives;
    sim::Diagnostic error;
    const auto edited = planner::apply_edits(sc, a.edits, &error);
    if (!edited) {
      disagree(t, seed, sc, "alternative '" + a.description + "' does not apply: " + error.message);
      continue;
    }
    if (!diff::clean(planner::apply_dummies(*edited, a.dummies), base, t.search))
      disagree(t, seed, sc, "alternative '" + a.description + "' is not clean");
    const std::size_t d = a.dummies.size();
    if (d >= 1)
      if (auto s = smallest_fix(*edited, 0, std::min(d - 1, depth), base, t.search)) {
        ++t.not_minimal;
        disagree(t, seed, sc,
                 "alternative '" + a.description + "' adds " + std::to_string(d) + " dummies (" +
                     plan_text(a.dummies) + "), but " + std::to_string(s->first) +
                     " work on the edited stack: " + s->second);
      }
  }
}

void check_stack(std::uint64_t seed, std::size_t depth, Tally &t) {
  const sim::Scenario sc = diff::random_stack(seed);
  if (!sim::simulate(sc).input_errors.empty())
    return; // the generator makes none; a stack with input errors is not a planning problem
  ++t.stacks;
  diff::Counter &c = t.search;
  const std::set<std::string> base = diff::baseline(sc, c);
  planner::Options opt;
  opt.max_exhaustive_orders = 1000000; // the stacks are small: verify every order
  const planner::PlanResult p = planner::plan(sc, opt);
  if (const char *dir = std::getenv("FLTSIM_PLANNER_DIFF_DUMP"); dir && *dir) {
    // Debugging aid: every stack as DIR/<status>-<seed>.yaml, for `fltsim plan`.
    std::ofstream(std::string(dir) + "/" + planner::to_string(p.status) + "-" +
                  std::to_string(seed) + ".yaml")
        << manifest::write_scenario_yaml(sc);
  }
  // The fallback search alone (no gap analysis) must find a plan of the same size: it tries
  // every set of candidate gaps by increasing size, one-dummy sets first.
  std::optional<planner::PlanResult> searched;
  if (p.status != Status::ordered) {
    planner::Options so = opt;
    so.gap_analysis = false;
    so.alternatives = false;
    searched = planner::plan(sc, so);
  }
  switch (p.status) {
  case Status::ordered:
    ++t.ordered;
    if (!diff::clean(sc, base, c))
      disagree(t, seed, sc, "`ordered`, but some permitted order has an inversion");
    break;
  case Status::fixed: {
    ++t.fixed;
    t.multi += p.dummies.size() > 1;
    t.non_boot += std::any_of(p.dummies.begin(), p.dummies.end(),
                              [](const auto &d) { return d.start != sim::StartType::boot; });
    t.fallback += std::any_of(p.notes.begin(), p.notes.end(), [](const std::string &n) {
      return n.find("searching") != std::string::npos;
    });
    if (!diff::clean(p.fixed_scenario, base, c))
      disagree(t, seed, sc, "`fixed` with " + plan_text(p.dummies) + ", which is not clean");
    if (diff::clean(sc, base, c))
      disagree(t, seed, sc, "`fixed`, but the input is already clean");
    const std::size_t d = p.dummies.size();
    if (d >= 2)
      if (auto s = smallest_fix(sc, 1, std::min(d - 1, depth), base, c)) {
        ++t.not_minimal;
        disagree(t, seed, sc,
                 "`fixed` with " + std::to_string(d) + " dummies (" + plan_text(p.dummies) +
                     "), but " + std::to_string(s->first) + " work: " + s->second);
      }
    if (searched->status != Status::fixed || searched->dummies.size() != d)
      disagree(t, seed, sc,
               "`fixed` with " + std::to_string(d) + " dummies, but the fallback search alone " +
                   "gives `" + planner::to_string(searched->status) + "` with " +
                   std::to_string(searched->dummies.size()));
    else if (!diff::clean(searched->fixed_scenario, base, c))
      disagree(t, seed, sc, "the fallback search's plan is not clean");
    check_alternatives(t, seed, sc, p, depth, base);
    break;
  }
  case Status::infeasible: {
    ++t.infeasible;
    if (diff::clean(sc, base, c))
      disagree(t, seed, sc, "`infeasible`, but the input is already clean");
    const bool proved = diff::unfixable(sc, c);
    ++(proved ? t.proved : t.searched);
    if (proved && seed % 10 == 0) {
      // Every tenth proof is checked against the plain search (up to two fine-grid dummies).
      const Grids g(sc);
      for (std::size_t k = 1; k <= std::min<std::size_t>(depth, 2); ++k)
        if (auto s = diff::search(sc, g.fine, k, base, c))
          disagree(t, seed, sc,
                   "diff::unfixable proved it unfixable, but " + diff::describe(g.fine, *s) +
                       " works");
      ++t.proofs_checked;
    }
    if (auto s = proved ? std::nullopt : smallest_fix(sc, 1, depth, base, c)) {
      ++t.false_infeasible;
      disagree(t, seed, sc,
               "`infeasible` (" + p.explanation + "), but " + std::to_string(s->first) +
                   " grid dummies work: " + s->second);
    }
    if (searched->status != Status::infeasible)
      disagree(t, seed, sc,
               std::string("`infeasible`, but the fallback search alone gives `") +
                   planner::to_string(searched->status) + "`");
    check_alternatives(t, seed, sc, p, depth, base);
    break;
  }
  default:
    ++t.other;
    disagree(t, seed, sc,
             std::string("unexpected status ") + planner::to_string(p.status) + ": " +
                 p.explanation);
  }
}

} // namespace

TEST_SUITE("planner differential") {

  TEST_CASE("differential: the planner agrees with an exhaustive search over grid dummies") {
    const std::uint64_t stacks = env_u64("FLTSIM_PLANNER_DIFF_STACKS", 500);
    const std::uint64_t first = env_u64("FLTSIM_PLANNER_DIFF_FIRST_SEED", 1);
    const std::size_t depth = static_cast<std::size_t>(env_u64("FLTSIM_PLANNER_DIFF_DEPTH", 3));
    const auto start = std::chrono::steady_clock::now();
    Tally t;
    const std::vector<std::uint64_t> kept = regression_seeds();
    REQUIRE_MESSAGE(!kept.empty(), "tests/planner/differential_seeds.txt is missing or empty");
    for (std::uint64_t seed : kept) {
      CAPTURE(seed);
      check_stack(seed, depth, t);
    }
    const std::uint64_t regression_stacks = t.stacks;
    for (std::uint64_t i = 0; i < stacks; ++i) {
      const std::uint64_t seed = first + i;
      CAPTURE(seed);
      check_stack(seed, depth, t);
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MESSAGE("differential: checked ", t.stacks, " stacks (", regression_stacks,
            " regression seeds, ", t.stacks - regression_stacks, " random from seed ", first,
            "), search depth ", depth, ": ordered ", t.ordered, ", fixed ", t.fixed, " (", t.multi,
            " with 2+ dummies, ", t.non_boot, " with a non-boot dummy, ", t.fallback,
            " from the fallback search), infeasible ", t.infeasible, " (", t.proved,
            " proved from a replay (", t.proofs_checked,
            " of the proofs re-checked by the search), ", t.searched, " searched; ", t.alternatives,
            " alternatives), other ", t.other, "; disagreements ", t.disagreements,
            " (false infeasible ", t.false_infeasible, ", not minimal ", t.not_minimal, "); ",
            t.search.simulations, " oracle simulations in ", secs, " s");
    CHECK(t.disagreements == 0);
    // The generator reaches every outcome.
    if (stacks >= 200) {
      CHECK(t.ordered > 0);
      CHECK(t.fixed > 0);
      CHECK(t.multi > 0);
      CHECK(t.infeasible > 0);
    }
  }

} // TEST_SUITE
