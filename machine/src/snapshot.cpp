// write_snapshot (fltsim/machine/snapshot.hpp): a LiveSource -> a machine folder.
#include "fltsim/machine/snapshot.hpp"

#include <system_error>

#include "fltsim/io/files.hpp"
#include "fltsim/io/platform.hpp"
#include "fltsim/io/utf8.hpp"

namespace fltsim::machine {

namespace fs = std::filesystem;

namespace {

// UTF-8 .reg text -> UTF-16LE with a byte-order mark, as regedit writes exports.
std::string utf16le_with_bom(std::string_view utf8) {
  std::string out = "\xFF\xFE";
  io::append_utf16le(out, utf8);
  return out;
}

} // namespace

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

SnapshotResult write_snapshot(LiveSource &source, const fs::path &folder) {
  SnapshotResult r;
  const RegistrySnapshot reg = source.system_registry(r.unread);
  const std::optional<std::string> build = source.windows_build(r.unread);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) {
    r.error = "cannot create " + io::path_to_utf8(folder) + ": " + ec.message();
    return r;
  }
  auto write = [&](const std::string &name, const std::string &content) {
    const fs::path p = folder / name;
    if (auto e = io::write_file_atomic(p, content, {})) {
      r.error = *e;
      return false;
    }
    r.written.push_back(p);
    return true;
  };
  if (reg.key_count() > 0 &&
      !write("system.reg", utf16le_with_bom(write_reg_export(reg, "HKEY_LOCAL_MACHINE\\SYSTEM"))))
    return r;
  if (build && !write("build.txt", *build + "\n"))
    return r;
  std::string report = "# fltsim snapshot: what could not be read, and why (empty: everything "
                       "was read)\n";
  for (const std::string &u : r.unread)
    report += u + "\n";
  write("snapshot.txt", report);
  return r;
}

} // namespace fltsim::machine
