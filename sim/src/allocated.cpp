#include "fltsim/sim/allocated.hpp"

#include <algorithm>
#include <utility>

#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::sim {

extern const char *const kAllocatedAltitudesCsv; // generated from data/allocated-altitudes.csv

namespace {

// One CSV record (RFC 4180 quoting); advances `pos` past the record's line end.
std::vector<std::string> csv_record(std::string_view text, std::size_t &pos) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          fields.back() += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

std::string_view strip_sys(std::string_view s) {
  if (s.size() > 4 && iequals(s.substr(s.size() - 4), ".sys"))
    s.remove_suffix(4);
  return s;
}

// Microsoft filters whose row in the allocated list names a file other than their service: the
// App-V client's streaming filter, service AppvStrm at 180710, is listed as appxstrm.sys (180710,
// FSFilter HSM), and the UE-V agent's UevAgentDriver at 404710 as Microsoft.Uev.AgentDriver.sys.
// Both service keys are on the Windows 10 hives of tests/corpus/machine/real/ (docs/baselines.md).
constexpr std::pair<std::string_view, std::string_view> kListedAs[] = {
    {"AppvStrm", "appxstrm"},
    {"UevAgentDriver", "Microsoft.Uev.AgentDriver"},
};

} // namespace

bool same_driver_name(std::string_view a, std::string_view b) {
  a = strip_sys(a);
  b = strip_sys(b);
  if (iequals(a, b))
    return true;
  for (const auto &[service, listed] : kListedAs)
    if ((iequals(a, service) && iequals(b, listed)) || (iequals(a, listed) && iequals(b, service)))
      return true;
  return false;
}

AllocatedTable AllocatedTable::parse_csv(std::string_view csv, std::vector<std::string> *errors) {
  AllocatedTable t;
  std::size_t pos = 0;
  int line = 0;
  while (pos < csv.size()) {
    ++line;
    auto f = csv_record(csv, pos);
    if (line == 1 || (f.size() == 1 && f[0].empty()))
      continue; // header, blank line
    Diagnostic why;
    auto alt = f.size() == 4 ? Altitude::parse(f[1], &why) : std::nullopt;
    if (!alt) {
      if (errors)
        errors->push_back("line " + std::to_string(line) + ": " +
                          (f.size() != 4 ? "expected 4 fields" : why.message));
      continue;
    }
    t.rows_.push_back({f[0], *alt, f[2], f[3]});
  }
  t.by_altitude_.resize(t.rows_.size());
  for (std::size_t i = 0; i < t.rows_.size(); ++i)
    t.by_altitude_[i] = i;
  std::stable_sort(t.by_altitude_.begin(), t.by_altitude_.end(), [&](std::size_t a, std::size_t b) {
    return t.rows_[a].altitude < t.rows_[b].altitude;
  });
  return t;
}

std::vector<const AllocatedAltitude *> AllocatedTable::at(const Altitude &a) const {
  auto lo =
      std::lower_bound(by_altitude_.begin(), by_altitude_.end(), a,
                       [&](std::size_t i, const Altitude &x) { return rows_[i].altitude < x; });
  std::vector<const AllocatedAltitude *> out;
  for (; lo != by_altitude_.end() && rows_[*lo].altitude == a; ++lo)
    out.push_back(&rows_[*lo]);
  return out;
}

std::vector<const AllocatedAltitude *> AllocatedTable::by_driver(std::string_view name) const {
  std::vector<const AllocatedAltitude *> out;
  for (const AllocatedAltitude &r : rows_)
    if (same_driver_name(r.driver, name))
      out.push_back(&r);
  return out;
}

const AllocatedTable &builtin_allocated_altitudes() {
  static const AllocatedTable table = AllocatedTable::parse_csv(kAllocatedAltitudesCsv);
  return table;
}

} // namespace fltsim::sim
