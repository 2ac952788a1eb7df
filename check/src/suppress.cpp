// `fltsim check --suppress FILE`: see fltsim/check/suppress.hpp.
#include "fltsim/check/suppress.hpp"

#include <algorithm>

#include "fltsim/check/rules.hpp"
#include "fltsim/io/platform.hpp"
#include "fltsim/sim/findings.hpp"

namespace fltsim::check {

namespace {

struct Token {
  std::string text;
  int column = 0;
};

// Splits one line into blank-separated fields ("..." quotes), stopping at a '#' comment.
// Returns false (and sets *why/*column) on an unterminated quote.
bool tokenize(std::string_view line, std::vector<Token> &out, std::string *why, int *column) {
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#')
      break;
    Token t;
    t.column = static_cast<int>(i) + 1;
    if (c == '"') {
      const std::size_t close = line.find('"', i + 1);
      if (close == std::string_view::npos) {
        *why = "unterminated quote";
        *column = t.column;
        return false;
      }
      t.text = std::string(line.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      const std::size_t stop = line.find_first_of(" \t\r", i);
      t.text =
          std::string(line.substr(i, stop == std::string_view::npos ? line.size() - i : stop - i));
      i = stop == std::string_view::npos ? line.size() : stop;
    }
    out.push_back(std::move(t));
  }
  return true;
}

std::string known_rules() {
  std::string s;
  for (const sim::RuleInfo &r : rule_catalogue())
    s += (s.empty() ? "" : ", ") + std::string(r.id);
  return s;
}

} // namespace

SuppressionList parse_suppressions(std::string_view text, const std::string &source) {
  SuppressionList out;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    ++line_no;
    std::vector<Token> tokens;
    std::string why;
    int column = 0;
    if (!tokenize(line, tokens, &why, &column)) {
      out.errors.push_back({{source, line_no, column}, "suppress-syntax", why});
    } else if (!tokens.empty()) {
      const Token &rule = tokens[0];
      if (!find_rule(rule.text)) {
        out.errors.push_back(
            {{source, line_no, rule.column},
             "unknown-rule",
             "unknown rule id '" + rule.text + "'; known rules: " + known_rules()});
      } else if (tokens.size() > 3) {
        out.errors.push_back({{source, line_no, tokens[3].column},
                              "suppress-syntax",
                              "a suppression is 'rule-id [driver] [path-glob]'; unexpected '" +
                                  tokens[3].text + "' (quote fields that contain blanks)"});
      } else {
        Suppression s;
        s.rule = rule.text;
        if (tokens.size() > 1 && !tokens[1].text.empty())
          s.driver = tokens[1].text;
        if (tokens.size() > 2 && !tokens[2].text.empty())
          s.glob = tokens[2].text;
        s.location = {source, line_no, rule.column};
        out.entries.push_back(std::move(s));
      }
    }
    if (nl == std::string_view::npos)
      break;
    pos = nl + 1;
  }
  return out;
}

bool suppresses(const Suppression &s, const LocatedFinding &f) {
  if (s.rule != f.finding.code)
    return false;
  if (s.driver != "*" &&
      std::none_of(f.finding.drivers.begin(), f.finding.drivers.end(),
                   [&](const std::string &d) { return sim::same_driver_name(d, s.driver); }))
    return false;
  if (s.glob == "*")
    return true;
  std::string file = f.location.file;
  std::replace(file.begin(), file.end(), '\\', '/');
  if (s.glob.find('/') == std::string::npos) {
    const std::size_t slash = file.rfind('/');
    if (slash != std::string::npos)
      file = file.substr(slash + 1);
  }
  return io::glob_match(s.glob, file); // fnmatch(3) without flags, on every platform
}

} // namespace fltsim::check
