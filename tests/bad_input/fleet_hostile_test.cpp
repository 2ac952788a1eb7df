// Hostile input to `fltsim fleet` (docs/reliability.md, docs/fleet.md): each case is a file in
// tests/bad_input/fleet/ or generated here (large ones), with its exact exit code and diagnostic.
// The limits of the fleet readers (docs/reliability.md#limits) are tested at the limit and one
// past it.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.hpp"
#include "support.hpp"

extern char **environ;

using namespace fltsim;
namespace fs = std::filesystem;

namespace {

const fs::path fleet_corpus = test::source_root() / "tests/bad_input/fleet";
const std::string av = (test::source_root() / "tests/fleet/fixtures/contoso_av.yaml").string();

test::CliRun fleet(std::vector<std::string> args) {
  args.insert(args.begin(), "fleet");
  return test::run_fltsim(args);
}

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

// A machine line that reads cleanly.
std::string machine_line(const std::string &name) {
  return R"({"machine":")" + name +
         R"(","scenario":{"drivers":[{"name":"FileInfo","group":"FSFilter Bottom","start":"boot","altitude":"40500"}]}})";
}

// Peak resident set of `fltsim ARGS...` run as a process, in MiB, and its exit status.
std::pair<double, int> peak_mib(const std::vector<std::string> &args) {
  const std::string exe = (test::binary_dir() / "ui/cli/fltsim").string();
  std::vector<char *> argv{const_cast<char *>(exe.c_str())};
  for (const std::string &a : args)
    argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  rusage ru{};
  REQUIRE(wait4(pid, &status, 0, &ru) == pid);
  return {static_cast<double>(ru.ru_maxrss) / 1024.0, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

} // namespace

TEST_CASE("fleet hostile: invalid UTF-8 in a driver name is an input error of that machine") {
  // A JSONL line is JSON text, which is UTF-8 (RFC 8259 section 8.1); byte 0xFF at column 132.
  const auto r =
      fleet({(fleet_corpus / "invalid_utf8_name.jsonl").string(), "--add", av, "-f", "json"});
  CHECK(r.code == 1);
  CHECK(has(r.err, "invalid_utf8_name.jsonl:2:132: error[encoding]: invalid UTF-8 byte sequence"));
  CHECK(has(r.out, "\"input-error\": 1"));
  CHECK(has(r.out, "\"machines\": 2"));
}

TEST_CASE("fleet hostile: 1e999 in an osquery log is a located input error, not an abort") {
  const auto r = fleet(
      {(fleet_corpus / "osquery_number_out_of_range.log").string(), "--add", av, "-f", "json"});
  CHECK(r.code == 1);
  CHECK(has(r.err, "osquery_number_out_of_range.log:2:277: error[number-range]: the number "
                   "1e999 is out of range"));
}

TEST_CASE("fleet hostile: 1e999 in a --merge summary is a located input error") {
  const auto r = fleet({"--merge", (fleet_corpus / "summary_number_out_of_range.json").string()});
  CHECK(r.code == 2);
  CHECK(has(r.err, "summary_number_out_of_range.json:4:15: error[number-range]: the number "
                   "1e999 is out of range"));
}

TEST_CASE("fleet hostile: numbers in a summary, at what a double holds and past it") {
  test::TempDir dir;
  auto summary = [&](const std::string &number) {
    const fs::path p = dir.path() / ("n" + number + ".json");
    test::write_bytes(p,
                      R"({"fltsim_fleet_summary": 1, "change": "x", "machines": )" + number +
                          R"(, "outcomes": {}, "filters": [], "builds": [], "suggestions": []})");
    return p.string();
  };
  const auto at = fleet({"--merge", summary("1e308")});
  CHECK(at.code == 2); // a float is not a count, but the scan lets it through
  CHECK_FALSE(has(at.err, "number-range"));
  CHECK(has(at.err, "error[fleet-summary]"));
  const auto past = fleet({"--merge", summary("1e309")});
  CHECK(past.code == 2);
  CHECK(has(past.err, "n1e309.json:1:56: error[number-range]"));
}

TEST_CASE("fleet hostile: --merge counts never wrap") {
  SUBCASE("one summary whose counts add up past 2^64 - 1") {
    // clean 2^64 - 1 plus new-collision 4 wraps to 3 = machines: it used to read as 2 clean
    // machines and 1 new collision.
    const auto r = fleet({"--merge", (fleet_corpus / "summary_counts_wrap.json").string()});
    CHECK(r.code == 2);
    CHECK(has(r.err, "summary_counts_wrap.json: error[fleet-summary]: the outcome counts add up "
                     "to more than 2^64 - 1"));
  }
  SUBCASE("two summaries whose sum is one past 2^64 - 1, and two at the limit") {
    test::TempDir dir;
    auto summary = [&](const std::string &name, const std::string &clean) {
      const fs::path p = dir.path() / name;
      test::write_bytes(p, R"({"fltsim_fleet_summary": 1, "change": "add X 1", "machines": )" +
                               clean + R"(, "outcomes": {"clean": )" + clean +
                               R"(}, "filters": [], "builds": [], "suggestions": []})");
      return p.string();
    };
    const auto past = fleet({"--merge", summary("a.json", "9223372036854775808"),
                             summary("b.json", "9223372036854775808")});
    CHECK(past.code == 2);
    CHECK(has(past.err, "b.json: error[fleet-summary]: the counts add up to more than 2^64 - 1"));
    const auto limit = fleet({"--merge", summary("c.json", "9223372036854775808"),
                              summary("d.json", "9223372036854775807"), "-f", "json"});
    CHECK(limit.code == 0);
    CHECK(has(limit.out, "\"machines\": 18446744073709551615"));
  }
}

TEST_CASE("fleet hostile: JSON nesting in osquery logs and summaries, at the limit and past it") {
  test::TempDir dir;
  // An osquery line whose value nests `depth` levels (the line's own object counts as one).
  auto osquery = [&](int depth) {
    const fs::path p = dir.path() / ("nest" + std::to_string(depth) + ".log");
    test::write_bytes(p, R"({"name":"q","hostIdentifier":"h","columns":)" +
                             std::string(static_cast<std::size_t>(depth - 1), '[') +
                             std::string(static_cast<std::size_t>(depth - 1), ']') + "}\n");
    return p.string();
  };
  const auto at = fleet({osquery(64), "--add", av, "-f", "json"});
  CHECK_FALSE(has(at.err, "error[limit]"));
  const auto past = fleet({osquery(65), "--add", av, "-f", "json"});
  CHECK(past.code == 1);
  CHECK(has(past.err, "nest65.log:1:107: error[limit]: JSON values nest more than 64 levels deep"));
  // 100,000 levels crashed fleet with SIGSEGV (a recursive dump of the value).
  const auto deep = fleet({osquery(100000), "--add", av, "-f", "json"});
  CHECK(deep.code == 1);
  CHECK(has(deep.err, "nest100000.log:1:107: error[limit]"));
  // A summary nested past the limit is refused the same way.
  const fs::path s = dir.path() / "deep.json";
  test::write_bytes(s, R"({"fltsim_fleet_summary": 1, "x": )" + std::string(70, '[') +
                           std::string(70, ']') + "}");
  const auto merged = fleet({"--merge", s.string()});
  CHECK(merged.code == 2);
  CHECK(has(merged.err, "deep.json:1:97: error[limit]"));
}

TEST_CASE("fleet hostile: a GroupOrderList of 300,000 groups is read in linear time") {
  // Duplicate keys were looked for by a linear search per key: this never finished.
  test::TempDir dir;
  std::string line = R"({"machine":"many","scenario":{"group_order_list":{)";
  for (int i = 0; i < 300000; ++i)
    line += (i ? ",\"g" : "\"g") + std::to_string(i) + "\":[1,2]";
  line +=
      R"(},"drivers":[{"name":"FileInfo","group":"FSFilter Bottom","start":"boot","altitude":"40500"}]}})";
  const fs::path f = dir.path() / "gol.jsonl";
  test::write_bytes(f, line + "\n");
  const auto start = std::chrono::steady_clock::now();
  const auto r = fleet({f.string(), "--add", av, "-f", "jsonl"});
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.code == 0);
  CHECK(has(r.out, R"("outcome":"clean")"));
  CHECK(secs < 30);
}

TEST_CASE("fleet hostile: batches are bounded by bytes, so large records do not pile up") {
  // 24 records of 8 MB each (a long title): 256 records per batch held them all at once.
  test::TempDir dir;
  const fs::path f = dir.path() / "big.jsonl";
  {
    std::ofstream out(f, std::ios::binary);
    const std::string title(8u << 20, 'x');
    for (int i = 0; i < 24; ++i)
      out << R"({"machine":"big)" << i << R"(","scenario":{"scenario":")" << title
          << R"(","drivers":[{"name":"FileInfo","group":"FSFilter Bottom","start":"boot","altitude":"40500"}]}})"
          << "\n";
  }
  const auto [mib, code] =
      peak_mib({"fleet", f.string(), "--add", av, "--jobs", "2", "-f", "json"});
  CHECK(code == 0);
  CAPTURE(mib);
  if (!test::under_address_sanitizer())
    CHECK(mib < 150); // 24 x 8 MB = 192 MB were held in one batch before
}

TEST_CASE(
    "fleet hostile: a FIFO is read whole; one inside a machine folder is skipped with a note") {
  test::TempDir dir;
  SUBCASE("a FIFO given as MACHINES") {
    const fs::path fifo = dir.path() / "machines.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] {
      std::ofstream out(fifo, std::ios::binary);
      for (int i = 0; i < 500; ++i) // more than one buffer of the first read
        out << machine_line("h" + std::to_string(i)) << "\n";
    });
    const auto r = fleet({fifo.string(), "--add", av, "-f", "json"});
    writer.join();
    CHECK(r.code == 0);
    CHECK(has(r.out, "\"machines\": 500"));
  }
  SUBCASE("a FIFO inside a machine folder") {
    const fs::path host = dir.path() / "fleet" / "host-a";
    fs::create_directories(host);
    test::write_bytes(host / "scenario.yaml",
                      "drivers:\n  - {name: FileInfo, group: FSFilter Bottom, "
                      "start: boot, altitude: 40500}\n");
    REQUIRE(::mkfifo((host / "fltmc.txt").c_str(), 0600) == 0);
    const auto r = fleet({(dir.path() / "fleet").string(), "--add", av, "-f", "json"});
    CHECK(r.code == 0);
    CHECK(has(r.out, "\"machines\": 1"));
    CHECK(has(r.err, "fltmc.txt: note[fleet-machine]: not a regular file (a FIFO, device or "
                     "socket); skipped"));
  }
}
