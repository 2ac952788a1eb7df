// Offline SYSTEM hive reader on Windows (read_system_hive, fltsim/machine/machine_import.hpp),
// where libhivex has no build: Windows' own hive loader, RegLoadAppKeyW, on a private copy of the
// file (the loader locks the file it loads and may write .LOG files beside it; the user's file is
// never touched). The loaded key is copied by registry_win32.cpp's copy_tree into the same typed
// RegistrySnapshot the libhivex reader (hive_reader.cpp) fills. CMake compiles this file instead
// of hive_reader.cpp on Windows; both implement the one declaration in machine_import.hpp.
#include <system_error>

#include "fltsim/io/platform.hpp"
#include "fltsim/machine/machine_import.hpp"
#include "registry_win32.hpp"

namespace fltsim::machine {

namespace {

namespace fs = std::filesystem;

// A private copy of the hive in the temporary folder, removed (with the loader's .LOG files) when
// the reader is done.
class TempCopy {
public:
  TempCopy(const fs::path &from, std::error_code &ec) {
    wchar_t dir[MAX_PATH + 1];
    const DWORD n = GetTempPathW(MAX_PATH + 1, dir);
    wchar_t name[MAX_PATH + 1];
    if (n == 0 || n > MAX_PATH || GetTempFileNameW(dir, L"fsh", 0, name) == 0) {
      ec = std::error_code(static_cast<int>(GetLastError()), std::system_category());
      return;
    }
    path_ = name;
    fs::copy_file(from, path_, fs::copy_options::overwrite_existing, ec);
  }
  ~TempCopy() {
    if (path_.empty())
      return;
    std::error_code ignored;
    for (const wchar_t *suffix : {L"", L".LOG", L".LOG1", L".LOG2"})
      fs::remove(fs::path(path_.native() + suffix), ignored);
  }
  TempCopy(const TempCopy &) = delete;
  TempCopy &operator=(const TempCopy &) = delete;
  [[nodiscard]] const fs::path &path() const { return path_; }

private:
  fs::path path_;
};

} // namespace

RegistryRead read_system_hive(const fs::path &hive_file, const RegistryLimits &limits) {
  RegistryRead out;
  const std::string source = io::path_to_utf8(hive_file);
  out.snapshot.source = source;
  auto fail = [&](const std::string &why) {
    out.errors.push_back(sim::make_diagnostic({source, 0, 0}, "hive-unreadable",
                                              "cannot open the registry hive: " + why +
                                                  " (expected an offline SYSTEM hive file, regf "
                                                  "format)"));
    return out;
  };
  std::error_code ec;
  if (!fs::is_regular_file(hive_file, ec))
    return fail(ec ? ec.message() : std::string("not a file"));
  TempCopy copy(hive_file, ec);
  if (ec)
    return fail("cannot copy it to the temporary folder: " + ec.message());
  HKEY root = nullptr;
  const LSTATUS st = RegLoadAppKeyW(copy.path().c_str(), &root, KEY_READ, REG_PROCESS_APPKEY, 0);
  if (st != ERROR_SUCCESS)
    return fail("RegLoadAppKeyW: " + win32::error_text(st));
  // An unreadable root (wine 8's RegLoadAppKeyW is a stub that loads nothing) is an error, not
  // an empty hive.
  win32::copy_tree(root, std::string(), source, out, limits);
  RegCloseKey(root);
  return out;
}

} // namespace fltsim::machine
