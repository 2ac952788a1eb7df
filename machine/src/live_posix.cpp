// this_machine() where fltsim is not on Windows (fltsim/machine/snapshot.hpp): there is no
// Windows registry to read; the source says so and reads nothing.
#include "fltsim/machine/snapshot.hpp"

namespace fltsim::machine {

namespace {

constexpr const char *kWhy = "this is not Windows: `fltsim snapshot` reads the Windows machine it "
                             "runs on (fltsim.exe); on Linux, import a .reg export, a SYSTEM hive "
                             "or a capture instead";

class NotWindows final : public LiveSource {
public:
  RegistrySnapshot system_registry(std::vector<std::string> &unread) override {
    unread.emplace_back(std::string("the registry: ") + kWhy);
    return {};
  }
  std::optional<std::string> windows_build(std::vector<std::string> &) override {
    return std::nullopt;
  }
};

} // namespace

std::unique_ptr<LiveSource> this_machine() {
  return std::make_unique<NotWindows>();
}

} // namespace fltsim::machine
