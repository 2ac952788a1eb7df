#pragma once
// Minifilter INF reader (docs/check.md): [Version], DefaultInstall*.Services AddService, the
// service install section (LoadOrderGroup, StartType, ServiceType, Dependencies, AddReg), AddReg
// lines for Parameters\Instances (DefaultInstance, <inst>\Altitude, <inst>\Flags), [Strings]
// substitution; keys case-insensitive; CRLF. Input is already decoded UTF-8 (see decode_text).
#include <string>
#include <string_view>

#include "fltsim/manifest/scenario_yaml.hpp"

namespace fltsim::manifest {

/// One driver per service-install section that AddService names. Problems carry file:line.
[[nodiscard]] IncludeResult parse_inf(std::string_view text, const std::string &source_name);

} // namespace fltsim::manifest
