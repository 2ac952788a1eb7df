#pragma once
// Polls a file's modification time and size, so the viewer reloads a scenario that was edited in
// another program. Polling (not inotify) keeps it portable and cheap at a few checks per second.
#include <chrono>
#include <filesystem>
#include <optional>

namespace fltsim::viewer {

class FileWatcher {
public:
  /// Starts watching `path` (its current state is the baseline). An empty path watches nothing.
  void watch(const std::filesystem::path &path);
  [[nodiscard]] const std::filesystem::path &path() const { return path_; }
  /// True once per change of mtime or size since the last call (or since watch()). A file that
  /// disappears counts as a change when it comes back.
  [[nodiscard]] bool changed();

private:
  struct Stamp {
    std::filesystem::file_time_type mtime{};
    std::uintmax_t size = 0;
    friend bool operator==(const Stamp &, const Stamp &) = default;
  };
  [[nodiscard]] std::optional<Stamp> stamp() const;
  std::filesystem::path path_;
  std::optional<Stamp> last_;
};

} // namespace fltsim::viewer
