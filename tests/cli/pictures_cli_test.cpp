// `simulate --format svg|html`, `plan --format svg|markdown`, `check --format markdown`: exit
// codes, option errors and what each output is made of. The pictures themselves are checked in
// tests/viewer_model/svg_test.cpp and, rendered, in tests/pictures/.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "support.hpp"

using namespace fltsim;

namespace {
using test::run;
using test::scenario;
std::string volumes_file() {
  return (test::source_root() / "tests" / "pictures" / "two_volumes.yaml").string();
}
std::size_t count(const std::string &h, const std::string &needle) {
  std::size_t n = 0;
  for (std::size_t at = h.find(needle); at != std::string::npos; at = h.find(needle, at + 1))
    ++n;
  return n;
}
} // namespace

TEST_SUITE("cli pictures") {
  TEST_CASE("simulate --format svg: the stack picture, exit code as for the other formats") {
    const auto a = run({"simulate", scenario("blog_example_a.yaml"), "--format", "svg"});
    CHECK(a.code == 1); // blog A has an error finding
    CHECK(a.out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0) == 0);
    CHECK(count(a.out, "<g class=\"frame\" data-id") == 1);
    CHECK(count(a.out, "<g class=\"legacy") == 2);
    CHECK(count(a.out, "<g class=\"connector\" data-code=\"altitude-inversion\"") == 1);
    const auto b = run({"simulate", scenario("blog_example_b_fixed.yaml"), "--format", "svg"});
    CHECK(b.code == 0);
    CHECK(count(b.out, "<g class=\"connector\"") == 0);
    // An invalid scenario draws nothing and says why (exit 2).
    const auto c = run({"simulate", scenario("features/dependency_cycle.yaml"), "--format", "svg"});
    CHECK(c.code == 2);
    CHECK(c.out.empty());
    CHECK(c.err.find("dependency") != std::string::npos);
  }

  TEST_CASE("simulate --volume: one volume's stack, an unknown volume or a text format is exit 2") {
    const auto all = run({"simulate", volumes_file(), "--format", "svg"});
    const auto c = run({"simulate", volumes_file(), "--format", "svg", "--volume", "C:"});
    const auto mup =
        run({"simulate", volumes_file(), "--format", "svg", "--volume", "\\Device\\Mup"});
    CHECK(all.code == 1); // blog A's inversion, on both volumes
    CHECK(c.code == 1);
    CHECK(mup.code == 1);
    CHECK(count(all.out, "<g class=\"filter") == 4);
    CHECK(count(c.out, "<g class=\"filter") == 3);   // FileInfo, luafv, AVMiniFilter
    CHECK(count(mup.out, "<g class=\"filter") == 3); // FileInfo, luafv, CloudSync
    CHECK(c.out.find(">AVMiniFilter</text>") != std::string::npos);
    CHECK(c.out.find(">CloudSync</text>") == std::string::npos);
    CHECK(mup.out.find(">CloudSync</text>") != std::string::npos);
    CHECK(c.out.find("(volume C:)</title>") != std::string::npos);

    const auto d = run({"simulate", volumes_file(), "--format", "svg", "--volume", "D:"});
    CHECK(d.code == 2);
    CHECK(d.out.empty());
    CHECK(d.err.find("has no volume 'D:' (its volumes: C:, \\Device\\Mup)") != std::string::npos);
    const auto text = run({"simulate", volumes_file(), "--volume", "C:"});
    CHECK(text.code == 2);
    CHECK(text.err.find("--volume applies to --format svg or html only") != std::string::npos);
    const auto html = run({"simulate", volumes_file(), "--format", "html", "--volume", "C:"});
    CHECK(html.code == 1);
    CHECK(html.out.find("volume C:") != std::string::npos);
  }

  TEST_CASE("simulate --layout-json: the picture's boxes as JSON, never over the input") {
    const test::TempDir tmp;
    const auto &dir = tmp.path();
    const auto out = dir / "layout.json";
    const auto r = run({"simulate", scenario("blog_example_a.yaml"), "--format", "svg",
                        "--layout-json", out.string()});
    CHECK(r.code == 1);
    const auto j = nlohmann::json::parse(test::read_file(out));
    CHECK(j["frames"].size() == 1);
    CHECK(j["legacy"].size() == 2);
    CHECK(j["connectors"].size() == 1);
    CHECK(r.out.find("width=\"" + std::to_string(j["image"]["width"].get<int>()) + "\"") !=
          std::string::npos);

    const auto copy = dir / "own.yaml";
    std::filesystem::copy_file(scenario("blog_example_a.yaml"), copy,
                               std::filesystem::copy_options::overwrite_existing);
    const std::string before = test::read_file(copy);
    const auto own =
        run({"simulate", copy.string(), "--format", "svg", "--layout-json", copy.string()});
    CHECK(own.code == 2);
    CHECK(own.err.find("refusing to overwrite input file") != std::string::npos);
    CHECK(test::read_file(copy) == before);
    const auto wrong =
        run({"simulate", copy.string(), "--format", "json", "--layout-json", out.string()});
    CHECK(wrong.code == 2);
  }

  TEST_CASE("simulate --format html: a replay with one picture per step") {
    const auto r =
        run({"simulate", scenario("blog_example_a.yaml"), "--format", "html", "--trace"});
    CHECK(r.code == 1);
    CHECK(r.out.rfind("<!DOCTYPE html>", 0) == 0);
    const auto j = nlohmann::json::parse(
        run({"simulate", scenario("blog_example_a.yaml"), "--format", "json", "--trace"}).out);
    CHECK(count(r.out, "<section class=\"step\"") == j["trace"].size() + 1);
    CHECK(count(r.out, "<svg ") == j["trace"].size() + 1);
    CHECK(count(r.out, "<script>") == 1);
    CHECK(count(r.out, "<script src") == 0);
  }

  TEST_CASE("plan --format svg: before and after side by side, markdown summarises the plan") {
    const auto s = run({"plan", scenario("blog_example_a.yaml"), "--format", "svg"});
    CHECK(s.code == 0); // a verified plan
    CHECK(count(s.out, "<g class=\"panel\"") == 2);
    CHECK(s.out.find(">Before</text>") != std::string::npos);
    CHECK(s.out.find(">After: 1 dummy</text>") != std::string::npos);
    CHECK(s.out.find(">FrameDummy1</text>") != std::string::npos);
    const auto ordered = run({"plan", scenario("blog_example_b_fixed.yaml"), "--format", "svg"});
    CHECK(count(ordered.out, "<g class=\"panel\"") == 1);

    const auto m = run({"plan", scenario("blog_example_a.yaml"), "--format", "markdown"});
    CHECK(m.code == 0);
    CHECK(m.out.rfind("## fltsim plan: fixed", 0) == 0);
    CHECK(count(m.out, "<svg ") == 1);
    CHECK(count(m.out, "<?xml") == 0); // inline: no XML declaration in the middle of Markdown
    const auto none = run(
        {"plan", scenario("blog_example_a.yaml"), "--format", "markdown", "--stack-svg", "none"});
    CHECK(count(none.out, "<svg") == 0);
  }

  TEST_CASE("check --format markdown: the exit code of the other formats, links from --link-base") {
    const std::string fail = (test::source_root() / "tests/check/altitude-inversion/fail").string();
    const auto text = run({"check", fail});
    const auto md = run({"check", fail, "--format", "markdown", "--link-base",
                         "https://h/o/r/blob/sha/", "--srcroot", test::source_root().string()});
    CHECK(md.code == text.code);
    CHECK(md.code == 1);
    CHECK(md.out.rfind("## fltsim check: failed\n", 0) == 0);
    CHECK(md.out.find("](https://h/o/r/blob/sha/tests/check/altitude-inversion/fail/") !=
          std::string::npos);
    CHECK(count(md.out, "<svg ") == 1);
    const auto pass =
        run({"check", (test::source_root() / "tests/check/altitude-inversion/pass").string(),
             "--format", "markdown"});
    CHECK(pass.code == 0);
    CHECK(pass.out.rfind("## fltsim check: passed\n", 0) == 0);
    CHECK(pass.out.find("| Severity |") == std::string::npos);
  }
}
