// Verification: re-simulate a scenario on every load order the rules allow (ties inside a group,
// L3 and Q4, docs/model.md), or on a stated seeded sample when there are too many.
#include <algorithm>
#include <random>

#include "fltsim/sim/groups.hpp"
#include "internal.hpp"

namespace fltsim::planner {

namespace detail {

bool Context::may_simulate() {
  if (stopped())
    return false;
  if (opt.should_stop && opt.should_stop()) {
    cancelled = true;
    return false;
  }
  if (simulations >= opt.max_simulations) {
    budget_hit = true;
    return false;
  }
  return true;
}

bool Context::take_candidate() {
  if (candidate_plans >= opt.max_candidate_plans) {
    budget_hit = true;
    return false;
  }
  ++candidate_plans;
  return true;
}

sim::SimResult Context::simulate(const sim::Scenario &sc, const sim::SimOptions &so) {
  ++simulations;
  if (simulations % 64 == 0)
    report();
  return sim::simulate(sc, so);
}

const sim::SimResult &Context::simulate(const sim::Scenario &sc, const sim::SimOptions &so,
                                        sim::Workspace &ws) {
  ++simulations;
  if (simulations % 64 == 0)
    report();
  return sim::simulate(sc, so, ws);
}

void Context::set_stage(std::string s) {
  stage = std::move(s);
  report();
}

void Context::report() {
  if (opt.on_progress)
    opt.on_progress(Progress{stage, simulations, candidate_plans});
}

std::string finding_key(const sim::Finding &f) {
  std::string k = f.code;
  for (const std::string &d : f.drivers)
    k += "|" + sim::ascii_lower(d);
  return k;
}

namespace {

bool is_inversion(const sim::Finding &f) {
  return f.code == sim::rule::altitude_inversion;
}

// Simulates the permitted tie orders of `sc` (manifest order first) and calls visit(result)
// until it returns false. Fills the order counts of `v`; sets v.incomplete when the context
// stopped before every planned order ran.
template <class Visit>
void for_each_order(Context &ctx, const sim::Scenario &sc, Verification &v, Visit &&visit) {
  const sim::LoadPlan lp = sim::resolve_load_order(sc);
  std::vector<std::vector<int>> perm;
  v.orders_total = 1;
  for (const sim::TieClass &t : lp.ties) {
    std::vector<int> p(t.drivers.size());
    for (std::size_t i = 0; i < p.size(); ++i)
      p[i] = static_cast<int>(i);
    perm.push_back(std::move(p));
    for (std::uint64_t k = 2; k <= t.drivers.size(); ++k)
      v.orders_total = v.orders_total > UINT64_MAX / k ? UINT64_MAX : v.orders_total * k;
  }
  v.exhaustive = v.orders_total <= ctx.opt.max_exhaustive_orders;
  v.sample_seed = v.exhaustive ? 0 : ctx.opt.sample_seed;
  v.orders_simulated = 0;
  sim::SimOptions so;
  so.record_trace = false;
  so.compute_findings = true;
  sim::Workspace ws; // one engine's buffers for every order
  auto run = [&]() -> bool {
    if (!ctx.may_simulate()) {
      v.incomplete = true;
      return false;
    }
    so.tie_permutation = perm;
    ++v.orders_simulated;
    return visit(ctx.simulate(sc, so, ws));
  };
  if (!run() || perm.empty())
    return;
  if (v.exhaustive) {
    for (;;) {
      std::size_t c = 0;
      while (c < perm.size() && !std::next_permutation(perm[c].begin(), perm[c].end()))
        ++c; // this class wrapped back to identity; carry into the next
      if (c == perm.size())
        return;
      if (!run())
        return;
    }
  }
  std::mt19937_64 rng(ctx.opt.sample_seed);
  const std::uint64_t want = std::max<std::uint64_t>(1, ctx.opt.sample_orders);
  while (v.orders_simulated < want) {
    for (auto &p : perm)
      std::shuffle(p.begin(), p.end(), rng);
    if (!run())
      return;
  }
}

} // namespace

Verification verify_in(Context &ctx, const sim::Scenario &candidate, const FindingKeys &baseline) {
  Verification v;
  std::string first_signature;
  bool failed = false;
  for_each_order(ctx, candidate, v, [&](const sim::SimResult &r) {
    if (!r.input_errors.empty()) {
      failed = true;
      for (const sim::Diagnostic &d : r.input_errors)
        v.failures.push_back({d.code, sim::Severity::error, d.message, {}});
      return false;
    }
    for (const sim::Finding &f : r.findings)
      if (is_inversion(f) || !baseline.contains(finding_key(f)))
        v.failures.push_back(f);
    if (!v.failures.empty()) {
      failed = true;
      return false;
    }
    const std::string sig = sim::outcome_signature(r);
    if (first_signature.empty())
      first_signature = sig;
    else if (sig != first_signature)
      v.order_dependent = true;
    return true;
  });
  v.verified = !failed && !v.incomplete;
  return v;
}

InputCheck check_input(Context &ctx, const sim::Scenario &sc) {
  InputCheck ic;
  Verification &v = ic.verification;
  std::string first_signature;
  bool inverted = false;
  for_each_order(ctx, sc, v, [&](const sim::SimResult &r) {
    for (const sim::Finding &f : r.findings) {
      if (is_inversion(f)) {
        if (!inverted)
          v.failures.push_back(f);
      } else {
        ic.baseline.insert(finding_key(f));
      }
    }
    if (!v.failures.empty())
      inverted = true;
    const std::string sig = sim::outcome_signature(r);
    if (first_signature.empty())
      first_signature = sig;
    else if (sig != first_signature)
      v.order_dependent = true;
    return true; // the whole baseline is needed, so every order runs
  });
  v.verified = !inverted && !v.incomplete;
  return ic;
}

} // namespace detail

Verification verify(const sim::Scenario &candidate, const std::vector<sim::Finding> &baseline,
                    const Options &options) {
  detail::Context ctx(options);
  detail::FindingKeys keys;
  for (const sim::Finding &f : baseline)
    if (f.code != sim::rule::altitude_inversion)
      keys.insert(detail::finding_key(f));
  return detail::verify_in(ctx, candidate, keys);
}

} // namespace fltsim::planner
