// The IO layer's promises (docs/reliability.md, "Inputs are read whole" and "Nothing lost"),
// as properties over every kind of input and output a user can name: a regular file, a pipe
// (`<(cmd)`, /dev/fd/N), a FIFO, standard input, a symbolic link, a hard link, a device.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fltsim/io/files.hpp"
#include "support.hpp"

using namespace fltsim;
namespace fs = std::filesystem;

namespace {

// `bytes` behind a pipe, as `<(cat FILE)` gives it: the path /dev/fd/N, fed by a thread.
class PipeInput {
public:
  explicit PipeInput(std::string bytes) {
    std::signal(SIGPIPE, SIG_IGN); // a writer whose reader is gone gets EPIPE, not a signal
    int p[2];
    REQUIRE(::pipe(p) == 0);
    read_ = p[0];
    writer_ = std::thread([fd = p[1], b = std::move(bytes)] {
      std::size_t done = 0;
      while (done < b.size()) {
        const ssize_t n = ::write(fd, b.data() + done, b.size() - done);
        if (n <= 0)
          break;
        done += static_cast<std::size_t>(n);
      }
      ::close(fd);
    });
  }
  ~PipeInput() {
    ::close(read_);
    writer_.join();
  }
  [[nodiscard]] fs::path path() const { return "/dev/fd/" + std::to_string(read_); }

private:
  int read_ = -1;
  std::thread writer_;
};

// Text of `n` bytes whose every 8-byte block names its offset, so a lost or repeated block shows.
std::string numbered(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; s.size() < n; i += 8) {
    char b[16];
    std::snprintf(b, sizeof b, "%07zx\n", i);
    s += b;
  }
  s.resize(n);
  return s;
}

} // namespace

TEST_SUITE("io") {
  TEST_CASE("a pipe is read whole after any peek, at every size around the 8 KB buffer") {
    for (std::size_t n : {0u, 1u, 4u, 4095u, 8191u, 8192u, 8193u, 65536u, 65537u, 300000u}) {
      for (std::size_t peek : {0u, 4u, 8192u, 100000u}) {
        CAPTURE(n);
        CAPTURE(peek);
        const std::string bytes = numbered(n);
        io::RunInputs run;
        PipeInput in(bytes);
        CHECK(io::peek_input(in.path(), peek) == bytes.substr(0, peek));
        sim::Diagnostic err;
        const auto got = io::read_input_bytes(in.path(), err);
        REQUIRE(got);
        CHECK(*got == bytes);
        // Read again (a second reader of the same input): the same bytes.
        CHECK(io::read_input_bytes(in.path(), err).value_or("?") == bytes);
        CHECK(io::read_text_file(in.path()).text.value_or("?") == bytes);
      }
    }
  }

  TEST_CASE("a peeked pipe streams from its first byte") {
    const std::string bytes = numbered(100000);
    io::RunInputs run;
    PipeInput in(bytes);
    CHECK(io::peek_input(in.path(), 10) == bytes.substr(0, 10));
    sim::Diagnostic err;
    auto s = io::open_input_stream(in.path(), err);
    REQUIRE(s);
    std::string got((std::istreambuf_iterator<char>(*s)), std::istreambuf_iterator<char>());
    CHECK(got == bytes);
    // Streamed once: a second read says why it cannot be read, it does not return a part.
    CHECK_FALSE(io::read_input_bytes(in.path(), err));
    CHECK(err.code == "io");
  }

  TEST_CASE("a regular file: peek does not move a later read, streams are independent") {
    test::TempDir dir;
    const fs::path f = dir.path() / "f.txt";
    const std::string bytes = numbered(20000);
    test::write_bytes(f, bytes);
    CHECK(io::peek_input(f, 4) == bytes.substr(0, 4));
    sim::Diagnostic err;
    CHECK(io::read_input_bytes(f, err).value_or("") == bytes);
    auto a = io::open_input_stream(f, err);
    REQUIRE(a);
    std::string got((std::istreambuf_iterator<char>(*a)), std::istreambuf_iterator<char>());
    CHECK(got == bytes);
    CHECK(io::input_size(f) == bytes.size());
  }

  TEST_CASE("a FIFO named directly is read whole") {
    test::TempDir dir;
    const fs::path fifo = dir.path() / "in.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string bytes = numbered(50000);
    std::thread w([&] {
      const int fd = ::open(fifo.c_str(), O_WRONLY);
      std::size_t done = 0;
      while (fd >= 0 && done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0)
          break;
        done += static_cast<std::size_t>(n);
      }
      ::close(fd);
    });
    io::RunInputs run;
    CHECK(io::input_kind(fifo) == io::InputKind::pipe);
    CHECK(io::peek_input(fifo, 4) == bytes.substr(0, 4));
    sim::Diagnostic err;
    CHECK(io::read_input_bytes(fifo, err).value_or("") == bytes);
    w.join();
  }

  TEST_CASE("a folder walker skips FIFOs, sockets and devices with a note") {
    test::TempDir dir;
    test::write_bytes(dir.path() / "a.yaml", "x");
    REQUIRE(::mkfifo((dir.path() / "p.fifo").c_str(), 0600) == 0);
    fs::create_directory(dir.path() / "sub");
    fs::create_symlink("missing", dir.path() / "dangling");
    CHECK_FALSE(io::folder_entry_skip_note(dir.path() / "a.yaml"));
    CHECK_FALSE(io::folder_entry_skip_note(dir.path() / "sub"));
    const auto fifo = io::folder_entry_skip_note(dir.path() / "p.fifo");
    REQUIRE(fifo);
    CHECK(fifo->find("FIFO") != std::string::npos);
    CHECK(io::folder_entry_skip_note(dir.path() / "dangling"));
    CHECK(io::folder_entry_skip_note("/dev/null"));
  }

  TEST_CASE("an input over the limit from an endless device is refused, not read forever") {
    io::RunInputs run;
    sim::Diagnostic err;
    CHECK_FALSE(io::read_input_bytes("/dev/zero", err, 1 << 20));
    CHECK(err.code == "limit");
  }

  TEST_CASE("outputs: a symbolic link stays a link, its target is replaced") {
    test::TempDir dir;
    const fs::path real = dir.path() / "real.txt", link = dir.path() / "link.txt";
    test::write_bytes(real, "old");
    fs::create_symlink("real.txt", link);
    REQUIRE_FALSE(io::write_file_atomic(link, "new"));
    CHECK(fs::is_symlink(link));
    CHECK(test::read_file(real) == "new");
    // A dangling link: its target is created.
    const fs::path dangling = dir.path() / "d.txt";
    fs::create_symlink("created.txt", dangling);
    REQUIRE_FALSE(io::write_file_atomic(dangling, "made"));
    CHECK(fs::is_symlink(dangling));
    CHECK(test::read_file(dir.path() / "created.txt") == "made");
  }

  TEST_CASE("outputs: a FIFO is written in place, or refused at once when nobody reads it") {
    test::TempDir dir;
    const fs::path fifo = dir.path() / "out.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto refused = io::write_file_atomic(fifo, "x");
    REQUIRE(refused);
    CHECK(refused->find("no process is reading") != std::string::npos);
    CHECK(io::input_kind(fifo) == io::InputKind::pipe);
    const int rd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(rd >= 0);
    CHECK_FALSE(io::write_file_atomic(fifo, "through the pipe"));
    char buf[64] = {};
    CHECK(::read(rd, buf, sizeof buf) == 16);
    CHECK(std::string(buf) == "through the pipe");
    ::close(rd);
    CHECK(io::input_kind(fifo) == io::InputKind::pipe);
  }

  TEST_CASE("outputs: a character device stays a device") {
    test::TempDir dir;
    const fs::path null = dir.path() / "null"; // a copy of /dev/null: breaking it breaks nothing
    if (::mknod(null.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) {
      MESSAGE("mknod is not permitted here; using /dev/null itself, written in place");
      CHECK_FALSE(io::write_file_atomic("/dev/null", "x"));
      CHECK(io::input_kind("/dev/null") == io::InputKind::character_device);
      return;
    }
    CHECK_FALSE(io::write_file_atomic(null, "discarded"));
    CHECK(io::input_kind(null) == io::InputKind::character_device);
    // No temporary file is left beside it.
    int entries = 0;
    for (const auto &e : fs::directory_iterator(dir.path()))
      entries += e.path() != null;
    CHECK(entries == 0);
  }

  TEST_CASE("outputs: every input of the run is refused, however it was named") {
    test::TempDir dir;
    const fs::path in = dir.path() / "in.txt";
    test::write_bytes(in, "input");
    fs::create_hard_link(in, dir.path() / "hard.txt");
    fs::create_symlink("in.txt", dir.path() / "soft.txt");
    {
      io::RunInputs run;
      sim::Diagnostic err;
      REQUIRE(io::read_input_bytes(in, err));
      for (const fs::path &out :
           {in, dir.path() / "hard.txt", dir.path() / "soft.txt", dir.path() / "." / "in.txt"}) {
        CAPTURE(out);
        const auto e = io::write_file_atomic(out, "clobbered");
        REQUIRE(e);
        CHECK(e->find("refusing to overwrite input file") != std::string::npos);
      }
      CHECK(test::read_file(in) == "input");
      // A file that is not an input of the run is written.
      CHECK_FALSE(io::write_file_atomic(dir.path() / "other.txt", "fine"));
    }
    // Outside a run only the inputs named are refused.
    CHECK_FALSE(io::write_file_atomic(dir.path() / "hard.txt", "now allowed"));
    CHECK(io::write_file_atomic(dir.path() / "soft.txt", "no", {in}));
  }

  TEST_CASE("outputs: a pipe input of the run cannot be written through /dev/fd") {
    io::RunInputs run;
    PipeInput in("data");
    sim::Diagnostic err;
    REQUIRE(io::read_input_bytes(in.path(), err));
    const auto e = io::write_file_atomic(in.path(), "x");
    REQUIRE(e);
    CHECK(e->find("refusing to overwrite input file") != std::string::npos);
  }
}
