#include "fltsim/viewer/timeline.hpp"

#include <algorithm>

namespace fltsim::viewer {

const char *to_string(TimelineMark::Kind kind) {
  switch (kind) {
  case TimelineMark::Kind::phase:
    return "phase";
  case TimelineMark::Kind::frame_change:
    return "frame_change";
  case TimelineMark::Kind::registration:
    return "registration";
  case TimelineMark::Kind::legacy:
    return "legacy";
  case TimelineMark::Kind::event:
    return "event";
  case TimelineMark::Kind::failure:
    return "failure";
  case TimelineMark::Kind::other:
    return "other";
  }
  return "other";
}

namespace {

TimelineMark mark_for(const sim::TraceStep &s, int count) {
  TimelineMark m;
  m.step = s.step;
  m.position = count > 1 ? static_cast<float>(s.step - 1) / static_cast<float>(count - 1) : 0.0f;
  using sim::TraceEvent;
  switch (s.kind) {
  case TraceEvent::phase:
    m.kind = TimelineMark::Kind::phase;
    m.label = s.text.substr(0, s.text.find('-')); // "Boot-start phase: ..." -> "Boot"
    break;
  case TraceEvent::fltmgr_start:
  case TraceEvent::frame_create:
  case TraceEvent::frame_grow:
  case TraceEvent::frame_raise: {
    m.kind = TimelineMark::Kind::frame_change;
    const char *what = s.kind == TraceEvent::frame_grow    ? " grown"
                       : s.kind == TraceEvent::frame_raise ? " raised"
                                                           : " created";
    m.label = "F" + std::to_string(s.frame) + what;
    break;
  }
  case TraceEvent::register_filter:
    m.kind = TimelineMark::Kind::registration;
    m.label = s.driver;
    break;
  case TraceEvent::legacy_attach:
    m.kind = TimelineMark::Kind::legacy;
    m.label = s.driver;
    break;
  case TraceEvent::load:
  case TraceEvent::unload:
    m.kind = TimelineMark::Kind::event;
    m.label = std::string(sim::to_string(s.kind)) + " " + s.driver;
    break;
  case TraceEvent::register_fail:
  case TraceEvent::instance_fail:
  case TraceEvent::unload_refused:
  case TraceEvent::event_ignored:
  case TraceEvent::legacy_blocked:
  case TraceEvent::volume_skip:
    m.kind = TimelineMark::Kind::failure;
    m.label = s.driver;
    break;
  }
  return m;
}

} // namespace

void Timeline::reset(std::vector<sim::TraceStep> steps, bool keep_position) {
  const bool was_at_end = at_end();
  steps_ = std::move(steps);
  marks_.clear();
  marks_.reserve(steps_.size());
  for (const sim::TraceStep &s : steps_)
    marks_.push_back(mark_for(s, step_count()));
  if (!keep_position || was_at_end || position_ > step_count())
    position_ = step_count();
  if (at_end())
    playing_ = false;
  accumulated_ = 0;
}

const sim::TraceStep *Timeline::current() const {
  return position_ > 0 ? &steps_[static_cast<std::size_t>(position_ - 1)] : nullptr;
}

void Timeline::seek(int position) {
  position_ = std::clamp(position, 0, step_count());
  accumulated_ = 0;
}

namespace {
bool is_jump_mark(const TimelineMark &m) {
  return m.kind == TimelineMark::Kind::phase || m.kind == TimelineMark::Kind::frame_change;
}
} // namespace

void Timeline::next_mark() {
  for (const TimelineMark &m : marks_)
    if (m.step > position_ && is_jump_mark(m)) {
      seek(m.step);
      return;
    }
  seek(step_count());
}

void Timeline::previous_mark() {
  for (auto it = marks_.rbegin(); it != marks_.rend(); ++it)
    if (it->step < position_ && is_jump_mark(*it)) {
      seek(it->step);
      return;
    }
  seek(0);
}

void Timeline::play() {
  if (at_end())
    seek(step_count() > 0 ? 1 : 0);
  playing_ = step_count() > 0;
  accumulated_ = 0;
}

void Timeline::set_speed(float steps_per_second) {
  speed_ = std::clamp(steps_per_second, 0.25f, 60.0f);
}

bool Timeline::tick(double seconds) {
  if (!playing_)
    return false;
  accumulated_ += seconds * static_cast<double>(speed_);
  const int old = position_;
  while (accumulated_ >= 1.0 && position_ < step_count()) {
    accumulated_ -= 1.0;
    ++position_;
  }
  if (at_end()) {
    playing_ = false;
    accumulated_ = 0;
  }
  return position_ != old;
}

} // namespace fltsim::viewer
