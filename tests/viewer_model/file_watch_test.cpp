// The file watcher behind "reload when the file changes on disk".
#include <doctest/doctest.h>

#include <fstream>

#include "fltsim/viewer/file_watch.hpp"
#include "support.hpp"

using namespace fltsim;

namespace {
void write(const std::filesystem::path &p, const std::string &text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
}
} // namespace

TEST_SUITE("viewer_model") {

  TEST_CASE("the watcher reports a change once, and again after the next change") {
    test::TempDir dir;
    const auto path = dir.path() / "s.yaml";
    write(path, "scenario: a\n");
    viewer::FileWatcher w;
    w.watch(path);
    CHECK_FALSE(w.changed());
    write(path, "scenario: ab\n"); // different size: a change even within one mtime tick
    CHECK(w.changed());
    CHECK_FALSE(w.changed());
    const auto t = std::filesystem::last_write_time(path);
    write(path, "scenario: cd\n"); // same size, newer mtime
    std::filesystem::last_write_time(path, t + std::chrono::seconds(2));
    CHECK(w.changed());
  }

  TEST_CASE("a file replaced by rename (as editors save) is seen when it is back") {
    test::TempDir dir;
    const auto path = dir.path() / "s.yaml";
    write(path, "x\n");
    viewer::FileWatcher w;
    w.watch(path);
    std::filesystem::remove(path);
    CHECK_FALSE(w.changed()); // gone: nothing to reload
    write(dir.path() / "tmp", "x\n");
    std::filesystem::rename(dir.path() / "tmp", path);
    CHECK(w.changed());
  }

  TEST_CASE("an empty path watches nothing") {
    viewer::FileWatcher w;
    w.watch({});
    CHECK_FALSE(w.changed());
  }

} // TEST_SUITE
