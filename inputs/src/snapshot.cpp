// write_snapshot (fltsim/inputs/snapshot.hpp): the live sources -> a machine folder.
#include "fltsim/inputs/snapshot.hpp"

#include <system_error>

#include "fltsim/io/files.hpp"
#include "fltsim/io/platform.hpp"
#include "fltsim/io/utf8.hpp"

namespace fltsim::inputs {

namespace fs = std::filesystem;

namespace {

// UTF-8 .reg text -> UTF-16LE with a byte-order mark, as regedit writes exports.
std::string utf16le_with_bom(std::string_view utf8) {
  std::string out = "\xFF\xFE";
  io::append_utf16le(out, utf8);
  return out;
}

} // namespace

SnapshotResult write_snapshot(machine::LiveSource &registry,
                              observed::FilterManagerSource &filter_manager,
                              const fs::path &folder) {
  SnapshotResult r;
  const machine::RegistrySnapshot reg = registry.system_registry(r.unread);
  const std::optional<std::string> build = registry.windows_build(r.unread);
  const std::vector<observed::LiveFilter> filters = filter_manager.filters(r.unread);
  const std::vector<observed::LiveInstance> instances = filter_manager.instances(r.unread);
  const std::vector<observed::LiveVolume> volumes = filter_manager.volumes(r.unread);
  const std::vector<observed::LiveLoadEvent> events = filter_manager.load_events(r.unread);
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
  if (reg.key_count() > 0) {
    if (!write("system.reg",
               utf16le_with_bom(machine::write_reg_export(reg, "HKEY_LOCAL_MACHINE\\SYSTEM"))))
      return r;
    r.registry = true;
  }
  if (!filters.empty() &&
      !write("fltmc.txt", observed::write_live_fltmc(filters, instances, volumes)))
    return r;
  if (!events.empty() && !write("events.txt", observed::write_live_events(events)))
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

} // namespace fltsim::inputs
