#include "fltsim/viewer/file_watch.hpp"

namespace fltsim::viewer {

void FileWatcher::watch(const std::filesystem::path &path) {
  path_ = path;
  last_ = path_.empty() ? std::nullopt : stamp();
}

std::optional<FileWatcher::Stamp> FileWatcher::stamp() const {
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path_, ec);
  if (ec)
    return std::nullopt;
  const auto size = std::filesystem::file_size(path_, ec);
  if (ec)
    return std::nullopt;
  return Stamp{mtime, size};
}

bool FileWatcher::changed() {
  if (path_.empty())
    return false;
  const auto now = stamp();
  if (!now) {
    last_.reset(); // gone (editors often write a new file and rename it over the old one)
    return false;
  }
  if (last_ && *last_ == *now)
    return false;
  last_ = now;
  return true;
}

} // namespace fltsim::viewer
