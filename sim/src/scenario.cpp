#include "fltsim/sim/scenario.hpp"

#include <unordered_map>

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

const char *to_string(VolumeClass c) {
  switch (c) {
  case VolumeClass::ntfs:
    return "ntfs";
  case VolumeClass::refs:
    return "refs";
  case VolumeClass::removable:
    return "removable";
  case VolumeClass::network:
    return "network";
  case VolumeClass::named_pipe:
    return "named-pipe";
  case VolumeClass::mailslot:
    return "mailslot";
  case VolumeClass::dev_drive:
    return "dev-drive";
  case VolumeClass::dax:
    return "dax";
  }
  return "?";
}

const std::vector<VolumeClass> &all_volume_classes() {
  static const std::vector<VolumeClass> all{
      VolumeClass::ntfs,       VolumeClass::refs,     VolumeClass::removable, VolumeClass::network,
      VolumeClass::named_pipe, VolumeClass::mailslot, VolumeClass::dev_drive, VolumeClass::dax};
  return all;
}

std::optional<VolumeClass> parse_volume_class(const std::string &text) {
  const std::string t = ascii_lower(text);
  for (VolumeClass c : all_volume_classes())
    if (t == to_string(c))
      return c;
  if (t == "fixed")
    return VolumeClass::ntfs;
  if (t == "mup")
    return VolumeClass::network;
  return std::nullopt;
}

VolumeSpec Scenario::volume_spec(const std::string &volume) const {
  auto it = volume_specs.find(volume);
  return it == volume_specs.end() ? VolumeSpec{} : it->second;
}

const Instance *Driver::find_default_instance() const {
  if (!default_instance)
    return nullptr;
  for (const Instance &i : instances)
    if (i.name == *default_instance || iequals(i.name, *default_instance)) // same bytes: no loop
      return &i;
  return nullptr;
}

std::vector<std::size_t> put_drivers(std::vector<Driver> &drivers, std::vector<Driver> incoming,
                                     SameName same_name) {
  std::unordered_map<std::string, std::size_t> first; // lower-case name -> first driver
  for (std::size_t i = 0; i < drivers.size(); ++i)
    first.emplace(ascii_lower(drivers[i].name), i);
  const bool once = same_name == SameName::replace_once;
  std::vector<bool> replaced(once ? drivers.size() : 0, false);
  std::vector<std::size_t> at;
  at.reserve(incoming.size());
  for (Driver &d : incoming) {
    std::string key = ascii_lower(d.name);
    const auto it = first.find(key);
    if (it != first.end() && (!once || !replaced[it->second])) {
      if (once)
        replaced[it->second] = true;
      drivers[it->second] = std::move(d);
      at.push_back(it->second);
    } else {
      if (!once)
        first.emplace(std::move(key), drivers.size());
      at.push_back(drivers.size());
      drivers.push_back(std::move(d));
    }
  }
  return at;
}

int Scenario::find_driver(const std::string &name) const {
  for (std::size_t i = 0; i < drivers.size(); ++i)
    if (iequals(drivers[i].name, name))
      return static_cast<int>(i);
  return -1;
}

} // namespace fltsim::sim
