// `fltsim check` inputs: see manifest_files.hpp.
#include "fltsim/inputs/manifest_files.hpp"
#include "fltsim/io/platform.hpp"

#include <algorithm>
#include <set>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"

namespace fltsim::inputs {

namespace fs = std::filesystem;

namespace {

bool hidden(const fs::path &p) {
  const std::string name = io::path_to_utf8(p.filename());
  return name.size() > 1 && name[0] == '.' && name != "..";
}

} // namespace

std::vector<fs::path> collect_manifest_files(const std::vector<std::string> &args,
                                             std::vector<sim::Diagnostic> &errors) {
  std::vector<fs::path> out;
  std::set<std::string> seen; // canonical paths already taken
  auto take = [&](const fs::path &p) {
    std::error_code ec;
    const fs::path canon = fs::weakly_canonical(p, ec);
    if (seen.insert(ec ? io::path_to_utf8(p) : io::path_to_utf8(canon)).second)
      out.push_back(p.lexically_normal());
  };
  for (const std::string &arg : args) {
    const fs::path p = io::path_from_utf8(arg); // UTF-8 on every platform (platform.hpp)
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      errors.push_back(sim::make_diagnostic({arg, 0, 0}, "io", "no such file or directory"));
      continue;
    }
    if (!fs::is_directory(st)) {
      take(p); // an explicit file is read whatever its extension; the reader rejects odd ones
      continue;
    }
    std::vector<fs::path> found;
    fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec);
    const fs::recursive_directory_iterator end;
    while (!ec && it != end) {
      const fs::path &entry = it->path();
      if (hidden(entry)) {
        if (it->is_directory(ec))
          it.disable_recursion_pending();
      } else if (it->is_regular_file(ec) &&
                 inputs::manifest_type(entry) != inputs::ManifestType::unknown) {
        found.push_back(entry);
      }
      it.increment(ec);
    }
    if (ec)
      errors.push_back(
          sim::make_diagnostic({arg, 0, 0}, "io", "cannot read directory: " + ec.message()));
    std::sort(found.begin(), found.end(), [](const fs::path &a, const fs::path &b) {
      return io::path_to_utf8(a) < io::path_to_utf8(b);
    });
    if (found.empty() && !ec)
      errors.push_back(sim::make_diagnostic(
          {arg, 0, 0}, "io", "directory holds no manifest (.inf, .reg, .yaml or .yml files)"));
    for (const fs::path &f : found)
      take(f);
  }
  return out;
}

} // namespace fltsim::inputs
