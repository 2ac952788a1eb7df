#pragma once
// Helpers for the `fltsim check` / `fltsim altitude` tests: run the CLI in-process and parse.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "support.hpp"

namespace fltsim::test {

inline std::filesystem::path check_fixtures() {
  return source_root() / "tests" / "check";
}
inline std::filesystem::path corpus_infs() {
  return corpus_root() / "inf";
}

inline void write_text(const std::filesystem::path &p, const std::string &text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

/// Findings of a `check --format json` run whose code is `rule`.
inline std::vector<nlohmann::json> findings_of(const nlohmann::json &doc, const std::string &rule) {
  std::vector<nlohmann::json> out;
  for (const auto &f : doc.at("findings"))
    if (f.at("code") == rule)
      out.push_back(f);
  return out;
}

} // namespace fltsim::test
