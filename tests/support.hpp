#pragma once
// Shared test helpers: paths to the repository and its test corpus, temp directories.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

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

/// The lines of `text`, split at '\n' (a last line without one included, no empty line after
/// a final '\n').
inline std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t nl = text.find('\n', at);
    out.push_back(text.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
    if (nl == std::string::npos)
      break;
    at = nl + 1;
  }
  return out;
}

/// Writes `bytes` to `p` as they are (binary), replacing the file.
inline void write_bytes(const std::filesystem::path &p, const std::string &bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
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
