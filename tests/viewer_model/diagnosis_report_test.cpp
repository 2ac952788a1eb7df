// fltsim-view INPUT on a machine's evidence (docs/diagnose.md, docs/viewer.md): the view model
// shows the machine's stack and, beside it, `fltsim diagnose`'s report -- the same document the
// CLI renders -- without a window.
#include <doctest/doctest.h>

#include "fltsim/diagnose/diagnose.hpp"
#include "fltsim/inputs/machine_evidence.hpp"
#include "fltsim/io/platform.hpp"
#include "fltsim/viewer/viewer_state.hpp"
#include "support.hpp"

using namespace fltsim;

namespace {

diagnose::Diagnosis diagnose_input(const std::string &relative) {
  const inputs::MachineEvidence ev =
      inputs::read_machine_evidence({(test::source_root() / relative).string()});
  REQUIRE(!ev.has_errors());
  diagnose::DiagnoseResult r = diagnose::diagnose(ev);
  REQUIRE(r.diagnosis);
  return std::move(*r.diagnosis);
}

const diagnose::Section *section(const diagnose::Document &doc, const std::string &title) {
  for (const diagnose::Section &s : doc.sections)
    if (s.title == title)
      return &s;
  return nullptr;
}

} // namespace

TEST_CASE("a capture in the viewer: its stack, with the diagnosis beside it, a scenario has none") {
  const std::string path = "tests/corpus/fltmc/01-ntdebugging-avlegacy-encryptionlegacy-before.txt";
  const diagnose::Diagnosis d = diagnose_input(path);
  viewer::ViewerState s;
  s.load(d.scenario, path);
  s.set_report(diagnose::build_document(d));
  REQUIRE(s.report());
  // The picture: Frame 0 with AVMiniFilter, luafv, FileInfo; the two legacy filters above it.
  const viewer::StackView &v = s.stack_view();
  REQUIRE(v.frames.size() == 1);
  std::vector<std::string> names;
  for (const viewer::FilterBox &f : v.frames[0].filters)
    names.push_back(f.name);
  CHECK(names == std::vector<std::string>{"FileInfo", "luafv", "AVMiniFilter"});
  REQUIRE(v.legacy.size() == 2);
  CHECK(v.legacy[0].name == "EncryptionLegacy");
  CHECK(v.legacy[1].name == "AVLegacy");
  // The report beside it: the filters table, top of the stack first, and the inversion.
  const diagnose::Section *filters = section(*s.report(), "Filters");
  REQUIRE(filters);
  const diagnose::Block *table = nullptr;
  for (const diagnose::Block &b : filters->blocks)
    if (b.kind == diagnose::Block::Kind::table)
      table = &b;
  REQUIRE(table);
  REQUIRE(table->table.rows.size() == 5);
  CHECK(table->table.rows[0][1] == "AVLegacy");
  CHECK(table->table.rows[2][1] == "AVMiniFilter");
  const diagnose::Section *stack = section(*s.report(), "The stack explained");
  REQUIRE(stack);
  bool inversion = false;
  for (const diagnose::Block &b : stack->blocks)
    for (const std::string &i : b.items)
      inversion = inversion || i.starts_with("error altitude-inversion");
  CHECK(inversion);
  // The stack shows the machine the report is about: the same filters are inverted.
  bool inverted_box = false;
  for (const viewer::FilterBox &f : v.frames[0].filters)
    inverted_box = inverted_box || (f.name == "AVMiniFilter" && f.inverted);
  CHECK(inverted_box);
  // Opening a scenario file afterwards: no diagnosis is left over from the machine.
  s.load(d.scenario, "other.yaml");
  CHECK_FALSE(s.report());
}

// A hive: not readable under wine (tests/machine/machine_import_test.cpp).
TEST_CASE("a registry in the viewer: the predicted stack's frames and why Frame 1 exists" *
          doctest::skip(fltsim::io::running_under_wine())) {
  const diagnose::Diagnosis d = diagnose_input("tests/corpus/machine/system_small.hiv");
  viewer::ViewerState s;
  s.load(d.scenario, "system_small.hiv");
  s.set_report(diagnose::build_document(d));
  CHECK(s.stack_view().frames.size() == 2);
  const diagnose::Section *stack = section(*s.report(), "The stack explained");
  REQUIRE(stack);
  REQUIRE(!stack->blocks.empty());
  REQUIRE(!stack->blocks.front().items.empty());
  CHECK(stack->blocks.front().items.front().starts_with(
      "Frame 1 (329998.99 to 385303) exists because the legacy filter OldLegacy"));
}
