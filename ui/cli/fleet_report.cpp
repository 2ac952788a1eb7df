// `fltsim fleet` renderers (fleet_report.hpp).
#include "fleet_report.hpp"

#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fltsim/sim/groups.hpp"

namespace fltsim::cli {

using fleet::Counts;
using fleet::Outcome;
using fleet::outcome_count;
using fleet::total;
using nlohmann::json;

namespace {

std::string percent(std::uint64_t n, std::uint64_t of) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%",
                of ? 100.0 * static_cast<double>(n) / static_cast<double>(of) : 0.0);
  return buf;
}

std::string html_escape(const std::string &s) {
  std::string o;
  for (char c : s) {
    switch (c) {
    case '&':
      o += "&amp;";
      break;
    case '<':
      o += "&lt;";
      break;
    case '>':
      o += "&gt;";
      break;
    case '"':
      o += "&quot;";
      break;
    default:
      o += c;
    }
  }
  return o;
}

constexpr std::array<const char *, outcome_count> colours = {"#9e9e9e", "#4caf50", "#ffb300",
                                                             "#e53935", "#8e24aa", "#546e7a"};

} // namespace

std::string fleet_record_json(const fleet::MachineResult &r) {
  json j;
  j["machine"] = r.machine;
  j["build"] = r.build.empty() ? json(nullptr) : json(r.build);
  j["outcome"] = fleet::to_string(r.outcome);
  j["responsible"] = r.responsible;
  j["moved"] = r.moved;
  json nf = json::array();
  for (const auto &f : r.new_findings)
    nf.push_back({{"code", f.code}, {"drivers", f.drivers}, {"message", f.message}});
  j["new_findings"] = std::move(nf);
  json errs = json::array();
  for (const auto &d : r.errors)
    errs.push_back({{"file", d.location.file},
                    {"line", d.location.line},
                    {"column", d.location.column},
                    {"code", d.code},
                    {"message", d.message}});
  j["errors"] = std::move(errs);
  j["source"] =
      r.location.file.empty()
          ? json(nullptr)
          : json(r.location.file + (r.location.line ? ":" + std::to_string(r.location.line) : ""));
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string summary_text(const fleet::Summary &s) {
  std::ostringstream o;
  o << "Change: " << s.change << "\n";
  o << "Machines: " << s.machines << "\n\n";
  for (std::size_t i = 0; i < outcome_count; ++i) {
    char line[128];
    std::snprintf(
        line, sizeof line, "  %-14s %10llu  %7s\n", fleet::to_string(static_cast<Outcome>(i)),
        static_cast<unsigned long long>(s.outcomes[i]), percent(s.outcomes[i], s.machines).c_str());
    o << line;
  }
  const auto top = fleet::top_filters(s, 10);
  if (!top.empty()) {
    o << "\nFilters most often responsible:\n";
    for (const auto *f : top) {
      o << "  " << f->name << ": " << total(f->counts) << " machines (";
      bool first = true;
      for (std::size_t i = 0; i < outcome_count; ++i)
        if (f->counts[i]) {
          o << (first ? "" : ", ") << fleet::to_string(static_cast<Outcome>(i)) << " "
            << f->counts[i];
          first = false;
        }
      o << ")\n";
    }
  }
  if (!s.builds.empty()) {
    o << "\nPer Windows build:\n";
    for (const auto &[b, c] : s.builds) {
      const auto n = total(c);
      std::uint64_t bad = 0;
      for (std::size_t i = 0; i < outcome_count; ++i)
        if (fleet::is_problem(static_cast<Outcome>(i)))
          bad += c[i];
      o << "  " << (b.empty() ? "unknown" : b) << ": " << n << " machines, " << bad
        << " with problems (" << percent(bad, n) << ")\n";
    }
  }
  const auto sug = fleet::ranked_suggestions(s);
  if (!sug.empty()) {
    o << "\nSuggestions (each re-simulated on every machine), best first:\n";
    std::size_t shown = 0;
    for (const auto *x : sug) {
      if (++shown > 10)
        break;
      const auto good = x->counts[static_cast<std::size_t>(Outcome::clean)] +
                        x->counts[static_cast<std::size_t>(Outcome::unchanged)];
      o << "  altitude " << x->candidate.altitude
        << (x->candidate.group.empty() ? std::string() : " in group " + x->candidate.group) << ": "
        << good << " of " << total(x->counts) << " machines clean\n";
    }
  }
  return o.str();
}

std::string summary_html(const fleet::Summary &s) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<title>fltsim fleet: " << html_escape(s.change) << "</title>"
    << "<style>body{font-family:sans-serif;margin:2em;max-width:60em}"
    << "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left}"
    << "td.n{text-align:right}svg text{font-size:12px;font-family:sans-serif}</style>"
    << "</head><body>\n<h1>fltsim fleet</h1>\n<p>Change: <b>" << html_escape(s.change) << "</b>; "
    << s.machines << " machines.</p>\n";
  // Outcomes: a horizontal bar per outcome.
  const int width = 600, bar = 22;
  std::uint64_t max = 1;
  for (auto v : s.outcomes)
    max = std::max<std::uint64_t>(max, v);
  o << "<h2>Outcomes</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width + 260
    << "\" height=\"" << bar * outcome_count + 10 << "\" role=\"img\" aria-label=\"outcomes\">\n";
  for (std::size_t i = 0; i < outcome_count; ++i) {
    const int w =
        static_cast<int>(static_cast<double>(s.outcomes[i]) / static_cast<double>(max) * width);
    o << "<text x=\"0\" y=\"" << i * bar + 15 << "\">" << fleet::to_string(static_cast<Outcome>(i))
      << "</text><rect x=\"110\" y=\"" << i * bar + 3 << "\" width=\"" << w << "\" height=\""
      << bar - 6 << "\" fill=\"" << colours[i] << "\"/><text x=\"" << 115 + w << "\" y=\""
      << i * bar + 15 << "\">" << s.outcomes[i] << " (" << percent(s.outcomes[i], s.machines)
      << ")</text>\n";
  }
  o << "</svg>\n";
  // Per build: stacked bars, 100% wide.
  if (!s.builds.empty()) {
    o << "<h2>Per Windows build</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
      << width + 260 << "\" height=\"" << bar * (s.builds.size() + 1) + 10
      << "\" role=\"img\" aria-label=\"per build\">\n";
    std::size_t row = 0;
    for (const auto &[b, c] : s.builds) {
      const auto n = std::max<std::uint64_t>(1, total(c));
      o << "<text x=\"0\" y=\"" << row * bar + 15 << "\">" << html_escape(b.empty() ? "unknown" : b)
        << "</text>";
      double x = 110;
      for (std::size_t i = 0; i < outcome_count; ++i) {
        const double w = static_cast<double>(c[i]) / static_cast<double>(n) * width;
        if (w > 0)
          o << "<rect x=\"" << x << "\" y=\"" << row * bar + 3 << "\" width=\"" << w
            << "\" height=\"" << bar - 6 << "\" fill=\"" << colours[i] << "\"><title>"
            << fleet::to_string(static_cast<Outcome>(i)) << ": " << c[i] << "</title></rect>";
        x += w;
      }
      o << "<text x=\"" << 115 + width << "\" y=\"" << row * bar + 15 << "\">" << total(c)
        << "</text>\n";
      ++row;
    }
    double x = 110;
    for (std::size_t i = 0; i < outcome_count; ++i) { // legend
      o << "<rect x=\"" << x << "\" y=\"" << row * bar + 5
        << "\" width=\"10\" height=\"10\" fill=\"" << colours[i] << "\"/><text x=\"" << x + 14
        << "\" y=\"" << row * bar + 15 << "\">" << fleet::to_string(static_cast<Outcome>(i))
        << "</text>";
      x += 100;
    }
    o << "</svg>\n";
  }
  const auto top = fleet::top_filters(s, 15);
  if (!top.empty()) {
    std::uint64_t fmax = 1;
    for (const auto *f : top)
      fmax = std::max(fmax, total(f->counts));
    o << "<h2>Filters most often responsible</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
         "width=\""
      << width + 260 << "\" height=\"" << bar * top.size() + 10
      << "\" role=\"img\" aria-label=\"filters\">\n";
    std::size_t row = 0;
    for (const auto *f : top) {
      o << "<text x=\"0\" y=\"" << row * bar + 15 << "\">" << html_escape(f->name) << "</text>";
      double x = 160;
      for (std::size_t i = 0; i < outcome_count; ++i) {
        const double w =
            static_cast<double>(f->counts[i]) / static_cast<double>(fmax) * (width - 50);
        if (w > 0)
          o << "<rect x=\"" << x << "\" y=\"" << row * bar + 3 << "\" width=\"" << w
            << "\" height=\"" << bar - 6 << "\" fill=\"" << colours[i] << "\"/>";
        x += w;
      }
      o << "<text x=\"" << x + 5 << "\" y=\"" << row * bar + 15 << "\">" << total(f->counts)
        << "</text>\n";
      ++row;
    }
    o << "</svg>\n";
  }
  const auto sug = fleet::ranked_suggestions(s);
  if (!sug.empty()) {
    o << "<h2>Suggestions</h2>\n<p>Each candidate was re-simulated on every machine.</p>\n"
      << "<table><tr><th>altitude</th><th>group</th><th>clean</th><th>machines</th></tr>\n";
    std::size_t shown = 0;
    for (const auto *x : sug) {
      if (++shown > 15)
        break;
      o << "<tr><td>" << html_escape(x->candidate.altitude) << "</td><td>"
        << html_escape(x->candidate.group.empty() ? "(own group)" : x->candidate.group)
        << "</td><td class=\"n\">"
        << x->counts[static_cast<std::size_t>(Outcome::clean)] +
               x->counts[static_cast<std::size_t>(Outcome::unchanged)]
        << "</td><td class=\"n\">" << total(x->counts) << "</td></tr>\n";
    }
    o << "</table>\n";
  }
  o << "<table><caption>Counts</caption>";
  for (std::size_t i = 0; i < outcome_count; ++i)
    o << "<tr><td>" << fleet::to_string(static_cast<Outcome>(i)) << "</td><td class=\"n\">"
      << s.outcomes[i] << "</td></tr>";
  o << "</table>\n</body></html>\n";
  return o.str();
}

} // namespace fltsim::cli
