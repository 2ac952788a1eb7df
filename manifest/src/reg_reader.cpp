#include "fltsim/manifest/reg_reader.hpp"

namespace fltsim::manifest {
// Placeholder until the .reg reader lands (issue 4).
IncludeResult parse_reg(std::string_view, const std::string &source_name) {
  return {{}, {{{source_name, 0, 0}, "unsupported", ".reg manifests are not supported yet"}}};
}
} // namespace fltsim::manifest
