#pragma once
// The replay scrubber: which trace step is shown, and playback. Position N means "the state after
// trace step N" (SimOptions::stop_after_step = N); position 0 is the empty stack before fltmgr.
#include <string>
#include <vector>

#include "fltsim/sim/result.hpp"

namespace fltsim::viewer {

/// A tick on the scrubber.
struct TimelineMark {
  enum class Kind { phase, frame_change, registration, legacy, event, failure, other };
  int step = 0; ///< 1-based trace step
  Kind kind = Kind::other;
  std::string label;  ///< short: "Boot", "F1 created", "AVLegacy", ...
  float position = 0; ///< 0..1 along the scrubber
};
[[nodiscard]] const char *to_string(TimelineMark::Kind kind);

class Timeline {
public:
  /// New trace (after loading or re-simulating). Keeps the position when `keep_position` and it
  /// is still inside the trace, else jumps to the end (the final stack). A timeline that was at
  /// the end stays at the (new) end.
  void reset(std::vector<sim::TraceStep> steps, bool keep_position = false);

  [[nodiscard]] int step_count() const { return static_cast<int>(steps_.size()); }
  [[nodiscard]] int position() const { return position_; }
  [[nodiscard]] bool at_end() const { return position_ == step_count(); }
  /// The step shown (position N -> steps[N-1]); nullptr at position 0.
  [[nodiscard]] const sim::TraceStep *current() const;
  [[nodiscard]] const std::vector<sim::TraceStep> &steps() const { return steps_; }
  [[nodiscard]] const std::vector<TimelineMark> &marks() const { return marks_; }

  void seek(int position); ///< clamped to [0, step_count]
  void step_forward() { seek(position_ + 1); }
  void step_back() { seek(position_ - 1); }
  /// Next/previous mark of the given kinds (phase or frame change), for "jump" buttons.
  void next_mark();
  void previous_mark();

  /// Starts playback; from the end it restarts at step 1.
  void play();
  void pause() { playing_ = false; }
  [[nodiscard]] bool playing() const { return playing_; }
  void set_speed(float steps_per_second);
  [[nodiscard]] float speed() const { return speed_; }
  /// Advances playback by `seconds`. Returns true when the position changed. Stops at the end.
  bool tick(double seconds);

private:
  std::vector<sim::TraceStep> steps_;
  std::vector<TimelineMark> marks_;
  int position_ = 0;
  bool playing_ = false;
  float speed_ = 2.0f;
  double accumulated_ = 0;
};

} // namespace fltsim::viewer
