#pragma once
// .reg export reader (docs/check.md): HKLM\SYSTEM\CurrentControlSet\Services\<svc> keys with Start,
// Group, Tag, Type, DependOnService and Instances\...\Altitude/Flags, plus DefaultInstance.
// Input is already decoded UTF-8 (regedit writes UTF-16LE with BOM; see decode_text).
#include <string>
#include <string_view>

#include "fltsim/manifest/scenario_yaml.hpp"

namespace fltsim::manifest {

/// One driver per service key. Problems carry file:line.
[[nodiscard]] IncludeResult parse_reg(std::string_view text, const std::string &source_name);

} // namespace fltsim::manifest
