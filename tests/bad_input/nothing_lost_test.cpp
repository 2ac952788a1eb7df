// "Nothing lost": every file fltsim writes goes through write_file_atomic (temp file in
// the same directory + rename). A failed write leaves the old file byte for byte and no temporary
// file; an output that names an input is refused, however it is spelled; the commands that write
// files refuse their inputs with exit code 2.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <sys/stat.h>

#include "cli_support.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "support.hpp"

using namespace fltsim;
namespace fs = std::filesystem;

namespace {

void put(const fs::path &p, const std::string &content) {
  std::ofstream(p, std::ios::binary) << content;
}

std::size_t temp_files(const fs::path &dir) {
  std::size_t n = 0;
  for (const auto &e : fs::directory_iterator(dir))
    n += e.path().filename().string().find(".tmp-") != std::string::npos;
  return n;
}

int run_cli(const std::vector<std::string> &args, std::string *err = nullptr) {
  const test::CliRun r = test::run_fltsim(args);
  if (err)
    *err = r.err;
  return r.code;
}

/// Lowers the file size limit for its lifetime, so writes past `bytes` fail with EFBIG: a full
/// disk in miniature. SIGXFSZ is ignored so the write returns the error instead of killing us.
class FileSizeLimit {
public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit l = saved_;
    l.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &l);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit &) = delete;
  FileSizeLimit &operator=(const FileSizeLimit &) = delete;

private:
  rlimit saved_{};
  void (*old_handler_)(int) = nullptr;
};

const char *kScenario = "scenario: t\ndrivers:\n  - {name: A, start: boot, altitude: 45000}\n";

} // namespace

TEST_SUITE("nothing lost") {
  TEST_CASE("a write that fails half way leaves the old file and no temporary file") {
    test::TempDir dir;
    const fs::path out = dir.path() / "report.txt";
    const std::string old_content = "the old report\n";
    put(out, old_content);
    const std::string big(1 << 20, 'x');
    std::optional<std::string> err;
    {
      FileSizeLimit limit(64 * 1024);
      err = io::write_file_atomic(out, big);
    }
    REQUIRE(err.has_value());
    CHECK(err->find("cannot write") != std::string::npos);
    CHECK(test::read_file(out) == old_content);
    CHECK(temp_files(dir.path()) == 0);
    // And a new file that fails is not created at all.
    {
      FileSizeLimit limit(64 * 1024);
      err = io::write_file_atomic(dir.path() / "new.txt", big);
    }
    CHECK(err.has_value());
    CHECK_FALSE(fs::exists(dir.path() / "new.txt"));
    CHECK(temp_files(dir.path()) == 0);
  }

  TEST_CASE("a replaced file keeps its permissions, a new one is 0644") {
    test::TempDir dir;
    const fs::path out = dir.path() / "private.yaml";
    put(out, "old\n");
    fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write);
    REQUIRE_FALSE(io::write_file_atomic(out, "new\n").has_value());
    CHECK(test::read_file(out) == "new\n");
    CHECK((fs::status(out).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    const fs::path fresh = dir.path() / "fresh.yaml";
    REQUIRE_FALSE(io::write_file_atomic(fresh, "x\n").has_value());
    CHECK((fs::status(fresh).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
           fs::perms::others_read));
  }

  TEST_CASE("an input is refused through a symlink, a hard link and another spelling") {
    test::TempDir dir;
    const fs::path in = dir.path() / "in.yaml";
    put(in, kScenario);
    fs::create_directory(dir.path() / "sub");
    fs::create_symlink(in, dir.path() / "link.yaml");
    fs::create_hard_link(in, dir.path() / "hard.yaml");
    for (const fs::path &out : {dir.path() / "link.yaml", dir.path() / "hard.yaml",
                                dir.path() / "sub" / ".." / "in.yaml", in}) {
      CAPTURE(out);
      const auto err = io::write_file_atomic(out, "overwritten\n", {in});
      REQUIRE(err.has_value());
      CHECK(err->find("refusing to overwrite input") != std::string::npos);
      // The up-front check front ends call before expensive work agrees with the writer.
      CHECK(io::output_clashes_with_input(out, {in}) == err);
    }
    CHECK(test::read_file(in) == kScenario);
    CHECK(temp_files(dir.path()) == 0);
    // A different file, existing or not, is not a clash.
    CHECK_FALSE(io::output_clashes_with_input(dir.path() / "out.yaml", {in}).has_value());
    put(dir.path() / "other.yaml", kScenario);
    CHECK_FALSE(io::output_clashes_with_input(dir.path() / "other.yaml", {in}).has_value());
  }

  TEST_CASE("commands that write files refuse to overwrite their input (exit 2)") {
    test::TempDir dir;
    const fs::path in = dir.path() / "blog.yaml";
    fs::copy_file(test::source_root() / "scenarios/blog_example_a.yaml", in);
    const std::string before = test::read_file(in);
    std::string err;
    CHECK(run_cli({"plan", in.string(), "--emit-scenario", in.string()}, &err) == 2);
    CHECK(err.find("refusing to overwrite input") != std::string::npos);
    CHECK(test::read_file(in) == before);

    const fs::path inf = dir.path() / "nullFilter.inf";
    fs::copy_file(test::corpus_root() / "inf/wds-nullFilter.inf", inf);
    const std::string inf_before = test::read_file(inf);
    CHECK(run_cli({"check", inf.string(), "-o", inf.string()}, &err) == 2);
    CHECK(err.find("refusing to overwrite input") != std::string::npos);
    CHECK(test::read_file(inf) == inf_before);

    const fs::path observed = dir.path() / "fltmc.txt";
    fs::copy_file(test::corpus_root() / "fltmc/10-pjsacchet-minifilter-driver-readme-370030.txt",
                  observed);
    const std::string observed_before = test::read_file(observed);
    CHECK(run_cli({"import", observed.string(), "-o", observed.string()}, &err) == 2);
    CHECK(err.find("refusing to overwrite input") != std::string::npos);
    CHECK(test::read_file(observed) == observed_before);

    // plan --emit-inf writes <dummy>.inf into a directory: an input INF that happens to have
    // that name there is refused, not replaced. The INF installs the blog's two legacy filters
    // and its minifilter (docs/model.md#example-a), whose plan's dummy is FrameDummy1.
    const fs::path emit_dir = dir.path() / "emit";
    fs::create_directory(emit_dir);
    const fs::path named_like_dummy = emit_dir / "framedummy1.inf";
    const std::string blog_inf =
        "[Version]\nSignature = \"$Windows NT$\"\n[DefaultInstall]\n[DefaultInstall.Services]\n"
        "AddService = EncryptionLegacy,,Enc.Service\nAddService = AVLegacy,,AvLegacy.Service\n"
        "AddService = AVMiniFilter,,AvMini.Service\n"
        "[Enc.Service]\nServiceType = 2\nStartType = 0\nLoadOrderGroup = \"FSFilter Encryption\"\n"
        "[AvLegacy.Service]\nServiceType = 2\nStartType = 0\n"
        "LoadOrderGroup = \"FSFilter Anti-Virus\"\n"
        "[AvMini.Service]\nServiceType = 2\nStartType = 0\n"
        "LoadOrderGroup = \"FSFilter Anti-Virus\"\nDependencies = FltMgr\nAddReg = AvMini.AddReg\n"
        "[AvMini.AddReg]\nHKR,\"Instances\",\"DefaultInstance\",0x00000000,\"AV Instance\"\n"
        "HKR,\"Instances\\AV Instance\",\"Altitude\",0x00000000,\"328000\"\n";
    test::write_bytes(named_like_dummy, blog_inf);
    CHECK(run_cli({"plan", named_like_dummy.string(), "--emit-inf", emit_dir.string()}, &err) == 2);
    CHECK(err.find("refusing to overwrite input") != std::string::npos);
    CHECK(test::read_file(named_like_dummy) == blog_inf);
    CHECK(temp_files(emit_dir) == 0);
    CHECK(temp_files(dir.path()) == 0);
  }
}
