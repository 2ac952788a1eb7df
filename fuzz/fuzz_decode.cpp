// Fuzzes decode_text, the byte -> UTF-8 step every reader goes through: success yields valid
// UTF-8 without NUL that equals the input (minus BOM) or re-encodes to the input's UTF-16 bytes;
// failure is an "encoding" diagnostic.
#include <cstdint>
#include <string>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fuzz_common.hpp"

using namespace fltsim;

namespace {

// Strict UTF-8 check (no NUL, no overlongs, no surrogates, <= U+10FFFF); decodes to `out`.
bool utf8_codepoints(std::string_view s, std::vector<char32_t> &out) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0)
      return false;
    std::size_t len = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 0;
    if (len == 0 || i + len > s.size())
      return false;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80)
        return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    static constexpr char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    out.push_back(cp);
    i += len;
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view bytes = fuzz::as_text(data, size);
  const io::DecodedText d = io::decode_text(bytes, "f");
  if (!d.text) {
    fuzz::check_diagnostic(d.error, 0);
    FUZZ_CHECK(d.error.code == "encoding");
    FUZZ_CHECK(d.error.location.file == "f");
    return 0;
  }
  std::vector<char32_t> cps;
  FUZZ_CHECK(utf8_codepoints(*d.text, cps));
  const bool le = size >= 2 && data[0] == 0xFF && data[1] == 0xFE;
  const bool be = size >= 2 && data[0] == 0xFE && data[1] == 0xFF;
  if (le || be) {
    std::string again;
    for (char32_t cp : cps) {
      auto put = [&](char32_t u) {
        const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
        again += le ? lo : hi;
        again += le ? hi : lo;
      };
      if (cp >= 0x10000) {
        put(0xD800 + ((cp - 0x10000) >> 10));
        put(0xDC00 + ((cp - 0x10000) & 0x3FF));
      } else {
        put(cp);
      }
    }
    FUZZ_CHECK(again == bytes.substr(2));
  } else {
    const bool bom = size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF;
    FUZZ_CHECK(*d.text == bytes.substr(bom ? 3 : 0));
  }
  return 0;
}
