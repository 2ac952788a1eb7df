// The tolerant reader's forms one quirk at a time (the corpus in tests/corpus/observed has whole
// captures): quote prefixes and their columns, localised headers without a rule, errors, filtered
// probes, NtObjectManager exports, and the FilterManager event reader.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fltsim/observed/events_reader.hpp"
#include "fltsim/observed/observed.hpp"

using namespace fltsim::observed;

namespace {
bool any_note(const ObservedStack &st, const std::string &what) {
  for (const auto &n : st.notes)
    if (n.find(what) != std::string::npos)
      return true;
  for (const auto &s : st.sections)
    for (const auto &n : s.notes)
      if (n.find(what) != std::string::npos)
        return true;
  return false;
}
} // namespace

TEST_SUITE("observed forms") {
  TEST_CASE("a quoted table reads as the bare one, and columns point into the file") {
    const std::string table = "Filter Name                     Num Instances    Altitude    Frame\n"
                              "------------------------------  -------------  ------------  -----\n"
                              "WdFilter                                5       32x010         0\n";
    std::string quoted;
    for (std::size_t b = 0, e; b < table.size(); b = e + 1) {
      e = table.find('\n', b);
      quoted += "> > " + table.substr(b, e - b) + "\n";
    }
    const auto bare = parse_observed(table, "b.txt");
    const auto q = parse_observed(quoted, "q.txt");
    REQUIRE(bare.diagnostics.size() == 1);
    REQUIRE(q.diagnostics.size() == 1);
    CHECK(q.diagnostics[0].location.line == 3);
    CHECK(q.diagnostics[0].location.column == bare.diagnostics[0].location.column + 4);
  }

  TEST_CASE("collapsed tables with localised headers and no rule") {
    for (const char *header :
         {"Filter Name Num Instances Altitude Frame",
          "Filtername Anzahl Instanzen H\xC3\xB6he Frame",
          "Nom du filtre Nb instances Altitude Cadre",
          "Nombre de filtro N\xC3\xBAm. instancias Altitud Marco",
          "\xE3\x83\x95\xE3\x82\xA3\xE3\x83\xAB\xE3\x82\xBF\xE3\x83\xBC\xE5\x90\x8D "
          "\xE3\x82\xA4\xE3\x83\xB3\xE3\x82\xB9\xE3\x82\xBF\xE3\x83\xB3\xE3\x82\xB9\xE6\x95\xB0 "
          "\xE9\xAB\x98\xE5\xBA\xA6 \xE3\x83\x95\xE3\x83\xAC\xE3\x83\xBC\xE3\x83\xA0",
          "\xED\x95\x84\xED\x84\xB0 \xEC\x9D\xB4\xEB\xA6\x84 \xEC\x9D\xB8\xEC\x8A\xA4\xED\x84\xB4"
          "\xEC\x8A\xA4 \xEC\x88\x98 \xEA\xB3\xA0\xEB\x8F\x84 \xED\x94\x84\xEB\xA0\x88\xEC\x9E\x84",
          "\xE7\xAD\x9B\xE9\x80\x89\xE5\x99\xA8\xE5\x90\x8D\xE7\xA7\xB0 \xE5\xAE\x9E\xE4\xBE\x8B"
          "\xE6\x95\xB0 \xE6\xB5\xB7\xE6\x8B\x94\xE9\xAB\x98\xE5\xBA\xA6 \xE5\xB8\xA7"}) {
      CAPTURE(header);
      const auto st = parse_observed(
          std::string(header) + "\nWdFilter 5 328010 0\nAVLegacy 389998.99\n", "c.txt");
      CHECK(st.diagnostics.empty());
      REQUIRE(st.sections.size() == 1);
      CHECK_FALSE(st.sections[0].truncated);
      REQUIRE(st.sections[0].filters.size() == 2);
      CHECK(st.sections[0].filters[0].frame == 0);
      CHECK(st.sections[0].filters[1].legacy);
      CHECK(any_note(st, "<Legacy> cell"));
    }
  }

  TEST_CASE("an error instead of rows, and a filtered probe, are partial") {
    const auto err = parse_observed("C:\\>fltmc\n\nFilterFindFirst failed with error: 0x80070005\n"
                                    "Access is denied.\n",
                                    "e.txt");
    REQUIRE_FALSE(err.diagnostics.empty());
    CHECK(err.diagnostics[0].code == "observed-partial");
    CHECK(err.diagnostics[0].location.line == 3);
    const auto probe = parse_observed("C:\\>fltmc | findstr /i wd\nWdFilter                        "
                                      "        5       328010         0\n",
                                      "p.txt");
    REQUIRE(probe.sections.size() == 1);
    CHECK(probe.sections[0].truncated);
    CHECK(any_note(probe, "findstr"));
  }

  TEST_CASE("pre-Vista layout: no Altitude column") {
    const auto st = parse_observed("Filter Name                     Num Instances  Frame\n"
                                   "------------------------------  -------------  -----\n"
                                   "MpFilter                              3              0\n",
                                   "x.txt");
    REQUIRE(st.sections.size() == 1);
    CHECK(st.sections[0].pre_vista);
    REQUIRE(st.sections[0].filters.size() == 1);
    CHECK(st.sections[0].filters[0].num_instances == 3);
    CHECK_FALSE(st.sections[0].filters[0].altitude.has_value());
  }

  TEST_CASE("NtObjectManager: CSV and JSON records, a bad one is located") {
    const auto csv = parse_observed("\"Name\",\"Altitude\",\"FrameID\",\"NumberOfInstances\","
                                    "\"MiniFilter\"\n\"WdFilter\",\"328010\",\"0\",\"5\",\"True\"\n"
                                    "\"Bad\",\"32x\",\"0\",\"1\",\"True\"\n",
                                    "n.csv");
    REQUIRE(csv.sections.size() == 1);
    CHECK(csv.sections[0].kind == ObservedKind::ntobject_filters);
    CHECK(csv.sections[0].filters.size() == 1);
    REQUIRE(csv.diagnostics.size() == 1);
    CHECK(csv.diagnostics[0].location.line == 3);
    const auto json = parse_observed("[\n  {\n    \"Name\": \"AVLegacy\",\n    \"Altitude\": "
                                     "\"389998.99\",\n    \"MiniFilter\": false\n  }\n]\n",
                                     "n.json");
    REQUIRE(json.sections.size() == 1);
    REQUIRE(json.sections[0].filters.size() == 1);
    CHECK(json.sections[0].filters[0].legacy);
    CHECK(json.sections[0].filters[0].line == 3);
    // Not an export: read as text.
    CHECK(parse_observed("[... truncated ...]\n", "t.txt").sections.empty());
  }

  TEST_CASE("events: only event 6 of FilterManager counts, a record without a name is located") {
    const std::string text =
        "Event[0]:\n  Source: Microsoft-Windows-FilterManager\n  Date: 2024-05-01T08:00:02.000\n"
        "  Event ID: 6\n  Description: \nFile System Filter 'B' (Version 10.0, x) has successfully "
        "loaded and registered with Filter Manager.\n\n"
        "Event[1]:\n  Source: Microsoft-Windows-FilterManager\n  Date: 2024-05-01T08:00:01.000\n"
        "  Event ID: 6\n  Description: \nFile System Filter 'A' (Version 10.0, x) has successfully "
        "loaded and registered with Filter Manager.\n\n"
        "Event[2]:\n  Source: Microsoft-Windows-FilterManager\n  Date: 2024-05-01T08:00:03.000\n"
        "  Event ID: 1\n  Description: \nFile System Filter 'A' (Version 10.0, x) unloaded "
        "successfully.\n\n"
        "Event[3]:\n  Source: Microsoft-Windows-FilterManager\n  Date: 2024-05-01T08:00:04.000\n"
        "  Event ID: 6\n  Description: \nno name here\n";
    const FilterEventLog log = parse_filter_events(text, "ev.txt");
    REQUIRE(log.load_order().size() == 2);
    CHECK(log.load_order()[0] == "A"); // sorted by timestamp
    CHECK(log.load_order()[1] == "B");
    REQUIRE(log.diagnostics.size() == 1);
    CHECK(log.diagnostics[0].code == "events-row");
    CHECK(log.diagnostics[0].location.line == 27);
    CHECK(parse_filter_events("hello\n", "x.txt").diagnostics.at(0).code == "events-unrecognized");
  }

  TEST_CASE("events: Get-WinEvent JSON without usable timestamps is newest first, reversed") {
    // ConvertTo-Json of Get-WinEvent: records newest first; with no TimeCreated to sort by, the
    // order printed is reversed into load order.
    const std::string text =
        "[\n"
        " {\"Id\": 6, \"ProviderName\": \"Microsoft-Windows-FilterManager\", \"Message\": "
        "\"File System Filter 'B' (Version 10.0, x) has successfully loaded and registered with "
        "Filter Manager.\"},\n"
        " {\"Id\": 6, \"ProviderName\": \"Microsoft-Windows-FilterManager\", \"Message\": "
        "\"File System Filter 'A' (Version 10.0, x) has successfully loaded and registered with "
        "Filter Manager.\"}\n"
        "]\n";
    const FilterEventLog log = parse_filter_events(text, "ev.json");
    REQUIRE(log.diagnostics.empty());
    REQUIRE(log.load_order().size() == 2);
    CHECK(log.load_order()[0] == "A");
    CHECK(log.load_order()[1] == "B");
  }

  TEST_CASE("a listing in doc comments (`///`, `//!`) reads as the bare one") {
    for (const std::string marker : {"/// ", "//! ", "//// "}) {
      CAPTURE(marker);
      const auto st = parse_observed(
          marker + "<example>\n" + marker +
              "Filter Name                     Num Instances    Altitude    Frame\n" + marker +
              "------------------------------  -------------  ------------  -----\n" + marker +
              "bindflt                                 1       409800         0\n" + marker +
              "WdFilter                                5       32x010         0\n" + marker +
              "</example>\n",
          "d.cs");
      REQUIRE(st.diagnostics.size() == 1); // the bad altitude, at its column in the file
      CHECK(st.diagnostics[0].code == "observed-altitude");
      CHECK(st.diagnostics[0].location.line == 5);
      CHECK(st.diagnostics[0].location.column == 49 + static_cast<int>(marker.size()));
      REQUIRE(st.sections.size() == 1);
      CHECK(st.sections[0].filters.size() == 2);
    }
  }

  TEST_CASE("a listing held by a source-code string literal: the delimiters are presentation") {
    const std::string rows = "Filter Name                     Num Instances    Altitude    Frame\n"
                             "------------------------------  -------------  ------------  -----\n"
                             "bindflt                                 1       409800         0\n"
                             "WdFilter                                5       328010         0\n"
                             "FileInfo                                5        40500         0";
    const std::string with_end = rows + "\n";
    struct Wrap {
      const char *name;
      std::string text;
    };
    const std::vector<Wrap> wraps{
        {"C# raw string",
         "    private const string Sortie = \"\"\"\n" + with_end + "    \"\"\";\n"},
        {"C# interpolated raw string", "var s = $\"\"\"\n" + with_end + "\"\"\";\n"},
        {"C# verbatim, closer on the last row", "string s = @\"\n" + rows + "\";\n"},
        {"C# verbatim, content on the opener line", "string s = @\"" + rows + "\n\";\n"},
        {"Python triple quotes and a call", "SAMPLE = '''\n" + with_end + "'''.strip()\n"},
        {"Python raw triple quotes in a call", "check(r\"\"\"\n" + with_end + "\"\"\")\n"},
        {"C++ raw string", "constexpr auto kText = R\"(\n" + with_end + ")\";\n"},
        {"C++ raw string with a delimiter",
         "const char *t = R\"fltmc(\n" + with_end + ")fltmc\";\n"},
        {"Rust raw string", "let s = r#\"\n" + with_end + "\"#;\n"},
        {"PowerShell here-string", "$out = @\"\n" + with_end + "\"@\n"},
        {"PowerShell literal here-string", "$out = @'\n" + with_end + "'@\n"},
        {"heredoc", "cat > fltmc.txt <<'EOF'\n" + with_end + "EOF\n"},
        {"Java text block", "String s = \"\"\"\n" + with_end + "    \"\"\";\n"},
        {"shell string", "EXPECTED=\"\n" + with_end + "\"\n"},
        {"PowerShell string, closer on the last row", "$expected = \"\n" + rows + "\"\n"},
    };
    for (const Wrap &w : wraps) {
      CAPTURE(w.name);
      const auto st = parse_observed(w.text, "s.txt");
      CHECK(st.diagnostics.empty());
      REQUIRE(st.sections.size() == 1);
      CHECK_FALSE(st.sections[0].truncated);
      REQUIRE(st.sections[0].filters.size() == 3);
      CHECK(st.sections[0].filters[2].name == "FileInfo");
      bool noted = false;
      for (const std::string &n : st.presentation)
        noted = noted || n.find("string literal") != std::string::npos;
      CHECK(noted);
    }
    // An opener nothing closes, a literal closed on its own line, quotes in prose: left alone.
    const auto open_only = parse_observed("s = \"\"\"\n" + with_end, "o.txt");
    CHECK(open_only.diagnostics.empty());
    REQUIRE(open_only.sections.size() == 1);
    CHECK(open_only.sections[0].filters.size() == 3);
    for (const std::string &n : open_only.presentation)
      CHECK(n.find("string literal") == std::string::npos);
    const auto cut = parse_observed("s = \"\"\"\n" + rows + "\nWof    \n\"\"\";\n", "c.txt");
    CHECK(cut.truncated());
  }

  TEST_CASE("a listing held one line per string literal reads as the bare listing") {
    const std::vector<std::string> rows{
        "Filter Name                     Num Instances    Altitude    Frame",
        "------------------------------  -------------  ------------  -----",
        "bindflt                                 1       409800         0",
        "WdFilter                                5       328010         0",
        "FileInfo                                5        40500         0"};
    struct Form {
      std::string name;
      std::string first, before, after, last_after;
    };
    const std::vector<Form> forms{
        {"C++ adjacent literals", "const std::string kFltmc = ", "    \"", "\\n\"", "\\n\";"},
        {"Java concatenation", "String s = ", "  \"", "\\n\" +", "\\n\";"},
        {"Python list", "LINES = [", "    \"", "\\n\",", "\\n\"]"},
        {"CRLF escapes, last line without one", "", "\"", "\\r\\n\"", "\";"},
    };
    for (const Form &f : forms) {
      CAPTURE(f.name);
      std::string text;
      for (std::size_t i = 0; i < rows.size(); ++i)
        text += (i == 0 ? f.first + "\"" : f.before) + rows[i] +
                (i + 1 == rows.size() ? f.last_after : f.after) + "\n";
      const auto st = parse_observed(text, "q.txt");
      CHECK(st.diagnostics.empty());
      REQUIRE(st.sections.size() == 1);
      CHECK_FALSE(st.sections[0].truncated);
      REQUIRE(st.sections[0].filters.size() == 3);
      CHECK(st.sections[0].filters[1].altitude->text() == "328010");
      bool noted = false;
      for (const std::string &n : st.presentation)
        noted = noted || n.find("string literal") != std::string::npos;
      CHECK(noted);
    }
    // A value that is not an altitude is reported at its column in the file.
    const auto bad = parse_observed(
        "t = \"Filter Name                     Num Instances    Altitude    Frame\\n\"\n"
        "    \"------------------------------  -------------  ------------  -----\\n\"\n"
        "    \"WdFilter                                5       32x010         0\\n\";\n",
        "b.txt");
    REQUIRE(bad.diagnostics.size() == 1);
    CHECK(bad.diagnostics[0].location.line == 3);
    CHECK(bad.diagnostics[0].location.column == 49 + 5); // after `    "`
    // One quoted sentence is no listing held in literals.
    const auto prose = parse_observed("\"Are you able to build the driver?\"\n", "p.txt");
    CHECK(prose.presentation.empty());
  }

  TEST_CASE("`fltmc filters` with columns added after Frame is not `fltmc instances`") {
    // cryptomator/cryptomator#4077: the author added a "Comment" column with its own rule segment.
    const std::string text =
        "Filter Name                     Num Instances    Altitude    Frame   Comment\n"
        "------------------------------  -------------  ------------  ----- ---------------\n"
        "bindflt                                 1       409800         0    Windows Bind Filter "
        "driver (manages binding)\n"
        "storqosflt                              0       244000         0    Storage QoS Filter "
        "Driver\n"
        "wcifs                                   1       189900         0    3rd party? no: "
        "Windows Container Isolation\n";
    const auto st = parse_observed(text, "c.txt");
    CHECK(st.diagnostics.empty());
    REQUIRE(st.sections.size() == 1);
    CHECK(st.sections[0].kind == ObservedKind::fltmc_filters);
    REQUIRE(st.sections[0].filters.size() == 3);
    CHECK(st.sections[0].filters[0].altitude->text() == "409800");
    CHECK(st.sections[0].filters[0].num_instances == 1);
    CHECK(st.sections[0].filters[1].altitude->text() == "244000");
    CHECK(st.sections[0].filters[2].altitude->text() == "189900");
    CHECK(any_note(st, "column(s) after Frame"));
    // The same columns named in the header without a rule segment of their own: the text after
    // Frame is the author's, whatever it starts with.
    std::string no_segment = text;
    const std::size_t rule_end = no_segment.find(" ---------------\n");
    REQUIRE(rule_end != std::string::npos);
    no_segment.erase(rule_end, 16);
    const auto ns = parse_observed(no_segment, "n.txt");
    CHECK(ns.diagnostics.empty());
    REQUIRE(ns.sections.size() == 1);
    REQUIRE(ns.sections[0].filters.size() == 3);
    CHECK(ns.sections[0].filters[2].altitude->text() == "189900");
    CHECK(any_note(ns, "column(s) after Frame"));
    // Added header words with a comma (which no fltmc header has): the words over the first four
    // columns decide.
    std::string comma = text;
    comma.replace(comma.find("Comment"), 7, "Notes (vendor, purpose).");
    const auto cm = parse_observed(comma, "m.txt");
    CHECK(cm.diagnostics.empty());
    REQUIRE(cm.sections.size() == 1);
    CHECK(cm.sections[0].kind == ObservedKind::fltmc_filters);
    REQUIRE(cm.sections[0].filters.size() == 3);
    CHECK(cm.sections[0].filters[0].altitude->text() == "409800");
    // The same table with its blanks collapsed and no rule: the header still names the added
    // column, and a remark may start with anything.
    const auto collapsed = parse_observed("Filter Name Num Instances Altitude Frame Comment\n"
                                          "bindflt 1 409800 0 (manages binding) since Windows 10\n"
                                          "wcifs 1 189900 0 3rd party? no\n",
                                          "k.txt");
    CHECK(collapsed.diagnostics.empty());
    REQUIRE(collapsed.sections.size() == 1);
    REQUIRE(collapsed.sections[0].filters.size() == 2);
    CHECK(collapsed.sections[0].filters[0].altitude->text() == "409800");
    CHECK(collapsed.sections[0].filters[1].num_instances == 1);
    CHECK(any_note(collapsed, "column(s) after Frame"));
    // The same table under a header in a language the reader does not know: its columns say
    // nothing, and read as `fltmc instances` the rows would put bindflt at altitude 1. Refused at
    // each value instead.
    std::string unknown = text;
    unknown.replace(
        0, unknown.find('\n'),
        "Suodatin                        Esiintymi\xC3\xA4       Korkeus     Kehys   Huomautus");
    const auto u = parse_observed(unknown, "u.txt");
    REQUIRE(u.diagnostics.size() == 3);
    CHECK(u.diagnostics[0].code == "observed-row");
    CHECK(u.diagnostics[0].location.line == 3);
    CHECK(u.diagnostics[0].location.column == 41);
    CHECK(u.diagnostics[0].message.find("columns after Frame") != std::string::npos);
    for (const auto &s : u.sections)
      CHECK(s.instances.empty());
  }

  TEST_CASE("a one-row table whose row is garbled is reported at the row") {
    // winfsp/winfsp#392: one row, then a blank line and prose; its Frame value changed to `?!`.
    const auto st =
        parse_observed("1) This is the output of \"fltmc filters\" command:\n"
                       "Filter Name                     Num Instances    Altitude    Frame\n"
                       "------------------------------  -------------  ------------  -----\n"
                       "luafv                                   1       135000         ?!\n"
                       "\n"
                       "2) And this is the analysis of the memory.dmp file:\n",
                       "g.txt");
    bool at_row = false;
    for (const auto &d : st.diagnostics)
      at_row = at_row || (d.location.line == 4 && d.code == "observed-row");
    CHECK(at_row);
  }
}
