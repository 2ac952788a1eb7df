#pragma once
// Service and group names -> an int, compared as Windows compares them (ASCII case-insensitive,
// groups.hpp iequals), without a lower-cased copy of each name: an open-addressing table of views
// into names the caller keeps alive. One allocation per table instead of one or two per name,
// which dominated the engine's cost on small scenarios (docs/performance.md#fleet). Internal to
// fltsim_sim.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "fltsim/sim/groups.hpp"

namespace fltsim::sim::detail {

class NameIndex {
public:
  NameIndex() = default;
  explicit NameIndex(std::size_t expected) { reserve(expected); }

  /// Inserts `name` -> `value` unless an equal name is there: returns the value kept and whether
  /// it was inserted (the first spelling wins, like std::unordered_map::emplace).
  std::pair<int, bool> emplace(std::string_view name, int value) {
    if (2 * (size_ + 1) > slots_.size())
      grow();
    const std::uint64_t h = hash(name);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot &s = slots_[i];
      if (s.value < 0) {
        s = {name, value, h};
        ++size_;
        return {value, true};
      }
      if (s.hash == h && same(s.name, name))
        return {s.value, false};
    }
  }

  /// The value of `name`, or -1.
  [[nodiscard]] int find(std::string_view name) const {
    if (size_ == 0)
      return -1;
    const std::uint64_t h = hash(name);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot &s = slots_[i];
      if (s.value < 0)
        return -1;
      if (s.hash == h && same(s.name, name))
        return s.value;
    }
  }
  [[nodiscard]] bool contains(std::string_view name) const { return find(name) >= 0; }
  /// Empties the table for reuse (engine workspaces), keeping its slots unless a large scenario
  /// left far more than `expected` names need.
  void clear(std::size_t expected = 0) {
    if (slots_.size() > 64 && slots_.size() > 16 * (expected + 1)) {
      slots_.clear();
      mask_ = 0;
    } else if (size_ != 0) {
      std::fill(slots_.begin(), slots_.end(), Slot{});
    }
    size_ = 0;
    reserve(expected);
  }
  /// Distinct names inserted.
  [[nodiscard]] std::size_t size() const { return size_; }

private:
  struct Slot {
    std::string_view name;
    int value = -1; // -1 = empty (values are >= 0)
    std::uint64_t hash = 0;
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;

  // Eight bytes lower-cased at once (ASCII 'A'-'Z' only, as sim::ascii_lower(char) does).
  static std::uint64_t lower8(std::uint64_t x) {
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    const std::uint64_t heptets = x & (0x7F * ones);
    const std::uint64_t above_z = heptets + (0x7F - 'Z') * ones;
    const std::uint64_t from_a = heptets + (0x80 - 'A') * ones;
    const std::uint64_t upper = ~x & (from_a ^ above_z) & (0x80 * ones);
    return x | (upper >> 2);
  }
  static std::uint64_t load(const char *p, std::size_t n) { // n <= 8
    std::uint64_t x = 0;
    std::memcpy(&x, p, n);
    return lower8(x);
  }
  // The length and the first and last eight bytes: names differ early or late, and equal
  // hashes are compared in full anyway.
  static std::uint64_t hash(std::string_view s) {
    const std::size_t n = s.size();
    const std::uint64_t head = load(s.data(), n < 8 ? n : 8);
    const std::uint64_t tail = n > 8 ? load(s.data() + n - 8, 8) : 0;
    std::uint64_t h = (head * 0x9E3779B97F4A7C15ull) ^ (tail * 0xC2B2AE3D27D4EB4Full) ^ n;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
  }
  // Names are usually spelled alike (a group as ServiceGroupOrder writes it): one memcmp, then
  // the case-insensitive comparison only when the bytes differ.
  static bool same(std::string_view a, std::string_view b) {
    return a.size() == b.size() && (a == b || iequals(a, b));
  }
  void reserve(std::size_t n) {
    std::size_t cap = 8;
    while (cap < 2 * n + 2)
      cap *= 2;
    if (cap > slots_.size())
      rehash(cap);
  }
  void grow() { rehash(slots_.empty() ? 8 : slots_.size() * 2); }
  void rehash(std::size_t cap) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const Slot &s : old)
      if (s.value >= 0)
        for (std::size_t i = s.hash & mask_;; i = (i + 1) & mask_)
          if (slots_[i].value < 0) {
            slots_[i] = s;
            break;
          }
  }
};

} // namespace fltsim::sim::detail
