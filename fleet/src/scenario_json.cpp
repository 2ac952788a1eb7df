// Fast JSON scenario reader (scenario_json.hpp). One pass over the text straight into a Scenario
// whose storage is reused from the previous machine: no tree of values, no per-machine heap
// churn once the buffers have grown. Every `return false` means "let the YAML reader decide":
// it is never a verdict on the input.
#include "scenario_json.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>

namespace fltsim::fleet::detail {

namespace {

// A JSON scalar as the scenario reader sees it: decoded string, or the raw text of a number or
// boolean (YAML's scalar text), or null.
enum class Kind : std::uint8_t { str, num, boolean, null, arr, obj };

class Reader {
public:
  Reader(std::string_view s, const std::string &source, int line, int column0,
         DriverCache *cache = nullptr)
      : s_(s), source_(source), line_(line), column0_(column0), cache_(cache) {}

  /// `end`: nullptr = the object is the whole text; else where the object ends.
  bool read(sim::Scenario &sc, std::size_t *end = nullptr);

private:
  std::string_view s_;
  std::size_t p_ = 0;
  const std::string &source_;
  int line_ = 0;
  int column0_ = 0;
  DriverCache *cache_ = nullptr;
  DriverCache::Held *held_ = nullptr; // the scenario's record in cache_
  std::string buf_;                   // decoded text of the last string with escapes
  // The altitude of the driver being read (its own key, not an instance's).
  sim::Altitude alt_ = sim::Altitude::from_literal("0");

  // The high bit of each byte of `x` (in memory order) that is '"', '\\' or a control character,
  // at least for the first such byte (the ones above it may be false alarms: the borrow).
  static std::uint64_t special_bytes(std::uint64_t x) {
    static_assert(std::endian::native == std::endian::little);
    constexpr std::uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    const std::uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    return ((quote - ones) & ~quote & high) | ((backslash - ones) & ~backslash & high) |
           ((x - ones * 0x20) & ~x & high);
  }

  void ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t'))
      ++p_;
  }
  bool at(char c) {
    ws();
    return p_ < s_.size() && s_[p_] == c;
  }
  int column_of(std::size_t pos) const { return column0_ + static_cast<int>(pos) + 1; }
  // Sets a location field by field: the file name keeps the storage it had for the previous
  // machine (a braced SourceLocation allocated a copy of the name for every driver).
  void locate(sim::SourceLocation &at, std::size_t pos) const {
    at.file.assign(source_);
    at.line = line_;
    at.column = column_of(pos);
  }

  // At '"': the decoded string, a view into the text or into buf_ (valid until the next call).
  bool string(std::string_view &out) {
    const std::size_t start = ++p_;
    // The common case: no escape before the closing quote, found eight bytes at a time.
    while (p_ + 8 <= s_.size()) {
      std::uint64_t x;
      std::memcpy(&x, s_.data() + p_, 8);
      if (const std::uint64_t hit = special_bytes(x)) {
        p_ += static_cast<std::size_t>(std::countr_zero(hit)) / 8;
        if (s_[p_] != '"')
          return escaped_string(start, out);
        out = s_.substr(start, p_ - start);
        ++p_;
        return true;
      }
      p_ += 8;
    }
    return escaped_string(start, out);
  }
  // string() from `start` (after the opening quote), byte by byte from p_: an escape, a control
  // character or the last bytes of the text.
  bool escaped_string(std::size_t start, std::string_view &out) {
    while (p_ < s_.size()) {
      const char c = s_[p_];
      if (c == '"') {
        out = s_.substr(start, p_ - start);
        ++p_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return false;
      if (c == '\\')
        break;
      ++p_;
    }
    if (p_ >= s_.size())
      return false;
    buf_.assign(s_.substr(start, p_ - start));
    while (p_ < s_.size()) {
      const char c = s_[p_++];
      if (c == '"') {
        out = buf_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return false;
      if (c != '\\') {
        buf_ += c;
        continue;
      }
      if (p_ >= s_.size())
        return false;
      switch (s_[p_++]) {
      case '"':
        buf_ += '"';
        break;
      case '\\':
        buf_ += '\\';
        break;
      case '/':
        buf_ += '/';
        break;
      case 'b':
        buf_ += '\b';
        break;
      case 'f':
        buf_ += '\f';
        break;
      case 'n':
        buf_ += '\n';
        break;
      case 'r':
        buf_ += '\r';
        break;
      case 't':
        buf_ += '\t';
        break;
      default:
        return false; // \u and anything else: the YAML reader
      }
    }
    return false;
  }

  // The next value if it is a scalar (consumed; `text` its scalar text), or arr/obj (not
  // consumed). `pos` is where it starts.
  bool scalar(Kind &kind, std::string_view &text, std::size_t &pos) {
    ws();
    if (p_ >= s_.size())
      return false;
    pos = p_;
    const char c = s_[p_];
    if (c == '"') {
      kind = Kind::str;
      return string(text);
    }
    if (c == '[' || c == '{') {
      kind = c == '[' ? Kind::arr : Kind::obj;
      return true;
    }
    const std::size_t start = p_;
    while (p_ < s_.size()) {
      const char x = s_[p_];
      if (x == ',' || x == '}' || x == ']' || x == ' ' || x == '\t')
        break;
      ++p_;
    }
    const std::string_view word = s_.substr(start, p_ - start);
    text = word;
    if (word == "null") {
      kind = Kind::null;
      return true;
    }
    if (word == "true" || word == "false") {
      kind = Kind::boolean;
      return true;
    }
    // A JSON number: -?digits[.digits][e[+-]digits]
    std::size_t i = 0;
    auto digits = [&] {
      const std::size_t b = i;
      while (i < word.size() && word[i] >= '0' && word[i] <= '9')
        ++i;
      return i > b;
    };
    if (i < word.size() && word[i] == '-')
      ++i;
    if (!digits())
      return false;
    if (i < word.size() && word[i] == '.') {
      ++i;
      if (!digits())
        return false;
    }
    if (i < word.size() && (word[i] == 'e' || word[i] == 'E')) {
      ++i;
      if (i < word.size() && (word[i] == '+' || word[i] == '-'))
        ++i;
      if (!digits())
        return false;
    }
    if (i != word.size())
      return false;
    kind = Kind::num;
    return true;
  }

  static bool is_scalar(Kind k) { return k == Kind::str || k == Kind::num || k == Kind::boolean; }

  // Iterates an object's members: calls member(key, key_pos) with the cursor before the value,
  // which member() must consume. At '{'.
  template <class F> bool object(F &&member) {
    ++p_;
    if (at('}'))
      return ++p_, true;
    while (true) {
      if (!at('"'))
        return false;
      std::string_view key;
      if (!string(key))
        return false;
      if (!at(':'))
        return false;
      ++p_;
      if (!member(key))
        return false;
      if (at(',')) {
        ++p_;
        continue;
      }
      if (at('}'))
        return ++p_, true;
      return false;
    }
  }
  // The same for an array's items. At '['.
  template <class F> bool array(F &&item) {
    ++p_;
    if (at(']'))
      return ++p_, true;
    while (true) {
      if (!item())
        return false;
      if (at(',')) {
        ++p_;
        continue;
      }
      if (at(']'))
        return ++p_, true;
      return false;
    }
  }

  // One member of an object read by fields(): which of the known keys it is (its index), its
  // value as scalar() read it, and where the value starts (to re-read an array or object).
  struct Member {
    std::size_t key;
    Kind kind;
    std::string_view text;
    std::size_t pos;
  };
  // The index of `key` in `keys` (N if it is none), without a call to memcmp per key: keys are
  // short, compared eight bytes at a time.
  template <std::size_t N>
  static std::size_t key_index(const std::array<std::string_view, N> &keys, std::string_view key) {
    if (key.empty())
      return N;
    for (std::size_t i = 0; i < N; ++i) {
      const std::string_view k = keys[i];
      if (k.size() == key.size() && k[0] == key[0] && same_bytes(k, key))
        return i;
    }
    return N;
  }
  // a == b for strings of one size, without a call: overlapping loads of 8 or 4 bytes.
  static bool same_bytes(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    auto load8 = [](const char *p) {
      std::uint64_t x;
      std::memcpy(&x, p, 8);
      return x;
    };
    auto load4 = [](const char *p) {
      std::uint32_t x;
      std::memcpy(&x, p, 4);
      return x;
    };
    if (n >= 8) {
      for (std::size_t i = 0; i + 8 < n; i += 8)
        if (load8(a.data() + i) != load8(b.data() + i))
          return false;
      return load8(a.data() + n - 8) == load8(b.data() + n - 8);
    }
    if (n >= 4)
      return load4(a.data()) == load4(b.data()) &&
             load4(a.data() + n - 4) == load4(b.data() + n - 4);
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i])
        return false;
    return true;
  }

  // Iterates an object whose keys must each be one of `keys`, at most once (an unknown or repeated
  // key: the YAML reader decides). Calls field(member) with the cursor after a scalar value, or
  // at an array or object, which field() must read from member.pos. `seen` gets bit i for keys[i].
  template <std::size_t N, class F>
  bool fields(const std::array<std::string_view, N> &keys, unsigned &seen, F &&field) {
    static_assert(N <= 32);
    seen = 0;
    return object([&](std::string_view key) {
      const std::size_t index = key_index(keys, key);
      if (index == N)
        return false;
      const unsigned bit = 1u << index;
      if (seen & bit)
        return false;
      seen |= bit;
      Member m{index, Kind::null, {}, 0};
      if (!scalar(m.kind, m.text, m.pos))
        return false;
      return field(m);
    });
  }

  static std::optional<std::uint64_t> uint_of(Kind k, std::string_view t, std::uint64_t max) {
    if (!is_scalar(k))
      return std::nullopt;
    int base = 10;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
      base = 16;
      t.remove_prefix(2);
    }
    std::uint64_t x = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x, base);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size() || x > max)
      return std::nullopt;
    return x;
  }

  // string_list(): a scalar is a one-entry list (an empty one none); entries must be non-empty.
  bool names(std::vector<std::string> &out) {
    out.clear();
    Kind k;
    std::string_view t;
    std::size_t pos;
    if (!scalar(k, t, pos))
      return false;
    if (is_scalar(k)) {
      if (!t.empty())
        out.emplace_back(t);
      return true;
    }
    if (k != Kind::arr)
      return false;
    return array([&] {
      Kind ik;
      std::string_view it;
      std::size_t ipos;
      if (!scalar(ik, it, ipos) || !is_scalar(ik) || it.empty())
        return false;
      out.emplace_back(it);
      return true;
    });
  }

  bool driver(sim::Driver &d);
  bool cached_driver(sim::Driver &d, std::size_t index);
  sim::Instance &slot(sim::Driver &d, std::size_t &count);
  bool instance(sim::Driver &d, std::size_t &count);
};

// parse_start_type() for the names as the registry and most scenarios spell them (lower case);
// anything else is left to it.
std::optional<sim::StartType> usual_start_type(std::string_view t) {
  switch (t.size()) {
  case 4:
    if (t == "boot")
      return sim::StartType::boot;
    if (t == "auto")
      return sim::StartType::automatic;
    break;
  case 6:
    if (t == "system")
      return sim::StartType::system;
    if (t == "demand")
      return sim::StartType::demand;
    break;
  default:
    break;
  }
  return std::nullopt;
}

// Keys of a driver object; fields() sets bit 1 << key in `seen`.
enum DriverKey : std::size_t {
  k_name,
  k_kind,
  k_group,
  k_start,
  k_tag,
  k_depends,
  k_altitude,
  k_instances,
  k_default
};
constexpr std::array<std::string_view, 9> driver_keys{"name",     "kind",      "group",
                                                      "start",    "tag",       "depends_on",
                                                      "altitude", "instances", "default_instance"};

// Reuses the driver's instance at `count` when there is one (its strings keep their storage).
sim::Instance &Reader::slot(sim::Driver &d, std::size_t &count) {
  if (count == d.instances.size()) {
    static const sim::Altitude zero = sim::Altitude::from_literal("0");
    d.instances.push_back(sim::Instance{std::string(), zero, 0, {}, {}});
  }
  sim::Instance &inst = d.instances[count++];
  inst.name.clear();
  inst.flags = 0;
  inst.attach.clear();
  return inst;
}

bool Reader::instance(sim::Driver &d, std::size_t &count) {
  ws();
  if (p_ >= s_.size() || s_[p_] != '{')
    return false;
  const std::size_t pos = p_;
  sim::Instance &inst = slot(d, count);
  locate(inst.location, pos);
  static constexpr std::array<std::string_view, 4> keys{"name", "altitude", "flags", "attach"};
  unsigned seen = 0;
  bool have_alt = false;
  const bool ok = fields(keys, seen, [&](const Member &m) {
    const Kind k = m.kind;
    const std::string_view t = m.text;
    switch (m.key) {
    case 0:
      if (!is_scalar(k) || t.empty())
        return false;
      inst.name.assign(t);
      return true;
    case 1: {
      if (!is_scalar(k))
        return false;
      if (!inst.altitude.assign(t))
        return false;
      have_alt = true;
      return true;
    }
    case 2: {
      if (k == Kind::null)
        return true;
      auto v = uint_of(k, t, 0xFFFFFFFFull);
      if (!v)
        return false;
      inst.flags = static_cast<std::uint32_t>(*v);
      return true;
    }
    default: // attach
      if (k == Kind::null)
        return true;
      return names(inst.attach);
    }
  });
  return ok && (seen & 1u) && have_alt; // name and altitude
}

bool Reader::driver(sim::Driver &d) {
  ws();
  if (p_ >= s_.size() || s_[p_] != '{')
    return false;
  locate(d.location, p_);
  d.kind = sim::DriverKind::minifilter;
  d.tag.reset();
  d.depends_on.clear();
  std::size_t count = 0; // instances read (d.instances' elements are reused)
  bool group_set = false, def_set = false;
  d.supports_dax = false;
  d.supports_named_pipes = false;
  d.skip_volume_classes.clear();
  unsigned seen = 0;
  bool alt = false; // the driver's altitude is in alt_
  std::size_t alt_pos = 0;
  bool inst_given = false, def_given = false, alt_given = false;
  const bool ok = fields(driver_keys, seen, [&](const Member &m) {
    const Kind k = m.kind;
    const std::string_view t = m.text;
    switch (m.key) {
    case k_name:
      if (!is_scalar(k) || t.empty())
        return false;
      d.name.assign(t);
      return true;
    case k_kind: {
      if (!is_scalar(k))
        return false;
      if (t == "minifilter") { // the usual spellings first, without a lower-cased copy
        d.kind = sim::DriverKind::minifilter;
        return true;
      }
      auto kind = sim::parse_driver_kind(std::string(t));
      if (!kind)
        return false;
      d.kind = *kind;
      return true;
    }
    case k_group:
      if (k == Kind::null)
        return true;
      if (!is_scalar(k))
        return false;
      if (!t.empty()) {
        group_set = true;
        if (d.group)
          d.group->assign(t);
        else
          d.group.emplace(t);
      }
      return true;
    case k_start: {
      if (!is_scalar(k))
        return false;
      if (const auto st = usual_start_type(t)) {
        d.start = *st;
        return true;
      }
      auto st = sim::parse_start_type(std::string(t));
      if (!st)
        return false;
      d.start = *st;
      return true;
    }
    case k_tag: {
      if (k == Kind::null)
        return true;
      auto v = uint_of(k, t, 0xFFFFFFFFull);
      if (!v)
        return false;
      d.tag = static_cast<std::uint32_t>(*v);
      return true;
    }
    case k_depends:
      if (k == Kind::null)
        return true;
      return names(d.depends_on);
    case k_altitude: {
      if (k == Kind::null)
        return true;
      alt_given = true;
      if (!is_scalar(k))
        return false;
      alt = alt_.assign(t);
      alt_pos = m.pos;
      return alt;
    }
    case k_instances: {
      if (k == Kind::null)
        return true;
      inst_given = true;
      if (k != Kind::arr)
        return false;
      return array([&] {
        if (count >= 1024)
          return false;
        return instance(d, count);
      });
    }
    default: // default_instance
      if (k == Kind::null)
        return true;
      def_given = true;
      if (!is_scalar(k) || t.empty())
        return false;
      def_set = true;
      if (d.default_instance)
        d.default_instance->assign(t);
      else
        d.default_instance.emplace(t);
      return true;
    }
  });
  // Instances past `count` are dropped only once the implicit instance has taken the first
  // slot: erasing it first freed its strings, which the next machine allocated again.
  auto drop_unused = [&] {
    d.instances.erase(d.instances.begin() + static_cast<std::ptrdiff_t>(count), d.instances.end());
  };
  if (!group_set)
    d.group.reset();
  if (!ok || !(seen & (1u << k_name)) || !(seen & (1u << k_start))) {
    drop_unused();
    return false;
  }
  // The default instance when none was given: the implicit instance's name or the instance at
  // the driver's altitude, written into the string the previous machine left (else reset).
  bool has_default = def_set;
  auto set_default = [&](const std::string &name) {
    if (d.default_instance)
      d.default_instance->assign(name);
    else
      d.default_instance.emplace(name);
    has_default = true;
  };
  if (d.kind == sim::DriverKind::legacy) {
    drop_unused();
    if (alt_given || inst_given || def_given)
      return false; // legacy-altitude / legacy-instances
  } else if (count == 0 && !inst_given) {
    if (!alt) {
      drop_unused();
      return false; // missing-key
    }
    sim::Instance &i = slot(d, count);
    drop_unused();
    i.name.assign(d.name);
    i.name += " Instance";
    i.altitude = alt_;
    locate(i.location, alt_pos);
    if (!has_default)
      set_default(i.name);
  } else {
    drop_unused();
  }
  if (d.kind != sim::DriverKind::legacy && !d.instances.empty() && !has_default) {
    const sim::Instance *pick = &d.instances.front();
    if (alt)
      for (const sim::Instance &i : d.instances)
        if (i.altitude == alt_) {
          pick = &i;
          break;
        }
    set_default(pick->name);
  }
  if (!has_default)
    d.default_instance.reset();
  if (alt && !d.instances.empty() && d.kind != sim::DriverKind::legacy)
    if (const sim::Instance *def = d.find_default_instance(); def && !(def->altitude == alt_))
      return false; // altitude-mismatch
  return true;
}

// Driver `index` of the scenario: a copy of a cached driver whose text is the one at the cursor,
// or read (and cached). A driver that is already a copy of that entry gets only its locations.
bool Reader::cached_driver(sim::Driver &d, std::size_t index) {
  if (!cache_)
    return driver(d);
  DriverCache &c = *cache_;
  ws();
  const std::size_t begin = p_;
  const std::size_t rest = s_.size() - std::min(begin, s_.size());
  const int column = column_of(begin);
  const auto hash = static_cast<std::uint32_t>(
      text_hash(s_.substr(begin, std::min(DriverCache::key_bytes, rest))));
  if (!c.table.empty()) {
    const std::size_t mask = c.table.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const DriverCache::Slot slot = c.table[i];
      if (slot.entry == DriverCache::none)
        break;
      if (slot.hash != hash)
        continue;
      const DriverCache::Entry &e = c.entries[slot.entry];
      const std::size_t n = e.text.size();
      if (n > rest || std::memcmp(e.text.data(), s_.data() + begin, n) != 0)
        continue;
      p_ = begin + n;
      if (held_->entries[index] == slot.entry) { // the same copy: locations only
        d.location.line = line_;
        d.location.column = e.driver.location.column + column;
        for (std::size_t k = 0; k < d.instances.size(); ++k) {
          d.instances[k].location.line = line_;
          d.instances[k].location.column = e.driver.instances[k].location.column + column;
        }
        return true;
      }
      d = e.driver;
      d.location.line = line_;
      d.location.column += column;
      for (sim::Instance &inst : d.instances) {
        inst.location.line = line_;
        inst.location.column += column;
      }
      if (d.location.file != source_) { // an entry made while reading another file
        d.location.file = source_;
        for (sim::Instance &inst : d.instances)
          inst.location.file = source_;
      }
      held_->entries[index] = slot.entry;
      return true;
    }
  }
  held_->entries[index] = DriverCache::none;
  if (!driver(d))
    return false;
  // driver() read the object from `begin` to its closing brace, the cursor.
  const std::size_t n = p_ - begin;
  if (n > DriverCache::max_text || c.entries.size() >= DriverCache::max_entries)
    return true;
  if (c.table.empty()) {
    c.table.resize(2 * DriverCache::max_entries);
    c.entries.reserve(DriverCache::max_entries);
  }
  const auto at = static_cast<std::uint32_t>(c.entries.size());
  DriverCache::Entry &e =
      c.entries.emplace_back(DriverCache::Entry{std::string(s_.substr(begin, n)), d});
  e.driver.location.column -= column;
  for (sim::Instance &inst : e.driver.instances)
    inst.location.column -= column;
  const std::size_t mask = c.table.size() - 1;
  std::size_t i = hash & mask;
  while (c.table[i].entry != DriverCache::none)
    i = (i + 1) & mask;
  c.table[i] = {hash, at};
  held_->entries[index] = at;
  return true;
}

enum ScenarioKey : std::size_t { r_scenario, r_sgo, r_gol, r_drivers, r_events, r_volumes };
constexpr std::array<std::string_view, 6> scenario_keys{
    "scenario", "service_group_order", "group_order_list", "drivers", "events", "volumes"};

bool Reader::read(sim::Scenario &sc, std::size_t *end) {
  sc.title.clear();
  sc.service_group_order.reset();
  sc.group_order_list.clear();
  sc.events.clear();
  sc.volumes.clear();
  sc.volume_specs.clear();
  sc.policy = {};
  std::size_t drivers = 0;
  if (cache_) // which drivers of `sc` are still the copies the cache made (DriverCache)
    held_ = &cache_->held_for(sc, source_);
  ws();
  if (p_ >= s_.size() || s_[p_] != '{') {
    if (cache_)
      held_->by = nullptr;
    return false;
  }
  unsigned seen = 0;
  const bool ok = fields(scenario_keys, seen, [&](const Member &m) {
    const Kind k = m.kind;
    const std::string_view t = m.text;
    switch (m.key) {
    case r_scenario:
      if (!is_scalar(k))
        return false;
      sc.title.assign(t);
      return true;
    case r_sgo:
      return names(sc.service_group_order.emplace());
    case r_volumes:
      return names(sc.volumes);
    case r_gol:
      if (k != Kind::obj)
        return false;
      // Keys are inserted as they come, so a duplicate (which YAML decides) is seen at once and
      // a list of many keys costs O(n log n), not O(n^2).
      return object([&](std::string_view group) {
        auto [it, fresh] = sc.group_order_list.try_emplace(std::string(group));
        if (!fresh)
          return false;
        Kind tk;
        std::string_view tt;
        std::size_t tpos;
        if (!scalar(tk, tt, tpos) || tk != Kind::arr)
          return false;
        std::vector<std::uint32_t> &list = it->second;
        return array([&] {
          Kind ik;
          std::string_view itx;
          std::size_t ipos;
          if (!scalar(ik, itx, ipos))
            return false;
          auto v = uint_of(ik, itx, 0xFFFFFFFFull);
          if (!v)
            return false;
          list.push_back(static_cast<std::uint32_t>(*v));
          return true;
        });
      });
    case r_drivers:
      if (k == Kind::null)
        return true;
      if (k != Kind::arr)
        return false;
      return array([&] {
        if (drivers >= 200000)
          return false;
        if (drivers == sc.drivers.size()) {
          sc.drivers.emplace_back();
          if (cache_)
            held_->entries.push_back(DriverCache::none);
        }
        const std::size_t index = drivers++;
        return cached_driver(sc.drivers[index], index);
      });
    default: // events
      if (k == Kind::null)
        return true;
      if (k != Kind::arr)
        return false;
      return array([&] {
        ws();
        if (p_ >= s_.size() || s_[p_] != '{')
          return false;
        sim::Event &e = sc.events.emplace_back();
        locate(e.location, p_);
        int members = 0;
        return object([&](std::string_view ekey) {
                 if (++members > 1)
                   return false;
                 if (ekey == "load")
                   e.kind = sim::Event::Kind::load;
                 else if (ekey == "unload")
                   e.kind = sim::Event::Kind::unload;
                 else
                   return false;
                 Kind vk;
                 std::string_view vt;
                 std::size_t vp;
                 if (!scalar(vk, vt, vp) || !is_scalar(vk) || vt.empty())
                   return false;
                 e.driver.assign(vt);
                 return true;
               }) &&
               members == 1;
      });
    }
  });
  sc.drivers.resize(drivers);
  if (cache_) {
    held_->entries.resize(drivers);
    if (!ok)
      held_->by = nullptr;
  }
  if (!ok)
    return false;
  if (end) {
    *end = p_;
    return true;
  }
  ws();
  return p_ == s_.size();
}

} // namespace

bool read_scenario_json(std::string_view text, const std::string &source, int line, int column0,
                        sim::Scenario &into) {
  return Reader(text, source, line, column0).read(into);
}

bool read_scenario_json_prefix(std::string_view text, const std::string &source, int line,
                               int column0, sim::Scenario &into, std::size_t &end,
                               DriverCache *cache) {
  return Reader(text, source, line, column0, cache).read(into, &end);
}

DriverCache::Held &DriverCache::held_for(const sim::Scenario &sc, const std::string &file) {
  Held *h = nullptr;
  for (Held &x : held)
    if (x.by == &sc)
      h = &x;
  if (!h) {
    h = &held[next_held];
    next_held = (next_held + 1) % held.size();
    h->by = nullptr;
  }
  if (h->by != &sc || h->file != file) {
    h->entries.assign(sc.drivers.size(), none);
    h->by = &sc;
    h->file = file;
  } else {
    h->entries.resize(sc.drivers.size(), none);
  }
  return *h;
}

void DriverCache::forget(const sim::Scenario &sc) {
  for (Held &x : held)
    if (x.by == &sc)
      x.by = nullptr;
}

std::uint64_t text_hash(std::string_view s) {
  constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ull, k2 = 0xC2B2AE3D27D4EB4Full;
  std::uint64_t a = k1 ^ s.size(), b = k2;
  std::size_t i = 0;
  auto word = [&](std::size_t at) {
    std::uint64_t x = 0;
    std::memcpy(&x, s.data() + at, 8);
    return x;
  };
  for (; i + 16 <= s.size(); i += 16) {
    a = (a ^ word(i)) * k2;
    a ^= a >> 29;
    b = (b ^ word(i + 8)) * k1;
    b ^= b >> 31;
  }
  if (i < s.size()) { // 1 to 15 bytes left
    std::uint64_t tail = 0;
    std::memcpy(&tail, s.data() + i, std::min<std::size_t>(8, s.size() - i));
    a = (a ^ tail) * k2;
    if (s.size() - i > 8) {
      tail = 0;
      std::memcpy(&tail, s.data() + i + 8, s.size() - i - 8);
      b = (b ^ tail) * k1;
    }
  }
  std::uint64_t h = (a ^ (b >> 17) ^ (b << 47)) * 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

} // namespace fltsim::fleet::detail
