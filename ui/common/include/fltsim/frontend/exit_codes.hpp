#pragma once
// Exit codes of every front end (fltsim and fltsim-view), mapped in one place (README "Exit
// codes").
namespace fltsim::frontend {

enum class ExitCode : int {
  ok = 0,          ///< ran; no findings at or above the failure threshold / plan ordered or fixed
  findings = 1,    ///< findings of severity error (or --fail-on level); plan infeasible; mismatch
  input_error = 2, ///< unreadable or invalid input, or wrong command-line usage
  internal = 3,    ///< a bug in fltsim (an exception escaped)
};

[[nodiscard]] constexpr int to_int(ExitCode c) {
  return static_cast<int>(c);
}

} // namespace fltsim::frontend
