// Fuzzes the .reg export reader: bytes -> decode_text -> parse_reg. Drivers it returns must be
// usable: they simulate, and a clean read writes to YAML that the scenario reader accepts.
#include <cstdint>
#include <string>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/reg_reader.hpp"
#include "fuzz_common.hpp"
#include "fuzz_readers.hpp"

using namespace fltsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const io::DecodedText decoded = io::decode_text(fuzz::as_text(data, size), "f.reg");
  if (!decoded.text) {
    fuzz::check_diagnostic(decoded.error, 0);
    return 0;
  }
  const manifest::IncludeResult r = manifest::parse_reg(*decoded.text, "f.reg");
  fuzz::check_reader_result(r, *decoded.text, "f.reg");
  return 0;
}
