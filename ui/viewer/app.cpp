#include "app.hpp"

#include <algorithm>
#include <filesystem>

#include "fltsim/diagnose/diagnose.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/inputs/machine_evidence.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"

namespace fs = std::filesystem;

namespace fltsim::viewer {

namespace {

std::vector<ui::BundledScenario> find_bundled(const std::string &dir) {
  std::vector<ui::BundledScenario> out;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec))
    return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file() || inputs::manifest_type(it->path()) != inputs::ManifestType::yaml)
      continue;
    std::string menu = it->path().lexically_relative(dir).replace_extension().generic_string();
    out.push_back({menu, fs::absolute(it->path()).lexically_normal().string()});
  }
  std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
    // Top-level scenarios (the blog's) first, then folders.
    const bool a_top = a.menu.find('/') == std::string::npos;
    const bool b_top = b.menu.find('/') == std::string::npos;
    return a_top != b_top ? a_top : a.menu < b.menu;
  });
  return out;
}

std::string suggested_save_path(const std::string &path) {
  if (path.empty())
    return "scenario_fixed.yaml";
  fs::path p(path);
  return (p.parent_path() / (p.stem().string() + "_fixed.yaml")).string();
}

constexpr double kPollSeconds = 0.5;

} // namespace

App::App(const std::string &scenario_dir, PlannerFunction planner) : state_(std::move(planner)) {
  ui_.bundled = find_bundled(scenario_dir);
}

void App::setup_fonts_and_style() {
  ImGuiIO &io = ImGui::GetIO();
  io.IniFilename = nullptr; // the layout is fixed; nothing to remember between runs
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2013, 0x2014, 0x2026,
                                   0x2026, 0x2190, 0x2193, 0};
  const char *font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::error_code ec;
  if (!fs::exists(font, ec) || !io.Fonts->AddFontFromFileTTF(font, 15.0f, nullptr, ranges))
    io.Fonts->AddFontDefault();
  ImGui::StyleColorsDark();
  ImGuiStyle &style = ImGui::GetStyle();
  // One background colour everywhere, painted by glClear (see background()): with software
  // rendering every full-window layer of blended quads costs milliseconds per frame.
  style.Colors[ImGuiCol_WindowBg] = ui::im_color4(Role::canvas);
  style.WindowRounding = 0;
  style.FrameRounding =
      0; // rounded corners add anti-aliased fringes: cheap on a GPU, not in llvmpipe
  style.ScrollbarSize = 12;
}

manifest::ScenarioLoad App::load_file(const std::string &path) const {
  manifest::ScenarioLoad load = inputs::load_scenario_file(path);
  if (load.scenario && !baselines_.empty())
    load.scenario = baselines::with_baselines(
        load.without_baselines ? *load.without_baselines : *load.scenario, baselines_);
  return load;
}

App::Loaded App::load_any(const std::string &path) const {
  Loaded out;
  // A scenario (or an INF) opens as one; any other input is one machine's evidence, diagnosed.
  const inputs::InputKind kind = inputs::sniff_input(path);
  if (kind == inputs::InputKind::scenario || kind == inputs::InputKind::inf) {
    out.load = load_file(path);
    return out;
  }
  const inputs::MachineEvidence ev = inputs::read_machine_evidence({path});
  if (ev.has_errors()) {
    for (const sim::Diagnostic &d : ev.diagnostics)
      if (d.severity == sim::Severity::error)
        out.load.diagnostics.push_back(d);
    return out;
  }
  diagnose::DiagnoseResult r = diagnose::diagnose(ev);
  if (!r.diagnosis) {
    out.load.diagnostics = std::move(r.errors);
    return out;
  }
  out.report = diagnose::build_document(*r.diagnosis);
  out.load.scenario = std::move(r.diagnosis->scenario);
  return out;
}

void App::open(const std::string &path) {
  ui_.path_input = path;
  Loaded loaded = load_any(path);
  if (loaded.load.scenario) {
    state_.load(std::move(*loaded.load.scenario), path);
    ui_.save_path_input = suggested_save_path(path);
    if (loaded.report)
      select_tab(ui::SideTab::diagnosis);
    state_.set_report(std::move(loaded.report));
  } else {
    state_.load_failed(path, std::move(loaded.load.diagnostics));
  }
  watcher_.watch(path);
}

void App::update(double seconds) {
  since_poll_ += seconds;
  if (state_.auto_reload() && since_poll_ >= kPollSeconds) {
    since_poll_ = 0;
    if (watcher_.changed())
      queue_.push_back(intent::Reload{});
  }
  state_.tick(seconds);
}

bool App::animating() const {
  return state_.timeline().playing() ||
         state_.planner().status == PlannerPanelState::Status::running;
}

void App::select_tab(ui::SideTab tab) {
  ui_.requested_tab = tab;
  ui_.tab_request_pending = true;
}

void App::draw() {
  const ImGuiViewport *vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoBackground;
  ImGui::Begin("fltsim-view", nullptr, flags);
  ui::draw_menu_bar(state_, ui_, queue_);
  ui::draw_file_bar(state_, ui_, queue_);
  ui::draw_save_popup(state_, ui_, queue_);

  const float timeline_h = ImGui::GetTextLineHeightWithSpacing() * 3 + 80;
  const float body_h = std::max(100.0f, ImGui::GetContentRegionAvail().y - timeline_h);
  // The stack panel takes what the picture needs, between 38% and 60% of the width.
  const float avail_w = ImGui::GetContentRegionAvail().x;
  const float want = state_.has_scenario() ? state_.stack_view().size.x + 20 : avail_w * 0.5f;
  const float left_w = std::clamp(want, avail_w * 0.38f, avail_w * 0.6f);

  ImGui::BeginChild("left", ImVec2(left_w, body_h));
  ui::draw_stack_panel(state_, queue_, canvas_);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("right", ImVec2(0, body_h));
  if (ImGui::BeginTabBar("side")) {
    const struct {
      const char *label;
      ui::SideTab tab;
    } tabs[] = {{"Drivers", ui::SideTab::drivers},
                {"Findings", ui::SideTab::findings},
                {"Trace", ui::SideTab::trace},
                {"Planner", ui::SideTab::planner},
                {"Diagnosis", ui::SideTab::diagnosis}};
    for (const auto &t : tabs) {
      const ImGuiTabItemFlags f = ui_.tab_request_pending && ui_.requested_tab == t.tab
                                      ? ImGuiTabItemFlags_SetSelected
                                      : ImGuiTabItemFlags_None;
      if (!ImGui::BeginTabItem(t.label, nullptr, f))
        continue;
      switch (t.tab) {
      case ui::SideTab::drivers:
        ui::draw_drivers_panel(state_, queue_);
        break;
      case ui::SideTab::findings:
        ui::draw_findings_panel(state_, queue_);
        break;
      case ui::SideTab::trace:
        ui::draw_trace_panel(state_, queue_);
        break;
      case ui::SideTab::planner:
        ui::draw_planner_panel(state_, ui_, queue_);
        break;
      case ui::SideTab::diagnosis:
        ui::draw_diagnosis_panel(state_);
        break;
      }
      ImGui::EndTabItem();
    }
    ui_.tab_request_pending = false;
    ImGui::EndTabBar();
  }
  ImGui::EndChild();

  ImGui::Separator();
  ui::draw_timeline_panel(state_, queue_);
  ImGui::End();
}

bool App::apply_intents() {
  // Intents can queue more work (a reload after a save); take the batch first.
  ActionQueue batch;
  batch.swap(queue_);
  for (const Intent &i : batch) {
    if (is_io_intent(i))
      handle_io(i);
    else
      state_.apply(i);
  }
  return !batch.empty();
}

void App::handle_io(const Intent &i) {
  if (const auto *o = std::get_if<intent::OpenFile>(&i)) {
    open(o->path);
  } else if (std::holds_alternative<intent::Reload>(i)) {
    if (state_.path().empty())
      return;
    Loaded loaded = load_any(state_.path());
    manifest::ScenarioLoad &load = loaded.load;
    if (!load.scenario) {
      state_.load_failed(state_.path(), std::move(load.diagnostics));
      return;
    }
    if (state_.has_scenario() && state_.scenario_path() == state_.path())
      state_.reload(std::move(*load.scenario)); // the same file changed: keep position, selection
    else
      state_.load(std::move(*load.scenario), state_.path()); // a file that failed to open, fixed
    state_.set_report(std::move(loaded.report));
  } else if (const auto *s = std::get_if<intent::SaveScenarioAs>(&i)) {
    save_as(s->path);
  }
}

void App::save_as(const std::string &path) {
  if (!state_.has_scenario())
    return;
  std::string comment = "Saved by fltsim-view from " + state_.path();
  const PlannerPanelState &p = state_.planner();
  if (p.applied && p.proposal)
    for (const std::string &c : p.proposal->changes)
      comment += "\nplanner fix: " + c;
  const std::string yaml = manifest::write_scenario_yaml(state_.scenario(), comment);
  // Never overwrite the file that is open: the fix goes into a new scenario file.
  std::vector<fs::path> inputs;
  if (!state_.path().empty())
    inputs.emplace_back(state_.path());
  if (auto err = io::write_file_atomic(path, yaml, inputs)) {
    state_.saved(path, false, "Not saved: " + *err);
    return;
  }
  state_.saved(path, true, "Saved " + path);
  ui_.path_input = path;
  watcher_.watch(path);
}

std::string App::layout_json(int image_width, int image_height) const {
  if (!state_.has_scenario() || !canvas_.drawn)
    return "{}\n";
  LayoutJsonInput in;
  in.view = &state_.stack_view();
  in.options = state_.layout();
  in.origin = canvas_.origin;
  in.clip = canvas_.clip;
  in.image_width = image_width;
  in.image_height = image_height;
  in.scenario = state_.scenario().title;
  in.step = state_.timeline().position();
  in.step_count = state_.timeline().step_count();
  return viewer::layout_json(in);
}

} // namespace fltsim::viewer
