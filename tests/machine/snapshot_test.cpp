// fltsim snapshot's registry half: the .reg export writer (every snapshot it writes reads back
// equal). The folder (write_snapshot over recorded fakes) is tested in
// tests/inputs/snapshot_test.cpp; the Windows half under wine by scripts/test-windows.sh (a real
// registry loaded with `wine regedit /s`).
#include <doctest/doctest.h>

#include <random>

#include "fltsim/io/files.hpp"
#include "fltsim/machine/machine_import.hpp"
#include "fltsim/machine/snapshot.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace fltsim::machine;

namespace {

void check_equal(const RegistrySnapshot &a, const RegistrySnapshot &b) {
  REQUIRE(a.key_count() == b.key_count());
  for (const auto &[lower, ka] : a.keys()) {
    const RegistryKey *kb = b.find(ka.path);
    REQUIRE_MESSAGE(kb, ka.path);
    CHECK(kb->path == ka.path);
    REQUIRE_MESSAGE(kb->values.size() == ka.values.size(), ka.path);
    for (std::size_t i = 0; i < ka.values.size(); ++i) {
      const RegValue &x = ka.values[i], &y = kb->values[i];
      INFO(ka.path << " value '" << x.name << "'");
      CHECK(x.name == y.name);
      CHECK(x.type == y.type);
      CHECK(x.raw_type == y.raw_type);
      CHECK(x.text == y.text);
      CHECK(x.strings == y.strings);
      CHECK(x.number == y.number);
      if (x.type != RegType::qword) // a QWORD's bytes are its number
        CHECK(x.bytes == y.bytes);
    }
  }
}

RegistrySnapshot read_back(const RegistrySnapshot &s) {
  RegistryRead r = read_reg_export(write_reg_export(s, "HKEY_LOCAL_MACHINE\\SYSTEM"), "x.reg");
  CHECK(r.errors.empty());
  CHECK(r.warnings.empty());
  return std::move(r.snapshot);
}

std::string random_text(std::mt19937 &rng, bool key_name) {
  static const std::vector<std::string> pieces = {"a",
                                                  "Z",
                                                  "0",
                                                  " ",
                                                  "-",
                                                  "_",
                                                  "\"",
                                                  "=",
                                                  "[",
                                                  "]",
                                                  "@",
                                                  ";",
                                                  "\xC3\xA9",
                                                  "\xE4\xB8\xAD",
                                                  "\xF0\x9F\x98\x80",
                                                  "\\",
                                                  "/"};
  std::uniform_int_distribution<std::size_t> len(1, 8), pick(0, pieces.size() - 1);
  std::string s;
  for (std::size_t n = len(rng); s.size() < n;) {
    const std::string &p = pieces[pick(rng)];
    if (key_name && (p == "\\" || p == "[" || p == "]"))
      continue; // a key name holds no '\' (the separator); brackets would end the section
    s += p;
  }
  return s;
}

} // namespace

TEST_CASE("write_reg_export: the corpus machine export reads back equal") {
  const auto bytes =
      fltsim::test::read_file(fltsim::test::corpus_root() / "machine" / "system_small.reg");
  const auto text = fltsim::io::decode_text(bytes, "system_small.reg");
  REQUIRE(text.text);
  RegistryRead first = read_reg_export(*text.text, "system_small.reg");
  REQUIRE(first.errors.empty());
  REQUIRE(first.snapshot.key_count() > 10);
  check_equal(first.snapshot, read_back(first.snapshot));
}

TEST_CASE("write_reg_export: random snapshots of every value type read back equal") {
  std::mt19937 rng(20261207);
  for (int round = 0; round < 200; ++round) {
    RegistrySnapshot s;
    std::uniform_int_distribution<int> keys(1, 6), values(0, 6), type(0, 6);
    for (int k = keys(rng); k > 0; --k) {
      std::string path = "ControlSet001\\Services\\" + random_text(rng, true);
      RegistryKey &key = s.key(path);
      for (int v = values(rng); v > 0; --v) {
        std::string name = v == 1 ? std::string() : random_text(rng, false);
        switch (type(rng)) {
        case 0:
          key.set(RegValue::sz(name, random_text(rng, false)));
          break;
        case 1:
          key.set(RegValue::expand_sz(name, random_text(rng, false)));
          break;
        case 2:
          key.set(RegValue::multi_sz(name, {random_text(rng, false), random_text(rng, false)}));
          break;
        case 3:
          key.set(RegValue::dword(name, static_cast<std::uint32_t>(rng())));
          break;
        case 4:
          key.set(RegValue::binary(name, {0, 1, 0xFE, static_cast<unsigned char>(rng())}));
          break;
        default: {
          RegValue q;
          q.name = name;
          q.type = RegType::qword;
          q.raw_type = 11;
          q.number = (std::uint64_t{rng()} << 32) | rng();
          key.set(std::move(q));
          break;
        }
        }
      }
    }
    check_equal(s, read_back(s));
  }
}

TEST_CASE("this_machine() off Windows reads nothing and says why") {
#ifndef _WIN32
  auto m = this_machine();
  std::vector<std::string> unread;
  CHECK(m->system_registry(unread).key_count() == 0);
  REQUIRE(unread.size() == 1);
  CHECK(unread[0].find("not Windows") != std::string::npos);
#endif
}
