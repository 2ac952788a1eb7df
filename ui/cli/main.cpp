// fltsim CLI entry point: all work happens in the registered subcommands (cmd_*.cpp).
#include <exception>
#include <iostream>

#include "command.hpp"

int main(int argc, char **argv) {
  try {
    return fltsim::cli::run_cli(argc, argv, std::cout, std::cerr);
  } catch (const std::exception &e) {
    std::cerr << "fltsim: internal error: " << e.what() << "\n";
    return fltsim::frontend::exit_code(fltsim::frontend::Outcome::internal_error);
  }
}
