#pragma once
// Shared test helpers: paths to the repository and its test corpus, temp directories.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace fltsim::test {

inline std::filesystem::path source_root() {
  return FLTSIM_SOURCE_ROOT;
}
/// The real-world inputs the tests read (INF files, .reg exports, fltmc / !fltkd captures):
/// tests/corpus, inside the repository; tests/corpus/README.md says where each file comes from.
inline std::filesystem::path corpus_root() {
  return source_root() / "tests" / "corpus";
}
inline std::filesystem::path binary_dir() {
  return FLTSIM_BINARY_DIR;
}

/// True in the ASan+UBSan build (scripts/test-sanitizers.sh). There a memory bound means nothing:
/// ASan reserves terabytes of address space (RLIMIT_AS would stop it starting) and its shadow
/// memory and quarantine multiply the resident set. Such bounds are checked in the normal build.
inline constexpr bool under_address_sanitizer() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

/// The bytes of a file, as they are on disk ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("fltsim-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  [[nodiscard]] const std::filesystem::path &path() const { return path_; }

private:
  std::filesystem::path path_;
};

} // namespace fltsim::test
