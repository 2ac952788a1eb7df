// fltsim/io/platform.hpp: the portable half (glob_match, paths as UTF-8, file URIs) by properties,
// and the platform half through what every platform must do (replace a file, decode a code page).
// The same suite runs on Linux and, under wine, on Windows (scripts/test-windows.sh).
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "fltsim/io/platform.hpp"
#include "support.hpp"

#if __has_include(<fnmatch.h>)
#include <fnmatch.h>
#define FLTSIM_HAVE_FNMATCH 1
#endif

namespace fs = std::filesystem;
using fltsim::io::glob_match;

namespace {

std::string random_string(std::mt19937 &rng, std::string_view alphabet, std::size_t max_len) {
  std::uniform_int_distribution<std::size_t> len(0, max_len);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string s(len(rng), ' ');
  for (char &c : s)
    c = alphabet[pick(rng)];
  return s;
}

// Every character quoted: the pattern that matches exactly `s`.
std::string escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    out += '\\';
    out += c;
  }
  return out;
}

} // namespace

TEST_CASE("glob_match: a quoted text matches itself and nothing else") {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const std::string s = random_string(rng, "ab*?[]!^-\\/.x", 8);
    const std::string t = random_string(rng, "ab*?[]!^-\\/.x", 8);
    CHECK_MESSAGE(glob_match(escaped(s), s), s);
    CHECK_MESSAGE(glob_match(escaped(s), t) == (s == t), s << " vs " << t);
  }
}

TEST_CASE("glob_match: '*' matches every text, '?' every one-character text") {
  std::mt19937 rng(11);
  for (int i = 0; i < 1000; ++i) {
    const std::string t = random_string(rng, "ab/.\\[]*?", 10);
    CHECK(glob_match("*", t));
    CHECK(glob_match("?", t) == (t.size() == 1));
    CHECK(glob_match("*" + escaped(t), "xyz" + t));
    CHECK(glob_match(escaped(t) + "*", t + "/more"));
  }
}

TEST_CASE("glob_match: sets, ranges and negation") {
  CHECK(glob_match("[abc].inf", "b.inf"));
  CHECK_FALSE(glob_match("[abc].inf", "d.inf"));
  CHECK(glob_match("[a-c]x", "bx"));
  CHECK(glob_match("[!a-c]x", "dx"));
  CHECK_FALSE(glob_match("[^a-c]x", "ax"));
  CHECK(glob_match("[]]", "]")); // ']' first in a set is a member
  CHECK(glob_match("[", "["));   // an unclosed '[' is an ordinary character
  CHECK(glob_match("drivers/*.inf", "drivers/sub/a.inf")); // '*' crosses '/' (no FNM_PATHNAME)
}

#ifdef FLTSIM_HAVE_FNMATCH
TEST_CASE("glob_match agrees with fnmatch(3) without flags on random patterns") {
  std::mt19937 rng(2024);
  for (int i = 0; i < 20000; ++i) {
    const std::string p = random_string(rng, "ab*?[]!-\\", 7);
    const std::string t = random_string(rng, "ab[]!-\\", 6);
    CHECK_MESSAGE(glob_match(p, t) == (::fnmatch(p.c_str(), t.c_str(), 0) == 0),
                  "pattern '" << p << "' text '" << t << "'");
  }
}
#endif

TEST_CASE("path_to_utf8 writes '/' and UTF-8, path_from_utf8 reads it back") {
  const std::string name = "dossier \xC3\xA9t\xC3\xA9/\xE4\xB8\xAD\xE6\x96\x87.inf"; // été, 中文
  const fs::path p = fltsim::io::path_from_utf8(name);
  CHECK(fltsim::io::path_to_utf8(p) == name);
  CHECK(fltsim::io::path_to_utf8(p.filename()) == "\xE4\xB8\xAD\xE6\x96\x87.inf");
  CHECK(fltsim::io::path_to_utf8(fs::path("a") / "b" / "c.inf") == "a/b/c.inf");
}

TEST_CASE("file_uri: RFC 8089 for POSIX, drive-letter and UNC paths") {
  CHECK(fltsim::io::file_uri(fltsim::io::path_from_utf8("/home/a b/x.inf")) ==
        "file:///home/a%20b/x.inf");
  CHECK(fltsim::io::file_uri(fltsim::io::path_from_utf8("C:/drivers/a.inf")) ==
        "file:///C:/drivers/a.inf");
  // A UNC path where the system has them (Windows: a root name); on Linux a leading "//" is one
  // root directory (POSIX leaves it to the system, and Linux reads it as "/").
  const auto unc = fltsim::io::path_from_utf8("//server/share/a.inf");
  CHECK(fltsim::io::file_uri(unc) ==
        (unc.has_root_name() ? "file://server/share/a.inf" : "file:///server/share/a.inf"));
  CHECK(fltsim::io::file_uri(fltsim::io::path_from_utf8("/t/\xC3\xA9.inf")) ==
        "file:///t/%C3%A9.inf");
}

TEST_CASE("replace_file_contents creates, then replaces, and leaves no temporary file") {
  fltsim::test::TempDir dir;
  const fs::path f = dir.path() / "out.txt";
  REQUIRE_FALSE(fltsim::io::replace_file_contents(f, "first\n"));
  CHECK(fltsim::test::read_file(f) == "first\n");
  REQUIRE_FALSE(fltsim::io::replace_file_contents(f, "second, longer\n"));
  CHECK(fltsim::test::read_file(f) == "second, longer\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(dir.path()))
    ++files;
  CHECK(files == 1);
  // A folder that does not exist: an error, not a crash.
  CHECK(fltsim::io::replace_file_contents(dir.path() / "no" / "such" / "x.txt", "x").has_value());
}

TEST_CASE("decode_to_utf8: UTF-16 both ways, 1252's unassigned bytes, undecodable GBK") {
  using fltsim::io::TextEncoding;
  std::string out;
  std::vector<fltsim::io::UndecodableByte> bad;
  REQUIRE(fltsim::io::decode_to_utf8(std::string("A\0\xE9\0", 4), {TextEncoding::Kind::utf16le, 0},
                                     out, bad));
  CHECK(out == "A\xC3\xA9");
  CHECK(bad.empty());
  out.clear();
  REQUIRE(fltsim::io::decode_to_utf8(std::string("\0A\xD8\x00", 4),
                                     {TextEncoding::Kind::utf16be, 0}, out, bad));
  CHECK(out == "A\xEF\xBF\xBD"); // a lone high surrogate
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].value == 0xD800);
  out.clear();
  bad.clear();
  // Windows maps 0x81 in code page 1252 to U+0081 (glibc refuses it; the POSIX side maps it).
  REQUIRE(fltsim::io::decode_to_utf8("\x80\x81", {TextEncoding::Kind::codepage, 1252}, out, bad));
  CHECK(out == "\xE2\x82\xAC\xC2\x81");
  CHECK(bad.empty());
  out.clear();
  // GBK (936): 0xD6D0 is 中; a lead byte cut by the end of the text is no character.
  REQUIRE(
      fltsim::io::decode_to_utf8("\xD6\xD0\xD6", {TextEncoding::Kind::codepage, 936}, out, bad));
  CHECK(out == "\xE4\xB8\xAD\xEF\xBF\xBD");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].value == 0xD6);
  CHECK(bad[0].out_offset == 3);
  CHECK_FALSE(fltsim::io::codepage_supported(0));
  CHECK(fltsim::io::codepage_supported(1252));
}
