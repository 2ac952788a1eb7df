#pragma once
// Runs the fltsim CLI in-process (cli::run_cli) for the CLI, check and bad-input tests.
#include <sstream>
#include <string>
#include <vector>

#include "run_cli.hpp"
#include "support.hpp"

namespace fltsim::test {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

/// `fltsim ARGS...`: the exit code and what was written to stdout and stderr.
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

/// run_fltsim under the short name the CLI test files use (`using test::run;`).
inline CliRun run(const std::vector<std::string> &args) {
  return run_fltsim(args);
}

/// The path of a bundled scenario, scenarios/NAME.
inline std::string scenario(const char *name) {
  return (source_root() / "scenarios" / name).string();
}

} // namespace fltsim::test
