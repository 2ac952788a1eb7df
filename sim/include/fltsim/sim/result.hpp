#pragma once
// The engine's output: frames, the device stack, findings and a narrated trace.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fltsim/sim/altitude.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/findings.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::sim {

/// A minifilter registered in a frame, with the instances that attached.
struct FrameFilter {
  int driver = -1; ///< index into Scenario::drivers
  std::string name;
  Altitude altitude; ///< default-instance altitude (R3 uses it)
  /// Instances that attached: (instance index into Driver::instances, volume). Instances that
  /// failed (A3/A4) are missing here and reported as findings.
  struct Attached {
    int instance = -1;
    std::string volume;
  };
  std::vector<Attached> attached;
};

/// An fltmgr frame (docs/model.md#frame). Both ends inclusive; `low`/`high` keep fltmgr's copied
/// strings (R4).
struct Frame {
  int id = 0;
  Altitude low;
  Altitude high;
  std::vector<FrameFilter> filters; ///< ascending by altitude
};

/// One entry of the device stack above the file system, bottom to top (R7): an fltmgr frame or a
/// legacy filter's device.
struct StackEntry {
  enum class Kind { frame, legacy };
  Kind kind = Kind::frame;
  int frame = -1;                   ///< frame id when kind == frame
  int driver = -1;                  ///< driver index when kind == legacy
  std::string name;                 ///< legacy driver name
  std::optional<Altitude> altitude; ///< from its group (docs/model.md#legacy-altitudes)
};

/// What a trace step records. `simulate --trace` writes to_string() as the step's "event".
enum class TraceEvent : std::uint8_t {
  fltmgr_start,    ///< "fltmgr-start": fltmgr runs and opens Frame 0 (R1)
  phase,           ///< "phase": a start-type phase begins (L1)
  legacy_attach,   ///< "legacy-attach": a legacy filter attaches on top (R2)
  register_filter, ///< "register": a minifilter registers into a frame (R3)
  frame_raise,     ///< "frame-raise": the top frame is raised over legacy filters (R5)
  frame_grow,      ///< "frame-grow": the top frame grows, nothing registered since (R4.3)
  frame_create,    ///< "frame-create": a new frame opens on top (R4.4)
  instance_fail,   ///< "instance-fail": an instance cannot attach (A3, A4)
  register_fail,   ///< "register-fail": FltRegisterFilter fails (A5)
  load,            ///< "load": a driver is started after boot (L5)
  unload,          ///< "unload": a minifilter unloads (R6)
  unload_refused,  ///< "unload-refused": a legacy filter cannot unload (R6)
  event_ignored,   ///< "event-ignored": a load or unload changes nothing (5.2)
  legacy_blocked,  ///< "legacy-blocked": IoBlockLegacyFsFilters stops a legacy filter (V1)
  volume_skip,     ///< "volume-skip": a filter does not attach to a volume of its class (V2-V5)
};
/// The event's name as written in `simulate --trace` ("fltmgr-start", "register", ...).
[[nodiscard]] const char *to_string(TraceEvent e);

/// One narrated step of the replay (`simulate --trace`): the data (kind, driver, frame) and, beside
/// it, the narration.
struct TraceStep {
  int step = 0; ///< 1-based
  TraceEvent kind = TraceEvent::phase;
  std::string driver; ///< driver concerned, may be empty
  std::string text;   ///< one sentence in the style of the blog's walk-through
  int frame = -1;     ///< frame created, grown, raised or registered into; -1 = none
  /// to_string(kind), kept only while the planner still compares names; compare `kind` instead.
  std::string event = {};
};

/// One volume's own stack (docs/model.md#volume-policies): fltmgr's frames exist on every volume,
/// but a legacy filter or a minifilter instance may be missing from a volume because of its class.
struct VolumeStack {
  std::string volume; ///< as in Scenario::volumes; "" = the implicit volume
  VolumeClass volume_class = VolumeClass::ntfs;
  /// A filter on this volume, bottom to top.
  struct Entry {
    StackEntry::Kind kind = StackEntry::Kind::frame;
    int frame = -1;    ///< kind == frame
    int driver = -1;   ///< the legacy filter, or the minifilter of an instance
    int instance = -1; ///< index into Driver::instances (minifilter instances)
    std::string name;  ///< driver name
    std::optional<Altitude> altitude;
  };
  /// Indices into SimResult::stack present on this volume, bottom to top: every frame, and the
  /// legacy filters attached here.
  std::vector<int> stack;
  /// Legacy filters attached here and minifilter instances attached here (inside their frame,
  /// ascending altitude), bottom to top.
  std::vector<Entry> filters;
  /// Drivers that would attach but do not, because of the volume's class, with the reason.
  struct Skip {
    int driver = -1;
    std::string reason; ///< one sentence citing the rule
  };
  std::vector<Skip> skipped;
};

/// Driver state after the replay.
struct DriverOutcome {
  bool loaded = false;     ///< DriverEntry ran and the driver is present at the end
  int frame = -1;          ///< minifilter's frame at the end (or when it last registered)
  int stack_position = -1; ///< legacy: index into SimResult::stack
  int load_position = -1;  ///< index into SimResult::load_order, -1 if never loaded at boot
};

struct SimResult {
  std::string scenario;                ///< title
  std::vector<std::string> load_order; ///< FltMgr first, then boot/system/auto drivers as loaded
  std::vector<Frame> frames;           ///< ascending id
  std::vector<StackEntry> stack;       ///< bottom to top above the file system
  std::vector<Finding> findings;
  std::vector<TraceStep> trace;
  std::vector<DriverOutcome> drivers; ///< parallel to Scenario::drivers
  /// One per volume (Scenario::volumes order, or the implicit volume), at the end of the replay.
  std::vector<VolumeStack> volumes;
  /// Input errors found while resolving (dependency cycle, event naming no driver, duplicate
  /// names). When non-empty the stack is still computed as far as possible, but front ends must
  /// treat the input as invalid (exit 2).
  std::vector<Diagnostic> input_errors;
  bool stopped_early = false; ///< SimOptions::stop_after_step cut the replay

  [[nodiscard]] bool has_errors() const; ///< a finding of severity error
};

} // namespace fltsim::sim
