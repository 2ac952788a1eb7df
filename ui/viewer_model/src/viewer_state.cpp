#include "fltsim/viewer/viewer_state.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::viewer {

bool is_io_intent(const Intent &i) {
  return std::holds_alternative<intent::OpenFile>(i) || std::holds_alternative<intent::Reload>(i) ||
         std::holds_alternative<intent::SaveScenarioAs>(i);
}

ViewerState::ViewerState(PlannerFunction planner, StackLayoutOptions layout)
    : planner_fn_(std::move(planner)), layout_(layout) {}

void ViewerState::load(sim::Scenario scenario, std::string path) {
  planner_job_.cancel();
  scenario_changed();
  on_disk_ = scenario;
  scenario_ = std::move(scenario);
  path_ = std::move(path);
  scenario_path_ = path_;
  load_errors_.clear();
  report_.reset();
  modified_ = false;
  selected_ = -1;
  volume_.reset();
  edit_errors_.clear();
  stashed_instances_.clear();
  planner_panel_ = {};
  navigated_ = false;
  status_ = "Opened " + path_;
  resimulate(false);
}

void ViewerState::reload(sim::Scenario scenario) {
  std::string selected_name;
  if (scenario_ && selected_ >= 0 &&
      static_cast<std::size_t>(selected_) < scenario_->drivers.size())
    selected_name = scenario_->drivers[static_cast<std::size_t>(selected_)].name;
  planner_job_.cancel();
  scenario_changed();
  on_disk_ = scenario;
  scenario_ = std::move(scenario);
  load_errors_.clear();
  modified_ = false;
  edit_errors_.clear();
  stashed_instances_.clear();
  selected_ = selected_name.empty() ? -1 : scenario_->find_driver(selected_name);
  if (planner_panel_.status == PlannerPanelState::Status::found ||
      planner_panel_.status == PlannerPanelState::Status::running)
    planner_panel_.status = PlannerPanelState::Status::stale;
  status_ = "Reloaded " + path_ + " (changed on disk)";
  resimulate(true);
}

void ViewerState::load_failed(std::string path, std::vector<sim::Diagnostic> diagnostics) {
  path_ = std::move(path);
  load_errors_ = std::move(diagnostics);
  if (!scenario_)
    status_ = "The file could not be loaded";
  else if (scenario_path_ == path_)
    status_ = "The file has errors; showing the last version that loaded";
  else
    status_ = "The file could not be loaded; still showing " + scenario_path_;
}

void ViewerState::saved(const std::string &path, bool ok, const std::string &message) {
  planner_panel_.message = message;
  planner_panel_.message_is_error = !ok;
  status_ = message;
  if (ok) {
    path_ = path;
    scenario_path_ = path;
    on_disk_ = scenario_;
    modified_ = false;
  }
}

const sim::SimResult &ViewerState::shown_result() const {
  return partial_ ? *partial_ : final_;
}

const EditError *ViewerState::edit_error(int driver, DriverField field) const {
  auto it = edit_errors_.find({driver, field});
  return it == edit_errors_.end() ? nullptr : &it->second;
}

void ViewerState::set_layout(const StackLayoutOptions &layout) {
  layout_ = layout;
  rebuild_view();
}

void ViewerState::resimulate(bool keep_position) {
  if (!scenario_)
    return;
  final_ = sim::simulate(*scenario_);
  layout_.axis_max_altitude = max_altitude_of(final_); // a steady scale while scrubbing
  timeline_.reset(final_.trace, keep_position);
  refresh_shown();
}

void ViewerState::refresh_shown() {
  if (!scenario_)
    return;
  if (timeline_.at_end()) {
    partial_.reset();
  } else {
    sim::SimOptions opt;
    opt.stop_after_step = timeline_.position();
    partial_ = sim::simulate(*scenario_, opt);
  }
  rows_ = build_driver_rows(*scenario_, shown_result());
  rebuild_view();
}

void ViewerState::rebuild_view() {
  if (!scenario_)
    return;
  const sim::TraceStep *step = timeline_.current();
  // Until the user moves the timeline, the final stack is shown as a result, not as "what the
  // last step did".
  const StepFocus focus = step && navigated_ ? focus_of(*step, *scenario_) : StepFocus{};
  if (volume_ && std::find(scenario_->volumes.begin(), scenario_->volumes.end(), *volume_) !=
                     scenario_->volumes.end())
    view_ = build_stack_view(*scenario_, restrict_to_volume(shown_result(), *volume_), focus,
                             selected_, layout_);
  else
    view_ = build_stack_view(*scenario_, shown_result(), focus, selected_, layout_);
}

bool ViewerState::tick(double seconds) {
  bool changed = false;
  if (planner_job_.active()) {
    planner_panel_.simulations = planner_job_.simulations();
    if (planner_job_.ready()) {
      finish_planner();
      changed = true;
    }
  }
  if (!timeline_.tick(seconds))
    return changed;
  navigated_ = true;
  refresh_shown();
  return true;
}

void ViewerState::start_planner() {
  if (!scenario_)
    return;
  if (!planner_fn_) {
    planner_panel_ = {};
    planner_panel_.status = PlannerPanelState::Status::unavailable;
    planner_panel_.message = "The planner module is not part of this build.";
    planner_panel_.message_is_error = true;
    return;
  }
  planner_job_ = PlannerJob(planner_fn_, *scenario_);
  planner_revision_ = revision_;
  planner_panel_ = {};
  planner_panel_.status = PlannerPanelState::Status::running;
  planner_panel_.message = "Planning...";
}

void ViewerState::finish_planner() {
  if (!planner_job_.active())
    return;
  const sim::Scenario input = planner_job_.input();
  PlanProposal p = planner_job_.take();
  planner_job_ = {};
  fill_planner_panel(planner_panel_, input, std::move(p));
  if (planner_revision_ != revision_ && planner_panel_.status == PlannerPanelState::Status::found)
    planner_panel_.status = PlannerPanelState::Status::stale; // edited while it ran
}

void ViewerState::wait_for_planner() {
  finish_planner();
}

void ViewerState::edit(const intent::EditDriver &e) {
  if (!scenario_)
    return;
  sim::Scenario next = *scenario_;
  const auto key = std::make_pair(e.driver, e.field);
  if (e.driver < 0 || static_cast<std::size_t>(e.driver) >= next.drivers.size())
    return;
  sim::Driver &d = next.drivers[static_cast<std::size_t>(e.driver)];
  // Switching a driver to legacy drops its instances; keep them to restore on the way back.
  const auto kind = sim::parse_driver_kind(e.value);
  if (e.field == DriverField::kind && kind) {
    if (*kind == sim::DriverKind::legacy && !d.instances.empty())
      stashed_instances_[d.name] = {d.instances, d.default_instance};
    else if (*kind != sim::DriverKind::legacy && d.instances.empty()) {
      if (auto it = stashed_instances_.find(d.name); it != stashed_instances_.end()) {
        d.instances = it->second.first;
        d.default_instance = it->second.second;
      }
    }
  }
  if (auto err = apply_driver_edit(next, e.driver, e.field, e.value)) {
    edit_errors_[key] = {e.value, *err};
    status_ = d.name + ": " + *err;
    return;
  }
  edit_errors_.erase(key);
  scenario_ = std::move(next);
  scenario_changed();
  modified_ = true;
  if (planner_panel_.status == PlannerPanelState::Status::found)
    planner_panel_.status = PlannerPanelState::Status::stale;
  status_ = "Edited " + scenario_->drivers[static_cast<std::size_t>(e.driver)].name + " (" +
            to_string(e.field) + "); re-simulated";
  resimulate(true);
}

void ViewerState::apply(const Intent &in) {
  const bool timeline_intent =
      std::holds_alternative<intent::Seek>(in) || std::holds_alternative<intent::StepForward>(in) ||
      std::holds_alternative<intent::StepBack>(in) ||
      std::holds_alternative<intent::NextMark>(in) ||
      std::holds_alternative<intent::PreviousMark>(in) || std::holds_alternative<intent::Play>(in);
  if (timeline_intent)
    navigated_ = true;
  std::visit(
      [&](const auto &i) {
        using T = std::decay_t<decltype(i)>;
        if constexpr (std::is_same_v<T, intent::Seek>) {
          timeline_.seek(i.position);
          refresh_shown();
        } else if constexpr (std::is_same_v<T, intent::StepForward>) {
          timeline_.step_forward();
          refresh_shown();
        } else if constexpr (std::is_same_v<T, intent::StepBack>) {
          timeline_.step_back();
          refresh_shown();
        } else if constexpr (std::is_same_v<T, intent::NextMark>) {
          timeline_.next_mark();
          refresh_shown();
        } else if constexpr (std::is_same_v<T, intent::PreviousMark>) {
          timeline_.previous_mark();
          refresh_shown();
        } else if constexpr (std::is_same_v<T, intent::Play>) {
          timeline_.play();
          refresh_shown();
        } else if constexpr (std::is_same_v<T, intent::Pause>) {
          timeline_.pause();
        } else if constexpr (std::is_same_v<T, intent::SetSpeed>) {
          timeline_.set_speed(i.steps_per_second);
        } else if constexpr (std::is_same_v<T, intent::SetStackHeight>) {
          const float axis =
              std::max(StackLayoutOptions{}.min_axis_height, i.pixels - 2 * layout_.margin);
          if (std::abs(axis - layout_.min_axis_height) >= 1.0f) {
            layout_.min_axis_height = axis;
            rebuild_view();
          }
        } else if constexpr (std::is_same_v<T, intent::SelectDriver>) {
          selected_ = selected_ == i.driver ? -1 : i.driver; // clicking again deselects
          rebuild_view();
        } else if constexpr (std::is_same_v<T, intent::SelectVolume>) {
          volume_ = i.volume;
          rebuild_view();
        } else if constexpr (std::is_same_v<T, intent::EditDriver>) {
          edit(i);
        } else if constexpr (std::is_same_v<T, intent::RevertEdits>) {
          if (on_disk_) {
            scenario_ = on_disk_;
            scenario_changed();
            if (planner_panel_.status == PlannerPanelState::Status::found)
              planner_panel_.status = PlannerPanelState::Status::stale;
            modified_ = false;
            edit_errors_.clear();
            status_ = "Reverted to the file on disk";
            resimulate(true);
          }
        } else if constexpr (std::is_same_v<T, intent::RunPlanner>) {
          start_planner();
        } else if constexpr (std::is_same_v<T, intent::ApplyPlan>) {
          if (planner_panel_.status == PlannerPanelState::Status::found &&
              planner_panel_.proposal && !planner_panel_.applied) {
            scenario_ = planner_panel_.proposal->fixed;
            scenario_changed();
            planner_panel_.applied = true;
            planner_panel_.message = "Fix applied to the open scenario; save it as a new file to "
                                     "keep it.";
            planner_panel_.message_is_error = false;
            modified_ = true;
            selected_ = -1;
            navigated_ = false;
            edit_errors_.clear();
            status_ = "Applied the planner's fix";
            resimulate(false);
          }
        } else if constexpr (std::is_same_v<T, intent::SetAutoReload>) {
          auto_reload_ = i.enabled;
        } else {
          // OpenFile, Reload, SaveScenarioAs: file IO, handled by the app.
          static_assert(std::is_same_v<T, intent::OpenFile> || std::is_same_v<T, intent::Reload> ||
                        std::is_same_v<T, intent::SaveScenarioAs>);
        }
      },
      in);
}

} // namespace fltsim::viewer
