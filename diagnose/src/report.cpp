// Renderers of a Diagnosis (diagnose.hpp). Text, Markdown and HTML are drawn from one document
// (sections of paragraphs, lists and tables), so the three say the same; JSON is the data itself.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "fltsim/diagnose/diagnose.hpp"
#include "fltsim/io/text.hpp"

namespace fltsim::diagnose {

namespace {

std::string altitude_text(const std::optional<sim::Altitude> &a) {
  return a ? a->text() : std::string("-");
}

std::string frame_text(const FilterReport &f) {
  if (!f.loaded)
    return "not loaded";
  if (f.kind == sim::DriverKind::legacy)
    return "legacy";
  if (f.kind == sim::DriverKind::both)
    return "legacy + Frame " + std::to_string(f.frame);
  return f.frame >= 0 ? "Frame " + std::to_string(f.frame) : std::string("-");
}

std::string severity_code(const check::LocatedFinding &f) {
  return std::string(sim::to_string(f.finding.severity)) + " " + f.finding.code;
}

Table filters_table(const std::vector<FilterReport> &filters) {
  Table t;
  t.header = {"#",        "Filter", "Company",    "Origin",   "Kind",
              "Altitude", "Frame",  "Allocation", "Instances"};
  for (const FilterReport &f : filters)
    t.rows.push_back(
        {f.position ? std::to_string(f.position) : std::string("-"), f.name,
         f.company.empty() ? std::string("(not in the allocated list)") : f.company,
         to_string(f.origin), sim::to_string(f.kind), altitude_text(f.altitude), frame_text(f),
         std::string(to_string(f.allocation)) + (f.inbox_exception ? " (inbox exception)" : ""),
         f.instances >= 0 ? std::to_string(f.instances) : std::string("-")});
  return t;
}

std::size_t count_origin(const Diagnosis &d, Origin o) {
  std::size_t n = 0;
  for (const FilterReport &f : d.filters)
    n += f.origin == o ? 1 : 0;
  return n;
}

} // namespace

Document build_document(const Diagnosis &d) {
  Document doc;
  doc.title = "fltsim diagnose: " + d.machine;
  std::size_t frames = d.result.frames.size();
  doc.summary =
      std::to_string(d.filters.size()) +
      " filter(s): " + std::to_string(count_origin(d, Origin::inbox)) + " inbox, " +
      std::to_string(count_origin(d, Origin::microsoft)) + " Microsoft not inbox, " +
      std::to_string(count_origin(d, Origin::third_party)) + " third-party, " +
      std::to_string(count_origin(d, Origin::unknown)) + " unknown; " + std::to_string(frames) +
      " frame(s). " +
      (d.needs_attention() ? "Something to look at (exit 1)." : "Nothing to look at (exit 0).");

  Section ev{"Evidence", {}};
  std::vector<std::string> files;
  for (const inputs::EvidenceFile &f : d.evidence)
    files.push_back(f.path + ": " + inputs::to_string(f.kind) +
                    (f.detail.empty() ? std::string() : " (" + f.detail + ")"));
  ev.list(files);
  ev.para("The stack below is " +
          std::string(d.scenario_from == "capture"
                          ? "imported from the capture and re-simulated"
                          : "simulated from the " + d.scenario_from + " (the predicted stack)") +
          ".");
  if (d.scenario_from == "capture" && !d.reproduces)
    ev.para("The imported scenario does NOT re-simulate to the capture:");
  ev.list(d.mismatches);
  doc.sections.push_back(std::move(ev));

  Section win{"Which Windows", {}};
  const BuildGuess &g = d.build;
  if (g.baseline.empty()) {
    win.para("Unknown: no bundled Windows baseline fits these filters (confidence: unknown).");
  } else {
    std::string builds;
    for (const std::string &b : g.builds)
      builds += (builds.empty() ? "" : ", ") + b;
    std::string also;
    for (const std::string &a : g.also)
      also += ", or " + a;
    win.para(std::string(g.exact ? "" : "Nearest (no bundled baseline matches exactly): ") +
             g.title + ": baseline " + g.baseline + also + ", build " + builds +
             " (confidence: " + to_string(g.confidence) + "; " +
             (g.source == BuildGuess::Source::option   ? "given with --baseline"
              : g.source == BuildGuess::Source::stated ? "stated by the evidence"
                                                       : "guessed from the filters") +
             ").");
  }
  if (!g.stated_build.empty())
    win.para("The evidence states build " + g.stated_build + ".");
  win.list(g.evidence);
  doc.sections.push_back(std::move(win));

  Section fil{"Filters", {}};
  const bool both = std::any_of(d.filters.begin(), d.filters.end(), [](const FilterReport &f) {
    return f.kind == sim::DriverKind::both;
  });
  fil.para(
      std::string("Top of the stack first; # is the place on the stack (a legacy filter is "
                  "one place, a frame's minifilters one place each") +
      (both ? "; a filter of kind both has two places and is listed at the upper one)." : ")."));
  fil.table(filters_table(d.filters));
  std::vector<std::string> details;
  for (const FilterReport &f : d.filters)
    if (f.allocation != Allocation::this_name && f.allocation != Allocation::legacy)
      details.push_back(f.name + ": " + to_string(f.allocation) + ": " + f.allocation_detail);
  if (!details.empty()) {
    fil.para("Altitudes not allocated to their filter:");
    fil.list(details);
  }
  doc.sections.push_back(std::move(fil));

  Section st{"The stack explained", {}};
  std::vector<std::string> reasons;
  for (const FrameReason &r : d.frames)
    reasons.push_back(r.text);
  if (reasons.empty()) {
    std::string legacy;
    for (const sim::StackEntry &e : d.result.stack)
      if (e.kind == sim::StackEntry::Kind::legacy)
        legacy += (legacy.empty() ? "" : ", ") + e.name;
    st.para(d.result.frames.empty()
                ? std::string("No frame: no minifilter registered.")
                : "One frame (Frame 0): every minifilter registered in it" +
                      (legacy.empty() ? std::string(", and no legacy filter is attached.")
                                      : "; the legacy filters above it (" + legacy +
                                            ", bottom to top) opened no frame."));
  }
  st.list(reasons);
  std::vector<std::string> order;
  auto join_names = [](const std::vector<std::string> &v) {
    std::string s;
    for (const std::string &x : v)
      s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  for (const FilterReport &f : d.filters) {
    if (!f.below_legacy.empty())
      order.push_back(f.name + " (" + altitude_text(f.altitude) +
                      ") is out of altitude order, below " + join_names(f.below_legacy) +
                      (f.below_legacy.size() == 1 ? " (the legacy filter responsible)"
                                                  : " (the legacy filters responsible)"));
    if (!f.collides_with.empty())
      order.push_back(f.name + " (" + altitude_text(f.altitude) + ") collides with " +
                      join_names(f.collides_with) + " at its altitude");
  }
  st.list(order);
  std::vector<std::string> found;
  for (const check::LocatedFinding &f : d.findings)
    found.push_back(severity_code(f) + ": " + f.finding.message);
  if (found.empty())
    st.para("No finding: every filter is in altitude order, no altitude collides.");
  else
    st.para("Findings (fltsim check's rules; docs/rules.md):");
  st.list(found);
  if (d.inbox_excepted)
    st.para(std::to_string(d.inbox_excepted) +
            " finding(s) about inbox filters are left out: Windows itself puts them there "
            "(inbox exceptions, docs/baselines.md).");
  if (!d.no_volume.empty()) {
    std::string names;
    for (const std::string &n : d.no_volume)
      names += (names.empty() ? "" : ", ") + n;
    st.para("Attached to no volume: " + names + ".");
  }
  doc.sections.push_back(std::move(st));

  if (d.load_order) {
    Section lo{"Load order (event log)", {}};
    lo.para("FilterManager event 6 in " + d.load_order->source + ", last boot, oldest first:");
    lo.list(d.load_order->observed, true);
    if (!d.load_order->differences.empty()) {
      lo.para("The imported stack registers in another order:");
      lo.list(d.load_order->differences);
    }
    doc.sections.push_back(std::move(lo));
  }

  if (d.comparison) {
    Section cmp{"Configuration against observation", {}};
    if (d.comparison->match)
      cmp.para("They agree: the configuration predicts what the capture shows.");
    else
      cmp.para("They disagree (" + std::to_string(d.comparison->differences.size()) +
               " difference(s)):");
    std::vector<std::string> diffs;
    for (const observed::Difference &x : d.comparison->differences)
      diffs.push_back(std::string(observed::to_string(x.kind)) + ": " + x.message);
    cmp.list(diffs);
    std::vector<std::string> notes;
    for (const observed::Difference &x : d.comparison->notes)
      notes.push_back(std::string(observed::to_string(x.kind)) + ": " + x.message);
    cmp.list(notes);
    doc.sections.push_back(std::move(cmp));
  }

  Section base{"Against the baseline", {}};
  const BaselineDifferences &b = d.baseline;
  if (b.baseline.empty()) {
    base.para("No baseline to compare with: the Windows build is unknown (give --baseline).");
  } else {
    auto join = [](const std::vector<std::string> &v) {
      std::string s;
      for (const std::string &x : v)
        s += (s.empty() ? "" : ", ") + x;
      return s.empty() ? std::string("none") : s;
    };
    if (b.informative)
      base.para("The baseline is only the nearest to this machine (confidence low): these "
                "differences are listed, but they are no finding.");
    std::vector<std::string> items;
    items.push_back("Added (not in " + b.baseline + "): " + join(b.added));
    items.push_back("Inbox filters missing: " + join(b.missing));
    if (!b.missing_demand.empty())
      items.push_back("Not loaded, demand start (a capture lists loaded filters only; no "
                      "finding): " +
                      join(b.missing_demand));
    std::vector<std::string> moved;
    for (const BaselineMove &m : b.moved)
      moved.push_back(m.filter + " at " + m.machine_altitude +
                      " (baseline: " + m.baseline_altitude + ")");
    items.push_back("Inbox filters moved: " + join(moved));
    base.list(items);
  }
  doc.sections.push_back(std::move(base));

  if (d.what_if) {
    const WhatIf &w = *d.what_if;
    Section wi{"What if: " + w.change, {}};
    wi.para(std::string("Outcome (as fltsim fleet classifies this machine): ") +
            fleet::to_string(w.result.outcome) + ".");
    if (!w.landed.empty())
      wi.table(filters_table(w.landed));
    std::vector<std::string> nf;
    for (const fleet::NewFinding &f : w.result.new_findings)
      nf.push_back(f.code + ": " + f.message);
    if (!nf.empty())
      wi.para("New findings:");
    wi.list(nf);
    if (!w.result.responsible.empty()) {
      std::string r;
      for (const std::string &x : w.result.responsible)
        r += (r.empty() ? "" : ", ") + x;
      wi.para("Responsible filters on this machine: " + r + ".");
    }
    if (w.fix) {
      const planner::PlanResult &p = *w.fix;
      wi.para(std::string("The planner's fix (as fltsim plan computes it on the machine "
                          "with the change): ") +
              planner::to_string(p.status) + ".");
      std::vector<std::string> dummies;
      for (const planner::DummyFilter &x : p.dummies)
        dummies.push_back(x.name + ": " + x.group + ", " + sim::to_string(x.start) +
                          " start, altitude " + x.altitude.text() + ". " + x.reason);
      wi.list(dummies);
      if (!p.explanation.empty())
        wi.para(p.explanation);
      std::vector<std::string> alts;
      for (const planner::Alternative &a : p.alternatives)
        alts.push_back(a.description);
      wi.list(alts);
    }
    doc.sections.push_back(std::move(wi));
  }

  if (!d.assumptions.empty()) {
    Section as{d.scenario_from == "capture" ? "Assumptions of the import" : "Import notes", {}};
    as.list(d.assumptions);
    doc.sections.push_back(std::move(as));
  }
  return doc;
}

namespace {

// ---- text ----

std::string render_table_text(const Table &t) {
  std::vector<std::size_t> w(t.header.size(), 0);
  auto width = [](const std::string &s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); i += io::utf8_sequence(s, i))
      ++n;
    return n;
  };
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    w[c] = width(t.header[c]);
    for (const auto &r : t.rows)
      w[c] = std::max(w[c], width(r[c]));
  }
  auto line = [&](const std::vector<std::string> &cells) {
    std::string s = " ";
    for (std::size_t c = 0; c < cells.size(); ++c)
      s += " " +
           (c + 1 < cells.size() ? cells[c] + std::string(w[c] - width(cells[c]), ' ') : cells[c]);
    return s + "\n";
  };
  std::string out = line(t.header);
  for (const auto &r : t.rows)
    out += line(r);
  return out;
}

// ---- Markdown (GFM) ----

std::string html(std::string_view s) {
  return io::xml_escape(s, io::XmlStyle::html);
}

} // namespace

std::string render_text(const Diagnosis &d) {
  const Document doc = build_document(d);
  std::string out = doc.title + "\n" + doc.summary + "\n";
  for (const Section &s : doc.sections) {
    out += "\n== " + s.title + " ==\n";
    for (const Block &b : s.blocks) {
      switch (b.kind) {
      case Block::Kind::paragraph:
        out += b.text + "\n";
        break;
      case Block::Kind::list:
        for (const std::string &i : b.items)
          out += "  - " + i + "\n";
        break;
      case Block::Kind::ordered:
        for (std::size_t k = 0; k < b.items.size(); ++k)
          out += "  " + std::to_string(k + 1) + ". " + b.items[k] + "\n";
        break;
      case Block::Kind::table:
        out += render_table_text(b.table);
        break;
      }
    }
  }
  return out;
}

std::string render_markdown(const Diagnosis &d) {
  const Document doc = build_document(d);
  std::string out =
      "# " + io::markdown_text(doc.title) + "\n\n" + io::markdown_text(doc.summary) + "\n";
  for (const Section &s : doc.sections) {
    out += "\n## " + io::markdown_text(s.title) + "\n";
    // Two lists in a row would be one (loose) list in CommonMark: a list right after another
    // takes the other marker, which starts a new list.
    bool after_list = false;
    bool alternate = false;
    for (const Block &b : s.blocks) {
      out += "\n";
      const bool is_list = b.kind == Block::Kind::list || b.kind == Block::Kind::ordered;
      alternate = is_list && after_list && !alternate;
      after_list = is_list;
      switch (b.kind) {
      case Block::Kind::paragraph:
        out += io::markdown_text(b.text) + "\n";
        break;
      case Block::Kind::list:
        for (const std::string &i : b.items)
          out += (alternate ? "* " : "- ") + io::markdown_text(i) + "\n";
        break;
      case Block::Kind::ordered:
        for (std::size_t k = 0; k < b.items.size(); ++k)
          out += std::to_string(k + 1) + (alternate ? ") " : ". ") + io::markdown_text(b.items[k]) +
                 "\n";
        break;
      case Block::Kind::table: {
        auto row = [](const std::vector<std::string> &cells) {
          std::string r = "|";
          for (const std::string &c : cells)
            r += " " + (c.empty() ? std::string(" ") : io::markdown_text(c)) + " |";
          return r + "\n";
        };
        out += row(b.table.header);
        out += "|";
        for (std::size_t c = 0; c < b.table.header.size(); ++c)
          out += " --- |";
        out += "\n";
        for (const auto &r : b.table.rows)
          out += row(r);
        break;
      }
      }
    }
  }
  return out;
}

std::string render_html(const Diagnosis &d, const std::string &svg) {
  const Document doc = build_document(d);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      html(doc.title) +
      "</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;margin:1.5em;max-width:80em;color:#222}\n"
      "table{border-collapse:collapse;margin:.5em 0}\n"
      "th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}\n"
      "th{background:#eee}\n.summary{font-weight:bold}\n"
      ".layout{display:flex;gap:2em;align-items:flex-start;flex-wrap:wrap}\n"
      ".picture{flex:0 0 auto}\n.text{flex:1 1 40em}\n"
      "</style>\n</head>\n<body>\n<h1>" +
      html(doc.title) + "</h1>\n<p class=\"summary\">" + html(doc.summary) + "</p>\n" +
      "<div class=\"layout\">\n<div class=\"picture\">\n" + svg +
      "\n</div>\n<div class=\"text\">\n";
  for (const Section &s : doc.sections) {
    out += "<h2>" + html(s.title) + "</h2>\n";
    for (const Block &b : s.blocks) {
      switch (b.kind) {
      case Block::Kind::paragraph:
        out += "<p>" + html(b.text) + "</p>\n";
        break;
      case Block::Kind::list:
      case Block::Kind::ordered: {
        const char *tag = b.kind == Block::Kind::list ? "ul" : "ol";
        out += std::string("<") + tag + ">\n";
        for (const std::string &i : b.items)
          out += "<li>" + html(i) + "</li>\n";
        out += std::string("</") + tag + ">\n";
        break;
      }
      case Block::Kind::table:
        out += "<table>\n<tr>";
        for (const std::string &h : b.table.header)
          out += "<th>" + html(h) + "</th>";
        out += "</tr>\n";
        for (const auto &r : b.table.rows) {
          out += "<tr>";
          for (const std::string &c : r)
            out += "<td>" + html(c) + "</td>";
          out += "</tr>\n";
        }
        out += "</table>\n";
        break;
      }
    }
  }
  out += "</div>\n</div>\n</body>\n</html>\n";
  return out;
}

std::string render_json(const Diagnosis &d) {
  using nlohmann::json;
  json j;
  j["machine"] = d.machine;
  j["needs_attention"] = d.needs_attention();
  json ev = json::array();
  for (const inputs::EvidenceFile &f : d.evidence)
    ev.push_back({{"path", f.path}, {"kind", inputs::to_string(f.kind)}, {"detail", f.detail}});
  j["evidence"] = ev;
  j["scenario_from"] = d.scenario_from;
  j["reproduces"] = d.reproduces;
  j["mismatches"] = d.mismatches;
  j["assumptions"] = d.assumptions;
  const BuildGuess &g = d.build;
  json cands = json::array();
  for (const BuildCandidate &c : g.candidates)
    cands.push_back({{"baseline", c.baseline},
                     {"score", c.score},
                     {"matched", c.matched},
                     {"expected", c.expected},
                     {"missing", c.missing},
                     {"conflicts", c.conflicts}});
  j["windows"] = {{"baseline", g.baseline.empty() ? json(nullptr) : json(g.baseline)},
                  {"title", g.title},
                  {"builds", g.builds},
                  {"also", g.also},
                  {"confidence", to_string(g.confidence)},
                  {"exact", g.exact},
                  {"source", g.source == BuildGuess::Source::option   ? "option"
                             : g.source == BuildGuess::Source::stated ? "stated"
                                                                      : "guessed"},
                  {"stated_build", g.stated_build},
                  {"evidence", g.evidence},
                  {"candidates", cands}};
  auto filter_json = [](const FilterReport &f) {
    return json{{"name", f.name},
                {"company", f.company},
                {"listed_group", f.listed_group},
                {"listed_as", f.listed_as},
                {"origin", to_string(f.origin)},
                {"kind", sim::to_string(f.kind)},
                {"altitude", f.altitude ? json(f.altitude->text()) : json(nullptr)},
                {"group", f.group},
                {"start", sim::to_string(f.start)},
                {"loaded", f.loaded},
                {"frame", f.frame >= 0 ? json(f.frame) : json(nullptr)},
                {"position", f.position ? json(f.position) : json(nullptr)},
                {"allocation", to_string(f.allocation)},
                {"allocation_detail", f.allocation_detail},
                {"inbox_exception", f.inbox_exception},
                {"instances", f.instances >= 0 ? json(f.instances) : json(nullptr)},
                {"below_legacy", f.below_legacy},
                {"collides_with", f.collides_with}};
  };
  json filters = json::array();
  for (const FilterReport &f : d.filters)
    filters.push_back(filter_json(f));
  j["filters"] = filters;
  json frames = json::array();
  for (const sim::Frame &f : d.result.frames) {
    json fr = {{"id", f.id}, {"low", f.low.text()}, {"high", f.high.text()}};
    for (const FrameReason &r : d.frames)
      if (r.frame == f.id)
        fr["reason"] = {
            {"legacy_below", r.legacy_below}, {"opened_by", r.opened_by}, {"text", r.text}};
    frames.push_back(fr);
  }
  j["frames"] = frames;
  json findings = json::array();
  for (const check::LocatedFinding &f : d.findings)
    findings.push_back({{"code", f.finding.code},
                        {"severity", sim::to_string(f.finding.severity)},
                        {"drivers", f.finding.drivers},
                        {"message", f.finding.message}});
  j["findings"] = findings;
  j["inbox_excepted"] = d.inbox_excepted;
  j["no_volume"] = d.no_volume;
  j["load_order"] = d.load_order ? json{{"source", d.load_order->source},
                                        {"observed", d.load_order->observed},
                                        {"differences", d.load_order->differences}}
                                 : json(nullptr);
  if (d.comparison) {
    json diffs = json::array();
    for (const observed::Difference &x : d.comparison->differences)
      diffs.push_back({{"kind", observed::to_string(x.kind)},
                       {"filter", x.filter},
                       {"predicted", x.predicted},
                       {"observed", x.observed},
                       {"message", x.message}});
    j["comparison"] = {{"match", d.comparison->match}, {"differences", diffs}};
  } else {
    j["comparison"] = nullptr;
  }
  json moved = json::array();
  for (const BaselineMove &m : d.baseline.moved)
    moved.push_back({{"filter", m.filter},
                     {"baseline_altitude", m.baseline_altitude},
                     {"machine_altitude", m.machine_altitude}});
  j["baseline"] = d.baseline.baseline.empty()
                      ? json(nullptr)
                      : json{{"id", d.baseline.baseline},
                             {"added", d.baseline.added},
                             {"missing", d.baseline.missing},
                             {"missing_demand_start", d.baseline.missing_demand},
                             {"informative", d.baseline.informative},
                             {"moved", moved}};
  if (d.what_if) {
    const WhatIf &w = *d.what_if;
    json landed = json::array();
    for (const FilterReport &f : w.landed)
      landed.push_back(filter_json(f));
    json nf = json::array();
    for (const fleet::NewFinding &f : w.result.new_findings)
      nf.push_back({{"code", f.code}, {"drivers", f.drivers}, {"message", f.message}});
    json wi = {{"change", w.change},
               {"outcome", fleet::to_string(w.result.outcome)},
               {"responsible", w.result.responsible},
               {"moved", w.result.moved},
               {"new_findings", nf},
               {"landed", landed}};
    if (w.fix) {
      json dummies = json::array();
      for (const planner::DummyFilter &x : w.fix->dummies)
        dummies.push_back({{"name", x.name},
                           {"group", x.group},
                           {"start", sim::to_string(x.start)},
                           {"altitude", x.altitude.text()},
                           {"reason", x.reason}});
      json alts = json::array();
      for (const planner::Alternative &a : w.fix->alternatives)
        alts.push_back(a.description);
      wi["fix"] = {{"status", planner::to_string(w.fix->status)},
                   {"dummies", dummies},
                   {"alternatives", alts},
                   {"explanation", w.fix->explanation}};
    } else {
      wi["fix"] = nullptr;
    }
    j["what_if"] = wi;
  } else {
    j["what_if"] = nullptr;
  }
  return j.dump(2) + "\n";
}

} // namespace fltsim::diagnose
