// this_machine_filter_manager() where fltsim is not on Windows (fltsim/observed/live.hpp): there is
// no Filter Manager to ask; the source says so and reads nothing.
#include "fltsim/observed/live.hpp"

namespace fltsim::observed {

namespace {

constexpr const char *kWhy =
    "this is not Windows: `fltsim snapshot` asks the Filter Manager of the "
    "machine it runs on (fltsim.exe); on Linux, import a capture instead";

class NotWindows final : public FilterManagerSource {
public:
  std::vector<LiveFilter> filters(std::vector<std::string> &unread) override {
    unread.emplace_back(std::string("the Filter Manager's filters: ") + kWhy);
    return {};
  }
  std::vector<LiveInstance> instances(std::vector<std::string> &) override { return {}; }
  std::vector<LiveVolume> volumes(std::vector<std::string> &) override { return {}; }
  std::vector<LiveLoadEvent> load_events(std::vector<std::string> &unread) override {
    unread.emplace_back(std::string("the System event log: ") + kWhy);
    return {};
  }
};

} // namespace

std::unique_ptr<FilterManagerSource> this_machine_filter_manager() {
  return std::make_unique<NotWindows>();
}

} // namespace fltsim::observed
