// The registry half of `fltsim snapshot` (fltsim/machine/snapshot.hpp): what it reads, for every
// LiveSource. The folder is written by inputs::write_snapshot (fltsim/inputs/snapshot.hpp).
#include "fltsim/machine/snapshot.hpp"

namespace fltsim::machine {

const std::vector<std::string> &snapshot_subtrees() {
  static const std::vector<std::string> subtrees = {
      "Services",
      "Control\\ServiceGroupOrder",
      "Control\\GroupOrderList",
      "Control\\Session Manager\\I/O System",
      "Policies",
  };
  return subtrees;
}

} // namespace fltsim::machine
