#include "fltsim/viewer/replay_html.hpp"

#include <algorithm>

#include "fltsim/sim/engine.hpp"
#include "fltsim/viewer/svg.hpp"
#include "fltsim/viewer/timeline.hpp"

namespace fltsim::viewer {

namespace {

const char *kStyle = R"CSS(
:root { color-scheme: dark; }
body { margin: 0; background: #181a1f; color: #f0f0f0;
  font: 14px/1.45 "DejaVu Sans", Verdana, Arial, sans-serif; }
header { padding: 12px 16px 4px; }
h1 { font-size: 18px; margin: 0 0 2px; }
header p { margin: 0; color: #b4b8c4; }
.controls { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 8px 16px; }
.controls button { background: #2c3340; color: #f0f0f0; border: 1px solid #4a5262;
  border-radius: 4px; padding: 4px 10px; font: inherit; cursor: pointer; }
.controls button:hover { background: #3a4354; }
#scrub { flex: 1 1 240px; min-width: 160px; }
#pos { min-width: 9em; color: #b4b8c4; }
#narration { margin: 0 16px 8px; padding: 8px 12px; background: #23262e; border-left: 4px solid
  #fadc46; min-height: 1.5em; }
main { display: flex; gap: 16px; padding: 0 16px 16px; align-items: flex-start; }
#stage { flex: 0 0 auto; overflow: auto; max-width: 70vw; }
#stage svg { display: block; }
#steps { flex: 1 1 auto; margin: 0; padding: 0 0 0 2.6em; max-height: 80vh; overflow: auto;
  color: #b4b8c4; }
#steps li { padding: 2px 4px; cursor: pointer; border-radius: 3px; }
#steps li:hover { background: #23262e; }
#steps li.current { background: #2c62aa; color: #fff; }
#steps .kind { display: inline-block; min-width: 7.5em; font-size: 12px; color: #fadc46; }
#steps li.current .kind { color: #fff; }
#steps li[data-kind="failure"] .kind { color: #ff6e6e; }
)CSS";

const char *kScript = R"JS(
(function () {
  "use strict";
  var sections = document.querySelectorAll("#stage section.step");
  var items = document.querySelectorAll("#steps li");
  var count = sections.length - 1;
  var scrub = document.getElementById("scrub");
  var pos = document.getElementById("pos");
  var narration = document.getElementById("narration");
  var play = document.getElementById("play");
  var speed = document.getElementById("speed");
  var shown = count;
  var timer = null;
  function seek(n) {
    n = Math.max(0, Math.min(count, Number(n) | 0));
    sections[shown].hidden = true;
    sections[n].hidden = false;
    shown = n;
    for (var i = 0; i < items.length; ++i) {
      var current = i + 1 === n;
      items[i].classList.toggle("current", current);
      if (current) {
        items[i].setAttribute("aria-current", "step");
        items[i].scrollIntoView({ block: "nearest" });
      } else {
        items[i].removeAttribute("aria-current");
      }
    }
    scrub.value = String(n);
    pos.textContent = "Step " + n + " of " + count;
    narration.textContent = n === 0 ? narration.getAttribute("data-start")
                                    : items[n - 1].querySelector(".text").textContent;
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "\u25B6 Play";
  }
  function start() {
    if (shown >= count) seek(0);
    timer = setInterval(function () {
      if (shown >= count) stop(); else seek(shown + 1);
    }, 1000 / Number(speed.value));
    play.textContent = "\u25AE\u25AE Pause";
  }
  play.addEventListener("click", function () { if (timer === null) start(); else stop(); });
  speed.addEventListener("change", function () { if (timer !== null) { stop(); start(); } });
  document.getElementById("first").addEventListener("click", function () { stop(); seek(0); });
  document.getElementById("back").addEventListener("click", function () { stop(); seek(shown - 1); });
  document.getElementById("fwd").addEventListener("click", function () { stop(); seek(shown + 1); });
  document.getElementById("last").addEventListener("click", function () { stop(); seek(count); });
  scrub.addEventListener("input", function () { stop(); seek(scrub.value); });
  for (var i = 0; i < items.length; ++i)
    items[i].addEventListener("click", function (e) {
      stop(); seek(e.currentTarget.getAttribute("data-step"));
    });
  document.addEventListener("keydown", function (e) {
    if (e.target === scrub) return;
    if (e.key === "ArrowRight") { stop(); seek(shown + 1); }
    else if (e.key === "ArrowLeft") { stop(); seek(shown - 1); }
    else if (e.key === "Home") { stop(); seek(0); }
    else if (e.key === "End") { stop(); seek(count); }
    else if (e.key === " ") { e.preventDefault(); play.click(); }
  });
  var m = /^#step=(\d+)$/.exec(location.hash);
  seek(m ? m[1] : count);
  window.fltsimReplay = { count: count, position: function () { return shown; }, seek: seek,
                          playing: function () { return timer !== null; } };
})();
)JS";

std::string plural(std::size_t n, const char *word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

} // namespace

std::string replay_html(const sim::Scenario &scenario, const sim::SimResult &final_result,
                        const ReplayOptions &options) {
  const std::string title =
      options.title.empty()
          ? (scenario.title.empty() ? std::string("fltsim replay") : scenario.title)
          : options.title;
  Timeline timeline;
  timeline.reset(final_result.trace);
  const int count = timeline.step_count();

  StackLayoutOptions layout = options.layout;
  // A steady scale while scrubbing, as the viewer keeps it (ViewerState::resimulate).
  layout.axis_max_altitude = std::max(layout.axis_max_altitude, max_altitude_of(final_result));

  auto shown = [&](const sim::SimResult &r) {
    return options.volume.empty() ? r : volume_stack(r, options.volume);
  };

  std::string stage;
  for (int p = 0; p <= count; ++p) {
    sim::SimResult partial;
    if (p < count) {
      sim::SimOptions so;
      so.stop_after_step = p;
      partial = sim::simulate(scenario, so);
    }
    const sim::SimResult &r = p < count ? partial : final_result;
    const StepFocus focus =
        p > 0 ? focus_of(timeline.steps()[static_cast<std::size_t>(p - 1)], scenario) : StepFocus{};
    const StackView view = build_stack_view(scenario, shown(r), focus, -1, layout);
    SvgOptions so;
    so.standalone = false;
    so.title = p == 0
                   ? title + ": before fltmgr starts"
                   : title + ": after step " + std::to_string(p) + " of " + std::to_string(count);
    stage += "<section class=\"step\" data-step=\"" + std::to_string(p) + "\"" +
             (p == count ? "" : " hidden") + ">\n" + stack_svg(view, so) + "</section>\n";
  }

  std::string list;
  for (std::size_t i = 0; i < timeline.steps().size(); ++i) {
    const sim::TraceStep &s = timeline.steps()[i];
    const TimelineMark &m = timeline.marks()[i];
    list += "<li value=\"" + std::to_string(s.step) + "\" data-step=\"" + std::to_string(s.step) +
            "\" data-kind=\"" + to_string(m.kind) + "\" data-event=\"" + sim::to_string(s.kind) +
            "\"><span class=\"kind\">" + svg_escape(sim::to_string(s.kind)) +
            "</span> <span class=\"text\">" + svg_escape(s.text) + "</span></li>\n";
  }

  std::string facts =
      plural(static_cast<std::size_t>(count), "step") +
      "; final stack: " + plural(final_result.frames.size(), "frame") + ", " +
      plural(static_cast<std::size_t>(std::count_if(
                 final_result.stack.begin(), final_result.stack.end(),
                 [](const sim::StackEntry &e) { return e.kind == sim::StackEntry::Kind::legacy; })),
             "legacy filter");
  if (!options.source.empty())
    facts = options.source + " · " + facts;
  if (!options.volume.empty())
    facts += " · volume " + options.volume;

  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing is fetched: no fonts, images, scripts or styles from anywhere (inline only).
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<meta name=\"generator\" content=\"fltsim simulate --format html --trace\">\n";
  h += "<title>" + svg_escape(title) + " — boot replay</title>\n<style>" + kStyle +
       "</style>\n</head>\n<body>\n";
  h += "<header><h1>" + svg_escape(title) + "</h1><p>" + svg_escape(facts) + "</p></header>\n";
  h += "<div class=\"controls\">"
       "<button type=\"button\" id=\"first\" title=\"First (Home)\">\u21E4</button>"
       "<button type=\"button\" id=\"back\" title=\"Step back (\u2190)\">\u25C0 Step</button>"
       "<button type=\"button\" id=\"play\" title=\"Play / pause (space)\">\u25B6 Play</button>"
       "<button type=\"button\" id=\"fwd\" title=\"Step forward (\u2192)\">Step \u25B6</button>"
       "<button type=\"button\" id=\"last\" title=\"Last (End)\">\u21E5</button>";
  h += "<input type=\"range\" id=\"scrub\" min=\"0\" max=\"" + std::to_string(count) +
       "\" value=\"" + std::to_string(count) + "\" aria-label=\"Step\">";
  h +=
      "<span id=\"pos\">Step " + std::to_string(count) + " of " + std::to_string(count) + "</span>";
  h += "<label>Speed <select id=\"speed\"><option value=\"1\">1 step/s</option>"
       "<option value=\"2\" selected>2 steps/s</option><option value=\"5\">5 steps/s</option>"
       "<option value=\"10\">10 steps/s</option></select></label></div>\n";
  const std::string last_text =
      count > 0 ? timeline.steps().back().text : std::string("The scenario has no steps.");
  h += "<p id=\"narration\" aria-live=\"polite\" data-start=\"Before fltmgr starts: only the "
       "file system.\">" +
       svg_escape(last_text) + "</p>\n";
  h += "<main>\n<div id=\"stage\">\n" + stage + "</div>\n<ol id=\"steps\">\n" + list +
       "</ol>\n</main>\n";
  h += "<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return h;
}

} // namespace fltsim::viewer
