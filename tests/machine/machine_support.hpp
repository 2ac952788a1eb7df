#pragma once
// Helpers shared by the machine library's test files.
#include <string>

#include "fltsim/sim/scenario.hpp"

namespace fltsim::sim {

/// The driver of `sc` whose service name is exactly `name`, or nullptr.
inline const Driver *driver(const Scenario &sc, const std::string &name) {
  for (const Driver &d : sc.drivers)
    if (d.name == name)
      return &d;
  return nullptr;
}

} // namespace fltsim::sim
