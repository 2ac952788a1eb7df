#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/observed/observed.hpp"
#include "support.hpp"

using namespace fltsim::manifest;
using namespace fltsim::observed;
using namespace fltsim::io;

namespace {

std::filesystem::path sample_dir() {
  return fltsim::test::corpus_root() / "fltmc";
}

std::string read_sample(const std::string &prefix) {
  for (const auto &e : std::filesystem::directory_iterator(sample_dir())) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) {
      auto decoded = read_text_file(e.path());
      REQUIRE(decoded.text.has_value());
      return *decoded.text;
    }
  }
  FAIL("no corpus sample " << prefix);
  return {};
}

ObservedStack parse_sample(const std::string &prefix) {
  return parse_observed(read_sample(prefix), prefix + ".txt");
}

std::string alt(const std::optional<fltsim::sim::Altitude> &a) {
  return a ? a->text() : "-";
}

std::string describe(const ObservedFilter &f) {
  return f.name + "|" + (f.legacy ? "L" : "M") + "|" + alt(f.altitude) + "|" +
         (f.frame ? std::to_string(*f.frame) : "-") + "|" +
         (f.num_instances ? std::to_string(*f.num_instances) : "-");
}

std::string describe(const ObservedInstance &i) {
  return i.filter + "|" + i.volume + "|" + alt(i.altitude) + "|" + i.instance_name + "|" +
         (i.frame ? std::to_string(*i.frame) : (i.legacy ? "<Legacy>" : "-")) + "|" +
         i.supported_features + "|" + i.volume_status;
}

std::vector<std::string> describe_all(const ObservedStack &st) {
  std::vector<std::string> out;
  for (const auto &s : st.sections) {
    out.push_back(std::string("section ") + to_string(s.kind));
    for (const auto &f : s.filters)
      out.push_back(describe(f));
    for (const auto &i : s.instances)
      out.push_back(describe(i));
    for (const auto &f : s.frames)
      out.push_back("frame " + std::to_string(f.id) + " " + alt(f.low) + " " + alt(f.high));
  }
  return out;
}

bool has_code(const ObservedStack &st, const std::string &code) {
  return std::any_of(st.diagnostics.begin(), st.diagnostics.end(),
                     [&](const fltsim::sim::Diagnostic &d) { return d.code == code; });
}

bool notes_mention(const ObservedSection &s, const std::string &what) {
  return std::any_of(s.notes.begin(), s.notes.end(),
                     [&](const std::string &n) { return n.find(what) != std::string::npos; });
}

/// Text after the `#` comment lines of a corpus sample.
std::string body(const std::string &text) {
  std::string out;
  std::size_t pos = 0;
  bool in_header = true;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos)
      end = text.size();
    const std::string line = text.substr(pos, end - pos);
    if (!(in_header && !line.empty() && line[0] == '#')) {
      in_header = false;
      out += line + "\n";
    }
    pos = end + 1;
  }
  return out;
}

std::string replace_all(std::string s, const std::string &from, const std::string &to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

/// Runs of blanks collapsed to one, as some web pages and chat tools paste tables.
std::string collapse_spaces(const std::string &s) {
  std::string out;
  for (char c : s)
    if (!(c == ' ' && !out.empty() && out.back() == ' '))
      out += c;
  return out;
}

std::string to_utf16le_with_bom(const std::string &utf8) {
  std::string out = "\xFF\xFE";
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    unsigned cp = c;
    std::size_t n = 1;
    if (c >= 0xF0) {
      cp = c & 0x07u;
      n = 4;
    } else if (c >= 0xE0) {
      cp = c & 0x0Fu;
      n = 3;
    } else if (c >= 0xC0) {
      cp = c & 0x1Fu;
      n = 2;
    }
    for (std::size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
    i += n;
    REQUIRE(cp < 0x10000u);
    out += static_cast<char>(cp & 0xFFu);
    out += static_cast<char>(cp >> 8);
  }
  return out;
}

const std::string filters_header =
    "Filter Name                     Num Instances    Altitude    Frame\n"
    "------------------------------  -------------  ------------  -----\n";
const std::string instances_header =
    "Filter                Volume Name                              Altitude        Instance Name  "
    " "
    "    Frame   SprtFtrs  VlStatus\n"
    "--------------------  -------------------------------------  ------------  ------------------"
    "----  -----   --------  --------\n";

} // namespace

TEST_SUITE("observed") {
  TEST_CASE("every corpus sample parses without diagnostics") {
    int files = 0;
    for (const auto &e : std::filesystem::directory_iterator(sample_dir())) {
      if (e.path().extension() != ".txt")
        continue;
      ++files;
      CAPTURE(e.path().filename().string());
      auto decoded = read_text_file(e.path());
      REQUIRE(decoded.text.has_value());
      const auto st = parse_observed(*decoded.text, e.path().filename().string());
      CHECK(st.diagnostics.empty());
      CHECK_FALSE(st.sections.empty());
      for (const auto &s : st.sections)
        CHECK(s.filters.size() + s.instances.size() + s.frames.size() + (s.truncated ? 1 : 0) > 0);
    }
    CHECK(files >= 12);
  }

  TEST_CASE("01: two legacy rows with altitudes, then three minifilters in frame 0") {
    const auto st = parse_sample("01-");
    REQUIRE(st.sections.size() == 1);
    const auto &s = st.sections[0];
    CHECK(s.kind == ObservedKind::fltmc_filters);
    CHECK_FALSE(s.truncated);
    REQUIRE(s.filters.size() == 5);
    CHECK(describe(s.filters[0]) == "AVLegacy|L|389998.99|-|-");
    CHECK(describe(s.filters[1]) == "EncryptionLegacy|L|149998.99|-|-");
    CHECK(describe(s.filters[2]) == "AVMiniFilter|M|328000|0|3");
    CHECK(describe(s.filters[3]) == "luafv|M|135000|0|1");
    CHECK(describe(s.filters[4]) == "FileInfo|M|45000|0|13");
    CHECK(s.filters[0].line == 12);
    CHECK(s.filters[0].altitude == fltsim::sim::Altitude::from_literal("389998.99"));
    CHECK(st.find(ObservedKind::fltmc_filters) == &s);
    CHECK(st.find(ObservedKind::fltmc_instances) == nullptr);
  }

  TEST_CASE("02: documentation copy, rule with two blanks before Frame") {
    const auto st = parse_sample("02-");
    REQUIRE(st.sections.size() == 1);
    REQUIRE(st.sections[0].filters.size() == 3);
    CHECK(describe(st.sections[0].filters[2]) == "AVMiniFilter|M|328000|0|3");
    CHECK(st.sections[0].filters[0].legacy);
  }

  TEST_CASE("07: !fltkd.frames, one frame 0 to 409800, filters in descending altitude") {
    const auto st = parse_sample("07-");
    REQUIRE(st.sections.size() == 1);
    const auto &s = st.sections[0];
    CHECK(s.kind == ObservedKind::fltkd_frames);
    CHECK_FALSE(s.truncated);
    REQUIRE(s.frames.size() == 1);
    const auto &f = s.frames[0];
    CHECK(f.id == 0);
    CHECK(alt(f.low) == "0");
    CHECK(alt(f.high) == "409800");
    REQUIRE(f.filters.size() == 11);
    CHECK(f.filters.front().name == "bindflt");
    CHECK(f.filters.back().name == "FileInfo");
    for (std::size_t i = 1; i < f.filters.size(); ++i)
      CHECK(*f.filters[i - 1].altitude > *f.filters[i].altitude);
    // Registered filters without instances are listed with 0 instances.
    for (const char *name : {"storqosflt", "wcifs", "CldFlt", "FileCrypt"}) {
      auto it = std::find_if(f.filters.begin(), f.filters.end(),
                             [&](const ObservedFilter &x) { return x.name == name; });
      REQUIRE(it != f.filters.end());
      CHECK(it->num_instances == 0);
    }
    CHECK(f.filters[1].name == "WdFilter");
    CHECK(f.filters[1].num_instances == 4);
    CHECK(s.filters.size() == 11);
    REQUIRE(s.instances.size() == 17);
    CHECK(describe(s.instances[0]) == "bindflt||409800|bindflt Instance|0||");
    const auto demo = std::count_if(s.instances.begin(), s.instances.end(), [](const auto &i) {
      return i.filter == "DemoMinifilter" && i.instance_name == "AltitudeAndFlags";
    });
    CHECK(demo == 4);
  }

  TEST_CASE("08: a legacy row with an empty altitude printed first") {
    const auto st = parse_sample("08-");
    REQUIRE(st.sections.size() == 1);
    const auto &fs = st.sections[0].filters;
    REQUIRE(fs.size() == 12);
    CHECK(describe(fs[0]) == "cbfsconnect2017|L|-|-|-");
    CHECK(std::count_if(fs.begin(), fs.end(), [](const auto &f) { return f.legacy; }) == 1);
    CHECK(std::all_of(fs.begin() + 1, fs.end(), [](const auto &f) { return f.frame == 0; }));
    CHECK(describe(fs[2]) == "CSAgent|M|321410|0|9");
    CHECK(describe(fs[11]) == "FileInfo|M|40500|0|7");
  }

  TEST_CASE("09: fractional altitude UCPD 385250.5") {
    const auto st = parse_sample("09-");
    REQUIRE(st.sections.size() == 1);
    const auto &fs = st.sections[0].filters;
    REQUIRE(fs.size() == 13);
    CHECK(describe(fs[1]) == "UCPD|M|385250.5|0|9");
    CHECK(describe(fs[6]) == "bfs|M|150000|0|11");
    for (std::size_t i = 1; i < fs.size(); ++i)
      CHECK(*fs[i - 1].altitude > *fs[i].altitude);
  }

  TEST_CASE("10: one new minifilter at 370030") {
    const auto st = parse_sample("10-");
    REQUIRE(st.sections.size() == 1);
    const auto &fs = st.sections[0].filters;
    REQUIRE(fs.size() == 12);
    CHECK(describe(fs[2]) == "Minifilter-Driver|M|370030|0|4");
  }

  TEST_CASE("11: filters then a wrapped, truncated instances table") {
    const auto st = parse_sample("11-");
    REQUIRE(st.sections.size() == 2);
    const auto &f = st.sections[0];
    CHECK(f.kind == ObservedKind::fltmc_filters);
    CHECK_FALSE(f.truncated);
    REQUIRE(f.filters.size() == 5);
    CHECK(describe(f.filters[3]) == "FileInfo|M|45000|0|17");
    CHECK(describe(f.filters[4]) == "Wof|M|40700|0|0");
    const auto &i = st.sections[1];
    CHECK(i.kind == ObservedKind::fltmc_instances);
    CHECK(i.truncated);
    CHECK(st.truncated());
    CHECK(notes_mention(i, "wrapped at 120 columns"));
    CHECK(notes_mention(i, "line 23: the last row is cut off"));
    REQUIRE(i.instances.size() == 3);
    CHECK(describe(i.instances[0]) == "FileInfo|D:|45000|FileInfo|0|00000003|");
    CHECK(i.instances[2].volume == "J:");
  }

  TEST_CASE("12: fltmc + fltmc instances, instances cut after the first row's start") {
    const auto st = parse_sample("12-");
    REQUIRE(st.sections.size() == 2);
    CHECK(st.sections[0].filters.size() == 11);
    CHECK(describe(st.sections[0].filters[1]) == "FsDepends|M|407000|0|14");
    CHECK_FALSE(st.sections[0].truncated);
    CHECK(st.sections[1].kind == ObservedKind::fltmc_instances);
    CHECK(st.sections[1].instances.empty());
    CHECK(st.sections[1].truncated);
  }

  TEST_CASE("13: header-less fragments, legacy Detached rows, folder-path and empty volumes") {
    const auto st = parse_sample("13-");
    REQUIRE(st.sections.size() == 1);
    const auto &s = st.sections[0];
    CHECK(s.kind == ObservedKind::fltmc_instances);
    CHECK(s.truncated);
    CHECK(notes_mention(s, "without a column header"));
    CHECK(notes_mention(s, "[... gap ...]"));
    CHECK(notes_mention(s, "[... truncated ...]"));
    REQUIRE(s.instances.size() == 21);
    for (std::size_t k = 0; k < 10; ++k) {
      CAPTURE(k);
      const auto &in = s.instances[k];
      CHECK(in.filter == "cbfsconnect2017");
      CHECK(in.legacy);
      CHECK_FALSE(in.altitude.has_value());
      CHECK(in.instance_name.empty());
      CHECK_FALSE(in.frame.has_value());
      CHECK(in.supported_features == "00000000");
      CHECK(in.volume_status == "Detached");
      CHECK(in.volume.rfind("\\Volume{", 0) == 0);
    }
    CHECK(
        describe(s.instances[10]) ==
        "cbfsfilter2017|C:\\Program Files\\Epic Games\\UE_5.0|380850|CbFltMini-380850|0|00000007|");
    // The volume name overflows its column and shifts the rest of the row.
    CHECK(describe(s.instances[13]) == "cbfsfilter2017|\\Device\\Volume{d6cc17c5-1734-4085-bce7-"
                                       "964f1e9f5de9}|380850|CbFltMini-380850|0|00000007|");
    CHECK(describe(s.instances[17]) == "gameflt||189850|gameflt Instance|0|0000000b|");
    CHECK(describe(s.instances[19]) ==
          "gameflt|C:\\UnrealEngine\\5.0|189850|gameflt Instance|0|0000000b|");
  }

  TEST_CASE("14: FileInfo 45000 with Detached rows") {
    const auto st = parse_sample("14-");
    REQUIRE(st.sections.size() == 1);
    const auto &s = st.sections[0];
    CHECK_FALSE(s.truncated);
    REQUIRE(s.instances.size() == 4);
    CHECK(describe(s.instances[0]) ==
          "FileInfo|\\Device\\HarddiskVolume12|45000|FileInfo|0|00000003|Detached");
    CHECK(describe(s.instances[3]) == "FileInfo|G:|45000|FileInfo|0|00000003|");
  }

  TEST_CASE("15: German headers, six rule columns, SprtFtrs under 'Volumestatus'") {
    const auto st = parse_sample("15-");
    REQUIRE(st.sections.size() == 1);
    const auto &s = st.sections[0];
    CHECK(s.kind == ObservedKind::fltmc_instances);
    CHECK(s.truncated);
    REQUIRE(s.instances.size() == 7);
    CHECK(describe(s.instances[0]) == "CldFlt|C:|180451|CldFlt|0|00000007|");
    CHECK(describe(s.instances[2]) == "FileInfo||40500|FileInfo|0|00000007|");
    CHECK(describe(s.instances[6]) == "FileInfo|\\Device\\Mup|40500|FileInfo|0|00000007|");
  }

  TEST_CASE("16: CSAgent instances, empty volume names, truncated mid-word") {
    const auto st = parse_sample("16-");
    REQUIRE(st.sections.size() == 1);
    const auto &s = st.sections[0];
    CHECK(s.truncated);
    REQUIRE(s.instances.size() == 6);
    CHECK(describe(s.instances[0]) == "CSAgent||321410|CSAgent Instance|0|0000000f|");
    CHECK(s.instances[4].volume == "\\Device\\Mailslot");
    CHECK(notes_mention(s, "CSAgent Inst\""));
  }

  TEST_CASE("CRLF and CR CR LF line ends give the same result") {
    for (const char *prefix : {"01-", "07-", "11-", "13-", "15-"}) {
      CAPTURE(prefix);
      const std::string text = read_sample(prefix);
      const auto lf = parse_observed(text, "x");
      const auto crlf = parse_observed(replace_all(text, "\n", "\r\n"), "x");
      CHECK(describe_all(lf) == describe_all(crlf));
      CHECK(crlf.diagnostics.empty());
      CHECK(lf.truncated() == crlf.truncated());
      const auto crcrlf = parse_observed(replace_all(text, "\n", "\r\r\n"), "x");
      CHECK(describe_all(lf) == describe_all(crcrlf));
      CHECK(crcrlf.diagnostics.empty());
    }
  }

  TEST_CASE("UTF-16LE with BOM goes through decode_text") {
    for (const char *prefix : {"09-", "15-"}) {
      CAPTURE(prefix);
      const std::string text = read_sample(prefix);
      const auto utf16 = to_utf16le_with_bom(replace_all(text, "\n", "\r\n"));
      const auto decoded = decode_text(utf16, "fltmc.txt");
      REQUIRE(decoded.text.has_value());
      const auto st = parse_observed(*decoded.text, "fltmc.txt");
      CHECK(st.diagnostics.empty());
      CHECK(describe_all(st) == describe_all(parse_observed(text, "x")));
    }
  }

  TEST_CASE("collapsed spaces: rows are read from their values") {
    for (const char *prefix : {"01-", "08-", "09-", "14-", "16-"}) {
      CAPTURE(prefix);
      const std::string text = read_sample(prefix);
      const auto st = parse_observed(collapse_spaces(text), "pasted.txt");
      CHECK(st.diagnostics.empty());
      CHECK(describe_all(st) == describe_all(parse_observed(text, "x")));
    }
    const auto st = parse_observed("Filter Name Num Instances Altitude Frame\n"
                                   "----- ----- ----- -----\n"
                                   "AVLegacy 389998.99 <Legacy>\n"
                                   "NoAltLegacy <Legacy>\n"
                                   "FileInfo 13 45000 0\n",
                                   "x");
    REQUIRE(st.sections.size() == 1);
    REQUIRE(st.sections[0].filters.size() == 3);
    CHECK(describe(st.sections[0].filters[0]) == "AVLegacy|L|389998.99|-|-");
    CHECK(describe(st.sections[0].filters[1]) == "NoAltLegacy|L|-|-|-");
    CHECK(describe(st.sections[0].filters[2]) == "FileInfo|M|45000|0|13");
  }

  TEST_CASE("columns come from the rule, not from header words") {
    // Localized / missing header words, and other column widths.
    const std::string text = "Nom                  Anzahl  Hoehe        Rahmen\n"
                             "-------------------  ------  -----------  ------\n"
                             "bindflt                   1       409800       0\n"
                             "UCPD                      9     385250.5       0\n"
                             "Legacy1                          149998.99  <Legacy>\n";
    const auto st = parse_observed(text, "x");
    CHECK(st.diagnostics.empty());
    REQUIRE(st.sections.size() == 1);
    REQUIRE(st.sections[0].filters.size() == 3);
    CHECK(describe(st.sections[0].filters[1]) == "UCPD|M|385250.5|0|9");
    CHECK(describe(st.sections[0].filters[2]) == "Legacy1|L|149998.99|-|-");

    // A header with one column unlabelled: same result as the labelled one.
    const std::string sample = read_sample("14-");
    const auto labelled = parse_observed(sample, "x");
    const auto unlabelled = parse_observed(replace_all(sample, "SprtFtrs", "        "), "x");
    CHECK(describe_all(labelled) == describe_all(unlabelled));
    // Header line missing entirely.
    const std::size_t header = sample.find("\nFilter ") + 1;
    const auto no_header = parse_observed(
        sample.substr(0, header) + sample.substr(sample.find('\n', header) + 1), "x");
    CHECK(describe_all(labelled) == describe_all(no_header));
  }

  TEST_CASE("instances table: overflowing volume names and misaligned legacy rows") {
    const std::string text =
        instances_header +
        "cbfsconnect2017       \\Volume{cf9c619b-793b-11ed-b65f-d8bbc1ccb097}                     "
        "                  <Legacy> 00000000  Detached\n"
        "cbfsfilter2017        \\Device\\Volume{d6cc17c5-1734-4085-bce7-964f1e9f5de9}     380850 "
        "    CbFltMini-380850          0     00000007\n"
        "gameflt               C:\\Program Files\\Epic Games\\UE_5.1        189850     gameflt "
        "Instance          0     0000000b\n";
    const auto st = parse_observed(text, "x");
    CHECK(st.diagnostics.empty());
    REQUIRE(st.sections.size() == 1);
    const auto &in = st.sections[0].instances;
    REQUIRE(in.size() == 3);
    CHECK(describe(in[0]) ==
          "cbfsconnect2017|\\Volume{cf9c619b-793b-11ed-b65f-d8bbc1ccb097}|-||<Legacy>|00000000|"
          "Detached");
    CHECK(describe(in[1]) == "cbfsfilter2017|\\Device\\Volume{d6cc17c5-1734-4085-bce7-"
                             "964f1e9f5de9}|380850|CbFltMini-380850|0|00000007|");
    CHECK(describe(in[2]) ==
          "gameflt|C:\\Program Files\\Epic Games\\UE_5.1|189850|gameflt Instance|0|0000000b|");
  }

  TEST_CASE("a row wrapped onto the next line is joined and noted") {
    const std::string row = "FileInfo              C:                                         "
                            "40500     FileInfo                  0     00000003  Detached";
    const std::string wrapped = row.substr(0, 80) + "\n" + row.substr(80) + "\n";
    const auto st =
        parse_observed(instances_header + wrapped +
                           "FileInfo              D:                                  "
                           "       40500     FileInfo                  0     00000003\n",
                       "x");
    CHECK(st.diagnostics.empty());
    REQUIRE(st.sections.size() == 1);
    const auto &s = st.sections[0];
    REQUIRE(s.instances.size() == 2);
    CHECK(describe(s.instances[0]) == "FileInfo|C:|40500|FileInfo|0|00000003|Detached");
    CHECK(describe(s.instances[1]) == "FileInfo|D:|40500|FileInfo|0|00000003|");
    CHECK(notes_mention(s, "continues on line 4"));
  }

  TEST_CASE("a table cut anywhere inside a row is reported, never misread") {
    for (const char *prefix : {"09-", "14-"}) {
      const std::string text = body(read_sample(prefix));
      const auto full = describe_all(parse_observed(text, "x"));
      // Where each row line starts and where its last value starts.
      std::size_t first_row = text.find("-\n");
      first_row = text.find('\n', first_row) + 1;
      for (std::size_t cut = first_row; cut < text.size(); ++cut) {
        const std::size_t line_start = text.rfind('\n', cut - 1) + 1;
        const std::size_t line_end = text.find('\n', line_start);
        const std::string line = text.substr(line_start, line_end - line_start);
        // Start of the last required value (VlStatus is optional: a cut just before it leaves
        // a complete row).
        std::string required = line;
        if (required.size() >= 8 && required.compare(required.size() - 8, 8, "Detached") == 0)
          required.erase(required.find_last_not_of(' ', required.size() - 9) + 1);
        const std::size_t last_value = line_start + required.find_last_of(' ') + 1;
        CAPTURE(prefix);
        CAPTURE(cut);
        const auto st = parse_observed(text.substr(0, cut), "cut.txt");
        CHECK(st.diagnostics.empty());
        const auto got = describe_all(st);
        REQUIRE(got.size() <= full.size());
        // Every row read is a row of the complete listing... (a cut inside a row's last value,
        // e.g. "Detached" -> "Deta", cannot be told from a complete row: that row is not compared)
        const std::size_t compare = cut > last_value ? got.size() - 1 : got.size();
        CHECK(std::equal(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(compare),
                         full.begin()));
        // ...and a cut before a row's last value is reported.
        if (cut > line_start && cut <= last_value)
          CHECK(st.truncated());
        if (cut == line_start && cut != first_row)
          CHECK_FALSE(st.truncated());
      }
    }
  }

  TEST_CASE("markers set truncated and add a note") {
    const auto st =
        parse_observed(filters_header + "bindflt                                 1       409800    "
                                        "     0\n"
                                        "[... gap ...]\n"
                                        "FileInfo                                9        40500    "
                                        "     0\n",
                       "x");
    REQUIRE(st.sections.size() == 1);
    CHECK(st.sections[0].filters.size() == 2);
    CHECK(st.sections[0].truncated);
    CHECK(notes_mention(st.sections[0], "line 4: \"[... gap ...]\": rows are missing here"));

    const auto before = parse_observed(
        "[... truncated ...]\n" + filters_header + "FileInfo   9   40500   0\n", "x");
    REQUIRE(before.sections.size() == 1);
    CHECK(before.sections[0].truncated);
    CHECK(before.sections[0].filters.size() == 1);
  }

  TEST_CASE("bad altitude text gives file:line:col") {
    const auto st = parse_observed("C:\\>fltmc\n\n" + filters_header +
                                       "AVMiniFilter                           3        3280x0     "
                                       "    0\n"
                                       "luafv                                  1        135000     "
                                       "    0\n",
                                   "obs.txt");
    REQUIRE(st.diagnostics.size() == 1);
    const auto &d = st.diagnostics[0];
    CHECK(d.code == "observed-altitude");
    CHECK(d.location.file == "obs.txt");
    CHECK(d.location.line == 5);
    CHECK(d.location.column == 49);
    CHECK(fltsim::sim::format_diagnostic(d).rfind("obs.txt:5:49:", 0) == 0);
    REQUIRE(st.sections.size() == 1);
    REQUIRE(st.sections[0].filters.size() == 2);
    CHECK_FALSE(st.sections[0].filters[0].altitude.has_value());
    CHECK(st.sections[0].filters[0].name == "AVMiniFilter");
  }

  TEST_CASE("a malformed row inside a table is a diagnostic, the rest is read") {
    const auto st =
        parse_observed(filters_header + "bindflt                                 1       409800    "
                                        "     0\n"
                                        "WdFilter                                x       328010    "
                                        "     0\n"
                                        "FileInfo                                9        40500    "
                                        "     0\n",
                       "x");
    REQUIRE(st.diagnostics.size() == 1);
    CHECK(st.diagnostics[0].code == "observed-row");
    CHECK(st.diagnostics[0].location.line == 4);
    REQUIRE(st.sections.size() == 1);
    CHECK(st.sections[0].filters.size() == 2);
  }

  TEST_CASE("text without a listing is observed-unrecognized, with a location") {
    for (const std::string &text :
         {std::string(""), std::string("# only a comment\n"),
          std::string("\n\nhello world\nthis is not fltmc output\n"),
          std::string("Dos Name  Volume Name\n--------  -----------\nC:  \\Device\\X\n")}) {
      CAPTURE(text);
      const auto st = parse_observed(text, "in.txt");
      CHECK(st.sections.empty());
      REQUIRE_FALSE(st.diagnostics.empty());
      CHECK(st.diagnostics[0].code == "observed-unrecognized");
      CHECK(st.diagnostics[0].location.file == "in.txt");
    }
    // Prose that happens to have four words ending in numbers is not a header-less table.
    const auto prose = parse_observed("Version 1 2 3\nStep 2 <Legacy>\n", "in.txt");
    CHECK(prose.sections.empty());
    // Aligned header-less rows are read (fragments of a listing).
    const auto fragment = parse_observed("bindflt                                 1       409800"
                                         "         0\n"
                                         "cbfsconnect2017                                     "
                                         "        <Legacy>\n",
                                         "in.txt");
    REQUIRE(fragment.sections.size() == 1);
    CHECK(fragment.sections[0].filters.size() == 2);
    CHECK(notes_mention(fragment.sections[0], "without a column header"));
    const auto st = parse_observed("\n\nhello world\n", "in.txt");
    CHECK(st.diagnostics[0].location.line == 3);
    // fltmc volumes has four columns like fltmc filters, but no row fits.
    const auto volumes =
        parse_observed("Dos Name                        Volume Name                "
                       "      FileSystem   Status\n"
                       "------------------------------  "
                       "---------------------------------------  ----------  "
                       "--------\n"
                       "C:                              \\Device\\HarddiskVolume3  "
                       "               NTFS\n",
                       "v.txt");
    REQUIRE(volumes.sections.size() == 1);
    CHECK(volumes.sections[0].kind == ObservedKind::fltmc_volumes);
    REQUIRE(volumes.sections[0].volumes.size() == 1);
    CHECK(volumes.sections[0].volumes[0].dos_name == "C:");
    CHECK(volumes.sections[0].volumes[0].volume == "\\Device\\HarddiskVolume3");
    CHECK(volumes.sections[0].volumes[0].file_system == "NTFS");
    CHECK(volumes.diagnostics.empty());
  }

  TEST_CASE("!fltkd.frames with two frames, !fltkd.filters with Filter List headers") {
    const auto st = parse_observed(
        "0: kd> !fltkd.frames\n\n"
        "Frame List: fffff80000001000\n"
        "   FLTP_FRAME: ffff800000002000 \"Frame 1\" \"149998.99 to 329998.99\"\n"
        "      FLT_FILTER: ffff800000003000 \"AVMiniFilter\" \"328000\"\n"
        "         FLT_INSTANCE: ffff800000004000 \"AVMiniFilter Instance\" \"328000\"\n"
        "      FLT_FILTER: ffff800000005000 \"NullFilter\" \"160030\"\n"
        "   FLTP_FRAME: ffff800000006000 \"Frame 0\" \"0 to 149998.99\"\n"
        "      FLT_FILTER: ffff800000007000 \"luafv\" \"135000\"\n"
        "         FLT_INSTANCE: ffff800000008000 \"luafv\" \"135000\"\n"
        "\n0: kd> !fltkd.filters\n\n"
        "Filter List: ffff800000009000 \"Frame 1\" \n"
        "   FLT_FILTER: ffff800000003000 \"AVMiniFilter\" \"328000\"\n"
        "Filter List: ffff80000000a000 \"Frame 0\" \n"
        "   FLT_FILTER: ffff800000007000 \"luafv\" \"135000\"\n"
        "      FLT_INSTANCE: ffff800000008000 \"luafv\" \"135000\"\n",
        "kd.txt");
    CHECK(st.diagnostics.empty());
    REQUIRE(st.sections.size() == 2);
    const auto &frames = st.sections[0];
    CHECK(frames.kind == ObservedKind::fltkd_frames);
    REQUIRE(frames.frames.size() == 2);
    CHECK(frames.frames[0].id == 1);
    CHECK(alt(frames.frames[0].low) == "149998.99");
    CHECK(alt(frames.frames[0].high) == "329998.99");
    REQUIRE(frames.frames[0].filters.size() == 2);
    CHECK(describe(frames.frames[0].filters[0]) == "AVMiniFilter|M|328000|1|1");
    CHECK(describe(frames.frames[0].filters[1]) == "NullFilter|M|160030|1|0");
    CHECK(describe(frames.frames[1].filters[0]) == "luafv|M|135000|0|1");
    CHECK(frames.filters.size() == 3);
    REQUIRE(frames.instances.size() == 2);
    CHECK(describe(frames.instances[1]) == "luafv||135000|luafv|0||");

    const auto &filters = st.sections[1];
    CHECK(filters.kind == ObservedKind::fltkd_filters);
    REQUIRE(filters.frames.size() == 2);
    CHECK(filters.frames[0].id == 1);
    CHECK_FALSE(filters.frames[0].low.has_value());
    REQUIRE(filters.filters.size() == 2);
    CHECK(describe(filters.filters[0]) == "AVMiniFilter|M|328000|1|0");
    CHECK(describe(filters.filters[1]) == "luafv|M|135000|0|1");
    CHECK(to_string(filters.kind) == std::string("!fltkd.filters"));
  }

  TEST_CASE("!fltkd output cut mid-line is truncated, a bad range is diagnosed") {
    const auto cut = parse_observed("Frame List: fffff80000001000\n"
                                    "   FLTP_FRAME: ffff800000002000 \"Frame 0\" \"0 to 409800\"\n"
                                    "      FLT_FILTER: ffff800000003000 \"bindflt\" \"4098",
                                    "kd.txt");
    CHECK(cut.diagnostics.empty());
    REQUIRE(cut.sections.size() == 1);
    CHECK(cut.sections[0].truncated);
    CHECK(cut.sections[0].filters.empty());

    const auto bad =
        parse_observed("   FLTP_FRAME: ffff800000002000 \"Frame 0\" \"0 until 409800\"\n"
                       "      FLT_FILTER: ffff800000003000 \"bindflt\" \"409800\"\n",
                       "kd.txt");
    REQUIRE(bad.diagnostics.size() == 1);
    CHECK(bad.diagnostics[0].code == "observed-altitude");
    CHECK(bad.diagnostics[0].location.line == 1);
    REQUIRE(bad.sections.size() == 1);
    CHECK(bad.sections[0].frames.size() == 1);
    CHECK(bad.sections[0].filters.size() == 1);
  }

  TEST_CASE("never crashes or hangs on garbage and mutated samples") {
    std::mt19937 rng(12345);
    std::vector<std::string> samples;
    for (const auto &e : std::filesystem::directory_iterator(sample_dir()))
      if (e.path().extension() == ".txt")
        samples.push_back(*read_text_file(e.path()).text);
    const std::string alphabet = " -\t\n\r\"<>[].:\\0123456789abcdefLegacyFrame#";
    auto check = [](const std::string &text) {
      const auto st = parse_observed(text, "fuzz");
      if (st.sections.empty())
        CHECK(has_code(st, "observed-unrecognized"));
      CHECK(st.diagnostics.size() <= 101);
      for (const auto &d : st.diagnostics)
        CHECK_FALSE(d.code.empty());
    };
    for (int round = 0; round < 400; ++round) {
      std::string text;
      const int kind = round % 4;
      if (kind == 0) { // random bytes
        const auto n = static_cast<std::size_t>(rng() % 400);
        for (std::size_t k = 0; k < n; ++k)
          text += static_cast<char>(rng() % 256);
      } else if (kind == 1) { // random text from fltmc-ish characters
        const auto n = static_cast<std::size_t>(rng() % 800);
        for (std::size_t k = 0; k < n; ++k)
          text += alphabet[rng() % alphabet.size()];
      } else { // mutated samples: byte edits, spliced pieces
        text = samples[rng() % samples.size()];
        const int edits = 1 + static_cast<int>(rng() % 20);
        for (int e = 0; e < edits && !text.empty(); ++e) {
          const std::size_t at = rng() % text.size();
          switch (rng() % 4) {
          case 0:
            text[at] = alphabet[rng() % alphabet.size()];
            break;
          case 1:
            text.erase(at, rng() % 40);
            break;
          case 2:
            text.insert(at, samples[rng() % samples.size()].substr(0, rng() % 300));
            break;
          default:
            text.insert(at, std::string(rng() % 200, ' '));
            break;
          }
        }
      }
      check(text);
    }
    // Large inputs stay linear: a huge rule line, a huge row, many rows.
    check(std::string(200000, '-') + " " + std::string(200000, '-') + " --- ---\nx 1 2 0\n");
    check(filters_header + "x " + std::string(300000, '1') + " 2 0\n");
    std::string many = filters_header;
    for (int k = 0; k < 20000; ++k)
      many += "Filter" + std::to_string(k) + "   1   " + std::to_string(100000 + k) + "   0\n";
    const auto st = parse_observed(many, "many");
    REQUIRE(st.sections.size() == 1);
    CHECK(st.sections[0].filters.size() == 20000);
    std::string rules;
    for (int k = 0; k < 5000; ++k)
      rules += "-- -- -- -- -- -- -- -- -- --\n\n";
    check(rules);
  }

  TEST_CASE("import: two filters listed at one altitude do not reproduce (A4), and say why") {
    // A listing edited by hand (a training page lists parity and WdFilter at 328010): Filter
    // Manager refuses the second instance at a taken altitude on each volume, so the imported
    // scenario attaches WdFilter to fewer volumes than the listing shows.
    const std::string text = "Filter Name                     Num Instances    Altitude    Frame\n"
                             "------------------------------  -------------  ------------  -----\n"
                             "parity                                      3    328010         0\n"
                             "luafv                                       1    135000         0\n"
                             "WdFilter                                   12    328010         0\n";
    const ImportResult res = import_observed(parse_observed(text, "dup.txt"), "dup.txt");
    REQUIRE(res.scenario.has_value());
    CHECK_FALSE(res.reproduces);
    REQUIRE(res.mismatches.size() == 1);
    CHECK(res.mismatches[0].find("parity and WdFilter are both listed at altitude 328010") !=
          std::string::npos);
    CHECK(res.mismatches[0].find("(A4)") != std::string::npos);
    // One filter per altitude: reproduces (the control).
    const ImportResult one = import_observed(
        parse_observed(text.substr(0, text.rfind("WdFilter")), "one.txt"), "one.txt");
    CHECK(one.reproduces);
  }

  TEST_CASE("a listing behind `#` comment markers: the error points at its header") {
    const std::string text = "```powershell\n"
                             "# List the minifilters:\n"
                             "fltmc.exe\n"
                             "\n"
                             "# Filter Name           Num Instances  Altitude    Frame\n"
                             "# -----------           -------------  --------    -----\n"
                             "# WdFilter                   6          328010      0\n"
                             "```\n";
    const ObservedStack st = parse_observed(text, "hash.md");
    CHECK(st.sections.empty());
    REQUIRE(st.diagnostics.size() == 1);
    CHECK(st.diagnostics[0].code == "observed-unrecognized");
    CHECK(st.diagnostics[0].location.line == 5);
    CHECK(st.diagnostics[0].message.find("behind `#`") != std::string::npos);
  }

  TEST_CASE("the owner a listing names says when the altitude is not the allocated one") {
    // The allocated list gives WdFilter 328010 (data/allocated-altitudes.csv).
    CHECK(filter_owner("WdFilter", fltsim::sim::Altitude::parse("328010")) ==
          "Microsoft, FSFilter Anti-Virus");
    CHECK(filter_owner("WdFilter", fltsim::sim::Altitude::parse("265000")) ==
          "Microsoft, FSFilter Anti-Virus (the list allocates WdFilter 328010, not 265000)");
    CHECK(filter_owner("NoSuchFilterAnywhere", fltsim::sim::Altitude::parse("265000")).empty());
  }
}
