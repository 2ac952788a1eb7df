#pragma once
// Minifilter INF reader (docs/check.md): [Version], DefaultInstall*.Services AddService, the
// service install section (LoadOrderGroup, StartType, ServiceType, Dependencies, AddReg), AddReg
// lines for Parameters\Instances (DefaultInstance, <inst>\Altitude, <inst>\Flags) wherever the
// install writes them, [Strings] substitution; keys case-insensitive; CRLF.
//
// Bytes become text as Windows reads an INF (decode_inf): UTF-16LE/BE or UTF-8 when the file
// starts with that byte-order mark, otherwise the ANSI code page (InfReadOptions::codepage,
// Windows-1252 unless told otherwise), converted with glibc's iconv.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/sim/diagnostic.hpp"

namespace fltsim::manifest {

/// How INF bytes are read (learn.microsoft.com, "General Unicode requirement in INF files": an
/// INF is saved as UTF-16LE or ANSI; SetupAPI takes a file without a BOM for ANSI text in the
/// system code page).
struct InfReadOptions {
  /// Windows code page of INFs without a byte-order mark: 1252 (Western, the default), 936
  /// (Simplified Chinese, GBK), 932, 949, 950, 1250-1258, 437, 850, ...; 65001 = UTF-8.
  std::uint32_t codepage = default_codepage;
  static constexpr std::uint32_t default_codepage = 1252;
};

/// True when `codepage` is a Windows code page this build can convert (iconv knows it).
[[nodiscard]] bool inf_codepage_supported(std::uint32_t codepage);

/// INF bytes as UTF-8. A byte the code page does not map (or a broken UTF-8/UTF-16 sequence)
/// becomes U+FFFD: inside a ';' comment that is all, anywhere else it is an `encoding`
/// diagnostic at its line and column. A NUL byte outside UTF-16 is one too. `text` is always
/// set; `diagnostics` only holds those located problems (and an unsupported code page).
struct InfText {
  std::string text;
  std::vector<sim::Diagnostic> diagnostics;
};
[[nodiscard]] InfText decode_inf(std::string_view bytes, const std::string &source_name,
                                 const InfReadOptions &options = {});

/// One driver per service-install section that AddService names. Problems carry file:line.
/// `text` is decoded UTF-8 (decode_inf).
[[nodiscard]] IncludeResult parse_inf(std::string_view text, const std::string &source_name);

/// decode_inf then parse_inf: the drivers of INF file bytes, with the decoding diagnostics first.
[[nodiscard]] IncludeResult read_inf(std::string_view bytes, const std::string &source_name,
                                     const InfReadOptions &options = {});

} // namespace fltsim::manifest
