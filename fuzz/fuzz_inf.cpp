// Fuzzes the INF reader: bytes -> read_inf (decode_inf: byte-order mark, else a code page
// through iconv; then parse_inf). The first byte picks the code page (1252, 936, 932, 65001) and
// is not part of the file, so the single-byte, double-byte and UTF-8 paths are all reached.
// Drivers it returns must be usable: they simulate, and every diagnostic and note is located in
// the file.
#include <cstdint>
#include <string>

#include "fltsim/manifest/inf_reader.hpp"
#include "fuzz_common.hpp"
#include "fuzz_readers.hpp"

using namespace fltsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static constexpr std::uint32_t codepages[] = {1252, 936, 932, 65001};
  if (size == 0)
    return 0;
  manifest::InfReadOptions options;
  options.codepage = codepages[data[0] % 4];
  const std::string_view bytes = fuzz::as_text(data + 1, size - 1);
  const manifest::InfText text = manifest::decode_inf(bytes, "f.inf", options);
  const manifest::IncludeResult r = manifest::read_inf(bytes, "f.inf", options);
  fuzz::check_reader_result(r, text.text, "f.inf");
  for (const sim::Diagnostic &n : r.notes)
    FUZZ_CHECK(n.location.file == "f.inf" && n.code == "kind-evidence");
  return 0;
}
