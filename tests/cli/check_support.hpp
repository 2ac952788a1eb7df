#pragma once
// Helpers for the `fltsim check` / `fltsim altitude` tests: run the CLI in-process and parse.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "support.hpp"

namespace fltsim::test {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

inline CliRun run_fltsim(const std::vector<std::string> &args) {
  std::vector<const char *> argv{"fltsim"};
  for (const std::string &a : args)
    argv.push_back(a.c_str());
  std::ostringstream out, err;
  CliRun r;
  r.code = cli::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

inline std::filesystem::path check_fixtures() {
  return source_root() / "tests" / "check";
}
inline std::filesystem::path reference_infs() {
  return reference_root() / "inf";
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
