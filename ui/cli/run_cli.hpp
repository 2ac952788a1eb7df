#pragma once
// The whole fltsim CLI as one function: what main() calls and what the CLI tests and the check
// benchmark run in process. Apart from command.hpp on purpose: CLI11 is header-only and every
// translation unit that includes it compiles its validators and formatters again (about 8 s at
// -O3; docs/reliability.md, "Build time"), which callers of run_cli have no use for.
#include <iosfwd>

namespace fltsim::cli {

/// Parses `argv` (UTF-8), runs the subcommand and returns its exit code (README "Exit codes",
/// mapped from the command's Outcome in command.cpp).
int run_cli(int argc, const char *const *argv, std::ostream &out, std::ostream &err);

} // namespace fltsim::cli
