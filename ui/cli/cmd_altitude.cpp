// `fltsim altitude ALT|NAME [--format text|json] [--count N]` (docs/check.md): who owns an
// altitude or a driver name in Microsoft's allocated-altitude list, which documented group range
// the altitude falls in, and the nearest free altitudes in that range.
//
// A query made only of digits and '.' is an altitude (exact decimal, rules A1-A2); anything else
// is a driver name (case-insensitive, ".sys" optional, "minispy.sys - Top" matches "minispy").
// "Free" means no row of the list has that altitude. Integer altitudes are suggested first
// (Microsoft allocates integers); x.5 altitudes only if a group has fewer free integers than
// asked for. Exit 0 answered, 1 a driver name that is not in the list, 2 bad input.
#include <algorithm>
#include <memory>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "fltsim/check/rules.hpp"
#include "fltsim/sim/allocated.hpp"
#include "fltsim/sim/diagnostic.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::cli::altitude_command {
namespace {

using nlohmann::json;
using sim::Altitude;

struct AltitudeArgs {
  std::string query;
  std::string format = "text";
  int count = 5;
};

const sim::GroupInfo *group_containing(const Altitude &a) {
  for (const sim::GroupInfo &g : sim::documented_groups())
    if (!(a < Altitude::from_literal(g.low)) && !(Altitude::from_literal(g.high) < a))
      return &g;
  return nullptr;
}

std::uint64_t to_u64(std::string_view digits) {
  std::uint64_t v = 0;
  for (char c : digits)
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

/// The `count` free altitudes in `g` nearest to `a` (which lies inside g), nearest first, ties to
/// the lower one; `a` itself is not listed.
std::vector<std::string> nearest_free(const Altitude &a, const sim::GroupInfo &g,
                                      const sim::AllocatedTable &table, std::size_t count) {
  const std::uint64_t lo = to_u64(g.low), hi = to_u64(g.high);
  const std::uint64_t I = to_u64(a.integer_digits()); // lo <= I <= hi: a is inside g
  const std::string_view frac = a.fraction_digits();  // no trailing zeros
  const bool has_frac = !frac.empty();
  // Below: k = I (if a has a fraction) down to lo, distance (I-k) + f.
  // Above: k = I+1 up to hi, distance (k-I) - f.
  auto free_int = [&](std::uint64_t k) {
    return !table.is_allocated(Altitude::from_literal(std::to_string(k)));
  };
  std::vector<std::uint64_t> below, above;
  if (has_frac || I > lo) { // lo is an integer, so I >= lo when a has a fraction
    for (std::uint64_t k = has_frac ? I : I - 1;; --k) {
      if (free_int(k))
        below.push_back(k);
      if (below.size() >= count || k == lo)
        break;
    }
  }
  for (std::uint64_t k = I + 1; k <= hi && above.size() < count; ++k)
    if (free_int(k))
      above.push_back(k);
  // Whole part of each side's distance; the fractional parts are f (below) and 1-f (above).
  auto whole_below = [&](std::uint64_t k) { return I - k; };
  auto whole_above = [&](std::uint64_t k) { return has_frac ? k - I - 1 : k - I; };
  // f < 0.5 <=> first fraction digit < 5 (f == 0.5 <=> frac == "5").
  const bool below_wins_tie = !has_frac || frac[0] < '5' || frac == "5";
  std::vector<std::string> out;
  std::size_t b = 0, u = 0;
  while (out.size() < count && (b < below.size() || u < above.size())) {
    bool take_below;
    if (b == below.size())
      take_below = false;
    else if (u == above.size())
      take_below = true;
    else if (whole_below(below[b]) != whole_above(above[u]))
      take_below = whole_below(below[b]) < whole_above(above[u]);
    else
      take_below = below_wins_tie;
    out.push_back(std::to_string(take_below ? below[b++] : above[u++]));
  }
  // A group with fewer free integers than asked for: x.5 altitudes next to the query.
  for (std::uint64_t d = 0; out.size() < count && d <= hi - lo; ++d) {
    for (const std::uint64_t k : {I - std::min(d, I), I + d}) {
      if (k < lo || k >= hi || out.size() >= count)
        continue;
      const std::string half = std::to_string(k) + ".5";
      const Altitude h = Altitude::from_literal(half);
      if (!(h == a) && !table.is_allocated(h) &&
          std::find(out.begin(), out.end(), half) == out.end())
        out.push_back(half);
    }
  }
  return out;
}

json group_json(const sim::GroupInfo *g) {
  if (!g)
    return nullptr;
  return {{"name", g->name}, {"low", g->low}, {"high", g->high}};
}

json row_json(const sim::AllocatedAltitude &r) {
  return {{"driver", r.driver},
          {"company", r.company},
          {"group", r.group},
          {"altitude", r.altitude.text()}};
}

std::string list_text(const std::vector<std::string> &v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + v[i];
  return s;
}

// Range and nearest-free lines for one altitude, indented.
void describe_range(const Altitude &a, const sim::AllocatedTable &table, std::size_t count,
                    const std::string &indent, std::ostream &o, json *j) {
  const sim::GroupInfo *g = group_containing(a);
  std::vector<std::string> free;
  if (g)
    free = nearest_free(a, *g, table, count);
  if (j) {
    (*j)["range"] = group_json(g);
    (*j)["nearest_free"] = free;
    return;
  }
  if (!g) {
    o << indent << "Group range: none; no documented load order group covers " << a.text()
      << " (docs/model.md#groups)\n";
    return;
  }
  o << indent << "Group range: " << g->name << " (" << g->low << "-" << g->high << ")\n";
  o << indent << "Nearest free in " << g->name << ": "
    << (free.empty() ? std::string("none") : list_text(free)) << "\n";
}

bool looks_like_altitude(const std::string &q) {
  return !q.empty() &&
         std::all_of(q.begin(), q.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

void run(const AltitudeArgs &args, CommandContext &ctx) {
  const sim::AllocatedTable &table = sim::builtin_allocated_altitudes();
  const std::size_t count = static_cast<std::size_t>(args.count);
  const bool as_json = args.format == "json";
  if (looks_like_altitude(args.query)) {
    sim::Diagnostic why;
    const auto a = Altitude::parse(args.query, &why);
    if (!a) {
      return ctx.input_error("'" + args.query + "' is not a valid altitude: " + why.message);
    }
    const auto owners = table.at(*a);
    if (as_json) {
      json j = {{"altitude", a->text()}, {"allocated", !owners.empty()}};
      j["owners"] = json::array();
      for (const auto *r : owners)
        j["owners"].push_back(row_json(*r));
      describe_range(*a, table, count, "", ctx.out, &j);
      ctx.out << j.dump(2) << "\n";
    } else {
      ctx.out << "Altitude " << a->text() << ": ";
      if (owners.empty()) {
        ctx.out << "free (not in Microsoft's allocated-altitude list)\n";
      } else {
        ctx.out << "allocated to ";
        for (std::size_t i = 0; i < owners.size(); ++i)
          ctx.out << (i ? "; " : "") << owners[i]->driver << " (" << owners[i]->company
                  << ", listed under " << owners[i]->group << ")";
        ctx.out << "\n";
      }
      describe_range(*a, table, count, "", ctx.out, nullptr);
    }
    ctx.outcome = Outcome::clean;
    return;
  }

  const std::string &name = args.query;
  if (name.empty() || name.find_first_of("/\\") != std::string::npos ||
      std::any_of(name.begin(), name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
    return ctx.input_error("'" + name +
                           "' is neither an altitude (digits with at most one '.') nor a driver "
                           "name");
  }
  std::vector<const sim::AllocatedAltitude *> rows;
  for (const sim::AllocatedAltitude &r : table.rows())
    if (check::allocated_owner_matches(r.driver, name))
      rows.push_back(&r);
  if (as_json) {
    json j = {{"driver", name}, {"allocations", json::array()}};
    for (const auto *r : rows) {
      json rj = row_json(*r);
      describe_range(r->altitude, table, count, "", ctx.out, &rj);
      j["allocations"].push_back(std::move(rj));
    }
    ctx.out << j.dump(2) << "\n";
  } else if (rows.empty()) {
    ctx.out << name << " is not in Microsoft's allocated-altitude list\n";
  } else {
    for (const auto *r : rows) {
      ctx.out << r->driver << " (" << r->company << "): altitude " << r->altitude.text()
              << ", listed under " << r->group << "\n";
      describe_range(r->altitude, table, count, "  ", ctx.out, nullptr);
    }
  }
  ctx.outcome = rows.empty() ? Outcome::findings : Outcome::clean;
}

// CLI11 declarations: alike in shape in every command, on purpose (ui/cli/command.hpp).
void declare(CLI::App &sub, AltitudeArgs &args) {
  sub.add_option("query", args.query,
                 "An altitude (e.g. 370030) or a driver name (e.g. "
                 "passThrough or passThrough.sys)")
      ->required();
  add_format_option(sub, args.format, {"text", "json"});
  sub.add_option("--count,-n", args.count, "How many free altitudes to suggest")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
}

const RegisterCommand
    registered(40, "altitude",
               "Look up an altitude or a driver in Microsoft's allocated-altitude list, its "
               "group range and the nearest free altitudes",
               declare, run);

} // namespace
} // namespace fltsim::cli::altitude_command
