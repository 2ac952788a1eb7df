#include "fltsim/sim/scenario.hpp"

#include "fltsim/sim/groups.hpp"

namespace fltsim::sim {

const char *to_string(StartType s) {
  switch (s) {
  case StartType::boot:
    return "boot";
  case StartType::system:
    return "system";
  case StartType::automatic:
    return "auto";
  case StartType::demand:
    return "demand";
  case StartType::disabled:
    return "disabled";
  }
  return "?";
}

const char *to_string(DriverKind k) {
  switch (k) {
  case DriverKind::minifilter:
    return "minifilter";
  case DriverKind::legacy:
    return "legacy";
  case DriverKind::both:
    return "both";
  }
  return "?";
}

std::optional<StartType> parse_start_type(const std::string &text) {
  const std::string t = ascii_lower(text);
  if (t == "boot" || t == "0")
    return StartType::boot;
  if (t == "system" || t == "1")
    return StartType::system;
  if (t == "auto" || t == "automatic" || t == "2")
    return StartType::automatic;
  if (t == "demand" || t == "manual" || t == "3")
    return StartType::demand;
  if (t == "disabled" || t == "4")
    return StartType::disabled;
  return std::nullopt;
}

std::optional<DriverKind> parse_driver_kind(const std::string &text) {
  const std::string t = ascii_lower(text);
  if (t == "minifilter")
    return DriverKind::minifilter;
  if (t == "legacy")
    return DriverKind::legacy;
  if (t == "both")
    return DriverKind::both;
  return std::nullopt;
}

const Instance *Driver::find_default_instance() const {
  if (!default_instance)
    return nullptr;
  for (const Instance &i : instances)
    if (iequals(i.name, *default_instance))
      return &i;
  return nullptr;
}

int Scenario::find_driver(const std::string &name) const {
  for (std::size_t i = 0; i < drivers.size(); ++i)
    if (iequals(drivers[i].name, name))
      return static_cast<int>(i);
  return -1;
}

} // namespace fltsim::sim
