#include "fltsim/frontend/install_paths.hpp"

#include <system_error>

#include "fltsim/io/platform.hpp"

namespace fltsim::frontend {

namespace fs = std::filesystem;

namespace {

// `<exe>/../share/<relative>` when it is a directory, else empty.
fs::path shared_dir(const fs::path &relative) {
  const fs::path exe = executable_dir();
  if (exe.empty())
    return {};
  std::error_code ec;
  fs::path p = fs::weakly_canonical(exe / ".." / "share" / relative, ec);
  if (ec || !fs::is_directory(p, ec))
    return {};
  return p;
}

} // namespace

fs::path executable_dir() {
  return io::executable_path().parent_path();
}

fs::path bundled_scenario_dir() {
  return shared_dir(fs::path("fltsim") / "scenarios");
}

fs::path doc_dir() {
  return shared_dir(fs::path("doc") / "fltsim");
}

} // namespace fltsim::frontend
