// `fltsim check` output formats: see check_report.hpp.
#include "check_report.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>

#include "fltsim/io/platform.hpp"
#include "fltsim/io/text.hpp"
#include "report.hpp"

namespace fltsim::cli {

// The check library's report types and catalogue, which this file renders.
using namespace fltsim::check;

using cli::finding_json; // the JSON of one finding, as `simulate --format json` writes it

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string location_prefix(const sim::SourceLocation &l) {
  if (l.file.empty())
    return {};
  std::string s = l.file;
  if (l.line > 0) {
    s += ":" + std::to_string(l.line);
    if (l.column > 0)
      s += ":" + std::to_string(l.column);
  }
  return s + ": ";
}

std::string finding_line(const LocatedFinding &f) {
  return location_prefix(f.location) + sim::to_string(f.finding.severity) + "[" + f.finding.code +
         "]: " + f.finding.message;
}

std::string plural(std::size_t n, const char *word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string with_period(std::string s) {
  if (!s.empty() && s.back() != '.')
    s += '.';
  return s;
}

// A docs/model.md rule id: R5, L3, A1, E12, Q4, R4.3 (docs/model.md, first paragraph).
bool is_rule_id(std::string_view t) {
  if (t.size() < 2 || std::string_view("RLAEQ").find(t[0]) == std::string_view::npos)
    return false;
  bool dot = false;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (t[i] == '.' && !dot && i > 1 && i + 1 < t.size())
      dot = true;
    else if (t[i] < '0' || t[i] > '9')
      return false;
  }
  return true;
}

// The text as Markdown in which every rule id cited in parentheses, "(R5, R6)", and every
// model link such as "docs/model.md#groups" link to the model at `model_uri` (R4.3 -> #r4-3).
std::string link_model_citations(std::string_view text, const std::string &model_uri) {
  std::string out;
  int depth = 0;
  std::size_t i = 0;
  const std::string_view doc = "docs/model.md#";
  auto word_char = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' ||
           c == '-';
  };
  while (i < text.size()) {
    const char c = text[i];
    if (text.substr(i, doc.size()) == doc) {
      std::size_t end = i + doc.size();
      while (end < text.size() && word_char(text[end]) && text[end] != '.')
        ++end;
      const std::string_view anchor = text.substr(i + doc.size(), end - i - doc.size());
      out += "[" + std::string(text.substr(i, end - i)) + "](" + model_uri + "#" +
             std::string(anchor) + ")";
      i = end;
      continue;
    }
    if (depth > 0 && word_char(c) && (i == 0 || !word_char(text[i - 1]))) {
      std::size_t end = i;
      while (end < text.size() && word_char(text[end]))
        ++end;
      std::string_view token = text.substr(i, end - i);
      if (!token.empty() && token.back() == '.') // a sentence's period after the id
        token.remove_suffix(1);
      if (is_rule_id(token)) {
        std::string anchor(token);
        for (char &a : anchor)
          a = a == '.' ? '-' : static_cast<char>(a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a);
        out += "[" + std::string(token) + "](" + model_uri + "#" + anchor + ")";
        i += token.size();
        continue;
      }
    }
    depth += c == '(' ? 1 : c == ')' && depth > 0 ? -1 : 0;
    out += c;
    ++i;
  }
  return out;
}

std::string sarif_level(sim::Severity s) {
  switch (s) {
  case sim::Severity::error:
    return "error";
  case sim::Severity::warning:
    return "warning";
  case sim::Severity::note:
    return "note";
  }
  return "none";
}

// "altitude-out-of-group-range" -> "AltitudeOutOfGroupRange" (SARIF reportingDescriptor.name).
std::string rule_name(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 0xcbf29ce484222325ull) {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// artifactLocation for a reported file: %SRCROOT%-relative when inside srcroot, else a file URI.
json artifact_location(const std::string &file, const SarifOptions &o) {
  fs::path p(file);
  if (!p.is_absolute())
    p = o.cwd / p;
  p = p.lexically_normal();
  const fs::path rel = p.lexically_relative(o.srcroot.lexically_normal());
  if (!rel.empty() && *rel.begin() != "..")
    return {{"uri", uri_escape_path(io::path_to_utf8(rel))}, {"uriBaseId", "%SRCROOT%"}};
  return {{"uri", io::file_uri(p)}}; // RFC 8089: file:///C:/... for a drive letter
}

json sarif_location(const sim::SourceLocation &l, const SarifOptions &o) {
  json phys = {{"artifactLocation", artifact_location(l.file, o)}};
  if (l.line >= 1) {
    json region = {{"startLine", l.line}};
    if (l.column >= 1)
      region["startColumn"] = l.column;
    phys["region"] = region;
  }
  return {{"physicalLocation", phys}};
}

std::size_t rule_index(std::string_view id) {
  const auto rules = check::rule_catalogue();
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i].id == id)
      return i;
  return rules.size();
}

} // namespace

// ---- text ------------------------------------------------------------------------------------

std::string render_check_text(const CheckReport &r) {
  std::string out;
  std::size_t count[3] = {0, 0, 0};
  for (const LocatedFinding &f : r.findings) {
    out += finding_line(f) + "\n";
    ++count[static_cast<int>(f.finding.severity)];
  }
  std::string summary = "fltsim check: ";
  if (r.findings.empty())
    summary += "no findings";
  else
    summary += plural(count[static_cast<int>(sim::Severity::error)], "error") + ", " +
               plural(count[static_cast<int>(sim::Severity::warning)], "warning") + ", " +
               plural(count[static_cast<int>(sim::Severity::note)], "note");
  summary += " in " + plural(r.files.size(), "file") + " (" +
             plural(r.manifest_drivers, "manifest driver");
  if (r.base_drivers > 0)
    summary += ", " + std::to_string(r.base_drivers) +
               (r.baseline ? " from the baseline" : " from --base");
  summary += ")";
  if (r.suppressed > 0)
    summary += "; " + std::to_string(r.suppressed) + " suppressed";
  if (!r.input_errors.empty())
    summary += "; " + plural(r.input_errors.size(), "input error") + " (on stderr)";
  if (r.ties && r.ties->total_orders > 1)
    summary += "; load-order ties: " + std::to_string(r.ties->orders_tried) + " of " +
               (r.ties->total_orders == UINT64_MAX ? std::string("more than 2^64")
                                                   : std::to_string(r.ties->total_orders)) +
               " orders simulated";
  return out + summary + "\n";
}

// ---- json ------------------------------------------------------------------------------------

json check_json(const CheckReport &r) {
  json findings = json::array();
  for (const LocatedFinding &f : r.findings) {
    json j = finding_json(f.finding);
    j["file"] = f.location.file.empty() ? json(nullptr) : json(f.location.file);
    j["line"] = f.location.line > 0 ? json(f.location.line) : json(nullptr);
    j["column"] = f.location.column > 0 ? json(f.location.column) : json(nullptr);
    findings.push_back(std::move(j));
  }
  json errors = json::array();
  for (const sim::Diagnostic &d : r.input_errors)
    errors.push_back({{"code", d.code},
                      {"message", d.message},
                      {"file", d.location.file.empty() ? json(nullptr) : json(d.location.file)},
                      {"line", d.location.line > 0 ? json(d.location.line) : json(nullptr)},
                      {"column", d.location.column > 0 ? json(d.location.column) : json(nullptr)}});
  json out = {{"findings", std::move(findings)}, {"input_errors", std::move(errors)}};
  if (r.baseline) {
    out["baseline"] = r.baseline->id;
    out["completeness"] = r.baseline->partial ? "partial" : "complete";
    out["outcome"] = check_outcome(r);
    out["inbox_excepted"] = r.inbox_excepted;
  }
  return out;
}

// ---- sarif -----------------------------------------------------------------------------------

std::string uri_escape_path(const std::string &path) {
  // Everything but RFC 3986 unreserved characters and the path separator.
  return io::percent_encode(path, [](unsigned char c) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || c == '/';
    return !unreserved;
  });
}

json check_sarif(const CheckReport &r, const SarifOptions &o) {
  // docs/model.md beside the installed rules.md: the target of the rule-id links.
  const std::string model_uri =
      o.rules_uri.empty() ? std::string{}
                          : o.rules_uri.substr(0, o.rules_uri.rfind('/') + 1) + "model.md";
  json rules = json::array();
  for (const sim::RuleInfo &rule : check::rule_catalogue()) {
    json entry = {{"id", rule.id},
                  {"name", rule_name(rule.id)},
                  {"shortDescription", {{"text", with_period(std::string(rule.summary))}}},
                  {"fullDescription",
                   {{"text", with_period(std::string(rule.summary)) +
                                 " Default severity: " + sim::to_string(rule.severity) + "."}}},
                  {"defaultConfiguration", {{"level", sarif_level(rule.severity)}}}};
    if (!o.rules_uri.empty()) { // no help links when the docs are not installed
      const std::string help = o.rules_uri + "#" + std::string(rule.id);
      entry["helpUri"] = help;
      entry["help"] = {
          {"text", with_period(std::string(rule.summary)) + " See " + help + "."},
          {"markdown", link_model_citations(with_period(std::string(rule.summary)), model_uri) +
                           " See [" + std::string(rule.id) + "](" + help + ")."}};
    }
    entry["properties"] = {{"tags", {"fltsim", "file-system-filters"}}, {"precision", "high"}};
    rules.push_back(std::move(entry));
  }
  json results = json::array();
  std::map<std::string, int> occurrences; // fingerprint key -> count so far
  for (const LocatedFinding &f : r.findings) {
    // With --baseline, each result says which Windows build it is about (docs/baselines.md).
    const std::string prefix = r.baseline ? "[" + r.baseline->id + "] " : std::string();
    json res = {{"ruleId", f.finding.code},
                {"ruleIndex", rule_index(f.finding.code)},
                {"level", sarif_level(f.finding.severity)},
                {"message", {{"text", prefix + with_period(f.finding.message)}}}};
    if (!model_uri.empty()) // "(R5, R6)" in a message links to docs/model.md#r5, #r6
      res["message"]["markdown"] =
          prefix + link_model_citations(with_period(f.finding.message), model_uri);
    std::string key = f.finding.code;
    if (r.baseline)
      key += "\nbaseline:" + r.baseline->id;
    if (!f.location.file.empty()) {
      const json loc = sarif_location(f.location, o);
      key += '\n' + loc["physicalLocation"]["artifactLocation"]["uri"].get<std::string>();
      res["locations"] = json::array({loc});
    }
    for (const std::string &d : f.finding.drivers)
      key += '\n' + d;
    // Stable across line moves and unrelated edits: rule, file and drivers, plus an occurrence
    // number for repeats of the same key.
    const int n = occurrences[key]++;
    res["partialFingerprints"] = {
        {"fltsimFinding/v1", hex64(fnv1a(key)) + ":" + std::to_string(n)}};
    if (!f.finding.drivers.empty())
      res["properties"] = {{"drivers", f.finding.drivers}};
    if (r.baseline)
      res["properties"]["baseline"] = r.baseline->id;
    results.push_back(std::move(res));
  }
  json notifications = json::array();
  for (const sim::Diagnostic &d : r.input_errors) {
    json n = {{"level", "error"},
              {"message", {{"text", with_period(d.message)}}},
              {"descriptor", {{"id", d.code.empty() ? std::string("input") : d.code}}}};
    if (!d.location.file.empty())
      n["locations"] = json::array({sarif_location(d.location, o)});
    notifications.push_back(std::move(n));
  }
  json invocation = {{"executionSuccessful", r.input_errors.empty()}};
  if (!notifications.empty())
    invocation["toolExecutionNotifications"] = std::move(notifications);
  std::string root = io::file_uri(o.srcroot.lexically_normal());
  if (root.back() != '/')
    root += '/';
  json driver = {{"name", "fltsim"},
                 {"version", o.tool_version},
                 {"semanticVersion", o.tool_version},
                 {"rules", std::move(rules)}};
  if (!o.information_uri.empty())
    driver["informationUri"] = o.information_uri;
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({{{"tool", {{"driver", std::move(driver)}}},
                                 {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", root}}}}},
                                 {"invocations", json::array({std::move(invocation)})},
                                 {"columnKind", "unicodeCodePoints"},
                                 {"results", std::move(results)}}})}};
}

// ---- junit -----------------------------------------------------------------------------------

std::string xml_escape(std::string_view s) {
  return io::xml_escape(s, io::XmlStyle::xml_attribute);
}

namespace {

struct JunitTotals {
  std::size_t tests = 0, failures = 0, errors = 0;
};

// The <testsuite> elements of one report; a report with a baseline names it in each suite.
std::string junit_suites(const CheckReport &r, JunitTotals &totals) {
  // Per file: the findings (by rule) and the input errors.
  struct FileEntry {
    std::map<std::string, std::vector<const LocatedFinding *>> by_rule;
    std::vector<const sim::Diagnostic *> errors;
  };
  std::map<std::string, FileEntry> files;
  for (const std::string &f : r.files)
    files[f];
  for (const LocatedFinding &f : r.findings)
    files[f.location.file.empty() ? "(no file)" : f.location.file]
        .by_rule[f.finding.code]
        .push_back(&f);
  for (const sim::Diagnostic &d : r.input_errors)
    files[d.location.file.empty() ? "(no file)" : d.location.file].errors.push_back(&d);

  const auto rules = check::rule_catalogue();
  std::string body;
  for (const auto &[file, entry] : files) {
    std::string cases;
    std::size_t failures = 0;
    for (const sim::RuleInfo &rule : rules) {
      cases += "    <testcase name=\"" + xml_escape(rule.id) + "\" classname=\"" +
               xml_escape(file) + "\"";
      auto it = entry.by_rule.find(std::string(rule.id));
      if (it == entry.by_rule.end()) {
        cases += "/>\n";
        continue;
      }
      cases += ">\n";
      std::string failing, other;
      const LocatedFinding *first_failing = nullptr;
      for (const LocatedFinding *f : it->second) {
        if (at_least(f->finding.severity, r.fail_on)) {
          failing += finding_line(*f) + "\n";
          if (!first_failing)
            first_failing = f;
        } else {
          other += finding_line(*f) + "\n";
        }
      }
      if (first_failing) {
        ++failures;
        cases += "      <failure type=\"" + xml_escape(rule.id) + "\" message=\"" +
                 xml_escape(first_failing->finding.message) + "\">" + xml_escape(failing) +
                 "</failure>\n";
      }
      if (!other.empty())
        cases += "      <system-out>" + xml_escape(other) + "</system-out>\n";
      cases += "    </testcase>\n";
    }
    std::size_t tests = rules.size();
    if (!entry.errors.empty()) {
      ++tests;
      std::string text;
      for (const sim::Diagnostic *d : entry.errors)
        text += sim::format_diagnostic(*d) + "\n";
      cases += "    <testcase name=\"input\" classname=\"" + xml_escape(file) +
               "\">\n      <error type=\"" + xml_escape(entry.errors.front()->code) +
               "\" message=\"" + xml_escape(entry.errors.front()->message) + "\">" +
               xml_escape(text) + "</error>\n    </testcase>\n";
    }
    const std::size_t errors = entry.errors.empty() ? 0 : 1;
    const std::string suite = r.baseline ? file + " [" + r.baseline->id + "]" : file;
    body += "  <testsuite name=\"" + xml_escape(suite) + "\" tests=\"" + std::to_string(tests) +
            "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
            "\" skipped=\"0\">\n" + cases + "  </testsuite>\n";
    totals.tests += tests;
    totals.failures += failures;
    totals.errors += errors;
  }
  return body;
}

std::string junit_document(const std::string &body, const JunitTotals &t) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"fltsim check\" tests=\"" +
         std::to_string(t.tests) + "\" failures=\"" + std::to_string(t.failures) + "\" errors=\"" +
         std::to_string(t.errors) + "\">\n" + body + "</testsuites>\n";
}

std::size_t count_severity(const CheckReport &r, sim::Severity s) {
  return static_cast<std::size_t>(
      std::count_if(r.findings.begin(), r.findings.end(),
                    [&](const LocatedFinding &f) { return f.finding.severity == s; }));
}

} // namespace

std::string check_junit(const CheckReport &r) {
  JunitTotals t;
  const std::string body = junit_suites(r, t);
  return junit_document(body, t);
}

// ---- one run per baseline --------------------------------------------------------------------

std::string check_outcome(const CheckReport &r) {
  if (!r.input_errors.empty())
    return "input-error";
  return failing_count(r) > 0 ? "fail" : "pass";
}

std::string render_check_text_baselines(const std::vector<CheckReport> &reports) {
  std::string out;
  std::size_t width = 8; // "baseline"
  for (const CheckReport &r : reports)
    width = std::max(width, r.baseline ? r.baseline->id.size() : 1);
  auto pad = [](std::string s, std::size_t w) {
    s.resize(std::max(s.size(), w), ' ');
    return s;
  };
  for (const CheckReport &r : reports) {
    const std::string id = r.baseline ? r.baseline->id : "-";
    out += "== baseline " + id +
           (r.baseline && r.baseline->partial ? " (partial: docs/baselines.md)" : "") + " ==\n";
    out += render_check_text(r);
    if (r.inbox_excepted > 0)
      out += "(" + plural(r.inbox_excepted, "finding") +
             " on Windows' own filters left out: " + "inbox exceptions of " + id + ")\n";
    out += "\n";
  }
  out += "Outcome per baseline:\n";
  out += "  " + pad("baseline", width) + "  outcome      errors  warnings  notes\n";
  for (const CheckReport &r : reports) {
    out += "  " + pad(r.baseline ? r.baseline->id : "-", width) + "  " + pad(check_outcome(r), 11) +
           "  " + pad(std::to_string(count_severity(r, sim::Severity::error)), 6) + "  " +
           pad(std::to_string(count_severity(r, sim::Severity::warning)), 8) + "  " +
           std::to_string(count_severity(r, sim::Severity::note)) + "\n";
  }
  return out;
}

json check_json_baselines(const std::vector<CheckReport> &reports) {
  json list = json::array();
  for (const CheckReport &r : reports)
    list.push_back(check_json(r));
  return {{"baselines", std::move(list)}};
}

json check_sarif_baselines(const std::vector<CheckReport> &reports, const SarifOptions &o) {
  if (reports.empty())
    return check_sarif(CheckReport{}, o);
  json log = check_sarif(reports.front(), o);
  json &results = log["runs"][0]["results"];
  for (std::size_t i = 1; i < reports.size(); ++i) {
    json other = check_sarif(reports[i], o); // kept: a range-for over its part would dangle
    for (json &res : other["runs"][0]["results"])
      results.push_back(std::move(res));
  }
  return log;
}

std::string check_junit_baselines(const std::vector<CheckReport> &reports) {
  JunitTotals t;
  std::string body;
  for (const CheckReport &r : reports)
    body += junit_suites(r, t);
  return junit_document(body, t);
}

// ---- markdown --------------------------------------------------------------------------------

namespace {

/// The link target of a reported file (see MarkdownOptions), or "" when it lies outside srcroot.
std::string markdown_file_link(const sim::SourceLocation &l, const MarkdownOptions &o) {
  if (l.file.empty())
    return {};
  fs::path p(l.file);
  std::string rel;
  if (o.srcroot.empty()) {
    rel = io::path_to_utf8(p);
  } else {
    if (!p.is_absolute())
      p = o.cwd / p;
    const fs::path r = p.lexically_normal().lexically_relative(o.srcroot.lexically_normal());
    if (r.empty() || *r.begin() == "..")
      return {};
    rel = io::path_to_utf8(r);
  }
  std::string link = (o.link_base.empty() ? std::string() : o.link_base + "/") +
                     cli::markdown_url(uri_escape_path(rel));
  if (l.line > 0)
    link += "#L" + std::to_string(l.line);
  return link;
}

std::string markdown_where(const sim::SourceLocation &l, const MarkdownOptions &o) {
  if (l.file.empty())
    return "";
  std::string text = l.file;
  if (l.line > 0)
    text += ":" + std::to_string(l.line);
  const std::string link = markdown_file_link(l, o);
  return link.empty() ? cli::markdown_text(text)
                      : "[" + cli::markdown_text(text) + "](" + link + ")";
}

} // namespace

std::string check_markdown(const CheckReport &r, const MarkdownOptions &o) {
  std::size_t count[3] = {0, 0, 0};
  for (const LocatedFinding &f : r.findings)
    ++count[static_cast<int>(f.finding.severity)];
  const std::size_t failing = failing_count(r);
  std::string out = "## fltsim check: ";
  if (!r.input_errors.empty())
    out += "input errors";
  else if (failing > 0)
    out += "failed";
  else
    out += "passed";
  out += "\n\n";
  out += r.findings.empty()
             ? std::string("No findings")
             : plural(count[static_cast<int>(sim::Severity::error)], "error") + ", " +
                   plural(count[static_cast<int>(sim::Severity::warning)], "warning") + ", " +
                   plural(count[static_cast<int>(sim::Severity::note)], "note");
  out += " in " + plural(r.files.size(), "file") + " (" +
         plural(r.manifest_drivers, "manifest driver");
  if (r.base_drivers > 0)
    out += ", " + std::to_string(r.base_drivers) + " from --base";
  out += ")";
  if (r.suppressed > 0)
    out += "; " + std::to_string(r.suppressed) + " suppressed";
  if (r.ties && r.ties->total_orders > 1)
    out += "; load-order ties: " + std::to_string(r.ties->orders_tried) + " of " +
           (r.ties->total_orders == UINT64_MAX ? std::string("more than 2^64")
                                               : std::to_string(r.ties->total_orders)) +
           " orders simulated";
  out += ". " + std::to_string(failing) + " at or above --fail-on " + sim::to_string(r.fail_on) +
         ".\n";

  if (!r.findings.empty()) {
    out += "\n| Severity | Rule | Where | Message |\n|---|---|---|---|\n";
    for (const LocatedFinding &f : r.findings) {
      const std::string code = cli::markdown_text(f.finding.code);
      out += std::string("| ") + sim::to_string(f.finding.severity) + " | " +
             (o.rules_uri.empty() ? code
                                  : "[" + code + "](" + cli::markdown_url(o.rules_uri) + "#" +
                                        f.finding.code + ")") +
             " | " + markdown_where(f.location, o) + " | " +
             cli::markdown_text(with_period(f.finding.message)) + " |\n";
    }
  }
  if (!r.input_errors.empty()) {
    out += "\n**Input errors** (exit 2):\n\n";
    for (const sim::Diagnostic &d : r.input_errors) {
      const std::string where = markdown_where(d.location, o);
      out += "- " + (where.empty() ? std::string() : where + ": ") + cli::markdown_text(d.message) +
             "\n";
    }
  }
  const std::string caption = o.stack_caption.empty() ? "Simulated stack" : o.stack_caption;
  if (!o.stack_svg.empty())
    out += "\n<details><summary>" + cli::markdown_text(caption) + "</summary>\n\n" + o.stack_svg +
           "\n</details>\n";
  else if (!o.stack_image.empty())
    out += "\n![" + cli::markdown_text(caption) + "](" + cli::markdown_url(o.stack_image) + ")\n";
  return out;
}

} // namespace fltsim::cli
