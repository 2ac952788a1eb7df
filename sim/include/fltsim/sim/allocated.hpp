#pragma once
// Microsoft's allocated-altitude list (data/allocated-altitudes.csv, CC BY 4.0, compiled in).
// Neither altitude nor driver name is a unique key in it (data/ATTRIBUTION.md).
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/sim/altitude.hpp"

namespace fltsim::sim {

struct AllocatedAltitude {
  std::string group;
  Altitude altitude;
  std::string driver; ///< as published, usually with ".sys"
  std::string company;
};

class AllocatedTable {
public:
  /// Parses `group,altitude,driver,company` CSV (header line first, RFC 4180 quotes). Rows that do
  /// not parse are skipped and described in *errors (if given).
  [[nodiscard]] static AllocatedTable parse_csv(std::string_view csv,
                                                std::vector<std::string> *errors = nullptr);

  [[nodiscard]] const std::vector<AllocatedAltitude> &rows() const { return rows_; }
  /// Rows at a numerically equal altitude.
  [[nodiscard]] std::vector<const AllocatedAltitude *> at(const Altitude &a) const;
  /// Rows whose driver is `name`, case-insensitive, with or without ".sys".
  [[nodiscard]] std::vector<const AllocatedAltitude *> by_driver(std::string_view name) const;
  [[nodiscard]] bool is_allocated(const Altitude &a) const { return !at(a).empty(); }

private:
  std::vector<AllocatedAltitude> rows_;
  std::vector<std::size_t> by_altitude_; ///< indices into rows_, ascending altitude
};

/// The compiled-in copy of data/allocated-altitudes.csv.
[[nodiscard]] const AllocatedTable &builtin_allocated_altitudes();

/// "Driver names match": case-insensitive, ignoring a trailing ".sys" on either side.
[[nodiscard]] bool same_driver_name(std::string_view a, std::string_view b);

} // namespace fltsim::sim
