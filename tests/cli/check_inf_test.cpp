// `fltsim check` on the corpus INF files (tests/corpus/inf): every INF loads, the samples give the
// altitude, group and start type of summary.csv, and the odd ones give the findings
// tests/corpus/README.md describes. Also `--base`: a manifest checked against a fleet.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "cli/check_support.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/sim/groups.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace fltsim;
using test::corpus_infs;
using test::run_fltsim;

namespace {

std::vector<std::string> split(const std::string &s, const std::string &sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t at = s.find(sep, pos);
    out.push_back(s.substr(pos, at == std::string::npos ? std::string::npos : at - pos));
    if (at == std::string::npos)
      return out;
    pos = at + sep.size();
  }
}

struct SummaryRow {
  std::string file, service, group, default_instance, instances;
  int start = -1;
};

std::vector<SummaryRow> summary_rows() {
  std::ifstream in(corpus_infs() / "summary.csv");
  std::string line;
  std::getline(in, line); // header
  std::vector<SummaryRow> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    const auto f = split(line, ",");
    REQUIRE(f.size() == 10);
    rows.push_back({f[0], f[2], f[6], f[8], f[9], std::stoi(f[5])});
  }
  return rows;
}

std::map<std::string, std::set<std::string>> rules_by_file(const json &doc) {
  std::map<std::string, std::set<std::string>> out;
  for (const json &f : doc.at("findings"))
    out[fs::path(f.at("file").get<std::string>()).filename().string()].insert(
        f.at("code").get<std::string>());
  return out;
}

} // namespace

TEST_SUITE("check INF") {

  TEST_CASE("every corpus INF loads without diagnostics") {
    int count = 0;
    for (const auto &e : fs::directory_iterator(corpus_infs())) {
      if (e.path().extension() != ".inf")
        continue;
      ++count;
      CAPTURE(e.path().filename().string());
      const manifest::IncludeResult r = inputs::load_manifest_file(e.path());
      for (const auto &d : r.diagnostics)
        INFO(sim::format_diagnostic(d));
      CHECK(r.diagnostics.empty());
      CHECK(r.drivers.size() == 1);
    }
    CHECK(count == 22);
  }

  TEST_CASE("the INFs give summary.csv's service, group, start type and instances") {
    for (const SummaryRow &row : summary_rows()) {
      CAPTURE(row.file);
      const manifest::IncludeResult r = inputs::load_manifest_file(corpus_infs() / row.file);
      REQUIRE(r.drivers.size() == 1);
      const sim::Driver &d = r.drivers[0];
      CHECK(d.name == row.service);
      if (row.group.empty())
        CHECK_FALSE(d.group.has_value());
      else
        CHECK(d.group.value_or("") == row.group);
      CHECK(static_cast<int>(d.start) == row.start);
      CHECK(d.location.file == (corpus_infs() / row.file).string());
      CHECK(d.location.line >= 1);
      if (row.default_instance.empty()) {
        CHECK(d.find_default_instance() == nullptr);
        continue;
      }
      REQUIRE(d.find_default_instance() != nullptr);
      CHECK(d.find_default_instance()->name == row.default_instance);
      // "Name: alt=370030 flags=0x0; Name2: ..."
      const auto listed = split(row.instances, "; ");
      REQUIRE(d.instances.size() == listed.size());
      for (const std::string &item : listed) {
        const std::size_t colon = item.rfind(": alt=");
        const std::string name = item.substr(0, colon);
        const std::string rest = item.substr(colon + 6);
        const std::string alt = rest.substr(0, rest.find(' '));
        const auto flags = std::stoul(rest.substr(rest.find("flags=") + 6), nullptr, 16);
        bool found = false;
        for (const sim::Instance &i : d.instances)
          if (i.name == name) {
            found = true;
            CHECK(i.altitude == sim::Altitude::from_literal(alt));
            CHECK(i.flags == flags);
            CHECK(i.location.line >= 1);
          }
        CHECK_MESSAGE(found, name);
      }
    }
  }

  TEST_CASE("check over the corpus INFs reports exactly the odd ones") {
    const auto r = run_fltsim({"check", corpus_infs().string(), "--format", "json"});
    INFO(r.err);
    CHECK(r.code == 1); // a collision and a missing default instance are errors
    const json doc = json::parse(r.out);
    CHECK(doc.at("input_errors").empty());
    using Rules = std::set<std::string>;
    const std::map<std::string, Rules> expected{
        // group FSFilter Replication, altitude in the Activity Monitor range
        {"mantech-bsr-bsrfsflt.inf", Rules{"altitude-out-of-group-range"}},
        {"mantech-wdrbd-drbdlock.inf", Rules{"altitude-out-of-group-range"}},
        // group names in no list
        {"zodiacon-wkp-DelProtect.inf", Rules{"unknown-group"}},
        {"zodiacon-wkp-FileBackup.inf", Rules{"unknown-group"}},
        // no group, no instances: FltRegisterFilter would fail once loaded; the note says the
        // service was read as a minifilter for want of evidence (docs/model.md#kind-evidence)
        {"systeminformer-KSystemInformer.inf", Rules{"missing-default-instance", "kind-evidence"}},
        // tests/corpus/inf/quirks: each INF form and kind quirk (tests/corpus/README.md)
        {"fltmgr-dependency-commented-instances-auditflt.inf",
         Rules{"missing-default-instance", "kind-evidence"}},
        {"openzfs-file-system.inf", Rules{"kind-evidence"}},
        {"sandbox-base-group-boxdrv.inf", Rules{"missing-default-instance", "kind-evidence"}},
        // 370030 is passThrough.sys's altitude; both load (demand, as fltmc load), the sample
        // second, so its instance is the one that fails to attach
        {"pjsacchet-Minifilter-Driver.inf", Rules{"altitude-allocated-elsewhere"}},
        {"wds-passThrough.inf", Rules{"altitude-collision"}},
        // the list allocates 370150 to "delete_flt.sys", the sample's service is "delete"
        {"wds-delete.inf", Rules{"altitude-allocated-elsewhere"}},
    };
    CHECK(rules_by_file(doc) == expected);
    for (const json &f : doc.at("findings"))
      CHECK(f.at("line").get<int>() >= 1);
  }

  TEST_CASE("check reads INFs in the code page --codepage names") {
    const fs::path gbk = corpus_infs() / "quirks" / "gbk-ansi-comments-fmonflt.inf";
    // Windows-1252 (the default) and 936 read every byte: GBK comments are never fatal.
    for (const char *cp : {"1252", "936"}) {
      CAPTURE(cp);
      const auto r = run_fltsim({"check", gbk.string(), "--codepage", cp, "--format", "json"});
      INFO(r.err);
      CHECK(r.code == 0);
      CHECK(json::parse(r.out).at("input_errors").empty());
      CHECK(json::parse(r.out).at("findings").empty());
    }
    // Read as UTF-8, the GBK service description in [Strings] (line 67) is not text: exit 2,
    // one located diagnostic; the GBK comments on 11 other lines say nothing.
    const auto u8 = run_fltsim({"check", gbk.string(), "--codepage", "65001"});
    CHECK(u8.code == 2);
    CHECK(u8.err.find("gbk-ansi-comments-fmonflt.inf:67:28: error[encoding]") != std::string::npos);
    CHECK(std::count(u8.err.begin(), u8.err.end(), '\n') == 1);
    // A code page iconv cannot convert is a usage error.
    const auto bad = run_fltsim({"check", gbk.string(), "--codepage", "12345"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--codepage") != std::string::npos);
  }

  TEST_CASE("simulate and plan pass --codepage to the INFs a scenario includes") {
    const test::TempDir dir;
    const fs::path gbk = corpus_infs() / "quirks" / "gbk-ansi-comments-fmonflt.inf";
    const fs::path yaml = dir.path() / "s.yaml";
    std::ofstream(yaml) << "scenario: gbk include\ninclude: [\"" << gbk.generic_string() << "\"]\n";
    const auto ok = run_fltsim({"simulate", yaml.string(), "--codepage", "936"});
    INFO(ok.err);
    CHECK(ok.code == 0);
    CHECK(ok.out.find("fmonflt") != std::string::npos);
    // As UTF-8 the GBK [Strings] value is not text: the include fails, located in the INF.
    for (const char *cmd : {"simulate", "plan"}) {
      CAPTURE(cmd);
      const auto u8 = run_fltsim({cmd, yaml.string(), "--codepage", "65001"});
      CHECK(u8.code == 2);
      CHECK(u8.err.find("gbk-ansi-comments-fmonflt.inf:67:28: error[encoding]") !=
            std::string::npos);
    }
  }

  TEST_CASE("check over the corpus .reg exports reports their odd values") {
    const auto r =
        run_fltsim({"check", (test::corpus_root() / "registry").string(), "--format", "json"});
    INFO(r.err);
    CHECK(r.code == 0); // warnings only
    const json doc = json::parse(r.out);
    CHECK(doc.at("input_errors").empty());
    using Rules = std::set<std::string>;
    const std::map<std::string, Rules> expected{
        // PROCMON23 at 385200, which the list allocates to Procmon11.sys
        {"procmon23-bootlogging-service.reg", Rules{"altitude-allocated-elsewhere"}},
        // group FSFilter Infrastructure (below 20000) with the HSM altitude 180700
        {"wimmount-service.reg", Rules{"altitude-out-of-group-range"}},
    };
    CHECK(rules_by_file(doc) == expected);
    for (const json &f : doc.at("findings"))
      CHECK(f.at("line").get<int>() >= 1);
  }

  TEST_CASE("--base: findings that involve only fleet drivers are not reported") {
    const fs::path base = test::source_root() / "scenarios" / "blog_example_a.yaml";
    const auto r = run_fltsim({"check", (corpus_infs() / "wds-swapBuffers.inf").string(), "--base",
                               base.string(), "--format", "json"});
    INFO(r.err);
    // The fleet has the blog's inversion and tie; SwapBuffers (141000) loads into Frame 0 below
    // EncryptionLegacy (149998.99), where it belongs.
    CHECK(r.code == 0);
    CHECK(json::parse(r.out).at("findings").empty());
  }

  TEST_CASE("--base: a manifest minifilter that lands below a fleet legacy filter is inverted") {
    test::TempDir tmp;
    test::write_text(tmp.path() / "hsm.yaml",
                     "name: MyHsm\ngroup: FSFilter HSM\nstart: demand\naltitude: 185555\n");
    const fs::path base = test::source_root() / "scenarios" / "blog_example_a.yaml";
    const auto r =
        run_fltsim({"check", tmp.path().string(), "--base", base.string(), "--format", "json"});
    const json doc = json::parse(r.out);
    const auto hits = test::findings_of(doc, "altitude-inversion");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].at("drivers") == json::array({"MyHsm", "EncryptionLegacy"}));
    CHECK(hits[0].at("file") == (tmp.path() / "hsm.yaml").string());
    CHECK(r.code == 1);
  }

  TEST_CASE("--base: a manifest replaces the fleet driver of the same name") {
    test::TempDir tmp;
    // A new AVMiniFilter with tag 1 (AVLegacy has none): it now registers before AVLegacy, gets
    // its own frame above EncryptionLegacy, and the fleet's inversion and tie are gone.
    test::write_text(tmp.path() / "avminifilter.yaml",
                     "name: avminifilter\ngroup: FSFilter Anti-Virus\nstart: boot\ntag: 1\n"
                     "altitude: 328000\n");
    const fs::path base = test::source_root() / "scenarios" / "blog_example_a.yaml";
    const auto fixed = run_fltsim({"check", tmp.path().string(), "--base", base.string()});
    CHECK(fixed.code == 0);
    CHECK(fixed.out.find("(1 manifest driver, 4 from --base)") != std::string::npos);
    // Without the tag it is the fleet's driver again: the inversion is now the manifest's problem.
    test::write_text(tmp.path() / "avminifilter.yaml",
                     "name: AVMiniFilter\ngroup: FSFilter Anti-Virus\nstart: boot\n"
                     "altitude: 328000\n");
    const auto r =
        run_fltsim({"check", tmp.path().string(), "--base", base.string(), "--format", "json"});
    const json doc = json::parse(r.out);
    CHECK(test::findings_of(doc, "altitude-inversion").size() == 1);
    CHECK(test::findings_of(doc, "order-dependent-outcome").size() == 1);
    CHECK(test::findings_of(doc, "duplicate-driver").empty());
  }

  TEST_CASE("input errors exit 2 but the readable manifests are still reported") {
    test::TempDir tmp;
    test::write_text(tmp.path() / "a_bad.yaml", "name: Bad\nstart: sometimes\naltitude: 362399\n");
    test::write_text(tmp.path() / "b_dup.yaml",
                     "name: CopyCat\ngroup: FSFilter Activity Monitor\nstart: demand\n"
                     "altitude: 370030\n");
    const auto r = run_fltsim({"check", tmp.path().string()});
    CHECK(r.code == 2);
    CHECK(r.err.find((tmp.path() / "a_bad.yaml").string() + ":2:") != std::string::npos);
    CHECK(r.out.find("[altitude-allocated-elsewhere]") != std::string::npos);
    CHECK(r.out.find("; 1 input error (on stderr)") != std::string::npos);
  }

  TEST_CASE("usage errors exit 2") {
    CHECK(run_fltsim({"check"}).code == 2);
    CHECK(run_fltsim({"check", "/nonexistent/fltsim/path"}).code == 2);
    CHECK(run_fltsim({"check", corpus_infs().string(), "--format", "xml"}).code == 2);
    CHECK(run_fltsim({"check", corpus_infs().string(), "--fail-on", "note"}).code == 2);
    CHECK(run_fltsim({"check", corpus_infs().string(), "--max-orders", "many"}).code == 2);
    CHECK(run_fltsim({"check", corpus_infs().string(), "--base", "/nonexistent.yaml"}).code == 2);
    test::TempDir empty;
    const auto r = run_fltsim({"check", empty.path().string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("no manifest") != std::string::npos);
  }

} // TEST_SUITE
