// The summary document (summary_json.hpp).
#include "fltsim/fleet/summary_json.hpp"

#include <limits>

#include <nlohmann/json.hpp>

#include "fltsim/sim/groups.hpp"
#include "json_limits.hpp"

namespace fltsim::fleet {

using nlohmann::json;

namespace {

json counts_json(const Counts &c) {
  json j = json::object();
  for (std::size_t i = 0; i < outcome_count; ++i)
    j[to_string(static_cast<Outcome>(i))] = c[i];
  return j;
}

bool counts_from(const json &j, Counts &c, std::string *error) {
  if (!j.is_object()) {
    *error = "'outcomes' must be an object of counts";
    return false;
  }
  c = {};
  for (auto it = j.begin(); it != j.end(); ++it) {
    auto o = parse_outcome(it.key());
    if (!o || !it.value().is_number_unsigned()) {
      *error = "unknown outcome or bad count '" + it.key() + "'";
      return false;
    }
    c[static_cast<std::size_t>(*o)] = it.value().get<std::uint64_t>();
  }
  return true;
}

// The sum of the counts, or nullopt past 2^64 - 1 (a count near 2^64 must not wrap into a
// plausible total).
std::optional<std::uint64_t> total(const Counts &c) {
  std::uint64_t n = 0;
  for (auto v : c) {
    if (n > std::numeric_limits<std::uint64_t>::max() - v)
      return std::nullopt;
    n += v;
  }
  return n;
}

json summary_json(const Summary &s) {
  json j;
  j["fltsim_fleet_summary"] = 1;
  j["change"] = s.change;
  j["machines"] = s.machines;
  j["outcomes"] = counts_json(s.outcomes);
  json filters = json::array();
  for (const auto *f : top_filters(s, s.filters.size()))
    filters.push_back({{"name", f->name}, {"outcomes", counts_json(f->counts)}});
  j["filters"] = std::move(filters);
  json builds = json::array();
  for (const auto &[b, c] : s.builds)
    builds.push_back(
        {{"build", b.empty() ? json(nullptr) : json(b)}, {"outcomes", counts_json(c)}});
  j["builds"] = std::move(builds);
  json sug = json::array();
  for (const auto *x : ranked_suggestions(s))
    sug.push_back({{"group", x->candidate.group.empty() ? json(nullptr) : json(x->candidate.group)},
                   {"altitude", x->candidate.altitude},
                   {"outcomes", counts_json(x->counts)}});
  j["suggestions"] = std::move(sug);
  return j;
}

std::optional<Summary> summary_from_json(const json &j, std::string *error) {
  try {
    // The version is compared as a JSON value, not converted: value(key, 0) converts a float
    // such as 7.8e62 to int, which is undefined behaviour (found by fuzz_fleet_summary).
    if (!j.is_object() || !j.contains("fltsim_fleet_summary") ||
        j.at("fltsim_fleet_summary") != json(1)) {
      *error = "not an fltsim fleet summary (no \"fltsim_fleet_summary\": 1)";
      return std::nullopt;
    }
    Summary s;
    s.change = j.at("change").get<std::string>();
    // A count is a whole number: a float (1e308) would convert to nonsense, not to a count.
    if (!j.at("machines").is_number_unsigned()) {
      *error = "'machines' must be a count (a whole number)";
      return std::nullopt;
    }
    s.machines = j.at("machines").get<std::uint64_t>();
    if (!counts_from(j.at("outcomes"), s.outcomes, error))
      return std::nullopt;
    for (const json &f : j.at("filters")) {
      Summary::Filter filter;
      filter.name = f.at("name").get<std::string>();
      if (!counts_from(f.at("outcomes"), filter.counts, error))
        return std::nullopt;
      s.filters[sim::ascii_lower(filter.name)] = filter;
    }
    for (const json &b : j.at("builds")) {
      Counts c{};
      if (!counts_from(b.at("outcomes"), c, error))
        return std::nullopt;
      s.builds[b.at("build").is_null() ? std::string() : b.at("build").get<std::string>()] = c;
    }
    for (const json &x : j.value("suggestions", json::array())) {
      Summary::Suggestion sg;
      sg.candidate.group = x.at("group").is_null() ? "" : x.at("group").get<std::string>();
      sg.candidate.altitude = x.at("altitude").get<std::string>();
      if (!counts_from(x.at("outcomes"), sg.counts, error))
        return std::nullopt;
      s.suggestions[sg.candidate.key()] = sg;
    }
    const auto sum = total(s.outcomes);
    if (!sum) {
      *error = "the outcome counts add up to more than 2^64 - 1";
      return std::nullopt;
    }
    if (*sum != s.machines) {
      *error = "the outcome counts do not add up to 'machines'";
      return std::nullopt;
    }
    return s;
  } catch (const json::exception &e) {
    *error = std::string("malformed summary: ") + e.what();
    return std::nullopt;
  }
}

} // namespace

std::string summary_json_text(const Summary &s) {
  return summary_json(s).dump(2);
}

std::optional<Summary> read_summary(std::string_view text, const std::string &source,
                                    sim::Diagnostic &error) {
  if (auto bad = detail::json_precheck(text, source)) {
    error = std::move(*bad);
    return std::nullopt;
  }
  std::string why;
  std::optional<Summary> s;
  try {
    s = summary_from_json(json::parse(text), &why);
  } catch (const json::exception &e) { // parse_error, and anything else the parser throws
    why = std::string("not JSON: ") + e.what();
  }
  if (!s)
    error = sim::make_diagnostic({source, 0, 0}, "fleet-summary", why);
  return s;
}

} // namespace fltsim::fleet
