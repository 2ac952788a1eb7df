// Fuzzes the offline hive reader through libhivex: bytes -> a file -> read_system_hive ->
// import_machine. Whatever the import accepts must simulate without input errors
// (docs/machine-import.md#invariant); every diagnostic must be well formed.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "fltsim/machine/machine_import.hpp"
#include "fltsim/sim/engine.hpp"
#include "fuzz_common.hpp"

using namespace fltsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const std::string path = "/tmp/fltsim-fuzz-hive-" + std::to_string(::getpid());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
  }
  machine::RegistryLimits limits;
  limits.max_keys = 20000; // a fuzz input is small; keep each run fast
  const machine::RegistryRead r = machine::read_system_hive(path, limits);
  for (const sim::Diagnostic &d : r.errors) {
    fuzz::check_diagnostic(d, 0);
    FUZZ_CHECK(d.location.file == path);
  }
  for (const sim::Diagnostic &d : r.warnings)
    fuzz::check_diagnostic(d, 0);
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
