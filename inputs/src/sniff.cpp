// sniff_input: what a file or folder is, the one answer every dispatch point asks (inputs.hpp).
#include "fltsim/inputs/inputs.hpp"

#include <iterator>
#include <optional>
#include <string>
#include <system_error>

#include "fltsim/io/files.hpp"
#include "fltsim/io/input.hpp"
#include "fltsim/io/platform.hpp"
#include "fltsim/machine/machine_import.hpp"
#include "fltsim/machine/reg_text.hpp"
#include "fltsim/observed/events_reader.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::inputs {

namespace fs = std::filesystem;

const char *to_string(InputKind k) {
  // In the enumerators' order (inputs.hpp); `unknown` is the last.
  static constexpr const char *names[] = {
      "scenario", "inf",    "reg-manifest", "machine-registry", "capture", "event-log",
      "build",    "folder", "fleet-jsonl",  "osquery-log",      "unknown"};
  static_assert(std::size(names) == static_cast<std::size_t>(InputKind::unknown) + 1);
  const auto i = static_cast<std::size_t>(k);
  return i < std::size(names) ? names[i] : "?";
}

namespace {

// Lines are trimmed as the .reg reader trims them.
using machine::regtext::trim;

// The head decoded to UTF-8 as the readers decode whole files, or nullopt when it is not text.
// A head cut at the sniffing bound loses its last, possibly partial, line (a UTF-8 sequence or
// a UTF-16 code unit cut in two would otherwise make text look binary).
std::optional<std::string> decoded(std::string_view head, bool cut) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  const bool utf16 = head.size() >= 2 &&
                     ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF));
  if (cut) {
    if (utf16) {
      const bool le = byte(0) == 0xFF;
      std::size_t end = head.size() & ~std::size_t{1};
      while (end >= 4 && !(le ? (byte(end - 2) == '\n' && byte(end - 1) == 0)
                              : (byte(end - 2) == 0 && byte(end - 1) == '\n')))
        end -= 2;
      head = head.substr(0, end >= 4 ? end : head.size() & ~std::size_t{1});
    } else if (const std::size_t nl = head.rfind('\n'); nl != std::string_view::npos) {
      head = head.substr(0, nl + 1);
    }
  }
  io::DecodedText text = io::decode_text(head, "");
  return std::move(text.text);
}

// The first line of `text` with anything on it.
std::string_view first_line(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t nl = text.find('\n', at);
    const std::string_view line =
        trim(text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at));
    if (!line.empty())
      return line;
    if (nl == std::string_view::npos)
      break;
    at = nl + 1;
  }
  return {};
}

// A regedit export: whole-machine when one of its keys is not a service's (…\Services\…): the
// root of HKLM\SYSTEM, Select, a control set's root or Control.
InputKind registry_kind(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t nl = text.find('\n', at);
    const std::string_view line =
        trim(text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at));
    at = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.size() < 2 || line.front() != '[' || line.back() != ']')
      continue;
    const std::string key = sim::ascii_lower(std::string(line.substr(line[1] == '-' ? 2 : 1)));
    if (key.find("\\services\\") == std::string::npos && !key.ends_with("\\services]"))
      return InputKind::machine_registry;
  }
  return InputKind::reg_manifest;
}

} // namespace

InputKind sniff_input(const fs::path &path, std::string_view head) {
  const bool cut = head.size() >= sniff_head_bytes;
  if (cut)
    head = head.substr(0, sniff_head_bytes);
  // 1. A hive by its signature, whatever it is called.
  if (machine::looks_like_hive(head))
    return InputKind::machine_registry;
  // 2. Names that are trusted.
  const std::string name = sim::ascii_lower(io::path_to_utf8(path.filename()));
  if (name == "build" || name == "build.txt")
    return InputKind::build;
  const ManifestType by_name = manifest_type(path);
  if (by_name == ManifestType::yaml)
    return InputKind::scenario;
  if (by_name == ManifestType::inf)
    return InputKind::inf;
  const bool reg_name = by_name == ManifestType::reg;
  const std::optional<std::string> text = decoded(head, cut);
  if (!text) // binary, or text no reader decodes
    return reg_name ? InputKind::reg_manifest : InputKind::unknown;
  // 3. The first line that says something.
  const std::string_view first = first_line(*text);
  if (machine::regtext::header_is_utf16(first).has_value())
    return registry_kind(*text);
  if (first.find("\"hostIdentifier\"") != std::string_view::npos)
    return InputKind::osquery_log;
  const bool json_line = first.size() >= 2 && first.front() == '{' && first.back() == '}';
  const bool json_name = name.ends_with(".json");
  if (json_line && !json_name)
    return InputKind::fleet_jsonl;
  // 4. The readers of observations, on the head.
  if (!first.empty()) {
    if (!observed::parse_observed(*text, io::path_to_utf8(path)).sections.empty())
      return InputKind::capture;
    if (!observed::parse_filter_events(*text, io::path_to_utf8(path)).events.empty())
      return InputKind::event_log;
  }
  // 5. What is left.
  if (reg_name)
    return InputKind::reg_manifest;
  if (json_name && !first.empty() && first.front() == '{')
    return InputKind::fleet_jsonl;
  return InputKind::unknown;
}

InputKind sniff_input(const fs::path &path) {
  if (io::input_kind(path) == io::InputKind::directory)
    return InputKind::folder;
  // A name that decides needs only the signature (a hive wins over any name); else the head.
  const std::string name = sim::ascii_lower(io::path_to_utf8(path.filename()));
  const ManifestType by_name = manifest_type(path);
  const bool named = name == "build" || name == "build.txt" || by_name == ManifestType::yaml ||
                     by_name == ManifestType::inf;
  return sniff_input(path, io::peek_input(path, named ? 4 : sniff_head_bytes));
}

} // namespace fltsim::inputs
