// sniff_input (inputs/inputs.hpp), the one dispatch point: every real input the repository and
// ../shared/wild hold sniffs to the kind their layout and their own expectation files give
// (written from the inputs, never from fltsim's output), and the edge cases by hand.
#include <doctest/doctest.h>

#ifndef _WIN32
#include <sys/stat.h>
#endif

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "fltsim/inputs/inputs.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
namespace inputs = fltsim::inputs;
using inputs::InputKind;
using inputs::sniff_input;

namespace {

std::string lower(std::string s) {
  for (char &c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void write(const fs::path &p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

// The first column of a CSV file's rows, its header aside.
std::vector<std::string> csv_files(const fs::path &csv) {
  std::vector<std::string> out;
  std::istringstream in(fltsim::test::read_file(csv));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line))
    if (const std::size_t comma = line.find(','); comma != std::string::npos && comma > 0)
      out.push_back(line.substr(0, comma));
  return out;
}

// `outcome:` of a tests/corpus/observed sidecar (tests/corpus/README.md, "observed/").
std::string outcome(const fs::path &expect) {
  std::istringstream in(fltsim::test::read_file(expect));
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("outcome: "))
      return line.substr(9);
  return "";
}

// An xz-compressed hive, decompressed into `dir` (nullopt when xz is not there).
std::optional<fs::path> unxz(const fs::path &xz, const fs::path &dir) {
  const fs::path out = dir / xz.stem();
  const std::string cmd = "xz -dc '" + xz.string() + "' > '" + out.string() + "' 2>/dev/null";
  std::error_code ec;
  // Under wine there is no xz (cmd.exe may still create the empty output file).
  if (std::system(cmd.c_str()) != 0 || fs::file_size(out, ec) == 0 || ec)
    return std::nullopt;
  return out;
}

struct Expected {
  fs::path file;
  InputKind kind;
  std::vector<InputKind> also = {}; // other answers that are right too
};

void check_all(const std::vector<Expected> &expected) {
  for (const Expected &e : expected) {
    CAPTURE(e.file);
    const InputKind got = sniff_input(e.file);
    CAPTURE(inputs::to_string(got));
    const bool ok = got == e.kind || std::find(e.also.begin(), e.also.end(), got) != e.also.end();
    CHECK_MESSAGE(ok, "expected ", inputs::to_string(e.kind));
  }
}

} // namespace

TEST_CASE("sniff_input: every input of tests/corpus sniffs to the kind its folder says") {
  const fs::path corpus = fltsim::test::corpus_root();
  fltsim::test::TempDir tmp;
  std::vector<Expected> expected;
  std::size_t infs = 0, captures = 0, events = 0, hives = 0;
  for (const auto &e : fs::recursive_directory_iterator(corpus)) {
    if (!e.is_regular_file())
      continue;
    const fs::path &p = e.path();
    const std::string dir = p.parent_path().lexically_relative(corpus).generic_string();
    const std::string ext = lower(p.extension().string());
    if (dir.starts_with("inf") && ext == ".inf") { // inf/ and inf/quirks/: driver INFs
      expected.push_back({p, InputKind::inf});
      ++infs;
    } else if (dir == "registry" && ext == ".reg") { // service keys exported
      expected.push_back({p, InputKind::reg_manifest});
    } else if (dir == "fltmc" && ext == ".txt") { // fltmc / !fltkd captures
      expected.push_back({p, InputKind::capture});
      ++captures;
    } else if (dir == "observed" && fs::exists(p.string() + ".expect")) {
      // The sidecar's outcome: "events" is an event log; "ok" and "rows" are captures;
      // "partial" (cut, filtered, an error instead of its rows) and "refused" (a listing import
      // does not take: fltmc volumes, !fltkd volumes) are captures that may hold no listing the
      // capture reader recognises, and so may sniff as unknown.
      const std::string o = outcome(p.string() + ".expect");
      REQUIRE_MESSAGE(!o.empty(), p.string());
      if (o == "events") {
        expected.push_back({p, InputKind::event_log});
        ++events;
      } else if (o == "partial" || o == "refused") {
        expected.push_back({p, InputKind::capture, {InputKind::unknown}});
      } else {
        expected.push_back({p, InputKind::capture});
        ++captures;
      }
    } else if (dir == "machine" && p.filename() == "system_small.reg") { // whole HKLM\SYSTEM
      expected.push_back({p, InputKind::machine_registry});
    } else if (dir == "machine" && ext == ".hiv") {
      expected.push_back({p, InputKind::machine_registry});
      ++hives;
    } else if (dir == "machine/real" && ext == ".xz") {
      // Real SYSTEM hives; those with an expectation are the readable ones (README.md).
      const fs::path json = p.parent_path() / (p.stem().string() + ".expected.json");
      if (!fs::exists(json))
        continue;
      if (const auto hive = unxz(p, tmp.path())) {
        expected.push_back({*hive, InputKind::machine_registry});
        ++hives;
      }
    }
  }
  CHECK(infs >= 30);
  CHECK(captures >= 40);
  CHECK(events >= 5);
  CHECK(hives >= 1);
  check_all(expected);
}

TEST_CASE("sniff_input: every input of ../shared/wild sniffs to the kind its folder says") {
  // Beside the checkout (CI's clone), or beside the folder of worktrees (/work/wt/NAME).
  fs::path wild = fltsim::test::source_root().parent_path() / "shared" / "wild";
  if (!fs::is_directory(wild))
    wild = fltsim::test::source_root().parent_path().parent_path() / "shared" / "wild";
  if (!fs::is_directory(wild)) {
    MESSAGE("no shared/wild beside the checkout: skipped");
    return;
  }
  fltsim::test::TempDir tmp;
  std::vector<Expected> expected;
  for (const std::string &f : csv_files(wild / "captures" / "expected.csv"))
    expected.push_back({wild / "captures" / f, InputKind::capture});
  for (const std::string &f : csv_files(wild / "infs" / "expected.csv"))
    expected.push_back({wild / "infs" / f, InputKind::inf});
  for (const auto &e : fs::directory_iterator(wild / "hives"))
    if (e.path().extension() == ".xz" &&
        fs::exists(e.path().parent_path() / (e.path().stem().string() + ".truth.json")))
      if (const auto hive = unxz(e.path(), tmp.path()))
        expected.push_back({*hive, InputKind::machine_registry});
  CHECK(expected.size() >= 40);
  check_all(expected);
}

TEST_CASE("sniff_input: a hive by its signature, whatever its name") {
  fltsim::test::TempDir tmp;
  std::string hive = "regf";
  hive.append(4092, '\0');
  for (const char *name : {"SYSTEM", "system.hiv", "system.reg", "notes.txt", "machine.yaml"}) {
    write(tmp.path() / name, hive);
    CHECK_MESSAGE(sniff_input(tmp.path() / name) == InputKind::machine_registry, name);
  }
  CHECK(sniff_input("SYSTEM", hive) == InputKind::machine_registry);
  CHECK(sniff_input("SYSTEM", std::string_view("regx")) == InputKind::unknown);
}

TEST_CASE("sniff_input: JSON lines, osquery by hostIdentifier, else machine records") {
  const std::string osquery =
      R"({"name":"services","hostIdentifier":"host-1","columns":{"name":"WdFilter"}})"
      "\n";
  const std::string record = R"({"machine":"host-1","scenario":{"drivers":[]}})"
                             "\n";
  CHECK(sniff_input("results.log", osquery) == InputKind::osquery_log);
  CHECK(sniff_input("machines.jsonl", record) == InputKind::fleet_jsonl);
  CHECK(sniff_input("machines", "\n  \n" + record) == InputKind::fleet_jsonl); // blank lines
  CHECK(sniff_input("machines.jsonl", "\xEF\xBB\xBF" + record) == InputKind::fleet_jsonl);
  // The first non-blank line decides.
  CHECK(sniff_input("mixed.jsonl", record + osquery) == InputKind::fleet_jsonl);
  CHECK(sniff_input("mixed.jsonl", "\n" + osquery + record) == InputKind::osquery_log);
  // A .json file is a capture or an event log first (NtObjectManager and Get-WinEvent write
  // JSON); JSON lines when neither reader finds one.
  CHECK(sniff_input("machines.json", record) == InputKind::fleet_jsonl);
}

TEST_CASE("sniff_input: registry exports by their keys, whatever their name") {
  const std::string header = "Windows Registry Editor Version 5.00\r\n\r\n";
  const std::string service =
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Av]\r\n\"Type\"=dword:00000002\r\n"
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Av\\Instances]\r\n";
  CHECK(sniff_input("av.reg", header + service) == InputKind::reg_manifest);
  CHECK(sniff_input("av.txt", header + service) == InputKind::reg_manifest);
  CHECK(sniff_input("av.reg", "REGEDIT4\n\n" + service) == InputKind::reg_manifest);
  CHECK(sniff_input("machine.reg", header + "[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n" + service) ==
        InputKind::machine_registry);
  CHECK(sniff_input("cs.reg", header + "[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001]\r\n") ==
        InputKind::machine_registry);
  // UTF-16LE with a byte-order mark, as regedit writes it.
  std::string utf16 = "\xFF\xFE";
  for (char c : header + "[HKEY_LOCAL_MACHINE\\SYSTEM]\r\n") {
    utf16 += c;
    utf16 += '\0';
  }
  CHECK(sniff_input("export.reg", utf16) == InputKind::machine_registry);
  // A .reg file that is not a registry export goes to the .reg reader (it says why), unless it
  // is recognisably something else: the content wins over the name.
  CHECK(sniff_input("broken.reg", std::string_view("not a registry export\n")) ==
        InputKind::reg_manifest);
  const std::string capture =
      fltsim::test::read_file(fltsim::test::corpus_root() / "observed" / "05-es-fltmc-filters.txt");
  REQUIRE_FALSE(capture.empty());
  CHECK(sniff_input("capture.reg", capture) == InputKind::capture);
  CHECK(sniff_input("capture.txt", capture) == InputKind::capture);
  // A .yaml or .inf name is trusted.
  CHECK(sniff_input("capture.yaml", capture) == InputKind::scenario);
  CHECK(sniff_input("capture.inf", capture) == InputKind::inf);
}

TEST_CASE("sniff_input: empty, binary, build, folder and missing") {
  fltsim::test::TempDir tmp;
  write(tmp.path() / "empty", "");
  write(tmp.path() / "empty.reg", "");
  write(tmp.path() / "empty.yaml", "");
  CHECK(sniff_input(tmp.path() / "empty") == InputKind::unknown);
  CHECK(sniff_input(tmp.path() / "empty.reg") == InputKind::reg_manifest);
  CHECK(sniff_input(tmp.path() / "empty.yaml") == InputKind::scenario);
  std::string binary;
  for (int i = 0; i < 4096; ++i)
    binary += static_cast<char>((i * 7919) & 0xFF);
  write(tmp.path() / "blob.bin", binary);
  CHECK(sniff_input(tmp.path() / "blob.bin") == InputKind::unknown);
  write(tmp.path() / "notes.txt", "nothing fltsim reads\n");
  CHECK(sniff_input(tmp.path() / "notes.txt") == InputKind::unknown);
  write(tmp.path() / "build.txt", "10.0.19045.3803\n");
  write(tmp.path() / "BUILD", "10.0.19045.3803\n");
  CHECK(sniff_input(tmp.path() / "build.txt") == InputKind::build);
  CHECK(sniff_input(tmp.path() / "BUILD") == InputKind::build);
  CHECK(sniff_input(tmp.path()) == InputKind::folder);
  fs::create_directories(tmp.path() / "bundle.reg"); // a folder whatever its name
  CHECK(sniff_input(tmp.path() / "bundle.reg") == InputKind::folder);
  CHECK(sniff_input(tmp.path() / "missing.yaml") == InputKind::scenario); // the name alone
  CHECK(sniff_input(tmp.path() / "missing") == InputKind::unknown);
  CHECK(std::string(inputs::to_string(InputKind::machine_registry)) == "machine-registry");
  CHECK(std::string(inputs::to_string(InputKind::osquery_log)) == "osquery-log");
}

TEST_CASE("sniff_input: a head cut at the bound still reads as the text it starts") {
  // A capture followed by more than sniff_head_bytes of filler: the head, cut mid-line and
  // mid-character, is a capture.
  std::string text =
      fltsim::test::read_file(fltsim::test::corpus_root() / "observed" / "05-es-fltmc-filters.txt");
  REQUIRE_FALSE(text.empty());
  while (text.size() < inputs::sniff_head_bytes + 100)
    text += "# notas: \xC3\xA1\xC3\xA9\xC3\xAD\xC3\xB3\xC3\xBA\n";
  CHECK(sniff_input("big.txt", text) == InputKind::capture);
  fltsim::test::TempDir tmp;
  write(tmp.path() / "big.txt", text);
  CHECK(sniff_input(tmp.path() / "big.txt") == InputKind::capture);
}

#ifndef _WIN32 // FIFOs are POSIX (mkfifo); the Windows build has none
TEST_CASE("sniff_input: a FIFO is sniffed once, and its bytes stay for its reader") {
  fltsim::test::TempDir tmp;
  const fs::path fifo = tmp.path() / "machines";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string record = R"({"machine":"host-1","scenario":{"drivers":[]}})"
                             "\n";
  std::thread writer([&] {
    std::ofstream out(fifo, std::ios::binary);
    out << "\n" << record << record;
  });
  // As fleet reads a FIFO: its first lines ahead, then the kind from them (the head overload).
  std::ifstream in(fifo, std::ios::binary);
  std::string head, line;
  while (std::getline(in, line)) {
    head += line + "\n";
    if (!line.empty())
      break;
  }
  CHECK(sniff_input(fifo, head) == InputKind::fleet_jsonl);
  std::string rest;
  std::getline(in, rest);
  CHECK(rest + "\n" == record); // the FIFO was not read again: the second record is next
  writer.join();
  // The path overload peeks through io/ (a pipe keeps its bytes for the next reader).
  const fs::path fifo2 = tmp.path() / "capture";
  REQUIRE(::mkfifo(fifo2.c_str(), 0600) == 0);
  const std::string capture =
      fltsim::test::read_file(fltsim::test::corpus_root() / "observed" / "05-es-fltmc-filters.txt");
  std::thread writer2([&] {
    std::ofstream out(fifo2, std::ios::binary);
    out << capture;
  });
  CHECK(sniff_input(fifo2) == InputKind::capture);
  writer2.join();
}
#endif // _WIN32
