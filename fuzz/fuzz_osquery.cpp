// Fuzzes the osquery result-log reader: bytes -> open_osquery_stream -> every host's rows ->
// load_machine (registry snapshot, import_machine). Diagnostics point at a line of the log; a
// machine that reads simulates and keeps the frame invariants.
#include <cstdint>
#include <sstream>
#include <string>

#include "fltsim/fleet/fleet_input.hpp"
#include "fltsim/fleet/osquery_input.hpp"
#include "fuzz_common.hpp"

using namespace fltsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string text(fuzz::as_text(data, size));
  const int lines = fuzz::count_lines(text);
  std::istringstream in(text);
  auto source = fleet::open_osquery_stream("o.log", in, {});
  while (auto raw = source->next()) {
    const fleet::MachineRecord rec = fleet::load_machine(*raw);
    FUZZ_CHECK(rec.scenario.has_value() == rec.diagnostics.empty());
    fuzz::check_diagnostics(rec.diagnostics, lines);
    if (rec.scenario)
      fuzz::check_engine(*rec.scenario, size, 24);
  }
  return 0;
}
