// Fuzzes the whole-machine .reg export reader: bytes -> decode_text -> read_reg_export ->
// import_machine. Whatever the import accepts must simulate without input errors
// (docs/machine-import.md#invariant); every diagnostic must be located inside the text.
#include <cstdint>
#include <string>

#include "fltsim/io/files.hpp"
#include "fltsim/machine/machine_import.hpp"
#include "fltsim/sim/engine.hpp"
#include "fuzz_common.hpp"

using namespace fltsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const io::DecodedText decoded = io::decode_text(fuzz::as_text(data, size), "f.reg");
  if (!decoded.text)
    return 0;
  const machine::RegistryRead r = machine::read_reg_export(*decoded.text, "f.reg");
  const int lines = fuzz::count_lines(*decoded.text);
  for (const sim::Diagnostic &d : r.errors)
    fuzz::check_diagnostic(d, lines);
  for (const sim::Diagnostic &d : r.warnings)
    fuzz::check_diagnostic(d, lines);
  if (!r.errors.empty())
    return 0;
  const machine::MachineImport imp = machine::import_machine(r.snapshot);
  if (!imp.scenario)
    return 0;
  const sim::SimResult res = sim::simulate(*imp.scenario);
  FUZZ_CHECK(res.input_errors.empty());
  fuzz::check_frame_invariants(*imp.scenario, res);
  return 0;
}
