// this_machine() on Windows (fltsim/machine/snapshot.hpp): the registry of the running system,
// read with the ordinary registry API and KEY_READ only (no administrator rights needed for any
// key a snapshot reads; a key that is denied anyway is reported, not fatal).
#include "fltsim/machine/snapshot.hpp"
#include "registry_win32.hpp"

namespace fltsim::machine {

namespace {

class Win32Machine final : public LiveSource {
public:
  RegistrySnapshot system_registry(std::vector<std::string> &unread) override {
    RegistryRead read;
    const std::string source = "HKEY_LOCAL_MACHINE\\SYSTEM";
    read.snapshot.source = source;
    HKEY system = nullptr;
    LSTATUS st = RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SYSTEM", 0, KEY_READ, &system);
    if (st != ERROR_SUCCESS) {
      unread.push_back("HKLM\\SYSTEM: " + win32::error_text(st));
      return std::move(read.snapshot);
    }
    // The current control set by number (Select\Current), as a .reg export of HKLM\SYSTEM has it;
    // CurrentControlSet itself is a link that exports do not follow.
    std::string cs = "CurrentControlSet";
    HKEY select = nullptr;
    if ((st = RegOpenKeyExW(system, L"Select", 0, KEY_READ, &select)) == ERROR_SUCCESS) {
      win32::copy_tree(select, "Select", source, read);
      RegCloseKey(select);
      if (const RegistryKey *k = read.snapshot.find("Select"))
        if (const RegValue *cur = k->find("Current"); cur && cur->type == RegType::dword) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "ControlSet%03u", static_cast<unsigned>(cur->number));
          cs = buf;
        }
    } else {
      unread.push_back("HKLM\\SYSTEM\\Select: " + win32::error_text(st) +
                       " (CurrentControlSet is read instead)");
    }
    for (const std::string &sub : snapshot_subtrees()) {
      const std::string path = cs + "\\" + sub;
      HKEY k = nullptr;
      st = RegOpenKeyExW(system, win32::wide(path).c_str(), 0, KEY_READ, &k);
      if (st == ERROR_FILE_NOT_FOUND)
        continue; // absent on this machine: nothing to read (e.g. no Dev Drive policy)
      if (st != ERROR_SUCCESS) {
        unread.push_back("HKLM\\SYSTEM\\" + path + ": " + win32::error_text(st));
        continue;
      }
      win32::copy_tree(k, path, source, read);
      RegCloseKey(k);
    }
    RegCloseKey(system);
    for (const sim::Diagnostic &d : read.errors)
      unread.push_back(d.message);
    for (const sim::Diagnostic &d : read.warnings)
      unread.push_back(d.message);
    return std::move(read.snapshot);
  }

  std::optional<std::string> windows_build(std::vector<std::string> &unread) override {
    wchar_t buf[64];
    DWORD len = sizeof buf;
    const LSTATUS st =
        RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                     L"CurrentBuild", RRF_RT_REG_SZ, nullptr, buf, &len);
    if (st != ERROR_SUCCESS) {
      unread.push_back("the Windows build (HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion "
                       "CurrentBuild): " +
                       win32::error_text(st));
      return std::nullopt;
    }
    return win32::utf8(buf);
  }
};

} // namespace

std::unique_ptr<LiveSource> this_machine() {
  return std::make_unique<Win32Machine>();
}

} // namespace fltsim::machine
