#include "plan_report.hpp"

#include <algorithm>
#include <sstream>

#include "fltsim/io/text.hpp"
#include "fltsim/sim/groups.hpp"
#include "report.hpp"

namespace fltsim::cli {

using io::pad_right;

namespace {

nlohmann::json verification_json(const planner::Verification &v) {
  nlohmann::json j = {{"verified", v.verified},
                      {"orders_total", v.orders_total},
                      {"orders_simulated", v.orders_simulated},
                      {"exhaustive", v.exhaustive},
                      {"order_dependent", v.order_dependent}};
  j["sample_seed"] = v.exhaustive ? nlohmann::json(nullptr) : nlohmann::json(v.sample_seed);
  j["failures"] = nlohmann::json::array();
  for (const sim::Finding &f : v.failures)
    j["failures"].push_back(finding_json(f));
  return j;
}

nlohmann::json findings_json(const std::vector<sim::Finding> &fs) {
  nlohmann::json j = nlohmann::json::array();
  for (const sim::Finding &f : fs)
    j.push_back(finding_json(f));
  return j;
}

std::string start_text(sim::StartType s) {
  return s == sim::StartType::automatic ? std::string("auto start")
                                        : std::string(sim::to_string(s)) + " start";
}

std::string orders_text(const planner::Verification &v) {
  if (v.exhaustive)
    return v.orders_total == 1 ? "the only permitted load order"
                               : "all " + std::to_string(v.orders_total) + " permitted load orders";
  return std::to_string(v.orders_simulated) + " of " +
         (v.orders_total == UINT64_MAX ? std::string("more than 1.8e19")
                                       : std::to_string(v.orders_total)) +
         " permitted load orders (manifest order plus a random sample, seed " +
         std::to_string(v.sample_seed) + ")";
}

/// The stack entry right above frame `frame` in `r` ("" at the top).
std::string above_frame(const sim::SimResult &r, int frame) {
  for (std::size_t i = 0; i < r.stack.size(); ++i) {
    const sim::StackEntry &e = r.stack[i];
    if (e.kind == sim::StackEntry::Kind::frame && e.frame == frame) {
      for (std::size_t j = i + 1; j < r.stack.size(); ++j)
        if (r.stack[j].kind == sim::StackEntry::Kind::legacy)
          return r.stack[j].name;
      return "";
    }
  }
  return "";
}

std::string dummy_line(const planner::DummyFilter &d) {
  return d.name + ": minifilter, " + d.group + ", " + start_text(d.start) + ", altitude " +
         d.altitude.text() + (d.tag ? ", Tag " + std::to_string(*d.tag) : ", no tag");
}

std::string edit_text(const planner::Edit &e) {
  if (e.field == planner::EditField::group_order_list)
    return "GroupOrderList\\" + e.group + " = [" + e.value + "]";
  return e.driver + "." + planner::to_string(e.field) + " = " + e.value;
}

std::string findings_block(const std::vector<sim::Finding> &fs) {
  if (fs.empty())
    return "  Findings: none\n";
  std::string s = "  Findings (" + std::to_string(fs.size()) + "):\n";
  for (const sim::Finding &f : fs)
    s += "    " + std::string(sim::to_string(f.severity)) + "[" + f.code + "]: " + f.message + "\n";
  return s;
}

} // namespace

nlohmann::json dummy_json(const planner::DummyFilter &d) {
  nlohmann::json j = {{"name", d.name},
                      {"group", d.group},
                      {"start", sim::to_string(d.start)},
                      {"altitude", d.altitude.text()},
                      {"tag", d.tag ? nlohmann::json(*d.tag) : nlohmann::json(nullptr)},
                      {"instance", d.instance_name},
                      {"flags", d.instance_flags},
                      {"placement", planner::to_string(d.placement)},
                      {"after", d.after_legacy},
                      {"before", d.before_legacy.empty() ? nlohmann::json(nullptr)
                                                         : nlohmann::json(d.before_legacy)},
                      {"own_altitude", d.own_altitude},
                      {"reason", d.reason}};
  if (d.group_order)
    j["group_order_list"] = {{"group", d.group_order->group},
                             {"tags", d.group_order->tags},
                             {"created", d.group_order->created}};
  else
    j["group_order_list"] = nullptr;
  return j;
}

nlohmann::json plan_json(const sim::Scenario &sc, const planner::PlanResult &p) {
  nlohmann::json j;
  j["status"] = planner::to_string(p.status);
  j["scenario"] = sc.title;
  j["dummies"] = nlohmann::json::array();
  for (std::size_t i = 0; i < p.dummies.size(); ++i) {
    nlohmann::json d = dummy_json(p.dummies[i]);
    if (i < p.effects.size()) {
      const planner::DummyEffect &ef = p.effects[i];
      d["frame"] = ef.frame;
      d["opens_frame"] = ef.opened_frame;
      d["moves"] = nlohmann::json::array();
      for (const planner::FilterMove &m : ef.moved)
        d["moves"].push_back({{"filter", m.filter},
                              {"altitude", m.altitude.text()},
                              {"from_frame", m.from_frame},
                              {"to_frame", m.to_frame}});
    }
    j["dummies"].push_back(std::move(d));
  }
  j["alternatives"] = nlohmann::json::array();
  for (const planner::Alternative &a : p.alternatives) {
    nlohmann::json edits = nlohmann::json::array();
    for (const planner::Edit &e : a.edits) {
      nlohmann::json je = {
          {"driver", e.driver.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.driver)},
          {"field", planner::to_string(e.field)},
          {"value", e.value}};
      if (!e.group.empty())
        je["group"] = e.group;
      edits.push_back(std::move(je));
    }
    nlohmann::json dummies = nlohmann::json::array();
    for (const planner::DummyFilter &d : a.dummies)
      dummies.push_back(dummy_json(d));
    j["alternatives"].push_back({{"description", a.description},
                                 {"edits", std::move(edits)},
                                 {"dummies", std::move(dummies)},
                                 {"verified", a.verification.verified},
                                 {"verification", verification_json(a.verification)}});
  }
  const bool ok = p.status == planner::Status::ordered || p.status == planner::Status::fixed;
  j["verified"] = ok && p.verification.verified;
  j["verification"] = verification_json(p.verification);
  j["before_findings"] = findings_json(p.before_findings);
  j["after_findings"] = findings_json(p.after_findings);
  j["explanation"] = p.explanation;
  j["notes"] = p.notes;
  j["lower_bound"] = p.lower_bound;
  j["stats"] = {{"simulations", p.simulations}, {"candidate_plans", p.candidate_plans}};
  return j;
}

std::string render_stack_compact(const sim::SimResult &r, const std::vector<std::string> &mark) {
  std::string out;
  for (auto e = r.stack.rbegin(); e != r.stack.rend(); ++e) {
    if (e->kind == sim::StackEntry::Kind::legacy) {
      out += "    " + pad_right(e->name, 30) + " legacy   " +
             (e->altitude ? e->altitude->text() : std::string("(no altitude)")) + "\n";
      continue;
    }
    const sim::Frame &f = r.frames[static_cast<std::size_t>(e->frame)];
    out += "    Frame " + std::to_string(f.id) + " [" + f.low.text() + " - " + f.high.text() + "]" +
           (f.filters.empty() ? "  (no minifilters)" : "") + "\n";
    for (auto ff = f.filters.rbegin(); ff != f.filters.rend(); ++ff) {
      const bool marked = std::find(mark.begin(), mark.end(), ff->name) != mark.end();
      out += "      " + pad_right(ff->name, 28) + " " +
             (marked ? pad_right(ff->altitude.text(), 10) + " (dummy)" : ff->altitude.text()) +
             "\n";
    }
  }
  out += "    ---- file system ----\n";
  return out;
}

std::string render_plan_text(const sim::Scenario &sc, const planner::PlanResult &p) {
  std::ostringstream o;
  if (!sc.title.empty())
    o << "Scenario: " << sc.title << "\n";
  switch (p.status) {
  case planner::Status::ordered:
    o << "Status: ordered - every filter already sits at its altitude in " +
             orders_text(p.verification) + "; no dummy is needed.\n\n";
    o << "Stack (top first):\n"
      << render_stack_compact(p.before) << findings_block(p.before_findings);
    return o.str();
  case planner::Status::fixed:
    o << "Status: fixed - " << p.dummies.size()
      << (p.dummies.size() == 1 ? " dummy minifilter puts" : " dummy minifilters put")
      << " every filter at its altitude (verified on " << orders_text(p.verification) << ").\n";
    if (p.dummies.size() == p.lower_bound)
      o << "That is the minimum: each dummy opens the frame of a gap between legacy filters that "
           "no existing minifilter opens in every permitted load order.\n";
    break;
  case planner::Status::infeasible:
    o << "Status: infeasible - no dummy minifilter plan exists.\n";
    break;
  case planner::Status::budget_exhausted:
    o << "Status: budget-exhausted - the search stopped at a limit; no plan is reported.\n";
    break;
  case planner::Status::cancelled:
    o << "Status: cancelled - no plan is reported.\n";
    break;
  }
  o << "\nBefore (manifest load order, top of the stack first):\n"
    << render_stack_compact(p.before) << findings_block(p.before_findings);

  if (p.status == planner::Status::fixed) {
    std::vector<std::string> names;
    for (const planner::DummyFilter &d : p.dummies)
      names.push_back(d.name);
    o << "\nDummy minifilters:\n";
    for (std::size_t i = 0; i < p.dummies.size(); ++i) {
      const planner::DummyFilter &d = p.dummies[i];
      o << "  " << i + 1 << ". " << dummy_line(d) << "\n";
      o << "     Why: " << d.reason << "\n";
      if (d.group_order) {
        std::string tags;
        for (std::uint32_t t : d.group_order->tags)
          tags += (tags.empty() ? "" : ", ") + std::to_string(t);
        o << "     Also set GroupOrderList\\" << d.group_order->group << " = [" << tags
          << "] so the tag order makes the placement deterministic.\n";
      }
      if (i < p.effects.size()) {
        const planner::DummyEffect &ef = p.effects[i];
        o << "     Effect: it registers in Frame " << ef.frame;
        if (ef.opened_frame)
          o << ", which it opens on top of " << ef.below
            << " (R5 first raises the top frame to the altitude of the legacy filters attached "
               "above it; the dummy is still higher, so R4 opens a new frame)";
        o << (ef.above.empty() ? "; nothing is attached above that frame"
                               : "; " + ef.above + " attaches above it later")
          << ".\n";
        if (ef.moved.empty())
          o << "     No existing minifilter moves into its frame in manifest order (it is needed "
               "for the other permitted orders).\n";
        for (const planner::FilterMove &m : ef.moved) {
          const std::string was_below = above_frame(p.before, m.from_frame);
          o << "     Moves " << m.filter << " (" << m.altitude.text() << ") from Frame "
            << m.from_frame << (was_below.empty() ? "" : " (below " + was_below + ")")
            << " to Frame " << m.to_frame << " (above " << ef.below
            << (ef.above.empty() ? "" : ", below " + ef.above) << ").\n";
        }
      }
    }
    o << "\nAfter (manifest load order, top of the stack first):\n"
      << render_stack_compact(p.after, names) << findings_block(p.after_findings);
    o << "\nVerification: simulated " << orders_text(p.verification)
      << ": no altitude-inversion and no finding the input did not have"
      << (p.verification.order_dependent
              ? " (the stacks differ between orders, but every one is clean)"
              : "; the stack is the same in every order")
      << ".\n";
  } else {
    o << "\n" << p.explanation << "\n";
    if (!p.alternatives.empty()) {
      o << "\nAlternatives (each re-simulated and verified):\n";
      for (std::size_t i = 0; i < p.alternatives.size(); ++i) {
        const planner::Alternative &a = p.alternatives[i];
        o << "  " << i + 1 << ". " << a.description << "\n";
        for (const planner::Edit &e : a.edits)
          o << "     edit: " << edit_text(e) << "\n";
        for (const planner::DummyFilter &d : a.dummies)
          o << "     plus dummy " << dummy_line(d) << "\n";
        o << "     verified on " << orders_text(a.verification) << ".\n";
      }
    } else if (p.status == planner::Status::infeasible) {
      o << "\nNo alternative edit was verified.\n";
    }
  }
  if (!p.notes.empty()) {
    o << "\nNotes:\n";
    for (const std::string &n : p.notes)
      o << "  - " << n << "\n";
  }
  return o.str();
}

namespace {

std::string md_findings(const char *heading, const std::vector<sim::Finding> &fs) {
  std::string s = std::string("\n### ") + heading + "\n\n";
  if (fs.empty())
    return s + "None.\n";
  s += "| Severity | Rule | Message |\n|---|---|---|\n";
  for (const sim::Finding &f : fs)
    s += std::string("| ") + sim::to_string(f.severity) + " | " + markdown_text(f.code) + " | " +
         markdown_text(f.message) + " |\n";
  return s;
}

} // namespace

std::string render_plan_markdown(const sim::Scenario &sc, const planner::PlanResult &p,
                                 const std::string &stack_svg, const std::string &stack_image) {
  std::string o = "## fltsim plan: " + std::string(planner::to_string(p.status));
  if (!sc.title.empty())
    o += " (" + markdown_text(sc.title) + ")";
  o += "\n\n";
  switch (p.status) {
  case planner::Status::ordered:
    o += markdown_text("Every filter already sits at its altitude in " +
                       orders_text(p.verification) + "; no dummy is needed.") +
         "\n";
    break;
  case planner::Status::fixed:
    o += markdown_text(
             std::to_string(p.dummies.size()) +
             (p.dummies.size() == 1 ? " dummy minifilter puts" : " dummy minifilters put") +
             " every filter at its altitude (verified on " + orders_text(p.verification) + ").") +
         (p.dummies.size() == p.lower_bound && !p.dummies.empty() ? " That is the minimum." : "") +
         "\n";
    break;
  default:
    o += markdown_text(p.explanation) + "\n";
    break;
  }
  if (p.status == planner::Status::fixed) {
    o += "\n### Dummy minifilters\n\n| # | Name | Group | Start | Altitude | Tag | Why |\n"
         "|---|---|---|---|---|---|---|\n";
    for (std::size_t i = 0; i < p.dummies.size(); ++i) {
      const planner::DummyFilter &d = p.dummies[i];
      o += "| " + std::to_string(i + 1) + " | " + markdown_text(d.name) + " | " +
           markdown_text(d.group) + " | " + markdown_text(start_text(d.start)) + " | " +
           d.altitude.text() + " | " + (d.tag ? std::to_string(*d.tag) : std::string("none")) +
           " | " + markdown_text(d.reason) + " |\n";
    }
  }
  o += md_findings("Findings before", p.before_findings);
  if (p.status == planner::Status::fixed)
    o += md_findings("Findings after", p.after_findings);
  if (!p.alternatives.empty()) {
    o += "\n### Alternatives (each re-simulated and verified)\n\n";
    for (std::size_t i = 0; i < p.alternatives.size(); ++i) {
      const planner::Alternative &a = p.alternatives[i];
      o += std::to_string(i + 1) + ". " + markdown_text(a.description) + "\n";
      for (const planner::Edit &e : a.edits)
        o += "   - edit: `" + edit_text(e) + "`\n";
      for (const planner::DummyFilter &d : a.dummies)
        o += "   - plus dummy " + markdown_text(dummy_line(d)) + "\n";
    }
  }
  if (!p.notes.empty()) {
    o += "\n### Notes\n\n";
    for (const std::string &n : p.notes)
      o += "- " + markdown_text(n) + "\n";
  }
  const std::string caption =
      p.status == planner::Status::fixed ? "Stack before and after" : "Stack";
  if (!stack_svg.empty())
    o += "\n<details><summary>" + caption + "</summary>\n\n" + stack_svg + "\n</details>\n";
  else if (!stack_image.empty())
    o += "\n![" + caption + "](" + markdown_url(stack_image) + ")\n";
  return o;
}

} // namespace fltsim::cli
