// Fleet evaluation: the per-machine map and the summary reduce (fleet.hpp, docs/fleet.md).
#include "fltsim/fleet/fleet.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include "evaluate.hpp"
#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/engine.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::fleet {

namespace {

constexpr std::array<const char *, outcome_count> outcome_names = {
    "unchanged", "clean", "order-change", "new-inversion", "new-collision", "input-error"};

std::string finding_key(const sim::Finding &f) {
  std::string k = f.code;
  for (const std::string &d : f.drivers) {
    k += '|';
    k += sim::ascii_lower(d);
  }
  return k;
}

// The I/O path bottom to top (R7): each frame's minifilters by ascending altitude, legacy
// filters where they attached; the changed drivers left out. Views into the result.
void io_order(const sim::SimResult &r, const detail::ChangedNames &changed,
              std::vector<std::string_view> &out) {
  out.clear();
  for (const sim::StackEntry &e : r.stack) {
    if (e.kind == sim::StackEntry::Kind::legacy) {
      if (!changed.contains(e.name))
        out.push_back(e.name);
      continue;
    }
    for (const sim::Frame &f : r.frames)
      if (f.id == e.frame)
        for (const sim::FrameFilter &ff : f.filters)
          if (!changed.contains(ff.name))
            out.push_back(ff.name);
  }
}

// Names of `a` that are not in a longest common subsequence with `b`: the filters that moved.
std::vector<std::string> moved_filters(const std::vector<std::string_view> &a,
                                       const std::vector<std::string_view> &b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::set<std::string_view> kept;
  for (std::size_t i = 0, j = 0; i < n && j < m;) {
    if (a[i] == b[j]) {
      kept.insert(a[i]);
      ++i, ++j;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  std::vector<std::string> out;
  for (std::string_view x : a)
    if (!kept.contains(x))
      out.emplace_back(x);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool is_inversion(std::string_view code) {
  return code == sim::rule::altitude_inversion || code == sim::rule::legacy_order_inversion;
}

} // namespace

const char *to_string(Outcome o) {
  return outcome_names[static_cast<std::size_t>(o)];
}

std::optional<Outcome> parse_outcome(std::string_view name) {
  for (std::size_t i = 0; i < outcome_count; ++i)
    if (name == outcome_names[i])
      return static_cast<Outcome>(i);
  return std::nullopt;
}

bool is_problem(Outcome o) {
  return o != Outcome::clean && o != Outcome::unchanged;
}

std::string Change::describe() const {
  std::string s;
  for (const sim::Driver &d : add) {
    s += s.empty() ? "" : "; ";
    s += "add " + d.name;
    if (const sim::Instance *i = d.find_default_instance())
      s += " " + i->altitude.text();
    else if (d.is_legacy())
      s += " (legacy)";
    if (d.group)
      s += " (" + *d.group + ")";
  }
  for (const std::string &r : remove) {
    s += s.empty() ? "" : "; ";
    s += "remove " + r;
  }
  if (s.empty())
    s = "no change";
  return context.empty() ? s : s + " [" + context + "]";
}

sim::Scenario apply_change(const sim::Scenario &before, const Change &change) {
  sim::Scenario after = before;
  for (const std::string &name : change.remove) {
    const int at = after.find_driver(name);
    if (at < 0)
      continue;
    after.drivers.erase(after.drivers.begin() + at);
    std::erase_if(after.events, [&](const sim::Event &e) { return sim::iequals(e.driver, name); });
  }
  for (const sim::Driver &d : change.add) {
    const int at = after.find_driver(d.name);
    if (at >= 0)
      after.drivers[static_cast<std::size_t>(at)] = d; // an upgrade keeps the install position
    else
      after.drivers.push_back(d); // a new install comes last (Q4: install order)
  }
  return after;
}

MachineResult input_error_result(std::string machine, std::string build,
                                 std::vector<sim::Diagnostic> errors,
                                 sim::SourceLocation location) {
  MachineResult r;
  r.machine = std::move(machine);
  r.build = std::move(build);
  r.outcome = Outcome::input_error;
  r.errors = std::move(errors);
  r.location = std::move(location);
  return r;
}

// ---- one machine ----------------------------------------------------------------------------

namespace detail {

ChangedNames::ChangedNames(const Change &change) {
  for (const sim::Driver &d : change.add)
    names_.push_back(d.name);
  for (const std::string &n : change.remove)
    names_.push_back(n);
}

bool ChangedNames::contains(std::string_view name) const {
  return std::any_of(names_.begin(), names_.end(),
                     [&](const std::string &n) { return sim::iequals(n, name); });
}

MachineEvaluator::MachineEvaluator(const Change &change) : change_(change), changed_(change) {
  // The after scenario is the machine's drivers plus the added ones, in order, when nothing is
  // removed and no added name is repeated (apply_change would replace instead).
  appends_ = change.remove.empty();
  for (std::size_t i = 0; i < change.add.size() && appends_; ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (sim::iequals(change.add[i].name, change.add[j].name))
        appends_ = false;
}

MachineResult MachineEvaluator::evaluate(std::string machine, std::string build,
                                         sim::Scenario &before) {
  MachineResult out;
  out.machine = std::move(machine);
  out.build = std::move(build);
  sim::SimOptions opt;
  opt.record_trace = false;
  opt.volume_stacks = false; // classify() reads the frames, the stack and the findings
  opt.load_order = false;
  const sim::SimResult &b = sim::simulate(before, opt, before_ws_);
  if (!b.input_errors.empty()) {
    out.outcome = Outcome::input_error;
    out.errors = b.input_errors;
    return out;
  }
  bool append = appends_;
  for (std::size_t i = 0; i < change_.add.size() && append; ++i)
    append = before.find_driver(change_.add[i].name) < 0;
  const sim::SimResult *after = nullptr;
  if (append) {
    // apply_change without copying the machine: install, simulate, uninstall.
    const std::size_t n = before.drivers.size();
    before.drivers.insert(before.drivers.end(), change_.add.begin(), change_.add.end());
    after = &sim::simulate_appended(before, n, before_ws_, opt, after_ws_);
    before.drivers.erase(before.drivers.begin() + static_cast<std::ptrdiff_t>(n),
                         before.drivers.end());
  } else {
    after = &sim::simulate(apply_change(before, change_), opt, after_ws_);
  }
  const sim::SimResult &a = *after;
  if (!a.input_errors.empty()) {
    out.outcome = Outcome::input_error;
    out.errors = a.input_errors;
    return out;
  }
  classify(out, b, a);
  return out;
}

void MachineEvaluator::classify(MachineResult &out, const sim::SimResult &b,
                                const sim::SimResult &a) {
  keys_.clear();
  for (const sim::Finding &f : b.findings)
    keys_.push_back(finding_key(f));
  std::sort(keys_.begin(), keys_.end());
  std::vector<bool> used(keys_.size(), false);
  bool collision = false, inversion = false;
  std::set<std::string> resp_collision, resp_inversion;
  for (const sim::Finding &f : a.findings) {
    // An old finding (the same code and drivers) is matched once, as a multiset would.
    const std::string key = finding_key(f);
    auto it = std::lower_bound(keys_.begin(), keys_.end(), key);
    while (it != keys_.end() && *it == key && used[static_cast<std::size_t>(it - keys_.begin())])
      ++it;
    if (it != keys_.end() && *it == key) {
      used[static_cast<std::size_t>(it - keys_.begin())] = true;
      continue;
    }
    out.new_findings.push_back({f.code, f.drivers, f.message});
    const bool is_coll = f.code == sim::rule::altitude_collision;
    const bool is_inv = is_inversion(f.code);
    if (!is_coll && !is_inv)
      continue;
    (is_coll ? collision : inversion) = true;
    for (const std::string &d : f.drivers)
      if (!changed_.contains(d))
        (is_coll ? resp_collision : resp_inversion).insert(d);
  }
  io_order(b, changed_, order_b_);
  io_order(a, changed_, order_a_);
  const bool reordered = order_b_ != order_a_;
  if (collision) {
    out.outcome = Outcome::new_collision;
    out.responsible.assign(resp_collision.begin(), resp_collision.end());
  } else if (inversion) {
    out.outcome = Outcome::new_inversion;
    out.responsible.assign(resp_inversion.begin(), resp_inversion.end());
  } else if (reordered) {
    out.outcome = Outcome::order_change;
    out.moved = moved_filters(order_b_, order_a_);
    out.responsible = out.moved;
  } else if (out.new_findings.empty() && same_outcome(b, a)) {
    out.outcome = Outcome::unchanged;
  } else {
    out.outcome = Outcome::clean;
  }
  if (out.outcome == Outcome::order_change || out.outcome == Outcome::new_collision ||
      out.outcome == Outcome::new_inversion)
    if (reordered && out.moved.empty())
      out.moved = moved_filters(order_b_, order_a_);
}

bool MachineEvaluator::same_outcome(const sim::SimResult &b, const sim::SimResult &a) {
  // Usually the change adds a filter, and the signatures differ in size: nothing to build.
  if (sim::outcome_signature_size(b) != sim::outcome_signature_size(a))
    return false;
  sim::outcome_signature(b, sig_b_);
  sim::outcome_signature(a, sig_a_);
  return sig_b_ == sig_a_;
}

} // namespace detail

MachineResult evaluate_machine(std::string machine, std::string build, const sim::Scenario &before,
                               const Change &change) {
  sim::Scenario copy = before;
  return detail::MachineEvaluator(change).evaluate(std::move(machine), std::move(build), copy);
}

// ---- the summary -----------------------------------------------------------------------------

bool operator==(const Summary::Filter &a, const Summary::Filter &b) {
  return a.name == b.name && a.counts == b.counts;
}
bool operator==(const Summary::Suggestion &a, const Summary::Suggestion &b) {
  return a.candidate.group == b.candidate.group && a.candidate.altitude == b.candidate.altitude &&
         a.counts == b.counts;
}

void Summary::add(const MachineResult &r) {
  const auto o = static_cast<std::size_t>(r.outcome);
  ++machines;
  ++outcomes[o];
  ++builds[r.build][o];
  for (const std::string &name : r.responsible) {
    Filter &f = filters[sim::ascii_lower(name)];
    if (f.name.empty() || name < f.name)
      f.name = name;
    ++f.counts[o];
  }
}

void Summary::add_suggestion(const Candidate &c, Outcome o) {
  Suggestion &s = suggestions[c.key()];
  s.candidate = c;
  ++s.counts[static_cast<std::size_t>(o)];
}

std::uint64_t Summary::problems() const {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < outcome_count; ++i)
    if (is_problem(static_cast<Outcome>(i)))
      n += outcomes[i];
  return n;
}

namespace {
// Counts add with an overflow check: a summary is input (--merge), and a count near 2^64 must
// not wrap into a plausible total.
bool add_count(std::uint64_t &into, std::uint64_t v) {
  if (into > std::numeric_limits<std::uint64_t>::max() - v)
    return false;
  into += v;
  return true;
}
bool add_counts(Counts &into, const Counts &c) {
  for (std::size_t i = 0; i < outcome_count; ++i)
    if (!add_count(into[i], c[i]))
      return false;
  return true;
}
bool is_empty(const Summary &s) {
  return s.machines == 0 && s.change.empty();
}
} // namespace

std::optional<Summary> merge(const Summary &a, const Summary &b, std::string *error) {
  if (is_empty(a))
    return b;
  if (is_empty(b))
    return a;
  if (a.change != b.change) {
    if (error)
      *error = "the summaries are of different changes ('" + a.change + "' and '" + b.change + "')";
    return std::nullopt;
  }
  Summary out = a;
  bool ok = add_count(out.machines, b.machines) && add_counts(out.outcomes, b.outcomes);
  for (const auto &[k, f] : b.filters) {
    Summary::Filter &into = out.filters[k];
    if (into.name.empty() || f.name < into.name)
      into.name = f.name;
    ok = add_counts(into.counts, f.counts) && ok;
  }
  for (const auto &[k, c] : b.builds)
    ok = add_counts(out.builds[k], c) && ok;
  for (const auto &[k, s] : b.suggestions) {
    Summary::Suggestion &into = out.suggestions[k];
    into.candidate = s.candidate;
    ok = add_counts(into.counts, s.counts) && ok;
  }
  if (!ok) {
    if (error)
      *error = "the counts add up to more than 2^64 - 1 (18446744073709551615)";
    return std::nullopt;
  }
  return out;
}

namespace {
std::uint64_t good(const Counts &c) {
  return c[static_cast<std::size_t>(Outcome::clean)] +
         c[static_cast<std::size_t>(Outcome::unchanged)];
}
} // namespace

std::vector<const Summary::Filter *> top_filters(const Summary &s, std::size_t limit) {
  std::vector<const Summary::Filter *> out;
  for (const auto &[k, f] : s.filters)
    out.push_back(&f);
  std::sort(out.begin(), out.end(), [](const Summary::Filter *x, const Summary::Filter *y) {
    const auto tx = total(x->counts), ty = total(y->counts);
    return tx != ty ? tx > ty : x->name < y->name;
  });
  if (out.size() > limit)
    out.resize(limit);
  return out;
}

std::vector<const Summary::Suggestion *> ranked_suggestions(const Summary &s) {
  std::vector<const Summary::Suggestion *> out;
  for (const auto &[k, v] : s.suggestions)
    out.push_back(&v);
  std::sort(out.begin(), out.end(), [](const Summary::Suggestion *x, const Summary::Suggestion *y) {
    const auto gx = good(x->counts), gy = good(y->counts);
    if (gx != gy)
      return gx > gy;
    const auto px = total(x->counts) - gx, py = total(y->counts) - gy;
    if (px != py)
      return px < py;
    return x->candidate.key() < y->candidate.key();
  });
  return out;
}

namespace {

const sim::Driver *first_minifilter(const Change &change) {
  for (const sim::Driver &d : change.add)
    if (d.is_minifilter())
      return &d;
  return nullptr;
}

std::optional<long long> whole(std::string_view s) {
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return s.empty() ? std::nullopt : std::optional<long long>(v);
}

// An unallocated altitude at or near `v` inside [lo, hi], as text.
std::optional<std::string> free_altitude(long long v, long long lo, long long hi) {
  const sim::AllocatedTable &table = sim::builtin_allocated_altitudes();
  for (long long d = 0; d < 200; ++d)
    for (long long cand : {v + d, v - d})
      if (cand >= lo && cand <= hi &&
          !table.is_allocated(sim::Altitude::from_literal(std::to_string(cand))))
        return std::to_string(cand);
  return std::nullopt;
}

} // namespace

std::vector<Candidate> suggestion_candidates(const Change &change) {
  std::vector<Candidate> out;
  const sim::Driver *d = first_minifilter(change);
  if (!d)
    return out;
  const sim::GroupInfo *own = d->group ? sim::find_group(*d->group) : nullptr;
  std::set<std::string> seen;
  for (const sim::GroupInfo &g : sim::documented_groups()) {
    const auto lo = whole(g.low), hi = whole(g.high);
    if (!lo || !hi || *hi <= *lo)
      continue;
    const bool is_own = own && sim::iequals(own->name, g.name);
    const int steps = is_own ? 8 : 2;
    for (int k = 1; k < steps; ++k) {
      const auto alt = free_altitude(*lo + (*hi - *lo) * k / steps, *lo, *hi);
      if (!alt)
        continue;
      Candidate c{is_own ? std::string() : std::string(g.name), *alt};
      if (seen.insert(c.key()).second)
        out.push_back(std::move(c));
    }
  }
  return out;
}

Change with_candidate(const Change &change, const Candidate &c) {
  Change out = change;
  for (sim::Driver &d : out.add) {
    if (!d.is_minifilter())
      continue;
    if (!c.group.empty())
      d.group = c.group;
    const sim::Altitude alt = sim::Altitude::from_literal(c.altitude);
    if (d.instances.empty()) {
      d.instances.push_back({d.name + " Instance", alt, 0, {}, d.location});
      d.default_instance = d.instances.back().name;
    } else {
      sim::Instance *def = nullptr;
      for (sim::Instance &i : d.instances)
        if (d.default_instance && sim::iequals(i.name, *d.default_instance))
          def = &i;
      (def ? *def : d.instances.front()).altitude = alt;
    }
    break;
  }
  return out;
}

} // namespace fltsim::fleet
