#include "fltsim/viewer/planner_model.hpp"

#include <algorithm>
#include <chrono>

#include "fltsim/sim/engine.hpp"

#include "fltsim/planner/planner.hpp"

namespace fltsim::viewer {

const char *to_string(PlannerPanelState::Status s) {
  switch (s) {
  case PlannerPanelState::Status::idle:
    return "idle";
  case PlannerPanelState::Status::unavailable:
    return "unavailable";
  case PlannerPanelState::Status::running:
    return "running";
  case PlannerPanelState::Status::found:
    return "found";
  case PlannerPanelState::Status::nothing_to_fix:
    return "nothing_to_fix";
  case PlannerPanelState::Status::not_found:
    return "not_found";
  case PlannerPanelState::Status::stale:
    return "stale";
  }
  return "?";
}

StackLayoutOptions compact_layout() {
  StackLayoutOptions o;
  o.axis_width = 0;
  o.leader_gap = 0;
  o.tower_width = 230;
  o.row_height = 18;
  o.frame_header = 20;
  o.legacy_height = 24;
  o.fs_height = 22;
  o.gap = 6;
  o.min_axis_height = 0;
  o.max_lanes = 6;
  return o;
}

namespace {
std::size_t error_count(const sim::SimResult &r) {
  return static_cast<std::size_t>(
      std::count_if(r.findings.begin(), r.findings.end(),
                    [](const sim::Finding &f) { return f.severity == sim::Severity::error; }));
}
} // namespace

void fill_planner_panel(PlannerPanelState &panel, const sim::Scenario &scenario, PlanProposal p) {
  panel.applied = false;
  panel.simulations = 0;
  const sim::SimResult before = sim::simulate(scenario);
  panel.before = build_stack_view(scenario, before, {}, -1, compact_layout());
  panel.before_errors = error_count(before);
  switch (p.outcome) {
  case PlanProposal::Outcome::fix: {
    const sim::SimResult after = sim::simulate(p.fixed);
    panel.after = build_stack_view(p.fixed, after, {}, -1, compact_layout());
    panel.after_errors = error_count(after);
    panel.status = PlannerPanelState::Status::found;
    break;
  }
  case PlanProposal::Outcome::nothing_to_fix:
    panel.status = PlannerPanelState::Status::nothing_to_fix;
    break;
  case PlanProposal::Outcome::no_fix:
    panel.status = PlannerPanelState::Status::not_found;
    break;
  }
  panel.message = p.summary;
  panel.message_is_error = p.outcome == PlanProposal::Outcome::no_fix;
  panel.proposal = std::move(p);
}

PlannerJob::PlannerJob(const PlannerFunction &planner, sim::Scenario scenario)
    : control_(std::make_shared<PlannerControl>()),
      input_(std::make_shared<const sim::Scenario>(std::move(scenario))) {
  // The thread owns shared copies of the input and the control block, so nothing it touches
  // dies before it ends.
  result_ = std::async(std::launch::async, [planner, control = control_, input = input_] {
    return planner(*input, *control);
  });
}

PlannerJob &PlannerJob::operator=(PlannerJob &&other) {
  if (this != &other) {
    cancel();
    control_ = std::move(other.control_);
    input_ = std::move(other.input_);
    result_ = std::move(other.result_);
  }
  return *this;
}

PlannerJob::~PlannerJob() {
  cancel();
}

void PlannerJob::cancel() {
  if (control_)
    control_->stop = true;
  if (result_.valid())
    result_.wait();
  result_ = {};
}

bool PlannerJob::ready() const {
  return result_.valid() && result_.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

std::uint64_t PlannerJob::simulations() const {
  return control_ ? control_->simulations.load() : 0;
}

PlanProposal PlannerJob::take() {
  return result_.get();
}

namespace {

std::string dummy_line(const planner::DummyFilter &d, const planner::DummyEffect *e) {
  std::string s = "add dummy minifilter " + d.name + ": " + d.group + ", " +
                  sim::to_string(d.start) + " start, altitude " + d.altitude.text() +
                  (d.tag ? ", tag " + std::to_string(*d.tag) : std::string());
  if (e && e->opened_frame)
    s += "; opens Frame " + std::to_string(e->frame) + " above " + e->below;
  if (e && !e->moved.empty()) {
    s += "; moves ";
    for (std::size_t i = 0; i < e->moved.size(); ++i)
      s += (i ? ", " : "") + e->moved[i].filter;
    s += " into it";
  }
  return s;
}

std::string edit_line(const planner::Edit &e) {
  if (e.field == planner::EditField::group_order_list)
    return "set GroupOrderList\\" + e.group + " to " + e.value;
  return "set " + e.driver + "'s " + planner::to_string(e.field) + " to " + e.value;
}

PlanProposal run_builtin(const sim::Scenario &sc, PlannerControl &control) {
  planner::Options opt;
  opt.should_stop = [&control] { return control.stop.load(); };
  opt.on_progress = [&control](const planner::Progress &p) { control.simulations = p.simulations; };
  const planner::PlanResult r = planner::plan(sc, opt);
  PlanProposal p;
  switch (r.status) {
  case planner::Status::ordered:
    p.outcome = PlanProposal::Outcome::nothing_to_fix;
    p.summary = "Every filter already sits at its altitude in every permitted load order: "
                "nothing to fix.";
    break;
  case planner::Status::fixed: {
    p.outcome = PlanProposal::Outcome::fix;
    p.fixed = r.fixed_scenario;
    for (std::size_t i = 0; i < r.dummies.size(); ++i) {
      p.changes.push_back(dummy_line(r.dummies[i], i < r.effects.size() ? &r.effects[i] : nullptr));
      p.dummies.push_back(r.dummies[i].name);
    }
    p.summary = std::to_string(r.dummies.size()) +
                (r.dummies.size() == 1 ? " dummy minifilter fixes" : " dummy minifilters fix") +
                " the stack; verified on " + std::to_string(r.verification.orders_simulated) +
                " of " + std::to_string(r.verification.orders_total) + " permitted load orders.";
    break;
  }
  case planner::Status::infeasible:
    if (!r.alternatives.empty()) {
      // No dummy-only fix: offer the first verified alternative as the fix to apply.
      const planner::Alternative &a = r.alternatives.front();
      auto edited = planner::apply_edits(sc, a.edits); // verified edits apply (planner.hpp)
      if (edited) {
        p.outcome = PlanProposal::Outcome::fix;
        p.fixed = planner::apply_dummies(*edited, a.dummies);
        for (const planner::Edit &e : a.edits)
          p.changes.push_back(edit_line(e));
        for (const planner::DummyFilter &d : a.dummies) {
          p.changes.push_back(dummy_line(d, nullptr));
          p.dummies.push_back(d.name);
        }
        p.summary =
            "No dummy-only fix exists (" + r.explanation + ") Alternative: " + a.description;
        break;
      }
    }
    p.outcome = PlanProposal::Outcome::no_fix;
    p.summary = r.explanation.empty() ? "No fix found." : r.explanation;
    break;
  case planner::Status::budget_exhausted:
  case planner::Status::cancelled:
    p.outcome = PlanProposal::Outcome::no_fix;
    p.summary = std::string(planner::to_string(r.status)) + ": " + r.explanation;
    break;
  }
  for (const std::string &n : r.notes)
    p.changes.push_back("note: " + n);
  return p;
}

} // namespace

PlannerFunction builtin_planner() {
  return run_builtin;
}

} // namespace fltsim::viewer
