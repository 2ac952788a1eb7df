// Frame engine: docs/model.md#frames (R1-R7) and docs/model.md#edge-cases (E1-E12).
#include "fltsim/sim/engine.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/groups.hpp"
#include "fltsim/sim/require.hpp"
#include "name_index.hpp"
#include "resolver.hpp"

namespace fltsim::sim {

bool SimResult::has_errors() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding &f) { return f.severity == Severity::error; });
}

namespace {

const std::string kDash = "\xE2\x80\x93"; // en dash, as in the blog's ranges "0–49999"
const std::string kImplicitVolume = "";   // the one volume of a scenario that lists none

struct StopReplay {}; // SimOptions::stop_after_step reached

std::string range_text(const Frame &f) {
  return "[" + f.low.text() + kDash + f.high.text() + "]";
}
std::string frame_text(const Frame &f) {
  return "Frame " + std::to_string(f.id) + " " + range_text(f);
}

/// One entry of FsRegList (docs/model.md#fsreglist): a frame's fltmgr registration or a legacy
/// filter's.
struct Registration {
  bool fltmgr = false;
  int frame = -1;
  int driver = -1;
};

/// The instance altitudes attached to one volume -> (driver, instance), for A4 collisions: an
/// open-addressing table keyed by the altitude's value (equal values written differently are one
/// key), of pointers into the scenario's instances. It replaced a std::map node per attached
/// instance; cleared, it keeps its slots for the next run.
class AltitudeTable {
public:
  struct Slot {
    const Altitude *altitude = nullptr; // nullptr = empty
    std::uint64_t hash = 0;
    int driver = -1;
    int instance = -1;
    bool erased = false;
  };
  /// The live entry of an equal altitude (not inserted), or the new entry (inserted).
  std::pair<Slot *, bool> emplace(const Altitude &a, int driver, int instance) {
    if (2 * (used_ + 1) > slots_.size())
      rehash(2 * (live_ + 1) > slots_.size() / 2 ? slots_.size() * 2 : slots_.size());
    const std::uint64_t h = hash(a);
    Slot *reuse = nullptr;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot &s = slots_[i];
      if (!s.altitude) {
        Slot &into = reuse ? *reuse : s;
        if (!reuse)
          ++used_;
        into = {&a, h, driver, instance, false};
        ++live_;
        return {&into, true};
      }
      if (s.erased) {
        if (!reuse)
          reuse = &s;
      } else if (s.hash == h && *s.altitude == a) {
        return {&s, false};
      }
    }
  }
  void erase(const Altitude &a) {
    if (live_ == 0)
      return;
    const std::uint64_t h = hash(a);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot &s = slots_[i];
      if (!s.altitude)
        return;
      if (!s.erased && s.hash == h && *s.altitude == a) {
        s.erased = true;
        --live_;
        return;
      }
    }
  }
  void clear() {
    if (slots_.size() > 1024 && used_ < slots_.size() / 16) {
      slots_.clear();
      mask_ = 0;
    } else if (used_ != 0) {
      std::fill(slots_.begin(), slots_.end(), Slot{});
    }
    used_ = live_ = 0;
  }

private:
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t used_ = 0; // live and erased slots
  std::size_t live_ = 0;

  static std::uint64_t hash(const Altitude &a) { return a.hash(); }
  void rehash(std::size_t cap) {
    if (cap < 16)
      cap = 16;
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    used_ = live_ = 0;
    for (const Slot &s : old)
      if (s.altitude && !s.erased)
        for (std::size_t i = s.hash & mask_;; i = (i + 1) & mask_)
          if (!slots_[i].altitude) {
            slots_[i] = s;
            ++used_;
            ++live_;
            break;
          }
  }
};

/// A minifilter as find_inversions() sweeps the stack: its altitude (in the result) and where it
/// is.
struct Mini {
  const Altitude *alt;
  int driver;
  int frame;
};

} // namespace

/// The engine's state, kept from one run to the next (Workspace). Every member is reset at the
/// start of a run; what holds memory keeps it.
struct Workspace::State {
  SimResult r;
  // Emptied vectors of the previous result, for the next one's frames and instances.
  std::vector<std::vector<FrameFilter>> spare_filters;
  std::vector<std::vector<FrameFilter::Attached>> spare_attached;
  std::vector<FrameFilter> sorted; // sort_by_altitude's destination
  std::vector<std::size_t> sort_index;
  detail::NameIndex by_name;
  std::vector<std::optional<Altitude>> legacy_alt;
  std::vector<std::size_t> filter_slot;
  std::vector<bool> in_chain;
  std::vector<std::string> volumes;
  std::vector<Registration> fsreg;
  std::map<std::string, AltitudeTable> attached;
  std::vector<std::vector<bool>> legacy_on;
  std::map<std::string, std::vector<VolumeStack::Skip>> skips;
  std::set<std::pair<std::string, int>> skipped_once;
  LoadPlan plan;
  detail::ResolverBuffers resolver;
  // The scenario and driver count `plan` and `resolver` were resolved for without a tie
  // permutation (simulate_appended() extends them); nullptr when they were not.
  const Scenario *resolved_for = nullptr;
  std::size_t resolved_drivers = 0;
  std::vector<Mini> minis, minis_merged; // find_inversions()
  // Per volume of the run (Engine::volumes_): its table of attached altitudes, and whether its
  // class has an attach policy (refusal() has something to check).
  std::vector<AltitudeTable *> volume_table;
  std::vector<bool> volume_policy;
  // A filter being registered, filled in place and moved into its frame: building a braced
  // temporary cost a copy of each string, a move and a destruction per filter.
  std::optional<FrameFilter> next_filter;

  // Empties the result, keeping the vectors that frames and instances will need again.
  void recycle_result() {
    for (Frame &f : r.frames) {
      for (FrameFilter &ff : f.filters)
        if (ff.attached.capacity() != 0) {
          ff.attached.clear();
          spare_attached.push_back(std::move(ff.attached));
        }
      f.filters.clear();
      if (f.filters.capacity() != 0)
        spare_filters.push_back(std::move(f.filters));
    }
    r.frames.clear();
    r.load_order.clear();
    r.stack.clear();
    r.findings.clear();
    r.trace.clear();
    r.drivers.clear();
    r.volumes.clear();
    r.input_errors.clear();
    r.stopped_early = false;
  }
};

Workspace::Workspace() : state_(std::make_unique<State>()) {}
Workspace::~Workspace() = default;
Workspace::Workspace(Workspace &&) noexcept = default;
Workspace &Workspace::operator=(Workspace &&) noexcept = default;

namespace {

class Engine {
public:
  Engine(const Scenario &sc, const SimOptions &opt, Workspace::State &w)
      : sc_(sc), opt_(opt), w_(w), r_(w.r), by_name_(w.by_name), legacy_alt_(w.legacy_alt),
        filter_slot_(w.filter_slot), in_chain_(w.in_chain), volumes_(w.volumes), fsreg_(w.fsreg),
        attached_(w.attached), legacy_on_(w.legacy_on), skips_(w.skips),
        skipped_once_(w.skipped_once), sort_index_(w.sort_index) {
    w.recycle_result();
    r_.scenario = sc.title;
    r_.drivers.resize(sc.drivers.size());
    // Only legacy filters' entries are read (attach_legacy, adjust_top_for_legacy): the others
    // keep what a previous run left instead of being rewritten for every run.
    if (legacy_alt_.size() < sc.drivers.size())
      legacy_alt_.resize(sc.drivers.size());
    filter_slot_.assign(sc.drivers.size(), kNoSlot);
    in_chain_.assign(sc.drivers.size(), false);
    for (std::size_t i = 0; i < sc.drivers.size(); ++i) {
      const Driver &d = sc.drivers[i];
      if (!d.is_legacy())
        continue;
      if (d.group)
        legacy_alt_[i] = legacy_altitude_for_group(*d.group); // docs/model.md#legacy-altitudes
      else
        legacy_alt_[i].reset();
    }
    volumes_ = sc.volumes;
    if (volumes_.empty())
      volumes_.push_back(kImplicitVolume);
    legacy_on_.resize(sc.drivers.size()); // each legacy filter's entry is set when it attaches
    fsreg_.clear();
    // A few volume names at most; a scenario that named many leaves no table behind.
    if (attached_.size() > 64)
      attached_.clear();
    for (auto &[volume, table] : attached_)
      table.clear();
    w.volume_table.clear();
    w.volume_policy.clear();
    for (const std::string &v : volumes_) {
      w.volume_table.push_back(&attached_[v]);
      const VolumeClass c = spec_of(v).volume_class;
      w.volume_policy.push_back(!(c == VolumeClass::ntfs || c == VolumeClass::refs ||
                                  c == VolumeClass::removable || c == VolumeClass::network));
    }
    skips_.clear();
    skipped_once_.clear();
  }

  // `base`: the workspace that last simulated this scenario's first `base_drivers` drivers
  // (simulate_appended()), whose load plan is extended when the appended drivers allow it.
  void run(const Workspace::State *base = nullptr, std::size_t base_drivers = 0) {
    LoadPlan &plan = w_.plan;
    const bool extended =
        base && opt_.tie_permutation.empty() && base->resolved_for == &sc_ &&
        base->resolved_drivers == base_drivers &&
        detail::extend_load_order(sc_, base_drivers, base->plan, base->resolver, plan);
    if (!extended)
      detail::resolve_load_order(sc_, opt_.tie_permutation, plan, w_.resolver);
    const bool plain = !extended && opt_.tie_permutation.empty();
    w_.resolved_for = plain ? &sc_ : nullptr;
    w_.resolved_drivers = plain ? sc_.drivers.size() : 0;
    r_.input_errors = plan.errors;
    for (const auto &[driver, dep] : plan.missing_dependencies)
      add_finding(rule::missing_dependency, {sc_.drivers[static_cast<std::size_t>(driver)].name},
                  sc_.drivers[static_cast<std::size_t>(driver)].name + " depends on '" + dep +
                      "', which is not in the scenario; the Service Control Manager does not "
                      "start it");
    for (int i : plan.unknown_group)
      add_finding(rule::unknown_group, {sc_.drivers[static_cast<std::size_t>(i)].name},
                  sc_.drivers[static_cast<std::size_t>(i)].name + "'s group '" +
                      *sc_.drivers[static_cast<std::size_t>(i)].group +
                      "' is not in ServiceGroupOrder, so it loads after every grouped driver of "
                      "its start type (L3)");
    try {
      boot(plan);
      run_events();
    } catch (const StopReplay &) {
      r_.stopped_early = true;
    }
    finish();
  }

private:
  const Scenario &sc_;
  const SimOptions &opt_;
  Workspace::State &w_;
  SimResult &r_;
  // First driver of each name (case-insensitive), built when an event or a dependency first
  // needs it: most scenarios have neither.
  detail::NameIndex &by_name_;
  bool named_ = false;
  int driver_named(const std::string &name) {
    if (!named_) {
      named_ = true;
      by_name_.clear(sc_.drivers.size());
      for (std::size_t i = 0; i < sc_.drivers.size(); ++i)
        by_name_.emplace(sc_.drivers[i].name, static_cast<int>(i));
    }
    return by_name_.find(name);
  }
  std::vector<std::optional<Altitude>> &legacy_alt_;
  // Per driver: index of its live entry in its frame's `filters`, so an unload is O(1). Unloaded
  // entries stay as tombstones (driver -1) until finish(); erasing them in place cost O(frame
  // size) per unload, quadratic when one frame holds most filters.
  static constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);
  std::vector<std::size_t> &filter_slot_;
  std::vector<bool> &in_chain_; // per driver: on the dependency path load_event() is starting
  std::vector<std::string> &volumes_;
  std::vector<Registration> &fsreg_; // FsRegList, bottom to top (R7)
  std::size_t last_fltmgr_reg_ = 0;  // index in fsreg_ of fltmgr's most recent registration
  // Per volume: attached instance altitudes -> (driver, instance) for A4 collisions.
  std::map<std::string, AltitudeTable> &attached_;
  // Per driver: for a legacy filter on the stack, the volumes (index into volumes_) it is on.
  std::vector<std::vector<bool>> &legacy_on_;
  // Per volume: drivers that do not attach there because of its class (V2-V5), once each.
  std::map<std::string, std::vector<VolumeStack::Skip>> &skips_;
  std::set<std::pair<std::string, int>> &skipped_once_;
  int steps_ = 0;

  // ---- trace -------------------------------------------------------------------------------
  template <class TextFn>
  void step(TraceEvent event, const std::string &driver, int frame, TextFn &&text) {
    // Every state change of a step happens before the step is recorded, so stopping right after
    // step N leaves exactly the state "as of step N".
    if (opt_.stop_after_step && steps_ >= *opt_.stop_after_step)
      throw StopReplay{};
    ++steps_;
    if (opt_.record_trace)
      r_.trace.push_back({steps_, event, driver, text(), frame});
    if (opt_.stop_after_step && steps_ >= *opt_.stop_after_step)
      throw StopReplay{};
  }

  void add_finding(std::string_view code, std::vector<std::string> drivers, std::string message,
                   std::vector<std::string> instances = {}) {
    if (!opt_.compute_findings)
      return;
    const RuleInfo *rule = find_rule(code);
    FLTSIM_REQUIRE(rule != nullptr, "finding code is in the catalogue");
    r_.findings.push_back({std::string(code), rule->severity, std::move(message),
                           std::move(drivers), std::move(instances)});
  }

  const Driver &drv(int i) const { return sc_.drivers[static_cast<std::size_t>(i)]; }

  // Empty vectors with room, left by the workspace's previous result.
  std::vector<FrameFilter> spare_filters() {
    if (w_.spare_filters.empty())
      return {};
    std::vector<FrameFilter> v = std::move(w_.spare_filters.back());
    w_.spare_filters.pop_back();
    return v;
  }
  std::vector<FrameFilter::Attached> spare_attached() {
    if (w_.spare_attached.empty())
      return {};
    std::vector<FrameFilter::Attached> v = std::move(w_.spare_attached.back());
    w_.spare_attached.pop_back();
    return v;
  }
  DriverOutcome &out(int i) { return r_.drivers[static_cast<std::size_t>(i)]; }

  // ---- boot ----------------------------------------------------------------------------------
  void boot(const LoadPlan &plan) {
    if (opt_.stop_after_step && *opt_.stop_after_step <= 0)
      throw StopReplay{}; // "as of step 0": before fltmgr has run
    // R1: fltmgr (boot start, FSFilter Infrastructure, L2) loads first and creates Frame 0.
    if (opt_.load_order)
      r_.load_order.push_back("FltMgr");
    std::size_t loaded = 1; // r_.load_order.size() when it is filled
    static const Altitude frame0_low = Altitude::from_literal("0");
    static const Altitude frame0_high = Altitude::from_literal("49999");
    r_.frames.push_back({0, frame0_low, frame0_high, spare_filters()});
    r_.frames.back().filters.reserve(sc_.drivers.size()); // most filters land in Frame 0
    fsreg_.push_back({true, 0, -1});
    r_.stack.push_back({StackEntry::Kind::frame, 0, -1, {}, std::nullopt});
    last_fltmgr_reg_ = 0;
    step(TraceEvent::fltmgr_start, "FltMgr", 0, [&] {
      return std::string("FltMgr loads first (boot start, FSFilter Infrastructure) and creates "
                         "Frame 0 [0") +
             kDash + "49999] at the bottom of the stack (R1).";
    });
    static const char *phase_names[] = {"Boot", "System", "Auto"};
    int current_phase = -1;
    for (std::size_t k = 0; k < plan.order.size(); ++k) {
      const int phase = plan.phase_of[k];
      if (phase != current_phase) {
        current_phase = phase;
        std::size_t count = 0;
        for (std::size_t j = k; j < plan.order.size() && plan.phase_of[j] == phase; ++j)
          ++count;
        step(TraceEvent::phase, "", -1, [&] {
          return std::string(phase_names[phase]) + "-start phase: " + std::to_string(count) +
                 (count == 1 ? " driver loads" : " drivers load") +
                 (phase == 2 ? " in ServiceGroupOrder, tag and dependency order (L4, Q5)."
                             : " in ServiceGroupOrder, then tag order (L1, L3).");
        });
      }
      const int d = plan.order[k];
      out(d).load_position = static_cast<int>(loaded++);
      if (opt_.load_order)
        r_.load_order.push_back(drv(d).name);
      load_driver(d, "");
    }
  }

  // DriverEntry of one driver: legacy registration first for kind both (docs/model.md#kind-both).
  void load_driver(int d, const std::string &why) {
    const Driver &dr = drv(d);
    out(d).loaded = true;
    if (dr.is_legacy()) {
      if (sc_.policy.block_legacy_filters)
        block_legacy(d, why);
      else
        attach_legacy(d, why);
    }
    if (dr.is_minifilter())
      register_minifilter(d, why);
  }

  // V1 (docs/model.md#block-legacy): with IoBlockLegacyFsFilters = 1 a legacy filter neither
  // loads nor attaches; the I/O manager logs event 1205. A `both` driver keeps its minifilter
  // registration (docs/model.md#kind-both).
  void block_legacy(int d, const std::string &why) {
    const Driver &dr = drv(d);
    if (dr.kind == DriverKind::legacy)
      out(d).loaded = false;
    const bool both = dr.kind == DriverKind::both;
    const std::string what =
        both ? " registers as a legacy filter first (kind both) and IoBlockLegacyFsFilters is "
               "set: the legacy registration is refused (STATUS_NOT_SUPPORTED) and only its "
               "minifilter registration remains"
             : " is a legacy filter and IoBlockLegacyFsFilters is set: it is blocked from "
               "loading and attaching";
    step(TraceEvent::legacy_blocked, dr.name, -1,
         [&] { return why + dr.name + what + " (System log event 1205, V1)."; });
    add_finding(rule::legacy_filter_blocked, {dr.name},
                dr.name + what + " (System log: Microsoft-Windows-Kernel-IO event 1205, V1)");
  }

  // Why driver `d` does not attach to `volume` (V2-V5), or "" when it does. `altitude` is the
  // instance's (minifilters) or nullopt (legacy filters).
  std::string refusal(int d, const std::string &volume, const std::optional<Altitude> &altitude,
                      bool legacy) const {
    const Driver &dr = drv(d);
    const VolumeSpec &spec = spec_of(volume);
    const VolumeClass c = spec.volume_class;
    // The common case: a class with no attach policy, and no class declined.
    if (dr.skip_volume_classes.empty() &&
        (c == VolumeClass::ntfs || c == VolumeClass::refs || c == VolumeClass::removable ||
         c == VolumeClass::network))
      return {};
    const std::string on = volume.empty() ? std::string("the volume") : volume;
    if (std::find(dr.skip_volume_classes.begin(), dr.skip_volume_classes.end(), c) !=
        dr.skip_volume_classes.end())
      return dr.name + " declines " + on + " (" + to_string(c) +
             ") in its instance setup: STATUS_FLT_DO_NOT_ATTACH (V5)";
    if (c == VolumeClass::dax) {
      if (legacy)
        return dr.name +
               " is a legacy filter; legacy filters cannot attach to DAX volumes such "
               "as " +
               on + " (V3)";
      if (!dr.supports_dax)
        return dr.name +
               " does not register with FLTFL_REGISTRATION_SUPPORT_DAX_VOLUME, so it "
               "is not attached to DAX volume " +
               on + " (V3)";
    }
    if ((c == VolumeClass::named_pipe || c == VolumeClass::mailslot) && !legacy &&
        !dr.supports_named_pipes)
      return dr.name +
             " does not register with FLTFL_REGISTRATION_SUPPORT_NPFS_MSFS, so it "
             "does not filter " +
             on + " (" + to_string(c) + ", V4)";
    if (c == VolumeClass::dev_drive && spec.trusted && !legacy) {
      auto listed = [&](const std::vector<std::string> &names) {
        return std::any_of(names.begin(), names.end(),
                           [&](const std::string &n) { return same_driver_name(n, dr.name); });
      };
      static const Altitude av_low = Altitude::from_literal("320000");
      static const Altitude av_high = Altitude::from_literal("329999");
      const bool antivirus = altitude && !(*altitude < av_low) && !(av_high < *altitude);
      if (!(antivirus && sc_.policy.dev_drive_allow_antivirus) &&
          !listed(sc_.policy.dev_drive_allowed_filters) && !listed(spec.allowed_filters))
        return dr.name + " does not attach to Dev Drive " + on + " because " +
               (antivirus ? "antivirus filters are disallowed there (/disallowAv)"
                          : "it is not an antivirus filter (320000-329999)") +
               " and it is not on the Dev Drive allow list (V2)";
    }
    return {};
  }

  // Scenario::volume_spec without the copy.
  const VolumeSpec &spec_of(const std::string &volume) const {
    static const VolumeSpec fixed_ntfs{};
    auto it = sc_.volume_specs.find(volume);
    return it == sc_.volume_specs.end() ? fixed_ntfs : it->second;
  }

  void record_skip(int d, const std::string &volume, const std::string &reason) {
    if (!skipped_once_.emplace(volume, d).second)
      return;
    skips_[volume].push_back({d, reason});
    step(TraceEvent::volume_skip, drv(d).name, -1, [&] { return reason + "."; });
    const VolumeSpec &spec = spec_of(volume);
    if (spec.volume_class == VolumeClass::dev_drive && reason.find("(V2)") != std::string::npos)
      add_finding(rule::dev_drive_not_allowed, {drv(d).name}, reason);
  }

  // R2: a legacy filter attaches on top of the stack; no frame changes.
  void attach_legacy(int d, const std::string &why) {
    const Driver &dr = drv(d);
    const std::optional<Altitude> &alt = legacy_alt_[static_cast<std::size_t>(d)];
    const std::string below = opt_.record_trace ? top_entry_name() : std::string();
    fsreg_.push_back({false, -1, d});
    out(d).stack_position = static_cast<int>(r_.stack.size());
    r_.stack.push_back({StackEntry::Kind::legacy, -1, d, dr.name, alt});
    step(TraceEvent::legacy_attach, dr.name, -1, [&] {
      return why + dr.name + " (legacy, " + (dr.group ? *dr.group : std::string("no group")) +
             ", " + (alt ? alt->text() : std::string("no altitude")) +
             ") attaches on top of the stack, above " + below + " (R2).";
    });
    std::vector<bool> &on = legacy_on_[static_cast<std::size_t>(d)];
    on.assign(volumes_.size(), true);
    for (std::size_t v = 0; v < volumes_.size(); ++v)
      if (const std::string why_not = refusal(d, volumes_[v], std::nullopt, true);
          !why_not.empty()) {
        on[v] = false;
        record_skip(d, volumes_[v], why_not);
      }
  }

  std::string top_entry_name() const {
    const Registration &top = fsreg_.back();
    return top.fltmgr ? "Frame " + std::to_string(top.frame) : drv(top.driver).name;
  }

  // R3: FindFrame for the default-instance altitude, with R5 and R4 when it is above the top.
  void register_minifilter(int d, const std::string &why) {
    const Driver &dr = drv(d);
    const Instance *def = dr.find_default_instance();
    if (!def) {
      // A5: FltRegisterFilter fails; DriverEntry fails, so a pure minifilter is not loaded.
      if (dr.kind == DriverKind::minifilter)
        out(d).loaded = false;
      step(TraceEvent::register_fail, dr.name, -1, [&] {
        return why + dr.name +
               " calls FltRegisterFilter without a default instance; it fails with "
               "STATUS_OBJECT_NAME_NOT_FOUND (A5).";
      });
      add_finding(rule::missing_default_instance, {dr.name},
                  dr.name +
                      (dr.default_instance ? " names default instance '" + *dr.default_instance +
                                                 "', which is not among its instances"
                                           : std::string(" has no default instance")) +
                      "; FltRegisterFilter fails with STATUS_OBJECT_NAME_NOT_FOUND (A5)");
      return;
    }
    const Altitude &a = def->altitude;
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const std::pair<int, const char *> placed = find_frame(dr, a);
    const int frame = placed.first;
    const char *const how = placed.second;
    Frame &f = r_.frames[static_cast<std::size_t>(frame)];
    filter_slot_[static_cast<std::size_t>(d)] = f.filters.size();
    if (!w_.next_filter)
      w_.next_filter.emplace(FrameFilter{d, {}, a, {}});
    FrameFilter &next = *w_.next_filter;
    next.driver = d;
    next.name = dr.name;
    next.altitude = a;
    next.attached = spare_attached();
    f.filters.push_back(std::move(next));
    out(d).frame = frame;
    step(TraceEvent::register_filter, dr.name, frame, [&] {
      return why + dr.name + " (" + a.text() + ") " + how + " " + frame_text(f) +
             " and registers there (R3).";
    });
    attach_instances(d, frame);
  }

  // R3 loop. Returns the frame and how the filter got there (for the narration).
  std::pair<int, const char *> find_frame(const Driver &dr, const Altitude &a) {
    bool raised = false;
    for (;;) {
      // Frames are contiguous and ascending (R6), so "lowest frame whose inclusive range holds A"
      // is the first frame whose high >= A; A >= 0 = Frame 0's low always holds (E6).
      auto it = std::lower_bound(r_.frames.begin(), r_.frames.end(), a,
                                 [](const Frame &f, const Altitude &x) { return f.high < x; });
      if (it != r_.frames.end())
        return {it->id, raised ? "now fits" : "fits"};
      if (adjust_top_for_legacy(dr, a))
        raised = true; // R5 CHANGED: rescan from Frame 0
      else
        return {attach_frame(dr, a), "is placed in"};
    }
  }

  // R5: raise the top frame to the highest legacy altitude registered after fltmgr's last frame.
  bool adjust_top_for_legacy(const Driver &dr, const Altitude &a) {
    Frame &top = r_.frames.back();
    const std::string before = opt_.record_trace ? frame_text(top) : std::string();
    std::string above;
    bool changed = false;
    for (std::size_t i = last_fltmgr_reg_ + 1; i < fsreg_.size(); ++i) {
      const int ld = fsreg_[i].driver;
      const auto &alt = legacy_alt_[static_cast<std::size_t>(ld)];
      if (!alt)
        continue; // E3: no altitude, skipped
      if (opt_.record_trace)
        above += (above.empty() ? "" : ", ") + drv(ld).name + " " + alt->text();
      if (*alt > top.high) {
        top.high = *alt;
        changed = true;
      }
    }
    if (changed) {
      step(TraceEvent::frame_raise, dr.name, top.id, [&] {
        return dr.name + " (" + a.text() + ") does not fit " + before +
               "; legacy filters above it: " + above + "; Frame " + std::to_string(top.id) +
               " grows to " + range_text(top) + " (R5).";
      });
    }
    return changed;
  }

  // R4: a new frame on top, or (ALREADY_ATTACHED) the top frame grows when nothing registered
  // since fltmgr's last registration.
  int attach_frame(const Driver &dr, const Altitude &a) {
    Frame &top = r_.frames.back();
    const std::string before = opt_.record_trace ? frame_text(top) : std::string();
    if (last_fltmgr_reg_ + 1 == fsreg_.size()) {
      top.high = a;
      step(TraceEvent::frame_grow, dr.name, top.id, [&] {
        return dr.name + " (" + a.text() + ") is above " + before +
               " and nothing has registered above Frame " + std::to_string(top.id) +
               " since it was created, so it grows to " + range_text(top) + " (R4.3).";
      });
      return top.id;
    }
    const int id = top.id + 1;
    Frame nf{id, top.high, a, spare_filters()};
    const std::string below = opt_.record_trace ? top_entry_name() : std::string();
    r_.frames.push_back(std::move(nf));
    fsreg_.push_back({true, id, -1});
    last_fltmgr_reg_ = fsreg_.size() - 1;
    r_.stack.push_back({StackEntry::Kind::frame, id, -1, {}, std::nullopt});
    step(TraceEvent::frame_create, dr.name, id, [&] {
      return dr.name + " (" + a.text() + ") is above " + before + " and no legacy filter " +
             "above it is higher; " + below + " registered after Frame " + std::to_string(id - 1) +
             ", so fltmgr opens " + frame_text(r_.frames.back()) + " on top of the stack (R4).";
    });
    return id;
  }

  // A3/A4: each instance attaches to its volumes unless outside the frame or colliding.
  void attach_instances(int d, int frame) {
    const Driver &dr = drv(d);
    const Frame &f = r_.frames[static_cast<std::size_t>(frame)];
    FrameFilter &ff = r_.frames[static_cast<std::size_t>(frame)].filters.back();
    for (std::size_t ii = 0; ii < dr.instances.size(); ++ii) {
      const Instance &inst = dr.instances[ii];
      if (inst.altitude < f.low || inst.altitude > f.high) {
        step(TraceEvent::instance_fail, dr.name, frame, [&] {
          return "Instance '" + inst.name + "' of " + dr.name + " (" + inst.altitude.text() +
                 ") is outside " + frame_text(f) + ": STATUS_NOT_SUPPORTED (A3).";
        });
        add_finding(rule::instance_outside_frame, {dr.name},
                    "instance '" + inst.name + "' of " + dr.name + " at " + inst.altitude.text() +
                        " is outside " + frame_text(f) +
                        ", chosen by its default altitude; attaching fails with "
                        "STATUS_NOT_SUPPORTED (A3)",
                    {inst.name});
        continue;
      }
      const std::vector<std::string> &vols = instance_volumes(inst);
      const bool all_volumes = &vols == &volumes_; // the run's volumes: their tables are known
      for (std::size_t v = 0; v < vols.size(); ++v) {
        const std::string &vol = vols[v];
        // refusal() returns at once for a class without an attach policy when the driver
        // declines none.
        if (!all_volumes || w_.volume_policy[v] || !dr.skip_volume_classes.empty())
          if (const std::string why_not = refusal(d, vol, inst.altitude, false); !why_not.empty()) {
            record_skip(d, vol, why_not);
            continue;
          }
        AltitudeTable &table = all_volumes ? *w_.volume_table[v] : attached_[vol];
        auto [it, inserted] = table.emplace(inst.altitude, d, static_cast<int>(ii));
        if (!inserted) {
          const Driver &other = drv(it->driver);
          const std::string vol_text = vol.empty() ? "" : " on " + vol;
          step(TraceEvent::instance_fail, dr.name, frame, [&] {
            return "Instance '" + inst.name + "' of " + dr.name + " (" + inst.altitude.text() +
                   ")" + vol_text + " collides with " + other.name +
                   ": STATUS_FLT_INSTANCE_ALTITUDE_COLLISION (A4).";
          });
          add_finding(rule::altitude_collision, {dr.name, other.name},
                      "instance '" + inst.name + "' of " + dr.name + " at " + inst.altitude.text() +
                          vol_text + " collides with " + other.name + " at " +
                          other.instances[static_cast<std::size_t>(it->instance)].altitude.text() +
                          "; the later one fails to attach (A4)",
                      {inst.name, other.instances[static_cast<std::size_t>(it->instance)].name});
          continue;
        }
        FrameFilter::Attached &at = ff.attached.emplace_back();
        at.instance = static_cast<int>(ii);
        at.volume = vol;
      }
    }
  }

  const std::vector<std::string> &instance_volumes(const Instance &inst) const {
    static const std::vector<std::string> none;
    if (!inst.attach.empty())
      return inst.attach;
    if (!sc_.volumes.empty() && (inst.flags & 0x1u))
      return none; // no automatic attach (flags 0x1)
    return volumes_;
  }

  // ---- events (L5, E7) -----------------------------------------------------------------------
  void run_events() {
    for (const Event &ev : sc_.events) {
      const int at = driver_named(ev.driver);
      if (at < 0) {
        r_.input_errors.push_back({ev.location, "unknown-driver",
                                   std::string(ev.kind == Event::Kind::load ? "load" : "unload") +
                                       " event names '" + ev.driver +
                                       "', which is not a driver of the scenario"});
        continue;
      }
      if (ev.kind == Event::Kind::load)
        load_event(at);
      else
        unload_event(at);
    }
  }

  void ignored_event(int d, const std::string &what) {
    step(TraceEvent::event_ignored, drv(d).name, -1, [&] { return what; });
    add_finding(rule::event_ignored, {drv(d).name}, what);
  }

  // fltmc load / sc start: dependencies start first (docs/model.md#events), then DriverEntry runs.
  // A depth-first walk with an explicit stack: recursion overflowed the call stack on long
  // dependency chains (64,000 drivers), and copying the chain at every level made them quadratic.
  void load_event(int root) {
    const Driver &rd = drv(root);
    if (out(root).loaded) {
      ignored_event(root, "load " + rd.name + ": it is already loaded, nothing changes.");
      return;
    }
    if (rd.start == StartType::disabled) {
      ignored_event(root,
                    "load " + rd.name + ": the service is disabled (start 4) and cannot start.");
      return;
    }
    struct Pending {
      int driver;
      std::size_t next_dep; // index into depends_on of the next dependency to start
    };
    std::vector<Pending> chain{{root, 0}}; // drivers being started, root first
    in_chain_[static_cast<std::size_t>(root)] = true;
    // A driver that cannot start stops every driver waiting for it, up to the root.
    auto give_up = [&] {
      for (const Pending &p : chain)
        in_chain_[static_cast<std::size_t>(p.driver)] = false;
    };
    while (!chain.empty()) {
      const int d = chain.back().driver;
      const Driver &dr = drv(d);
      if (chain.back().next_dep < dr.depends_on.size()) {
        const std::string &dep = dr.depends_on[chain.back().next_dep++];
        if (is_filter_manager(dep))
          continue;
        const int c = driver_named(dep);
        if (c < 0 || drv(c).start == StartType::disabled) {
          ignored_event(d, "load " + dr.name + ": its dependency '" + dep +
                               "' cannot start, so neither can it.");
          return give_up();
        }
        if (out(c).loaded)
          continue;
        if (in_chain_[static_cast<std::size_t>(c)])
          return give_up(); // dependency cycle, reported as an input error by the resolver
        in_chain_[static_cast<std::size_t>(c)] = true;
        chain.push_back({c, 0});
        continue;
      }
      step(TraceEvent::load, dr.name, -1, [&] {
        return chain.size() > 1 ? dr.name + " starts as a dependency of " +
                                      drv(chain.front().driver).name + " (L5)."
                                : dr.name + " is started after boot (fltmc load / sc start, L5).";
      });
      load_driver(d, "");
      in_chain_[static_cast<std::size_t>(d)] = false;
      chain.pop_back();
      if (!out(d).loaded) // DriverEntry failed (A5)
        return give_up();
    }
  }

  void unload_event(int d) {
    const Driver &dr = drv(d);
    if (dr.is_legacy()) {
      step(TraceEvent::unload_refused, dr.name, -1, [&] {
        return dr.name + " is a legacy filter and cannot unload; it stays on the stack (R6).";
      });
      add_finding(rule::legacy_unload_refused, {dr.name},
                  "unload " + dr.name + ": legacy filters cannot unload (R6)");
      return;
    }
    if (!out(d).loaded) {
      ignored_event(d, "unload " + dr.name + ": it is not loaded, nothing changes.");
      return;
    }
    const int frame = out(d).frame;
    out(d).loaded = false;
    if (frame >= 0) {
      auto &filters = r_.frames[static_cast<std::size_t>(frame)].filters;
      std::size_t &slot = filter_slot_[static_cast<std::size_t>(d)];
      if (slot < filters.size() && filters[slot].driver == d) {
        for (const auto &at : filters[slot].attached) {
          attached_[at.volume].erase(dr.instances[static_cast<std::size_t>(at.instance)].altitude);
        }
        filters[slot].driver = -1; // tombstone, dropped by finish()
        slot = kNoSlot;
      }
    }
    step(TraceEvent::unload, dr.name, frame, [&] {
      return dr.name + " unloads from Frame " + std::to_string(frame) +
             "; frames never shrink, so a reload lands in the same frame (R6).";
    });
  }

  // ---- findings on the final stack -------------------------------------------------------------
  void finish() {
    for (Frame &f : r_.frames) {
      std::erase_if(f.filters, [](const FrameFilter &ff) { return ff.driver < 0; });
      sort_by_altitude(f.filters);
    }
    if (opt_.volume_stacks)
      volume_stacks();
    if (!opt_.compute_findings)
      return;
    for (const StackEntry &e : r_.stack)
      if (e.kind == StackEntry::Kind::legacy && !e.altitude) {
        const Driver &dr = drv(e.driver);
        add_finding(rule::legacy_without_altitude, {dr.name},
                    dr.name + " is a legacy filter in " +
                        (dr.group ? "group '" + *dr.group + "'" : std::string("no group")) +
                        ", which has no altitude in fltmgr's table; it never bounds a frame (E3)");
      }
    find_inversions();
  }

  // std::stable_sort by altitude, moving each filter once: the sort itself orders indices (a
  // FrameFilter is four strings and a vector, and merging moved them log n times).
  void sort_by_altitude(std::vector<FrameFilter> &filters) {
    auto lower = [&](std::size_t a, std::size_t b) {
      return filters[a].altitude < filters[b].altitude;
    };
    bool sorted = true;
    for (std::size_t i = 1; i < filters.size() && sorted; ++i)
      sorted = !lower(i, i - 1);
    if (sorted)
      return;
    sort_index_.resize(filters.size());
    for (std::size_t i = 0; i < filters.size(); ++i)
      sort_index_[i] = i;
    // Ties by position: the stable sort, without std::stable_sort's buffer.
    std::sort(sort_index_.begin(), sort_index_.end(), [&](std::size_t a, std::size_t b) {
      const auto c = filters[a].altitude <=> filters[b].altitude;
      return c < 0 || (c == 0 && a < b);
    });
    std::vector<FrameFilter> &out = w_.sorted;
    out.clear();
    out.reserve(filters.size());
    for (std::size_t i : sort_index_)
      out.push_back(std::move(filters[i]));
    filters.swap(out);
    out.clear(); // moved-from filters: nothing left to keep
  }
  std::vector<std::size_t> &sort_index_;

  // Each volume's own stack (docs/model.md#volume-policies): the global stack with only what is
  // attached to that volume.
  void volume_stacks() {
    for (std::size_t v = 0; v < volumes_.size(); ++v) {
      VolumeStack vs;
      vs.volume = volumes_[v];
      vs.volume_class = spec_of(vs.volume).volume_class;
      for (std::size_t si = 0; si < r_.stack.size(); ++si) {
        const StackEntry &e = r_.stack[si];
        if (e.kind == StackEntry::Kind::legacy) {
          const auto &on = legacy_on_[static_cast<std::size_t>(e.driver)];
          if (v < on.size() && on[v]) {
            vs.stack.push_back(static_cast<int>(si));
            vs.filters.push_back({StackEntry::Kind::legacy, -1, e.driver, -1, e.name, e.altitude});
          }
          continue;
        }
        vs.stack.push_back(static_cast<int>(si));
        // The frame's instances on this volume by ascending altitude, equal ones in frame order.
        std::vector<std::pair<const Altitude *, const FrameFilter *>> inside;
        std::vector<int> instance_of;
        for (const FrameFilter &ff : r_.frames[static_cast<std::size_t>(e.frame)].filters)
          for (const FrameFilter::Attached &at : ff.attached)
            if (at.volume == vs.volume) {
              inside.emplace_back(
                  &drv(ff.driver).instances[static_cast<std::size_t>(at.instance)].altitude, &ff);
              instance_of.push_back(at.instance);
            }
        std::vector<std::size_t> order(inside.size());
        for (std::size_t i = 0; i < order.size(); ++i)
          order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          const auto c = *inside[a].first <=> *inside[b].first;
          return c < 0 || (c == 0 && a < b);
        });
        for (std::size_t i : order)
          vs.filters.push_back({StackEntry::Kind::frame, e.frame, inside[i].second->driver,
                                instance_of[i], inside[i].second->name, *inside[i].first});
      }
      if (auto it = skips_.find(vs.volume); it != skips_.end())
        vs.skipped = it->second;
      r_.volumes.push_back(std::move(vs));
    }
  }

  // altitude-inversion: every (minifilter, legacy) pair whose stack order contradicts their
  // altitudes. Two sweeps over the stack, each merging a frame's sorted filters into the sorted
  // filters seen so far: O(frames x n + pairs + legacy filters x log n), where frames are few (a
  // frame opens only above a legacy filter, R4).
  void find_inversions() {
    // Every finding below names a legacy filter with an altitude; most machines have none.
    if (std::none_of(r_.stack.begin(), r_.stack.end(), [](const StackEntry &e) {
          return e.kind == StackEntry::Kind::legacy && e.altitude;
        }))
      return;
    // Each sweep keeps the minifilters seen so far in ascending altitude, equal altitudes in the
    // order they were seen (what a std::multiset kept, without a node per filter): a frame's
    // filters are already in that order, so taking a frame is one merge.
    std::vector<Mini> &seen = w_.minis, &merged = w_.minis_merged;
    auto take_frame = [&](int frame) {
      const std::vector<FrameFilter> &filters = r_.frames[static_cast<std::size_t>(frame)].filters;
      if (filters.empty())
        return;
      merged.clear();
      auto it = seen.begin();
      for (const FrameFilter &f : filters) {
        // Equal altitudes already seen come first (std::multiset::insert puts a new element
        // after its equals).
        while (it != seen.end() && !(f.altitude < *it->alt))
          merged.push_back(*it++);
        merged.push_back({&f.altitude, f.driver, frame});
      }
      merged.insert(merged.end(), it, seen.end());
      seen.swap(merged);
    };
    // Upward: minifilters in frames below a legacy filter but with a higher altitude.
    seen.clear();
    for (const StackEntry &e : r_.stack) {
      if (e.kind == StackEntry::Kind::frame) {
        take_frame(e.frame);
      } else if (e.altitude) {
        auto from = std::upper_bound(seen.begin(), seen.end(), *e.altitude,
                                     [](const Altitude &a, const Mini &m) { return a < *m.alt; });
        for (; from != seen.end(); ++from)
          if (from->driver != e.driver)
            report_inversion(*from, e, true);
      }
    }
    // Downward: minifilters in frames above a legacy filter but with a lower altitude.
    seen.clear();
    for (auto e = r_.stack.rbegin(); e != r_.stack.rend(); ++e) {
      if (e->kind == StackEntry::Kind::frame) {
        take_frame(e->frame);
      } else if (e->altitude) {
        const auto end =
            std::lower_bound(seen.begin(), seen.end(), *e->altitude,
                             [](const Mini &m, const Altitude &a) { return *m.alt < a; });
        for (auto it = seen.begin(); it != end; ++it)
          if (it->driver != e->driver)
            report_inversion(*it, *e, false);
      }
    }
    // legacy-order-inversion: a legacy filter above another with a higher altitude.
    {
      std::multimap<Altitude, int> legacy_seen;
      for (const StackEntry &e : r_.stack) {
        if (e.kind != StackEntry::Kind::legacy || !e.altitude)
          continue;
        for (auto it = legacy_seen.upper_bound(*e.altitude); it != legacy_seen.end(); ++it) {
          const Driver &lower = drv(it->second);
          add_finding(rule::legacy_order_inversion, {lower.name, e.name},
                      lower.name + " (" + it->first.text() + ") sits below " + e.name + " (" +
                          e.altitude->text() +
                          ") although its altitude is higher; it loaded "
                          "first (L1, L3)");
        }
        legacy_seen.emplace(*e.altitude, e.driver);
      }
    }
  }

  void report_inversion(const Mini &m, const StackEntry &legacy, bool mini_below) {
    const Driver &md = drv(m.driver);
    const Frame &f = r_.frames[static_cast<std::size_t>(m.frame)];
    std::string why;
    // m.alt points at the filter's FrameFilter::altitude. (Searching the frame for it cost
    // O(frame size) per reported pair.)
    const std::string &alt_text = m.alt->text();
    if (mini_below)
      why = md.name + " (" + alt_text + ") sits in " + frame_text(f) + ", below " + legacy.name +
            " (" + legacy.altitude->text() + "), although its altitude is higher: Frame " +
            std::to_string(f.id) + " is below " + legacy.name +
            " on the stack, and no frame was opened above it before " + md.name +
            " registered (R5, R6)";
    else
      why = md.name + " (" + alt_text + ") sits in " + frame_text(f) + ", above " + legacy.name +
            " (" + legacy.altitude->text() + "), although its altitude is lower: " + legacy.name +
            " loaded before Frame " + std::to_string(f.id) + " existed (R4, R6)";
    add_finding(rule::altitude_inversion, {md.name, legacy.name}, std::move(why));
  }
};

} // namespace

const char *to_string(TraceEvent e) {
  switch (e) {
  case TraceEvent::fltmgr_start:
    return "fltmgr-start";
  case TraceEvent::phase:
    return "phase";
  case TraceEvent::legacy_attach:
    return "legacy-attach";
  case TraceEvent::register_filter:
    return "register";
  case TraceEvent::frame_raise:
    return "frame-raise";
  case TraceEvent::frame_grow:
    return "frame-grow";
  case TraceEvent::frame_create:
    return "frame-create";
  case TraceEvent::instance_fail:
    return "instance-fail";
  case TraceEvent::register_fail:
    return "register-fail";
  case TraceEvent::load:
    return "load";
  case TraceEvent::unload:
    return "unload";
  case TraceEvent::unload_refused:
    return "unload-refused";
  case TraceEvent::event_ignored:
    return "event-ignored";
  case TraceEvent::legacy_blocked:
    return "legacy-blocked";
  case TraceEvent::volume_skip:
    return "volume-skip";
  }
  return "?";
}

const SimResult &simulate(const Scenario &scenario, const SimOptions &options,
                          Workspace &workspace) {
  Engine(scenario, options, workspace.state()).run();
  return workspace.state().r;
}

const SimResult &simulate_appended(const Scenario &scenario, std::size_t base_drivers,
                                   const Workspace &base, const SimOptions &options,
                                   Workspace &workspace) {
  const Workspace::State *from = &base == &workspace ? nullptr : base.state_ptr();
  Engine(scenario, options, workspace.state()).run(from, base_drivers);
  return workspace.state().r;
}

SimResult simulate(const Scenario &scenario, const SimOptions &options) {
  Workspace workspace;
  Engine(scenario, options, workspace.state()).run();
  return std::move(workspace.state().r);
}

void outcome_signature(const SimResult &r, std::string &s) {
  s.clear();
  char num[24];
  auto add_int = [&](int v) {
    const auto [end, ec] = std::to_chars(num, num + sizeof num, v);
    s.append(num, end);
  };
  for (const Frame &f : r.frames) {
    // Ranges are left out on purpose: they matter only through later registrations, which are
    // part of the signature themselves (a frame's members and its place in the stack).
    s += 'F';
    add_int(f.id);
    s += '{';
    for (const FrameFilter &ff : f.filters) {
      s += ff.name;
      s += '#';
      add_int(static_cast<int>(ff.attached.size()));
      s += ',';
    }
    s += '}';
  }
  s += '|';
  for (const StackEntry &e : r.stack) {
    if (e.kind == StackEntry::Kind::frame) {
      s += 'F';
      add_int(e.frame);
    } else {
      s += e.name;
    }
    s += ',';
  }
}

std::size_t outcome_signature_size(const SimResult &r) {
  // What outcome_signature() appends, counted: keep the two in step.
  auto digits = [](int v) {
    char num[24];
    const auto [end, ec] = std::to_chars(num, num + sizeof num, v);
    return static_cast<std::size_t>(end - num);
  };
  std::size_t n = 0;
  for (const Frame &f : r.frames) {
    n += 3 + digits(f.id); // F<id>{ ... }
    for (const FrameFilter &ff : f.filters)
      n += ff.name.size() + 2 + digits(static_cast<int>(ff.attached.size())); // name#k,
  }
  n += 1; // |
  for (const StackEntry &e : r.stack)
    n += 1 + (e.kind == StackEntry::Kind::frame ? 1 + digits(e.frame) : e.name.size());
  return n;
}

std::string outcome_signature(const SimResult &r) {
  std::string s;
  outcome_signature(r, s);
  return s;
}

TieExploration explore_tie_orders(const Scenario &scenario, const ExploreOptions &options) {
  TieExploration ex;
  const LoadPlan plan = resolve_load_order(scenario);
  std::vector<std::vector<int>> perm;
  for (const TieClass &t : plan.ties) {
    std::vector<int> p(t.drivers.size());
    for (std::size_t i = 0; i < p.size(); ++i)
      p[i] = static_cast<int>(i);
    perm.push_back(std::move(p));
    for (std::uint64_t k = 2; k <= t.drivers.size(); ++k)
      ex.total_orders = ex.total_orders > UINT64_MAX / k ? UINT64_MAX : ex.total_orders * k;
  }
  SimOptions opt;
  opt.record_trace = false;
  opt.compute_findings = false;
  opt.volume_stacks = false; // the signature reads frames and stack only
  opt.load_order = false;
  Workspace workspace; // one engine's buffers for every order
  const std::string baseline = outcome_signature(simulate(scenario, opt, workspace));
  std::string signature; // reused for every order
  ex.orders_tried = 1;
  ex.exhaustive = ex.total_orders <= options.max_orders;
  auto try_perm = [&]() {
    if (options.should_stop && options.should_stop()) {
      ex.stopped = true;
      ex.exhaustive = false;
      return true;
    }
    opt.tie_permutation = perm;
    ++ex.orders_tried;
    outcome_signature(simulate(scenario, opt, workspace), signature);
    if (signature != baseline) {
      ex.order_dependent = true;
      ex.differing_permutation = perm;
      for (std::size_t c = 0; c < perm.size(); ++c) {
        const bool moved = !std::is_sorted(perm[c].begin(), perm[c].end());
        if (moved)
          for (int d : plan.ties[c].drivers)
            ex.drivers_involved.push_back(scenario.drivers[static_cast<std::size_t>(d)].name);
      }
      return true;
    }
    return false;
  };
  if (plan.ties.empty())
    return ex;
  if (ex.exhaustive) {
    // Odometer over the classes' permutations; the identity was the baseline.
    for (;;) {
      std::size_t c = 0;
      while (c < perm.size() && !std::next_permutation(perm[c].begin(), perm[c].end()))
        ++c; // this class wrapped back to identity; carry into the next
      if (c == perm.size())
        break;
      if (try_perm())
        return ex;
    }
  } else {
    std::mt19937_64 rng(options.sample_seed);
    while (ex.orders_tried < options.max_orders) {
      for (auto &p : perm)
        std::shuffle(p.begin(), p.end(), rng);
      if (try_perm())
        return ex;
    }
  }
  return ex;
}

std::string describe(const TieExploration &ex) {
  const std::string tried = std::to_string(ex.orders_tried) + " of " +
                            (ex.total_orders == UINT64_MAX ? std::string("more than 1.8e19")
                                                           : std::to_string(ex.total_orders)) +
                            " permitted load orders";
  if (ex.order_dependent)
    return "the stack depends on the load order: tried " + tried + " and found one that differs";
  if (ex.stopped)
    return "partial result: stopped by the time budget after " + tried +
           "; no difference found so far, but the order dependence is not ruled out";
  if (!ex.exhaustive)
    return "partial result: tried a sample of " + tried +
           "; no difference found, but the order dependence is not ruled out";
  return "tried all " + tried + ": the stack does not depend on the load order";
}

} // namespace fltsim::sim
