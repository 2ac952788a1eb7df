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
  const std::string &e = s.event;
  if (e == "phase") {
    m.kind = TimelineMark::Kind::phase;
    m.label = s.text.substr(0, s.text.find('-')); // "Boot-start phase: ..." -> "Boot"
  } else if (e == "fltmgr-start" || e == "frame-create" || e == "frame-grow" ||
             e == "frame-raise") {
    m.kind = TimelineMark::Kind::frame_change;
    const char *what = e == "frame-grow" ? " grown" : e == "frame-raise" ? " raised" : " created";
    m.label = "F" + std::to_string(s.frame) + what;
  } else if (e == "register") {
    m.kind = TimelineMark::Kind::registration;
    m.label = s.driver;
  } else if (e == "legacy-attach") {
    m.kind = TimelineMark::Kind::legacy;
    m.label = s.driver;
  } else if (e == "load" || e == "unload") {
    m.kind = TimelineMark::Kind::event;
    m.label = e + " " + s.driver;
  } else if (e == "register-fail" || e == "instance-fail" || e == "unload-refused" ||
             e == "event-ignored") {
    m.kind = TimelineMark::Kind::failure;
    m.label = s.driver;
  } else {
    m.label = s.driver;
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
