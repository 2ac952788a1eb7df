// Whole-machine .reg reader (fltsim/manifest/machine_import.hpp): every key under HKLM\<hive>
// of a regedit / `reg export` file into a typed RegistrySnapshot. The value syntax is the one
// the per-service reader understands (reg_text.hpp): "text", dword:, hex:, hex(N):, '-' to
// delete a value, [-key] to delete a key and everything below it. Later writes replace earlier
// ones, as on import. Keys outside HKEY_LOCAL_MACHINE are skipped and counted in one warning.
#include <algorithm>
#include <string>

#include "fltsim/machine/machine_import.hpp"
#include "fltsim/machine/reg_text.hpp"

namespace fltsim::machine {

namespace {

using namespace regtext;
using sim::SourceLocation;

class ExportReader {
public:
  ExportReader(std::string_view text, std::string source, const RegistryLimits &limits,
               RegistryRead &out)
      : lines_(text), source_(std::move(source)), limits_(limits), out_(out) {
    out_.snapshot.source = source_;
  }

  void run() {
    std::string line;
    int lineno = 0;
    bool header = false;
    RegistryKey *key = nullptr;
    bool in_key = false;
    while (lines_.next(line, lineno)) {
      const std::string_view t = trim(line);
      if (t.empty() || t.front() == ';')
        continue;
      const SourceLocation here{source_, lineno, static_cast<int>(t.data() - line.data()) + 1};
      if (!header) {
        if (const auto utf16 = header_is_utf16(t)) {
          utf16_ = *utf16;
        } else {
          out_.errors.push_back(sim::make_diagnostic(here, "reg-missing-header", not_a_reg_file));
          return;
        }
        header = true;
        continue;
      }
      if (t.front() == '[') {
        in_key = true;
        key = key_line(t, here);
        if (stop_)
          return;
        continue;
      }
      if (t.front() == '"' || t.front() == '@') {
        if (!in_key) {
          warn(here, "reg-syntax", "a value line before any [key] line");
          continue;
        }
        if (key)
          value_line(t, here, *key);
        if (stop_)
          return;
        continue;
      }
      warn(here, "reg-syntax", line_not_understood);
    }
    if (!header) {
      out_.errors.push_back(
          sim::make_diagnostic({source_, 0, 0}, "reg-missing-header", empty_reg_file));
      return;
    }
    if (outside_ > 0)
      warn({source_, first_outside_, 1}, "reg-outside-hklm",
           std::to_string(outside_) +
               " keys outside HKEY_LOCAL_MACHINE were skipped (a machine import reads "
               "HKLM\\SYSTEM)");
  }

private:
  void warn(const SourceLocation &where, const char *code, std::string msg) {
    if (out_.warnings.size() >= 1000) {
      if (!capped_)
        out_.warnings.push_back(
            sim::make_warning(where, "too-many-errors", "stopping warnings after 1000"));
      capped_ = true;
      return;
    }
    out_.warnings.push_back(sim::make_warning(where, code, std::move(msg)));
  }

  RegistryKey *key_line(std::string_view t, const SourceLocation &here) {
    if (t.back() != ']') {
      warn(here, "reg-syntax", "a key line must end with ']'");
      return nullptr;
    }
    std::string_view path = t.substr(1, t.size() - 2);
    const bool remove = !path.empty() && path.front() == '-';
    if (remove)
      path.remove_prefix(1);
    const auto rel = system_relative_path(path, true);
    if (!rel) {
      if (outside_++ == 0)
        first_outside_ = here.line;
      return nullptr;
    }
    if (remove) {
      out_.snapshot.remove_tree(*rel);
      return nullptr;
    }
    const std::size_t depth =
        rel->empty() ? 0 : static_cast<std::size_t>(std::count(rel->begin(), rel->end(), '\\')) + 1;
    if (depth > limits_.max_depth) {
      limit(here, "the key nests " + std::to_string(depth) + " deep; the limit is " +
                      std::to_string(limits_.max_depth));
      return nullptr;
    }
    RegistryKey &k = out_.snapshot.key(*rel, here);
    if (out_.snapshot.key_count() > limits_.max_keys) {
      limit(here, "more than " + std::to_string(limits_.max_keys) + " keys");
      return nullptr;
    }
    return &k;
  }

  void limit(const SourceLocation &here, const std::string &what) {
    out_.errors.push_back(sim::make_diagnostic(
        here, "limit", what + " (docs/reliability.md#limits); refusing the file"));
    stop_ = true;
  }

  void store(RegistryKey &key, RegValue v, const SourceLocation &here) {
    if (key.find(v.name) == nullptr) {
      if (key.values.size() >= limits_.max_values_per_key)
        return limit(here, "[" + key.path + "] has more than " +
                               std::to_string(limits_.max_values_per_key) + " values");
      if (++values_ > limits_.max_values)
        return limit(here, "more than " + std::to_string(limits_.max_values) + " values");
    }
    key.set(std::move(v));
  }

  void value_line(std::string_view t, const SourceLocation &here, RegistryKey &key) {
    ValueLine vl = split_value_line(t);
    if (vl.error) {
      warn(here, "reg-syntax", vl.error);
      return;
    }
    std::string name = std::move(vl.name);
    const std::size_t i = vl.data_at;
    const SourceLocation vloc{source_, here.line, here.column + static_cast<int>(i)};
    const RegData d = parse_data(t.substr(i));
    const std::string label = "value \"" + name + "\" of [" + key.path + "]";
    switch (d.kind) {
    case RegData::Kind::invalid:
      warn(vloc, "reg-syntax", label + ": " + d.error);
      return;
    case RegData::Kind::remove:
      key.erase(name);
      return;
    case RegData::Kind::string:
      store(key, RegValue::sz(std::move(name), d.text, vloc), vloc);
      return;
    case RegData::Kind::dword:
      store(key, RegValue::dword(std::move(name), d.dword, vloc), vloc);
      return;
    case RegData::Kind::hex:
      break;
    }
    RegValue v;
    v.name = std::move(name);
    v.raw_type = d.hex_type;
    v.location = vloc;
    std::string why;
    switch (d.hex_type) {
    case reg_sz:
    case reg_expand_sz: {
      auto s = decode_strings(d.bytes, utf16_, false, &why);
      if (!s) {
        warn(vloc, "reg-bad-value", label + ": " + why);
        return;
      }
      v.type = d.hex_type == reg_sz ? RegType::sz : RegType::expand_sz;
      v.text = s->empty() ? std::string() : std::move(s->front());
      break;
    }
    case reg_multi_sz: {
      auto s = decode_strings(d.bytes, utf16_, true, &why);
      if (!s) {
        warn(vloc, "reg-bad-value", label + ": " + why);
        return;
      }
      v.type = RegType::multi_sz;
      v.strings = std::move(*s);
      break;
    }
    case reg_dword:
      if (d.bytes.size() != 4) {
        warn(vloc, "reg-bad-value",
             label + ": REG_DWORD data must be 4 bytes, got " + std::to_string(d.bytes.size()));
        return;
      }
      v.type = RegType::dword;
      v.number = std::uint32_t{d.bytes[0]} | (std::uint32_t{d.bytes[1]} << 8) |
                 (std::uint32_t{d.bytes[2]} << 16) | (std::uint32_t{d.bytes[3]} << 24);
      break;
    case 11: // REG_QWORD
      v.type = d.bytes.size() == 8 ? RegType::qword : RegType::other;
      for (std::size_t k = 0; k < 8 && k < d.bytes.size(); ++k)
        v.number |= std::uint64_t{d.bytes[k]} << (8 * k);
      v.bytes = d.bytes;
      break;
    case reg_binary:
      v.type = RegType::binary;
      v.bytes = d.bytes;
      break;
    case 0:
      v.type = RegType::none;
      v.bytes = d.bytes;
      break;
    default:
      v.type = RegType::other;
      v.bytes = d.bytes;
      break;
    }
    store(key, std::move(v), vloc);
  }

  LogicalLines lines_;
  std::string source_;
  const RegistryLimits &limits_;
  RegistryRead &out_;
  bool stop_ = false;
  std::size_t values_ = 0;
  bool utf16_ = true;
  bool capped_ = false;
  std::size_t outside_ = 0;
  int first_outside_ = 0;
};

} // namespace

RegistryRead read_reg_export(std::string_view utf8_text, const std::string &source_name,
                             const RegistryLimits &limits) {
  RegistryRead out;
  try {
    ExportReader(utf8_text, source_name, limits, out).run();
  } catch (const std::exception &e) { // std::bad_alloc on absurd input: report, never throw
    out.snapshot = RegistrySnapshot{};
    out.snapshot.source = source_name;
    out.errors.push_back(sim::make_diagnostic(
        {source_name, 0, 0}, "limit", std::string("the .reg file could not be read: ") + e.what()));
  }
  return out;
}

} // namespace fltsim::machine
