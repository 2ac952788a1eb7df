// The capture policy (observed/capture_policy.hpp) on real captures whose second listing is cut
// off: the complete listing is used and the partial one is reported, not dropped unseen.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fltsim/observed/capture_policy.hpp"
#include "support.hpp"

using namespace fltsim;

namespace {

std::vector<sim::Diagnostic> partial_warnings(const observed::CaptureRead &read) {
  std::vector<sim::Diagnostic> out;
  for (const sim::Diagnostic &d : read.diagnostics)
    if (d.code == "observed-partial")
      out.push_back(d);
  return out;
}

} // namespace

TEST_SUITE("capture policy") {

  // Line numbers read from the corpus files: the `fltmc filters` header of capture 11 is on
  // line 7 and its cut `fltmc instances` header on line 16; capture 12's are on 6 and 21.
  TEST_CASE("a cut instances listing beside a complete filters listing is a warning naming both") {
    struct Case {
      const char *file;
      int used_line;
      int partial_line;
    };
    for (const Case c : {Case{"fltmc/11-winfsp-334-rclone-win10-fileinfo45000.txt", 7, 16},
                         Case{"fltmc/12-winfsp-498-epic-fsdepends-wcifs.txt", 6, 21}}) {
      CAPTURE(c.file);
      const std::string path = (test::corpus_root() / c.file).string();
      const observed::CaptureRead read = observed::read_capture(path, "", false);
      REQUIRE(read.input.has_value()); // the complete listing is enough: the command goes on
      const auto warnings = partial_warnings(read);
      REQUIRE(warnings.size() == 1);
      const sim::Diagnostic &w = warnings[0];
      CHECK(w.severity == sim::Severity::warning);
      CHECK(w.location.file == path);
      CHECK(w.location.line == c.partial_line);
      CHECK(w.message.find("fltmc instances listing at line " + std::to_string(c.partial_line) +
                           " is incomplete") != std::string::npos);
      CHECK(w.message.find("fltmc filters listing at line " + std::to_string(c.used_line) +
                           " is") != std::string::npos);
    }
  }

  TEST_CASE("complete captures get no partial-listing warning") {
    for (const char *file : {"fltmc/10-pjsacchet-minifilter-driver-readme-370030.txt",
                             "fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt"}) {
      CAPTURE(file);
      const std::string path = (test::corpus_root() / file).string();
      const observed::CaptureRead read = observed::read_capture(path, "", false);
      REQUIRE(read.input.has_value());
      CHECK(partial_warnings(read).empty());
    }
  }
}
