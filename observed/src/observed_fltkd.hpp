#pragma once
// `!fltkd` dumps: the quoted strings of FLTP_FRAME / FLT_FILTER / FLT_INSTANCE lines. Internal to
// fltsim_manifest's observed-stack reader (observed.cpp); not installed.

#include "observed_lex.hpp"

namespace fltsim::observed::observed_detail {

// ------------------------------------------------------------------------------------------------
// !fltkd lines: `FLT_FILTER: <addr> "name" "altitude"`

struct Quoted {
  std::string_view text;
  int col = 0; ///< column of the opening quote
};

inline std::vector<Quoted> quoted_strings(std::string_view line, bool &unterminated) {
  std::vector<Quoted> out;
  unterminated = false;
  int col = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') {
      const std::size_t close = line.find('"', i + 1);
      if (close == std::string_view::npos) {
        unterminated = true;
        return out;
      }
      out.push_back({line.substr(i + 1, close - i - 1), col});
      for (std::size_t k = i; k <= close; ++k)
        col = advance_column(col, line[k]);
      i = close;
      continue;
    }
    col = advance_column(col, line[i]);
  }
  return out;
}

/// "Frame 3" -> 3.
inline std::optional<int> frame_number(std::string_view s) {
  s = trim(s);
  if (!istarts_with(s, "Frame"))
    return std::nullopt;
  s = trim(s.substr(5));
  if (!is_int(s))
    return std::nullopt;
  return to_int(s);
}

} // namespace fltsim::observed::observed_detail
