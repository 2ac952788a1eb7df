// The stack view's volume selector (docs/model.md#volume-policies): one volume's stack shows only
// what is attached to that volume.
#include <doctest/doctest.h>

#include "fltsim/sim/engine.hpp"
#include "fltsim/viewer/stack_view.hpp"
#include "fltsim/viewer/viewer_state.hpp"
#include "viewer_support.hpp"

using namespace fltsim;
using namespace fltsim::viewer;

namespace {
std::vector<std::string> minifilters(const StackView &v) {
  std::vector<std::string> out;
  for (const FrameBox &f : v.frames)
    for (const FilterBox &b : f.filters)
      out.push_back(b.name);
  return out;
}
std::vector<std::string> legacy(const StackView &v) {
  std::vector<std::string> out;
  for (const LegacyBlock &b : v.legacy)
    out.push_back(b.name);
  return out;
}
} // namespace

TEST_CASE("the volume selector shows each volume's own stack") {
  const sim::Scenario sc = test::load_bundled("volumes/dax_legacy_untrusted_dev_drive.yaml");
  const auto choices = volume_choices(sc);
  REQUIRE(choices.size() == 4);
  CHECK(choices[3].label == "P: (dax)");
  CHECK(choices[0].label == "C: (ntfs)");
  const sim::SimResult r = sim::simulate(sc);
  const StackView all = build_stack_view(sc, r);
  CHECK(legacy(all) == std::vector<std::string>{"EncLegacy"});
  // The DAX volume: no legacy filter, only the DAX-capable minifilters.
  const StackView dax = build_stack_view(sc, restrict_to_volume(r, "P:"));
  CHECK(legacy(dax).empty());
  CHECK(minifilters(dax) == std::vector<std::string>{"FileInfo", "WdFilter"});
  // The trusted Dev Drive with /disallowAv: only the allow-listed ProcMon24.
  const StackView dev = build_stack_view(sc, restrict_to_volume(r, "D:"));
  CHECK(minifilters(dev) == std::vector<std::string>{"ProcMon24"});
  CHECK(legacy(dev) == std::vector<std::string>{"EncLegacy"});

  ViewerState state(PlannerFunction{});
  state.load(sc, "x.yaml");
  CHECK(minifilters(state.stack_view()).size() == 3);
  state.apply(intent::SelectVolume{std::string("P:")});
  REQUIRE(state.selected_volume());
  CHECK(legacy(state.stack_view()).empty());
  state.apply(intent::SelectVolume{std::nullopt});
  CHECK(legacy(state.stack_view()) == std::vector<std::string>{"EncLegacy"});
}
