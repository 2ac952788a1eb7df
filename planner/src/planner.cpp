// plan(): input check, gap analysis, dummy placement, verification, fallback search, alternatives
// (docs/planner.md).
#include "fltsim/planner/planner.hpp"
#include "fltsim/planner/dummy_inf.hpp"

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
    out.drivers.push_back(dummy_driver(d));
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

const char *to_string(EditField f) {
  switch (f) {
  case EditField::start:
    return "start";
  case EditField::group:
    return "group";
  case EditField::tag:
    return "tag";
  case EditField::kind:
    return "kind";
  case EditField::altitude:
    return "altitude";
  case EditField::load_events:
    return "load_events";
  case EditField::group_order_list:
    return "group_order_list";
  }
  return "?";
}

std::optional<sim::Scenario> apply_edits(const sim::Scenario &scenario,
                                         const std::vector<Edit> &edits, sim::Diagnostic *error) {
  sim::Scenario out = scenario;
  auto fail = [&](std::string why) -> std::optional<sim::Scenario> {
    if (error)
      *error = sim::make_diagnostic({}, "invalid-edit", std::move(why));
    return std::nullopt;
  };
  for (const Edit &e : edits) {
    if (e.field == EditField::group_order_list) {
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
    if (e.field == EditField::start) {
      auto s = sim::parse_start_type(e.value);
      if (!s)
        return fail("'" + e.value + "' is not a start type");
      d.start = *s;
    } else if (e.field == EditField::group) {
      d.group = e.value;
    } else if (e.field == EditField::tag) {
      std::uint32_t t = 0;
      if (!parse_u32(e.value, t))
        return fail("tag '" + e.value + "' is not a number");
      d.tag = t;
    } else if (e.field == EditField::kind) {
      auto k = sim::parse_driver_kind(e.value);
      if (!k)
        return fail("'" + e.value + "' is not a driver kind");
      d.kind = *k;
    } else if (e.field == EditField::altitude) {
      sim::Diagnostic why;
      auto a = sim::Altitude::parse(e.value, &why);
      if (!a)
        return fail(why.message);
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
    } else if (e.field == EditField::load_events && e.value == "remove") {
      std::erase_if(out.events, [&](const sim::Event &ev) {
        return ev.kind == sim::Event::Kind::load && sim::iequals(ev.driver, d.name);
      });
    } else {
      return fail(std::string("the edit of ") + to_string(e.field) + " carries value '" + e.value +
                  "', which it cannot take");
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
  /// `nested_alternatives`: a fixed plan may compute an alternative with a nested plan (only the
  /// outermost planner does).
  explicit Planner(Context &ctx, bool nested_alternatives = true)
      : ctx_(ctx), opt_(ctx.opt), nested_alternatives_(nested_alternatives) {}

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

    // 1. The gap analysis's plan: one dummy per needed gap (docs/planner.md, sections 2-3).
    std::vector<std::size_t> unplaced;
    std::vector<sim::Finding> first_failures;
    if (opt_.gap_analysis) {
      ctx_.set_stage("verify plan");
      std::vector<DummyFilter> dummies = detail::place_dummies(sc, an, an.needed, opt_, &unplaced);
      if (unplaced.empty()) {
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
          return fixed(r, sc, std::move(dummies), std::move(v), baseline);
        first_failures = v.failures;
      }
    }

    // 2. The fallback search (section 5): every set of candidate gaps by increasing size, each
    //    placed as above and verified; the first verified set is the smallest among them. Every
    //    set tried counts against max_candidate_plans (placed or not), and the budget and the
    //    cancellation callback are checked before each one, so the search always ends.
    ctx_.set_stage("search");
    const std::vector<std::size_t> gaps = detail::candidate_gaps(an);
    const std::size_t kmax = std::min(gaps.size(), opt_.max_dummies);
    for (std::size_t k = 1; k <= kmax; ++k) {
      std::vector<std::size_t> pick(k);
      for (std::size_t i = 0; i < k; ++i)
        pick[i] = i;
      for (;;) {
        if (!ctx_.may_simulate() || !ctx_.take_candidate())
          return stopped(r, ctx_);
        std::vector<std::size_t> subset;
        for (std::size_t i : pick)
          subset.push_back(gaps[i]);
        std::vector<std::size_t> miss;
        auto cand = detail::place_dummies(sc, an, subset, opt_, &miss);
        if (miss.empty()) {
          Verification cv = detail::verify_in(ctx_, apply_dummies(sc, cand), baseline);
          if (cv.incomplete)
            return stopped(r, ctx_);
          if (cv.verified) {
            if (opt_.gap_analysis)
              r.notes.push_back(
                  "The gap analysis's plan " +
                  std::string(unplaced.empty() ? "failed verification" : "could not be placed") +
                  "; this plan was found by searching every set of candidate "
                  "gaps by increasing size.");
            return fixed(r, sc, std::move(cand), std::move(cv), baseline);
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
    if (!unplaced.empty()) {
      Analysis blocked = an;
      for (std::size_t g : unplaced)
        blocked.blockers.push_back({detail::Blocker::Kind::no_placement, -1, {}, g});
      return infeasible(r, sc, blocked, detail::explain_blockers(sc, blocked), {}, baseline,
                        alternatives);
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
                    Verification v, const FindingKeys &baseline) {
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
    non_boot_dummies(r, sc, dummies, baseline);
    r.dummies = std::move(dummies);
    return r;
  }

  /// A dummy that is not boot-start: say why no boot-start one can open its frame, and when the
  /// legacy filter below it is not boot-start (L2 says it must be), offer the verified edit that
  /// lets boot-start dummies do it (an alternative of a fixed plan).
  void non_boot_dummies(PlanResult &r, const sim::Scenario &sc,
                        const std::vector<DummyFilter> &dummies, const FindingKeys &baseline) {
    std::vector<Edit> edits;
    std::vector<std::string> late;
    for (const DummyFilter &d : dummies) {
      if (d.start == sim::StartType::boot)
        continue;
      const int lo = sc.find_driver(d.after_legacy);
      const sim::Driver *lod = lo >= 0 ? &sc.drivers[static_cast<std::size_t>(lo)] : nullptr;
      const std::string gap =
          d.after_legacy + (d.before_legacy.empty() ? std::string() : " and " + d.before_legacy);
      if (lod && lod->start != sim::StartType::boot) {
        r.notes.push_back(d.name + " is " + start_text(d.start) +
                          ": no boot-start dummy can open its frame, because " + lod->name +
                          " is " + start_text(lod->start) + " and every boot-start driver " +
                          "loads before it (L1), so a boot-start dummy registers below it (R2, "
                          "R4). Legacy filters should be boot-start (L2).");
        if (std::find(late.begin(), late.end(), lod->name) == late.end()) {
          late.push_back(lod->name);
          edits.push_back({lod->name, EditField::start, "boot", {}});
          if (std::any_of(sc.events.begin(), sc.events.end(), [&](const sim::Event &e) {
                return e.kind == sim::Event::Kind::load && sim::iequals(e.driver, lod->name);
              }))
            edits.push_back({lod->name, EditField::load_events, "remove", {}});
        }
      } else {
        r.notes.push_back(d.name + " is " + start_text(d.start) + ": no boot-start load order " +
                          "group that loads between " + gap + " has a free altitude above the " +
                          "frame that would otherwise hold the dummy (R3-R5).");
      }
    }
    if (edits.empty() || !nested_alternatives_ || !opt_.alternatives || ctx_.stopped())
      return;
    auto edited = apply_edits(sc, edits);
    if (!edited)
      return;
    PlanResult inner = Planner(ctx_, false).run(*edited, &baseline, false);
    if (ctx_.stopped()) {
      ctx_.budget_hit = false; // the fix itself is verified; report it
      ctx_.cancelled = false;
      return;
    }
    if (inner.status != Status::ordered && inner.status != Status::fixed)
      return;
    if (std::any_of(inner.dummies.begin(), inner.dummies.end(),
                    [](const DummyFilter &x) { return x.start != sim::StartType::boot; }))
      return;
    std::string names;
    for (std::size_t i = 0; i < late.size(); ++i)
      names += (i == 0 ? "" : i + 1 == late.size() ? " and " : ", ") + late[i];
    const std::string what = inner.dummies.empty()
                                 ? std::string("no dummy is needed then")
                                 : std::to_string(inner.dummies.size()) + " boot-start " +
                                       (inner.dummies.size() == 1 ? "dummy does" : "dummies do") +
                                       " it then";
    r.alternatives.push_back({"Make " + names +
                                  " boot-start (legacy filters must be boot-start, "
                                  "L2): " +
                                  what,
                              edits, inner.dummies, inner.verification});
    r.notes.push_back("Alternative, verified: make " + names + " boot-start; " + what + ".");
  }

  static std::string start_text(sim::StartType s) {
    return s == sim::StartType::automatic ? std::string("auto-start")
                                          : std::string(sim::to_string(s)) + "-start";
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
      PlanResult inner = Planner(ctx_, false).run(*edited, &baseline, false);
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
  bool nested_alternatives_ = true;
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
