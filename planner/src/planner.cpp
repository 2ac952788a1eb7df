// plan(): input check, gap analysis, dummy placement, verification, fallback search, alternatives
// (docs/planner.md).
#include "fltsim/planner/planner.hpp"

#include <algorithm>
#include <charconv>

#include "fltsim/sim/groups.hpp"
#include "internal.hpp"

namespace fltsim::planner {

const char *to_string(Status s) {
  switch (s) {
  case Status::ordered:
    return "ordered";
  case Status::fixed:
    return "fixed";
  case Status::infeasible:
    return "infeasible";
  case Status::budget_exhausted:
    return "budget-exhausted";
  case Status::cancelled:
    return "cancelled";
  }
  return "?";
}

const char *to_string(Placement p) {
  return p == Placement::between_groups ? "between-groups" : "same-group";
}

sim::Scenario apply_dummies(const sim::Scenario &scenario,
                            const std::vector<DummyFilter> &dummies) {
  sim::Scenario out = scenario;
  for (const DummyFilter &d : dummies) {
    sim::Driver x;
    x.name = d.name;
    x.kind = sim::DriverKind::minifilter;
    x.group = d.group;
    x.start = d.start;
    x.tag = d.tag;
    x.depends_on = {"FltMgr"};
    const std::string inst = d.instance_name.empty() ? d.name + " Instance" : d.instance_name;
    x.instances.push_back({inst, d.altitude, d.instance_flags, {}, {}});
    x.default_instance = inst;
    out.drivers.push_back(std::move(x));
    if (d.group_order) {
      std::string key = d.group_order->group;
      for (const auto &[k, v] : out.group_order_list)
        if (sim::iequals(k, key))
          key = k;
      out.group_order_list[key] = d.group_order->tags;
    }
  }
  return out;
}

namespace {

bool parse_u32(const std::string &s, std::uint32_t &v) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

} // namespace

std::optional<sim::Scenario> apply_edits(const sim::Scenario &scenario,
                                         const std::vector<Edit> &edits, std::string *error) {
  sim::Scenario out = scenario;
  auto fail = [&](std::string why) -> std::optional<sim::Scenario> {
    if (error)
      *error = std::move(why);
    return std::nullopt;
  };
  for (const Edit &e : edits) {
    if (e.field == "group_order_list") {
      std::vector<std::uint32_t> tags;
      std::size_t start = 0;
      while (start <= e.value.size() && !e.value.empty()) {
        const std::size_t comma = e.value.find(',', start);
        const std::string item =
            e.value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        std::uint32_t t = 0;
        if (!parse_u32(item, t))
          return fail("group_order_list value '" + e.value + "' is not a comma-separated tag list");
        tags.push_back(t);
        if (comma == std::string::npos)
          break;
        start = comma + 1;
      }
      std::string key = e.group;
      for (const auto &[k, v] : out.group_order_list)
        if (sim::iequals(k, key))
          key = k;
      out.group_order_list[key] = std::move(tags);
      continue;
    }
    const int i = out.find_driver(e.driver);
    if (i < 0)
      return fail("edit names driver '" + e.driver + "', which is not in the scenario");
    sim::Driver &d = out.drivers[static_cast<std::size_t>(i)];
    if (e.field == "start") {
      auto s = sim::parse_start_type(e.value);
      if (!s)
        return fail("'" + e.value + "' is not a start type");
      d.start = *s;
    } else if (e.field == "group") {
      d.group = e.value;
    } else if (e.field == "tag") {
      std::uint32_t t = 0;
      if (!parse_u32(e.value, t))
        return fail("tag '" + e.value + "' is not a number");
      d.tag = t;
    } else if (e.field == "kind") {
      auto k = sim::parse_driver_kind(e.value);
      if (!k)
        return fail("'" + e.value + "' is not a driver kind");
      d.kind = *k;
    } else if (e.field == "altitude") {
      std::string why;
      auto a = sim::Altitude::parse(e.value, &why);
      if (!a)
        return fail(why);
      sim::Instance *def = nullptr;
      for (sim::Instance &inst : d.instances)
        if (d.default_instance && sim::iequals(inst.name, *d.default_instance))
          def = &inst;
      if (def) {
        def->altitude = *a;
      } else {
        const std::string inst = d.name + " Instance";
        d.instances.push_back({inst, *a, 0, {}, {}});
        d.default_instance = inst;
      }
    } else if (e.field == "load_events" && e.value == "remove") {
      std::erase_if(out.events, [&](const sim::Event &ev) {
        return ev.kind == sim::Event::Kind::load && sim::iequals(ev.driver, d.name);
      });
    } else {
      return fail("unknown edit field '" + e.field + "'");
    }
  }
  return out;
}

namespace {

using detail::Analysis;
using detail::Context;
using detail::FindingKeys;

sim::SimOptions with_trace() {
  sim::SimOptions so;
  so.record_trace = true;
  so.compute_findings = true;
  return so;
}

PlanResult &stopped(PlanResult &r, const Context &ctx) {
  r.status = ctx.cancelled ? Status::cancelled : Status::budget_exhausted;
  r.dummies.clear();
  r.effects.clear();
  const Options &o = ctx.opt;
  r.explanation = ctx.cancelled
                      ? "Planning was cancelled during '" + ctx.stage + "' after " +
                            std::to_string(ctx.simulations) + " simulations; no plan was verified."
                      : "Planning stopped during '" + ctx.stage + "' after " +
                            std::to_string(ctx.simulations) + " simulations and " +
                            std::to_string(ctx.candidate_plans) +
                            " candidate plans (limits: " + std::to_string(o.max_simulations) +
                            " simulations, " + std::to_string(o.max_candidate_plans) +
                            " candidate plans); no plan was verified, so none is reported.";
  if (r.lower_bound > 0)
    r.explanation += " Any dummy plan needs at least " + std::to_string(r.lower_bound) +
                     (r.lower_bound == 1 ? " dummy." : " dummies.");
  return r;
}

class Planner {
public:
  explicit Planner(Context &ctx) : ctx_(ctx), opt_(ctx.opt) {}

  /// `fixed_baseline`: findings that do not count as new (nested plans for alternatives use the
  /// outer input's); nullptr = the input's own findings over every permitted order.
  PlanResult run(const sim::Scenario &sc, const FindingKeys *fixed_baseline, bool alternatives) {
    PlanResult r;
    r.fixed_scenario = sc;
    ctx_.set_stage("check input");
    if (!ctx_.may_simulate())
      return stopped(r, ctx_);
    r.before = ctx_.simulate(sc, with_trace());
    r.before_findings = r.before.findings;
    if (!r.before.input_errors.empty()) {
      r.status = Status::infeasible;
      r.explanation = "The scenario has input errors, so it cannot be planned: ";
      for (std::size_t i = 0; i < r.before.input_errors.size(); ++i)
        r.explanation += (i ? "; " : "") + r.before.input_errors[i].message;
      r.explanation += ".";
      return r;
    }
    FindingKeys baseline;
    Verification input;
    if (fixed_baseline) {
      baseline = *fixed_baseline;
      input = detail::verify_in(ctx_, sc, baseline);
    } else {
      detail::InputCheck ic = detail::check_input(ctx_, sc);
      input = std::move(ic.verification);
      baseline = std::move(ic.baseline);
    }
    if (input.incomplete)
      return stopped(r, ctx_);
    if (input.verified) {
      r.status = Status::ordered;
      r.verification = input;
      r.after = r.before;
      r.after_findings = r.before_findings;
      return r;
    }

    const Analysis an = detail::analyze(sc, r.before);
    r.lower_bound = an.needed.size();
    if (!an.blockers.empty())
      return infeasible(r, sc, an, detail::explain_blockers(sc, an), {}, baseline, alternatives);

    ctx_.set_stage("verify plan");
    std::vector<std::size_t> unplaced;
    std::vector<DummyFilter> dummies = detail::place_dummies(sc, an, an.needed, opt_, &unplaced);
    if (!unplaced.empty()) {
      Analysis blocked = an;
      for (std::size_t g : unplaced)
        blocked.blockers.push_back({detail::Blocker::Kind::no_placement, -1, {}, g});
      return infeasible(r, sc, blocked, detail::explain_blockers(sc, blocked), {}, baseline,
                        alternatives);
    }
    if (dummies.size() > opt_.max_dummies) {
      ctx_.budget_hit = true;
      return stopped(r, ctx_);
    }
    if (!ctx_.take_candidate())
      return stopped(r, ctx_);
    Verification v = detail::verify_in(ctx_, apply_dummies(sc, dummies), baseline);
    if (v.incomplete)
      return stopped(r, ctx_);
    if (v.verified)
      return fixed(r, sc, std::move(dummies), std::move(v));

    // The gap analysis's plan failed (a case outside its model). Search every set of candidate
    // gaps by increasing size; the first verified set is the smallest among them.
    const std::vector<sim::Finding> first_failures = v.failures;
    ctx_.set_stage("search");
    const std::vector<std::size_t> gaps = detail::candidate_gaps(an);
    const std::size_t kmax = std::min(gaps.size(), opt_.max_dummies);
    for (std::size_t k = 1; k <= kmax; ++k) {
      std::vector<std::size_t> pick(k);
      for (std::size_t i = 0; i < k; ++i)
        pick[i] = i;
      for (;;) {
        std::vector<std::size_t> subset;
        for (std::size_t i : pick)
          subset.push_back(gaps[i]);
        std::vector<std::size_t> miss;
        auto cand = detail::place_dummies(sc, an, subset, opt_, &miss);
        if (miss.empty()) {
          if (!ctx_.take_candidate())
            return stopped(r, ctx_);
          Verification cv = detail::verify_in(ctx_, apply_dummies(sc, cand), baseline);
          if (cv.incomplete)
            return stopped(r, ctx_);
          if (cv.verified) {
            r.notes.push_back("The gap analysis's plan failed verification; this plan was found "
                              "by searching every set of candidate gaps by increasing size.");
            return fixed(r, sc, std::move(cand), std::move(cv));
          }
        }
        // Next combination of k out of gaps.size().
        std::size_t i = k;
        while (i > 0 && pick[i - 1] == gaps.size() - k + i - 1)
          --i;
        if (i == 0)
          break;
        ++pick[i - 1];
        for (std::size_t j = i; j < k; ++j)
          pick[j] = pick[j - 1] + 1;
      }
    }
    std::string why = "No dummy minifilter plan exists: every set of dummies that opens frames "
                      "between the legacy filters leaves a finding the input did not have";
    if (!first_failures.empty())
      why += ", e.g. " + first_failures.front().code + ": " + first_failures.front().message;
    why += ".";
    return infeasible(r, sc, an, why, first_failures, baseline, alternatives);
  }

private:
  PlanResult &fixed(PlanResult &r, const sim::Scenario &sc, std::vector<DummyFilter> dummies,
                    Verification v) {
    r.status = Status::fixed;
    r.fixed_scenario = apply_dummies(sc, dummies);
    ++ctx_.simulations; // explanation replay, counted but never refused
    r.after = sim::simulate(r.fixed_scenario, with_trace());
    r.after_findings = r.after.findings;
    r.effects = detail::dummy_effects(r.fixed_scenario, r.before, r.after, dummies);
    r.verification = std::move(v);
    for (const DummyFilter &d : dummies) {
      if (d.placement == Placement::same_group && d.group_order)
        r.notes.push_back(
            d.name + " can only share " + d.group + " with " + d.before_legacy +
            ": no start type and group sorts strictly between " + d.after_legacy + " and " +
            d.before_legacy + ". Inside a group Windows loads drivers in random order, so the " +
            "plan sets its Tag to " + std::to_string(*d.tag) + " and GroupOrderList\\" +
            d.group_order->group + " to " + tags_text(d.group_order->tags) +
            " (tags in load order); without that change the fix would hold only by chance.");
    }
    if (!opt_.own_altitudes.empty())
      for (const DummyFilter &d : dummies)
        if (!d.own_altitude)
          r.notes.push_back(d.name + " uses " + d.altitude.text() + ": no own altitude lies in a " +
                            "group that can load between " + d.after_legacy +
                            (d.before_legacy.empty() ? "" : " and " + d.before_legacy) + ".");
    r.dummies = std::move(dummies);
    return r;
  }

  static std::string tags_text(const std::vector<std::uint32_t> &tags) {
    std::string s;
    for (std::uint32_t t : tags)
      s += (s.empty() ? "" : ", ") + std::to_string(t);
    return "[" + s + "]";
  }

  PlanResult &infeasible(PlanResult &r, const sim::Scenario &sc, const Analysis &an,
                         std::string explanation, const std::vector<sim::Finding> &failures,
                         const FindingKeys &baseline, bool alternatives) {
    r.status = Status::infeasible;
    r.explanation = std::move(explanation);
    r.dummies.clear();
    r.after = r.before;
    r.after_findings = r.before_findings;
    if (!alternatives || !opt_.alternatives)
      return r;
    ctx_.set_stage("alternatives");
    for (const detail::EditCandidate &c : detail::edit_candidates(sc, an, failures, opt_)) {
      if (r.alternatives.size() >= opt_.max_alternatives || ctx_.stopped())
        break;
      auto edited = apply_edits(sc, c.edits);
      if (!edited)
        continue;
      PlanResult inner = Planner(ctx_).run(*edited, &baseline, false);
      if (inner.status != Status::ordered && inner.status != Status::fixed)
        continue;
      r.alternatives.push_back({c.description, c.edits, inner.dummies, inner.verification});
    }
    if (ctx_.stopped()) {
      r.notes.push_back("The search for alternatives stopped at a limit after " +
                        std::to_string(ctx_.simulations) +
                        " simulations; more alternatives may exist.");
      ctx_.budget_hit = false; // the infeasibility itself is proven; report it
      ctx_.cancelled = false;
    }
    // Fewest changes first.
    std::stable_sort(r.alternatives.begin(), r.alternatives.end(),
                     [](const Alternative &a, const Alternative &b) {
                       return a.edits.size() + a.dummies.size() < b.edits.size() + b.dummies.size();
                     });
    return r;
  }

  Context &ctx_;
  const Options &opt_;
};

} // namespace

PlanResult plan(const sim::Scenario &scenario, const Options &options) {
  Context ctx(options);
  PlanResult r = Planner(ctx).run(scenario, nullptr, true);
  r.simulations = ctx.simulations;
  r.candidate_plans = ctx.candidate_plans;
  ctx.set_stage("done");
  return r;
}

} // namespace fltsim::planner
