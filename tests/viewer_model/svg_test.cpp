// The SVG picture and the HTML replay (fltsim/viewer/svg.hpp, replay_html.hpp): drawn from the
// StackView, box for box, and self-contained. The browser-side checks (pixels, the replay's
// controls) are tests/pictures/test_pictures.py.
#include <doctest/doctest.h>

#include <tinyxml2.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "fltsim/sim/engine.hpp"
#include "fltsim/viewer/replay_html.hpp"
#include "fltsim/viewer/svg.hpp"
#include "viewer_support.hpp"

using namespace fltsim;
using namespace fltsim::viewer;

namespace {

std::string num(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(v));
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0)
    s.resize(s.size() - 2);
  return s;
}

std::string attr(const tinyxml2::XMLElement *e, const char *name) {
  const char *v = e->Attribute(name);
  return v ? v : "";
}

bool has_class(const tinyxml2::XMLElement *e, const std::string &cls) {
  const std::string c = " " + attr(e, "class") + " ";
  return c.find(" " + cls + " ") != std::string::npos;
}

/// Every element of the document, depth first.
void collect(const tinyxml2::XMLElement *e, std::vector<const tinyxml2::XMLElement *> &out) {
  for (; e; e = e->NextSiblingElement()) {
    out.push_back(e);
    collect(e->FirstChildElement(), out);
  }
}

struct Parsed {
  tinyxml2::XMLDocument doc;
  std::vector<const tinyxml2::XMLElement *> all;
  std::vector<const tinyxml2::XMLElement *> of(const std::string &cls) const {
    std::vector<const tinyxml2::XMLElement *> r;
    for (const auto *e : all)
      if (std::string(e->Name()) == "g" && has_class(e, cls))
        r.push_back(e);
    return r;
  }
};

void parse(const std::string &svg, Parsed &p) {
  REQUIRE_MESSAGE(p.doc.Parse(svg.c_str(), svg.size()) == tinyxml2::XML_SUCCESS, svg);
  collect(p.doc.RootElement(), p.all);
}

std::string title_of(const tinyxml2::XMLElement *g) {
  const tinyxml2::XMLElement *t = g->FirstChildElement("title");
  return t && t->GetText() ? t->GetText() : "";
}

void check_rect(const tinyxml2::XMLElement *g, const Rect &r) {
  CHECK(attr(g, "data-x") == num(r.x));
  CHECK(attr(g, "data-y") == num(r.y));
  CHECK(attr(g, "data-w") == num(r.w));
  CHECK(attr(g, "data-h") == num(r.h));
}

StackView blog_a_view(sim::Scenario &sc, const StepFocus &focus = {}) {
  sc = test::load_bundled("blog_example_a.yaml");
  return build_stack_view(sc, sim::simulate(sc), focus);
}

} // namespace

TEST_CASE("svg: every frame, filter, legacy block and connector of the view, where it put them") {
  sim::Scenario sc;
  const StackView v = blog_a_view(sc);
  Parsed p;
  parse(stack_svg(v, {"Blog A", true}), p);
  const tinyxml2::XMLElement *root = p.doc.RootElement();
  CHECK(std::string(root->Name()) == "svg");
  CHECK(attr(root, "xmlns") == "http://www.w3.org/2000/svg");
  CHECK(attr(root, "width") == std::to_string(static_cast<int>(std::ceil(v.size.x))));
  CHECK(attr(root, "height") == std::to_string(static_cast<int>(std::ceil(v.size.y))));
  CHECK(title_of(root) == "Blog A");

  const auto frames = p.of("frame");
  REQUIRE(frames.size() == v.frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    CHECK(attr(frames[i], "data-id") == std::to_string(v.frames[i].id));
    check_rect(frames[i], v.frames[i].rect);
    CHECK(title_of(frames[i]) == v.frames[i].tooltip);
  }
  const auto filters = p.of("filter");
  REQUIRE(filters.size() == v.filter_count);
  std::size_t k = 0;
  for (const FrameBox &f : v.frames)
    for (const FilterBox &b : f.filters) {
      const auto *g = filters[k++];
      CHECK(attr(g, "data-driver") == std::to_string(b.driver));
      CHECK(attr(g, "data-role") == to_string(b.role));
      check_rect(g, b.rect);
      // The row's fill is the palette colour of its role.
      const tinyxml2::XMLElement *rect = g->FirstChildElement("rect");
      REQUIRE(rect != nullptr);
      const Color c = color_of(b.role);
      char hex[8];
      std::snprintf(hex, sizeof hex, "#%02x%02x%02x", c.r, c.g, c.b);
      CHECK(attr(rect, "fill") == hex);
    }
  const auto legacy = p.of("legacy");
  REQUIRE(legacy.size() == v.legacy.size());
  for (std::size_t i = 0; i < legacy.size(); ++i) {
    check_rect(legacy[i], v.legacy[i].rect);
    CHECK(has_class(legacy[i], "inverted") == v.legacy[i].inverted);
  }
  const auto connectors = p.of("connector");
  REQUIRE(connectors.size() == v.connectors.size());
  REQUIRE(!v.connectors.empty()); // blog A has its inversion
  for (std::size_t i = 0; i < connectors.size(); ++i) {
    const Connector &c = v.connectors[i];
    // The tooltip is why the inversion happened: the finding's message.
    CHECK(title_of(connectors[i]) == c.tooltip);
    CHECK(title_of(connectors[i]).find("R5") != std::string::npos);
    const tinyxml2::XMLElement *line = connectors[i]->FirstChildElement("polyline");
    REQUIRE(line != nullptr);
    CHECK(attr(line, "stroke") == "#f03030");
    std::string pts;
    for (const Vec2 &q : c.points)
      pts += (pts.empty() ? "" : " ") + num(q.x) + "," + num(q.y);
    CHECK(attr(line, "points") == pts);
  }
  CHECK(p.of("file-system").size() == 1);
  CHECK(p.of("axis").size() == 1);
}

TEST_CASE("svg: self-contained - no script, image, link, style or external reference") {
  for (const auto &[path, sc] : test::all_bundled()) {
    const std::string &name = path;
    CAPTURE(name);
    const std::string svg = stack_svg(build_stack_view(sc, sim::simulate(sc)));
    Parsed p;
    parse(svg, p);
    for (const auto *e : p.all) {
      const std::string tag = e->Name();
      CHECK(tag != "script");
      CHECK(tag != "image");
      CHECK(tag != "foreignObject");
      CHECK(tag != "use");
      CHECK(tag != "style");
      CHECK(tag != "a");
      for (const tinyxml2::XMLAttribute *a = e->FirstAttribute(); a; a = a->Next()) {
        const std::string an = a->Name();
        const std::string av = a->Value();
        CHECK(an.find("href") == std::string::npos);
        CHECK(av.find("url(") == std::string::npos);
        if (an != "xmlns")
          CHECK(av.find("http") == std::string::npos);
      }
    }
  }
}

TEST_CASE("svg: the step in focus is highlighted as the viewer highlights it") {
  sim::Scenario sc = test::load_bundled("blog_example_a.yaml");
  const sim::SimResult r = sim::simulate(sc);
  // Step 6 of blog A: AVMiniFilter does not fit Frame 0 and the frame is raised (R5).
  const sim::TraceStep *raise = nullptr;
  for (const sim::TraceStep &s : r.trace)
    if (s.kind == sim::TraceEvent::frame_raise)
      raise = &s;
  REQUIRE(raise != nullptr);
  const StackView v = build_stack_view(sc, r, focus_of(*raise, sc));
  Parsed p;
  parse(stack_svg(v), p);
  const auto frames = p.of("frame");
  REQUIRE(frames.size() == 1);
  CHECK(has_class(frames[0], "highlighted"));
  CHECK(attr(frames[0], "data-role") == "frame_highlight");
  const std::string text = stack_svg(v);
  CHECK(text.find(">raised (R5)</text>") != std::string::npos);
  CHECK(text.find("stroke=\"#fadc46\" stroke-width=\"3\"") != std::string::npos);
}

TEST_CASE("svg: names are escaped, invalid text becomes U+FFFD, the document still parses") {
  CHECK(svg_escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
  CHECK(svg_escape("0\xE2\x80\x93"
                   "1") == "0\xE2\x80\x93"
                           "1"); // en dash kept
  CHECK(svg_escape(std::string("x\x01y")) == "x\xEF\xBF\xBDy");
  CHECK(svg_escape("\xC3") == "\xEF\xBF\xBD");                                 // truncated sequence
  CHECK(svg_escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                 // overlong
  CHECK(svg_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate

  sim::Scenario sc = test::load_bundled("blog_example_a.yaml");
  sc.drivers[0].name = "<script>alert(1)</script>&\x02";
  const sim::SimResult r = sim::simulate(sc);
  Parsed p;
  parse(stack_svg(build_stack_view(sc, r)), p);
  bool found = false;
  for (const auto *e : p.all) {
    CHECK(std::string(e->Name()) != "script");
    if (std::string(e->Name()) == "text" && e->GetText() &&
        std::string(e->GetText()) == "<script>alert(1)</script>&\xEF\xBF\xBD")
      found = true;
  }
  CHECK(found);
}

TEST_CASE("svg: panels side by side, bottoms aligned, each under its caption") {
  sim::Scenario a = test::load_bundled("blog_example_a.yaml");
  sim::Scenario b = test::load_bundled("planner/several_gaps_fixed.yaml");
  const StackView va = build_stack_view(a, sim::simulate(a));
  const StackView vb = build_stack_view(b, sim::simulate(b));
  Parsed p;
  parse(panels_svg({{&va, "Before"}, {&vb, "After"}}), p);
  const auto panels = p.of("panel");
  REQUIRE(panels.size() == 2);
  const float height = std::max(va.size.y, vb.size.y) + kSvgCaptionHeight;
  CHECK(attr(p.doc.RootElement(), "height") == std::to_string(static_cast<int>(std::ceil(height))));
  CHECK(attr(panels[0], "data-x") == "0");
  CHECK(attr(panels[1], "data-x") == num(va.size.x));
  CHECK(attr(panels[0], "data-y") == num(height - va.size.y));
  CHECK(attr(panels[1], "data-y") == num(height - vb.size.y));
  CHECK(p.of("frame").size() == va.frames.size() + vb.frames.size());
}

TEST_CASE("svg: volume_stack keeps the minifilters with an instance on the volume") {
  sim::Scenario sc = test::load_bundled("blog_example_a.yaml");
  const sim::SimResult r = sim::simulate(sc);
  CHECK(volumes_of(sc) == std::vector<std::string>{"C:"});
  // The implicit volume holds every instance.
  const sim::SimResult c = volume_stack(r, "C:");
  REQUIRE(c.frames.size() == r.frames.size());
  CHECK(c.frames[0].filters.size() == r.frames[0].filters.size());
  CHECK(volume_stack(r, "D:").frames[0].filters.empty());
  CHECK(volume_stack(r, "D:").stack.size() == r.stack.size()); // legacy filters stay

  sc.volumes = {"C:", "E:"};
  for (sim::Driver &d : sc.drivers)
    if (d.name == "AVMiniFilter")
      for (sim::Instance &i : d.instances)
        i.attach = {"E:"};
  const sim::SimResult r2 = sim::simulate(sc);
  auto names = [](const sim::SimResult &x) {
    std::vector<std::string> n;
    for (const sim::Frame &f : x.frames)
      for (const sim::FrameFilter &ff : f.filters)
        n.push_back(ff.name);
    return n;
  };
  CHECK(names(volume_stack(r2, "C:")) == std::vector<std::string>{"FileInfo", "luafv"});
  CHECK(names(volume_stack(r2, "E:")) ==
        std::vector<std::string>{"FileInfo", "luafv", "AVMiniFilter"});
}

TEST_CASE("replay html: one section per timeline position, the last shown, nothing fetched") {
  sim::Scenario sc = test::load_bundled("blog_example_a.yaml");
  const sim::SimResult r = sim::simulate(sc);
  const std::string h = replay_html(sc, r, {});
  auto count = [&](const std::string &needle) {
    std::size_t n = 0;
    for (std::size_t at = h.find(needle); at != std::string::npos; at = h.find(needle, at + 1))
      ++n;
    return n;
  };
  CHECK(count("<section class=\"step\"") == r.trace.size() + 1);
  CHECK(count("<section class=\"step\" data-step=\"" + std::to_string(r.trace.size()) + "\">") ==
        1); // the final stack is the one shown first
  CHECK(count(" hidden>") == r.trace.size());
  CHECK(count("<li value=") == r.trace.size());
  for (const sim::TraceStep &s : r.trace)
    CHECK(h.find(svg_escape(s.text)) != std::string::npos);
  CHECK(h.find("Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
  CHECK(count("src=") == 0);
  CHECK(count("href=") == 0);
  CHECK(count("@import") == 0);
  CHECK(count("http:") == count("http://www.w3.org/2000/svg")); // only the SVG namespace
  CHECK(count("https:") == 0);
  // Every position's picture is the view of that step.
  sim::SimOptions o;
  o.stop_after_step = 6;
  const StackLayoutOptions layout = [&] {
    StackLayoutOptions l;
    l.axis_max_altitude = max_altitude_of(r);
    return l;
  }();
  const std::string step6 =
      stack_svg(build_stack_view(sc, sim::simulate(sc, o), focus_of(r.trace[5], sc), -1, layout),
                {sc.title + ": after step 6 of " + std::to_string(r.trace.size()), false});
  CHECK(h.find(step6) != std::string::npos);
}
