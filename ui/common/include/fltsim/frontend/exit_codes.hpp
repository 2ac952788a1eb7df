#pragma once
// What a run of a front end (fltsim and fltsim-view) came to, and the one map from it to the
// documented exit codes (README "Exit codes"). Commands report an Outcome; only run_cli
// (ui/cli/command.cpp) and fltsim-view's main (ui/viewer/main.cpp) turn it into a number.
namespace fltsim::frontend {

enum class Outcome {
  clean,          ///< ran; no findings at or above the failure threshold / plan ordered or fixed
  findings,       ///< findings of severity error (or --fail-on level); plan infeasible; mismatch
  input_error,    ///< unreadable or invalid input, an output that cannot be written, bad usage
  internal_error, ///< a bug in fltsim (an exception escaped)
  cannot_render,  ///< fltsim-view: no display, no OpenGL 3.3 context or framebuffer
};

/// The documented exit code of an outcome: 0 clean, 1 findings, 2 input or usage error,
/// 3 internal error (and, for fltsim-view, nothing to render on).
[[nodiscard]] constexpr int exit_code(Outcome o) {
  switch (o) {
  case Outcome::clean:
    return 0;
  case Outcome::findings:
    return 1;
  case Outcome::input_error:
    return 2;
  case Outcome::internal_error:
  case Outcome::cannot_render:
    return 3;
  }
  return 3;
}

} // namespace fltsim::frontend
