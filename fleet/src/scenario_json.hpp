#pragma once
// The fast path of the JSONL machine reader (fleet_input.cpp): a scenario written as JSON, read
// in one pass without yaml-cpp (which costs about 0.8 ms per 25-driver machine) and without a
// tree of values, into a Scenario whose storage is reused from one machine to the next.
// It accepts only what it can read exactly as parse_scenario_yaml() reads the same text -- JSON
// is YAML, and every value here means what the YAML reader makes of it -- and gives up (false)
// on anything else: an unknown or duplicate key, a wrong type, a value the YAML reader would
// reject, `include:`, `expect:`, \u escapes. The caller then runs the YAML reader, which gives
// the located diagnostics. tests/fleet/readers_test.cpp checks both readers agree.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/fleet/fleet_input.hpp"
#include "fltsim/sim/scenario.hpp"

namespace fltsim::fleet::detail {

/// A hash of a text, eight bytes at a time in two lanes (about twice as fast as std::hash on a
/// 2.6 KB record). Users keep the text beside it: a collision is a miss, never a wrong result.
[[nodiscard]] std::uint64_t text_hash(std::string_view s);

/// The drivers a worker has read, by the exact JSON text of their object: machines of one fleet
/// share most of their drivers (the inbox set of a build, the same products), so a driver whose
/// text was read before is copied, not read again. What the reader makes of a driver depends on
/// its text alone, except the locations, which are kept relative to the object's '{' and set for
/// each copy. Bounded: once full, it only answers.
///
/// An entry is found by a hash of the first `key_bytes` bytes at the object's '{' (most drivers
/// differ in their name, which comes first), then its whole text compared with the bytes there:
/// a driver object's text ends at its closing brace, so a text that matches is the object, and
/// the object's end need not be found first. The table is open-addressed (a power of two, linear
/// probing, no deletion); entries are never changed or removed once added.
///
/// The cache also remembers, for the last few scenarios it read into, which entry each of their
/// drivers is an unchanged copy of, so that a driver read at the same position of the same
/// scenario from the same text again (a build's inbox drivers, when the caller keeps a scenario
/// per build) gets only its locations set, not a copy. This holds while the caller leaves those
/// drivers alone between reads: drivers may be added after them and removed again (as the
/// fleet's "after" run does), nothing else; a scenario changed otherwise is forget()'s.
struct DriverCache {
  static constexpr std::size_t max_entries = 1024;
  static constexpr std::size_t max_text = 2048; ///< longer driver objects are read every time
  static constexpr std::size_t key_bytes = 32;
  static constexpr std::uint32_t none = 0xFFFFFFFFu;
  struct Entry {
    std::string text;
    sim::Driver driver; ///< location columns relative to the object's '{'
  };
  struct Slot {
    std::uint32_t hash = 0; ///< the key's hash, low bits
    std::uint32_t entry = none;
  };
  std::vector<Entry> entries; ///< reserved once: entries do not move
  std::vector<Slot> table;    ///< 2 * max_entries slots once used
  /// For each of the last few scenarios read into (a worker may keep one per build): which entry
  /// each of its drivers is an unchanged copy of (with its locations set for `file`), or none.
  struct Held {
    const sim::Scenario *by = nullptr;
    std::string file;
    std::vector<std::uint32_t> entries;
  };
  std::array<Held, 8> held;
  std::size_t next_held = 0; ///< the record a new scenario takes
  /// The record of `sc`, emptied unless it was made for `file`; a new one if `sc` has none.
  Held &held_for(const sim::Scenario &sc, const std::string &file);
  /// Forgets what `sc` holds (it is about to be read or changed without the cache).
  void forget(const sim::Scenario &sc);
};

/// `text` is the scenario object's JSON; `column0` the 0-based offset of its '{' in the line
/// (locations are source:line:column of each driver's and instance's '{'). On false `into` holds
/// a partial scenario.
[[nodiscard]] bool read_scenario_json(std::string_view text, const std::string &source, int line,
                                      int column0, sim::Scenario &into);
/// The same for the object at the start of `text`, which may go on after it: `end` is the offset
/// just past the object's '}'.
[[nodiscard]] bool read_scenario_json_prefix(std::string_view text, const std::string &source,
                                             int line, int column0, sim::Scenario &into,
                                             std::size_t &end, DriverCache *cache = nullptr);

/// A JSONL machine record read in one pass (fleet_input.cpp): the envelope as
/// split_machine_json_line() gives it and the scenario read into `into` as read_scenario_json()
/// reads it, when the record is well formed and its scenario is one the fast reader takes. On
/// false nothing is decided: the caller takes the two-step path, which reports what is wrong.
[[nodiscard]] bool read_machine_json_line(std::string_view line, const std::string &source,
                                          int line_no, MachineEnvelope &env, sim::Scenario &into,
                                          DriverCache *cache = nullptr);

} // namespace fltsim::fleet::detail
