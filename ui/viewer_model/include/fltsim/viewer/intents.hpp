#pragma once
// What the panels ask for. Panels never change the simulation: they push intents into an
// ActionQueue while drawing, and the app applies them between frames (docs/viewer.md,
// "Architecture").
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fltsim/viewer/drivers_table.hpp"

namespace fltsim::viewer::intent {

// Timeline
struct Seek {
  int position = 0;
};
struct StepForward {};
struct StepBack {};
struct NextMark {};
struct PreviousMark {};
struct Play {};
struct Pause {};
struct SetSpeed {
  float steps_per_second = 2;
};
/// The stack panel's height: the altitude axis stretches to fill it.
struct SetStackHeight {
  float pixels = 0;
};
// Selection and edits
struct SelectDriver {
  int driver = -1;
};
/// The stack of one volume (docs/model.md#volume-policies); nullopt = the whole stack.
struct SelectVolume {
  std::optional<std::string> volume;
};
struct EditDriver {
  int driver = -1;
  DriverField field = DriverField::altitude;
  std::string value;
};
struct RevertEdits {}; ///< back to the scenario as loaded from disk
// Planner
struct RunPlanner {};
struct ApplyPlan {};
// Files (applied by the app, which does the IO)
struct OpenFile {
  std::string path;
};
struct Reload {};
struct SetAutoReload {
  bool enabled = true;
};
struct SaveScenarioAs {
  std::string path;
}; ///< the open scenario, with edits and applied fixes

} // namespace fltsim::viewer::intent

namespace fltsim::viewer {

using Intent =
    std::variant<intent::Seek, intent::StepForward, intent::StepBack, intent::NextMark,
                 intent::PreviousMark, intent::Play, intent::Pause, intent::SetSpeed,
                 intent::SetStackHeight, intent::SelectDriver, intent::SelectVolume,
                 intent::EditDriver, intent::RevertEdits, intent::RunPlanner, intent::ApplyPlan,
                 intent::OpenFile, intent::Reload, intent::SetAutoReload, intent::SaveScenarioAs>;

/// Intents collected while drawing one frame, in order.
using ActionQueue = std::vector<Intent>;

/// True for intents that need file IO (the app handles them; ViewerState::apply ignores them).
[[nodiscard]] bool is_io_intent(const Intent &i);

} // namespace fltsim::viewer
