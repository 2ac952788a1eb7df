#include "report.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "fltsim/io/text.hpp"

namespace fltsim::cli {

using io::pad_left;
using io::pad_right;
using sim::Frame;
using sim::FrameFilter;
using sim::SimResult;
using sim::StackEntry;

namespace {

std::string frame_label(const Frame &f) {
  return "Frame " + std::to_string(f.id) + " [" + f.low.text() + " - " + f.high.text() + "]";
}

} // namespace

std::string markdown_url(const std::string &s) {
  // What would end or break a Markdown link destination: space and controls, <>()", non-ASCII.
  return io::percent_encode(s, [](unsigned char u) {
    return u <= 0x20 || u == '<' || u == '>' || u == '(' || u == ')' || u == '"' || u >= 0x7F;
  });
}

std::string render_findings(const SimResult &r) {
  std::string out;
  for (const sim::Finding &f : r.findings)
    out += std::string(sim::to_string(f.severity)) + "[" + f.code + "]: " + f.message + "\n";
  return out;
}

std::string render_text(const sim::Scenario &sc, const SimResult &r, bool trace) {
  std::ostringstream o;
  if (!r.scenario.empty())
    o << "Scenario: " << r.scenario << "\n";
  o << "Frames: " << r.frames.size() << ", legacy filters on the stack: "
    << std::count_if(r.stack.begin(), r.stack.end(),
                     [](const StackEntry &e) { return e.kind == StackEntry::Kind::legacy; })
    << "\n\n";
  // Box width from the longest line inside.
  std::vector<std::vector<std::string>> blocks; // bottom to top
  for (const StackEntry &e : r.stack) {
    std::vector<std::string> lines;
    if (e.kind == StackEntry::Kind::legacy) {
      lines.push_back("legacy  " + pad_right(e.name, 24) + " " +
                      (e.altitude ? e.altitude->text() : std::string("(no altitude)")));
    } else {
      const Frame &f = r.frames[static_cast<std::size_t>(e.frame)];
      lines.push_back(frame_label(f));
      if (f.filters.empty())
        lines.push_back("  (no minifilters)");
      for (auto it = f.filters.rbegin(); it != f.filters.rend(); ++it) {
        std::string line = "  " + pad_right(it->name, 24) + " " + it->altitude.text();
        const auto &d = sc.drivers[static_cast<std::size_t>(it->driver)];
        if (it->attached.size() != d.instances.size())
          line += "  (" + std::to_string(it->attached.size()) + "/" +
                  std::to_string(d.instances.size()) + " instances attached)";
        lines.push_back(line);
      }
    }
    blocks.push_back(std::move(lines));
  }
  std::size_t width = 30;
  for (const auto &b : blocks)
    for (const auto &l : b)
      width = std::max(width, l.size());
  const std::string rule = "  +" + std::string(width + 2, '-') + "+\n";
  o << "Stack (top first; I/O from applications enters at the top):\n";
  for (auto b = blocks.rbegin(); b != blocks.rend(); ++b) {
    o << rule;
    for (const auto &l : *b)
      o << "  | " << pad_right(l, width) << " |\n";
  }
  o << rule;
  o << "  " << std::string((width + 4 - 11) / 2, ' ') << "file system\n\n";

  o << "Load order: ";
  for (std::size_t i = 0; i < r.load_order.size(); ++i)
    o << (i ? ", " : "") << r.load_order[i];
  o << "\n";
  std::vector<std::string> not_loaded;
  for (std::size_t i = 0; i < sc.drivers.size(); ++i)
    if (!r.drivers[i].loaded && !sim::is_filter_manager(sc.drivers[i].name))
      not_loaded.push_back(sc.drivers[i].name + " (" + sim::to_string(sc.drivers[i].start) + ")");
  if (!not_loaded.empty()) {
    o << "Not loaded at the end: ";
    for (std::size_t i = 0; i < not_loaded.size(); ++i)
      o << (i ? ", " : "") << not_loaded[i];
    o << "\n";
  }
  if (trace) {
    o << "\nTrace:\n";
    for (const sim::TraceStep &t : r.trace)
      o << pad_left(std::to_string(t.step), 4) << ". " << t.text << "\n";
  }
  o << "\n";
  if (r.findings.empty()) {
    o << "Findings: none\n";
  } else {
    o << "Findings (" << r.findings.size() << "):\n" << render_findings(r);
  }
  return o.str();
}

nlohmann::json finding_json(const sim::Finding &f) {
  return {{"code", f.code},
          {"severity", sim::to_string(f.severity)},
          {"message", f.message},
          {"drivers", f.drivers}};
}

nlohmann::json trace_json(const sim::TraceStep &t) {
  nlohmann::json j = {
      {"step", t.step}, {"event", sim::to_string(t.kind)}, {"driver", t.driver}, {"text", t.text}};
  if (t.frame >= 0)
    j["frame"] = t.frame;
  return j;
}

nlohmann::json to_json(const sim::Scenario &sc, const SimResult &r, bool trace) {
  nlohmann::json j;
  j["scenario"] = r.scenario;
  j["load_order"] = r.load_order;
  j["frames"] = nlohmann::json::array();
  for (const Frame &f : r.frames) {
    nlohmann::json filters = nlohmann::json::array();
    for (const FrameFilter &ff : f.filters)
      filters.push_back(
          {{"name", ff.name}, {"altitude", ff.altitude.text()}, {"instances", ff.attached.size()}});
    j["frames"].push_back(
        {{"id", f.id}, {"low", f.low.text()}, {"high", f.high.text()}, {"filters", filters}});
  }
  j["stack"] = nlohmann::json::array();
  for (const StackEntry &e : r.stack) {
    if (e.kind == StackEntry::Kind::frame)
      j["stack"].push_back({{"kind", "frame"}, {"frame", e.frame}});
    else
      j["stack"].push_back({{"kind", "legacy"},
                            {"name", e.name},
                            {"altitude", e.altitude ? nlohmann::json(e.altitude->text())
                                                    : nlohmann::json(nullptr)}});
  }
  j["findings"] = nlohmann::json::array();
  for (const sim::Finding &f : r.findings)
    j["findings"].push_back(finding_json(f));
  j["drivers"] = nlohmann::json::array();
  for (std::size_t i = 0; i < sc.drivers.size(); ++i) {
    const auto &d = sc.drivers[i];
    const auto &o = r.drivers[i];
    j["drivers"].push_back(
        {{"name", d.name},
         {"kind", sim::to_string(d.kind)},
         {"start", sim::to_string(d.start)},
         {"loaded", o.loaded},
         {"frame", o.frame >= 0 ? nlohmann::json(o.frame) : nlohmann::json(nullptr)}});
  }
  if (trace) {
    j["trace"] = nlohmann::json::array();
    for (const sim::TraceStep &t : r.trace)
      j["trace"].push_back(trace_json(t));
  }
  return j;
}

} // namespace fltsim::cli
