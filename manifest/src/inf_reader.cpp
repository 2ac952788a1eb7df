#include "fltsim/manifest/inf_reader.hpp"

namespace fltsim::manifest {
// Placeholder until the INF reader lands (issue 4).
IncludeResult parse_inf(std::string_view, const std::string &source_name) {
  return {{}, {{{source_name, 0, 0}, "unsupported", "INF manifests are not supported yet"}}};
}
} // namespace fltsim::manifest
