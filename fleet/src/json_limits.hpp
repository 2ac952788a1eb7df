#pragma once
// A linear pre-scan of JSON text handed to nlohmann::json (osquery result lines, `--merge`
// summaries): nesting deeper than max_json_nesting and numbers no double can hold (1e999) are
// refused with their line and column before the parser sees them. nlohmann's parser is
// iterative, but what follows it is not (dump() of a 100,000-level value overflowed the stack),
// and an out-of-range number throws out_of_range, not parse_error. Internal to fltsim_fleet.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::fleet::detail {

/// Deepest nesting of arrays and objects accepted in a JSON document (docs/reliability.md#limits).
inline constexpr int max_json_nesting = 64;

/// Where the first problem is: nullopt when the text may go to nlohmann::json. `line` is the
/// 1-based line of text[0]; columns count bytes from 1.
[[nodiscard]] inline std::optional<sim::Diagnostic>
json_precheck(std::string_view text, const std::string &source, int line = 1) {
  int depth = 0;
  std::size_t line_start = 0;
  auto at = [&](std::size_t i) {
    return sim::SourceLocation{source, line, static_cast<int>(i - line_start) + 1};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    } else if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
        else if (text[i] == '\n') // not valid JSON; the parser says so
          return std::nullopt;
    } else if (c == '[' || c == '{') {
      if (++depth > max_json_nesting)
        return sim::make_diagnostic(at(i), "limit",
                                    "JSON values nest more than " +
                                        std::to_string(max_json_nesting) + " levels deep");
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t end = i;
      while (end < text.size() &&
             (std::string_view("0123456789+-.eE").find(text[end]) != std::string_view::npos))
        ++end;
      const std::string number(text.substr(i, end - i));
      char *stop = nullptr;
      const double v = std::strtod(number.c_str(), &stop);
      if (stop != number.c_str() && !std::isfinite(v))
        return sim::make_diagnostic(at(i), "number-range",
                                    "the number " + number.substr(0, 40) +
                                        " is out of range (larger than any double)");
      i = end - 1;
    }
  }
  return std::nullopt;
}

} // namespace fltsim::fleet::detail
