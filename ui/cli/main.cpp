// fltsim CLI entry point: all work happens in the registered subcommands (cmd_*.cpp).
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "fltsim/frontend/exit_codes.hpp"
#include "fltsim/io/platform.hpp"
#include "run_cli.hpp"

int main(int argc, char **argv) {
  try {
    // Windows: binary stdout (no "\r" added), UTF-8 console, arguments as UTF-8 (platform.hpp).
    fltsim::io::prepare_console();
    const std::vector<std::string> args = fltsim::io::utf8_arguments(argc, argv);
    std::vector<const char *> ptrs;
    ptrs.reserve(args.size());
    for (const std::string &a : args)
      ptrs.push_back(a.c_str());
    return fltsim::cli::run_cli(static_cast<int>(ptrs.size()), ptrs.data(), std::cout, std::cerr);
  } catch (const std::exception &e) {
    std::cerr << "fltsim: internal error: " << e.what() << "\n";
    return fltsim::frontend::exit_code(fltsim::frontend::Outcome::internal_error);
  }
}
