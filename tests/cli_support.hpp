#pragma once
// Runs the fltsim CLI in-process (cli::run_cli) for the CLI, check and bad-input tests.
#include <sstream>
#include <string>
#include <vector>

#include "command.hpp"

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

} // namespace fltsim::test
