// Fleet inputs: JSONL machines, machine directory trees, dispatch (fleet_input.hpp).
#include "fltsim/fleet/fleet_input.hpp"
#include "fltsim/io/platform.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fltsim/fleet/osquery_input.hpp"
#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/manifest/scenario_yaml.hpp"
#include "fltsim/observed/observed.hpp"
#include "fltsim/observed/observed_import.hpp"
#include "fltsim/sim/groups.hpp"
#include "json_limits.hpp"
#include "scenario_json.hpp"

namespace fltsim::fleet {

// The readers a machine record goes through (the door, the capture and registry readers).
using inputs::load_manifest_file;
using inputs::load_scenario_file;
using inputs::manifest_type;
using inputs::ManifestType;
using io::decode_text;
using io::DecodedText;
using io::max_input_bytes;
using io::read_text_file;
using manifest::IncludeResult;
using manifest::ScenarioLoad;
using observed::ImportResult;
using observed::ObservedStack;
using observed::parse_observed;

namespace fs = std::filesystem;
using sim::Diagnostic;

namespace {

// ---- the JSONL envelope --------------------------------------------------------------------
// The line is scanned once for its top-level keys and the byte span of each value; "machine" and
// "build" are decoded by nlohmann::json, "scenario" is handed to the scenario reader as text.

struct Span {
  std::size_t begin = 0, end = 0;
};

class Scanner {
public:
  explicit Scanner(std::string_view s) : s_(s) {}
  std::size_t pos = 0;
  std::string error;

  void ws() {
    while (pos < s_.size() && (s_[pos] == ' ' || s_[pos] == '\t' || s_[pos] == '\r'))
      ++pos;
  }
  /// After an object member: ',' (another member follows), '}' (the object ends) or neither.
  enum class AfterMember { next, end, neither };
  AfterMember after_member() {
    ws();
    if (pos < s_.size() && (s_[pos] == ',' || s_[pos] == '}'))
      return s_[pos++] == ',' ? AfterMember::next : AfterMember::end;
    return AfterMember::neither;
  }
  bool string_end() { // at '"'
    ++pos;
    while (pos < s_.size()) {
      const char c = s_[pos++];
      if (c == '\\')
        ++pos;
      else if (c == '"')
        return true;
    }
    error = "a string is not closed before the end of the line";
    return false;
  }
  // Skips one JSON value; depth-bounded so a crafted line cannot exhaust the stack.
  bool value(int depth = 0) {
    ws();
    if (pos >= s_.size()) {
      error = "expected a value, found the end of the line";
      return false;
    }
    const char c = s_[pos];
    if (c == '"')
      return string_end();
    if (c == '{' || c == '[') {
      if (depth > 64) {
        error = "values nest more than 64 levels deep";
        return false;
      }
      const char close = c == '{' ? '}' : ']';
      ++pos;
      ws();
      if (pos < s_.size() && s_[pos] == close) {
        ++pos;
        return true;
      }
      while (true) {
        if (c == '{') {
          ws();
          if (pos >= s_.size() || s_[pos] != '"') {
            error = "expected a quoted key";
            return false;
          }
          if (!string_end())
            return false;
          ws();
          if (pos >= s_.size() || s_[pos] != ':') {
            error = "expected ':' after a key";
            return false;
          }
          ++pos;
        }
        if (!value(depth + 1))
          return false;
        ws();
        if (pos < s_.size() && s_[pos] == ',') {
          ++pos;
          continue;
        }
        if (pos < s_.size() && s_[pos] == close) {
          ++pos;
          return true;
        }
        error = std::string("expected ',' or '") + close + "'";
        return false;
      }
    }
    // number, true, false, null
    const std::size_t start = pos;
    while (pos < s_.size() && std::string_view(",}] \t\r").find(s_[pos]) == std::string_view::npos)
      ++pos;
    if (pos == start) {
      error = std::string("unexpected '") + c + "'";
      return false;
    }
    return true;
  }

private:
  std::string_view s_;
};

sim::SourceLocation at(const std::string &source, int line, std::size_t pos) {
  return {source, line, static_cast<int>(pos) + 1};
}

// A quoted JSON string (quotes included) decoded: its bytes when it has no escape and no control
// character (the usual case, and the line is valid UTF-8 by then), else what nlohmann::json makes
// of it; nullopt when it is not a valid JSON string.
std::optional<std::string> json_string(std::string_view quoted) {
  if (quoted.size() >= 2 && quoted.front() == '"' && quoted.back() == '"') {
    const std::string_view inner = quoted.substr(1, quoted.size() - 2);
    if (std::none_of(inner.begin(), inner.end(), [](char c) {
          return c == '\\' || c == '"' || static_cast<unsigned char>(c) < 0x20;
        }))
      return std::string(inner);
  }
  try {
    auto j = nlohmann::json::parse(quoted);
    if (j.is_string())
      return j.get<std::string>();
  } catch (const nlohmann::json::exception &) {
  }
  return std::nullopt;
}

// JSON text is UTF-8 (RFC 8259 section 8.1): where a line is not, as decode_text() reports it
// (only lines with a byte above 0x7F or a NUL are looked at).
// No NUL and no byte >= 0x80, eight bytes at a time.
bool plain_ascii(std::string_view s) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  std::size_t i = 0;
  std::uint64_t bad = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    bad |= ((x - ones) & ~x) | x; // a zero byte, or a high bit
  }
  if (bad & high)
    return false;
  for (; i < s.size(); ++i)
    if (s[i] == '\0' || static_cast<unsigned char>(s[i]) >= 0x80)
      return false;
  return true;
}

std::optional<sim::Diagnostic> invalid_utf8(std::string_view line, const std::string &source,
                                            int line_no) {
  if (plain_ascii(line))
    return std::nullopt;
  const bool utf16_bom = line.size() >= 2 && ((static_cast<unsigned char>(line[0]) == 0xFF &&
                                               static_cast<unsigned char>(line[1]) == 0xFE) ||
                                              (static_cast<unsigned char>(line[0]) == 0xFE &&
                                               static_cast<unsigned char>(line[1]) == 0xFF));
  DecodedText t = decode_text(line, source);
  if (t.text && !utf16_bom)
    return std::nullopt;
  sim::Diagnostic d =
      t.text ? sim::make_diagnostic({source, 1, 1}, "encoding", "invalid UTF-8 byte sequence")
             : std::move(t.error);
  d.location.line = line_no;
  // decode_text() locates what concerns the whole text (an odd byte count of UTF-16) at column
  // 0; on a record's line that is its first column (found by fuzz_fleet_jsonl).
  if (d.location.column < 1)
    d.location.column = 1;
  return d;
}

} // namespace

MachineEnvelope split_machine_json_line(std::string_view line, const std::string &source,
                                        int line_no) {
  MachineEnvelope rec;
  rec.location = {source, line_no, 1};
  rec.machine = source + ":" + std::to_string(line_no);
  auto fail = [&](std::size_t pos, std::string code, std::string msg) {
    rec.diagnostics.push_back(
        sim::make_diagnostic(at(source, line_no, pos), std::move(code), std::move(msg)));
    return rec;
  };
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  if (auto bad = invalid_utf8(line, source, line_no)) {
    rec.diagnostics.push_back(std::move(*bad));
    return rec;
  }
  Scanner sc(line);
  sc.ws();
  if (sc.pos >= line.size() || line[sc.pos] != '{')
    return fail(sc.pos, "fleet-record",
                "expected a JSON object {\"machine\": ..., \"scenario\": {...}} on this line");
  ++sc.pos;
  std::optional<Span> machine, build, scenario;
  sc.ws();
  if (sc.pos < line.size() && line[sc.pos] == '}')
    ++sc.pos;
  else
    while (true) {
      sc.ws();
      const std::size_t key_at = sc.pos;
      if (sc.pos >= line.size() || line[sc.pos] != '"')
        return fail(sc.pos, "fleet-record", "expected a quoted key");
      if (!sc.string_end())
        return fail(key_at, "fleet-record", sc.error);
      const std::optional<std::string> decoded = json_string(line.substr(key_at, sc.pos - key_at));
      if (!decoded)
        return fail(key_at, "fleet-record", "the key is not a valid JSON string");
      const std::string &key = *decoded;
      sc.ws();
      if (sc.pos >= line.size() || line[sc.pos] != ':')
        return fail(sc.pos, "fleet-record", "expected ':' after the key");
      ++sc.pos;
      sc.ws();
      const std::size_t value_at = sc.pos;
      if (!sc.value())
        return fail(sc.pos, "fleet-record", sc.error);
      const Span span{value_at, sc.pos};
      std::optional<Span> *slot = key == "machine"    ? &machine
                                  : key == "build"    ? &build
                                  : key == "scenario" ? &scenario
                                                      : nullptr;
      if (!slot)
        return fail(key_at, "unknown-key",
                    "unknown key '" + key +
                        "' in a fleet record; expected one of: machine, build, scenario");
      if (*slot)
        return fail(key_at, "duplicate-key", "key '" + key + "' appears twice in the record");
      *slot = span;
      const Scanner::AfterMember after = sc.after_member();
      if (after == Scanner::AfterMember::next)
        continue;
      if (after == Scanner::AfterMember::end)
        break;
      return fail(sc.pos, "fleet-record", "expected ',' or '}'");
    }
  sc.ws();
  if (sc.pos < line.size())
    return fail(sc.pos, "fleet-record", "unexpected text after the record's closing '}'");

  auto string_at = [&](const Span &s, const char *what) -> std::optional<std::string> {
    if (auto v = json_string(line.substr(s.begin, s.end - s.begin)); v && !v->empty())
      return v;
    fail(s.begin, "wrong-type", std::string("'") + what + "' must be a non-empty string");
    return std::nullopt;
  };
  if (!machine)
    return fail(0, "missing-key", "a fleet record needs 'machine' (the host's name)");
  if (auto m = string_at(*machine, "machine"))
    rec.machine = *m;
  if (build)
    if (auto b = string_at(*build, "build"))
      rec.build = *b;
  if (!scenario)
    return fail(0, "missing-key", "a fleet record needs 'scenario' (the scenario format as JSON)");
  if (line[scenario->begin] != '{')
    return fail(scenario->begin, "wrong-type", "'scenario' must be an object");
  rec.scenario = line.substr(scenario->begin, scenario->end - scenario->begin);
  rec.scenario_offset = scenario->begin;
  return rec;
}

bool detail::read_machine_json_line(std::string_view line, const std::string &source, int line_no,
                                    MachineEnvelope &env, sim::Scenario &into, DriverCache *cache) {
  // split_machine_json_line() without its error paths (any of them returns false), reading the
  // scenario where that skipped it: the line is read once, not skipped and then read.
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  if (invalid_utf8(line, source, line_no))
    return false;
  Scanner sc(line);
  sc.ws();
  if (sc.pos >= line.size() || line[sc.pos] != '{')
    return false;
  ++sc.pos;
  std::optional<Span> machine, build, scenario;
  while (true) {
    sc.ws();
    const std::size_t key_at = sc.pos;
    if (sc.pos >= line.size() || line[sc.pos] != '"' || !sc.string_end())
      return false;
    const std::optional<std::string> key = json_string(line.substr(key_at, sc.pos - key_at));
    if (!key)
      return false;
    sc.ws();
    if (sc.pos >= line.size() || line[sc.pos] != ':')
      return false;
    ++sc.pos;
    sc.ws();
    const std::size_t value_at = sc.pos;
    std::optional<Span> *slot = *key == "machine"    ? &machine
                                : *key == "build"    ? &build
                                : *key == "scenario" ? &scenario
                                                     : nullptr;
    if (!slot || *slot)
      return false;
    if (slot == &scenario) {
      // The fast reader takes only well-formed JSON, so where it ends is where the scan would.
      std::size_t end = 0;
      if (value_at >= line.size() || line[value_at] != '{' ||
          !read_scenario_json_prefix(line.substr(value_at), source, line_no,
                                     static_cast<int>(value_at), into, end, cache))
        return false;
      sc.pos = value_at + end;
    } else if (!sc.value()) {
      return false;
    }
    *slot = Span{value_at, sc.pos};
    const Scanner::AfterMember after = sc.after_member();
    if (after == Scanner::AfterMember::next)
      continue;
    if (after == Scanner::AfterMember::end)
      break;
    return false;
  }
  sc.ws();
  if (sc.pos < line.size() || !machine || !scenario)
    return false;
  auto string_at = [&](const Span &s) {
    return json_string(line.substr(s.begin, s.end - s.begin));
  };
  std::optional<std::string> m = string_at(*machine);
  if (!m || m->empty())
    return false;
  std::optional<std::string> b;
  if (build) {
    b = string_at(*build);
    if (!b || b->empty())
      return false;
  }
  env.machine = std::move(*m);
  env.build = b ? std::move(*b) : std::string();
  env.scenario = line.substr(scenario->begin, scenario->end - scenario->begin);
  env.scenario_offset = scenario->begin;
  env.diagnostics.clear();
  env.location = {source, line_no, 1};
  return true;
}

namespace {
// A record with the envelope's identity and diagnostics, before its scenario is read.
MachineRecord record_from(const MachineEnvelope &env) {
  MachineRecord rec;
  rec.machine = env.machine;
  rec.build = env.build;
  rec.location = env.location;
  rec.diagnostics = env.diagnostics;
  return rec;
}
} // namespace

MachineRecord parse_machine_scenario(const MachineEnvelope &env) {
  MachineRecord rec = record_from(env);
  if (!rec.diagnostics.empty())
    return rec;
  // The fast reader first (fleet_json.hpp); what it does not take, the scenario reader itself.
  sim::Scenario fast;
  if (detail::read_scenario_json(env.scenario, env.location.file, env.location.line,
                                 static_cast<int>(env.scenario_offset), fast)) {
    rec.scenario = std::move(fast);
    return rec;
  }
  return parse_machine_scenario_yaml(env);
}

MachineRecord parse_machine_scenario_yaml(const MachineEnvelope &env) {
  MachineRecord rec = record_from(env);
  if (!rec.diagnostics.empty())
    return rec;
  const std::string &source = env.location.file;
  const int line_no = env.location.line;
  // The scenario reader on the value's text: one line, so its line is 1 and its column counts
  // from the value's first byte; both are moved to the JSONL line. No include: a record stands
  // alone.
  ScenarioLoad load = inputs::parse_scenario_text(env.scenario, source);
  for (Diagnostic &d : load.diagnostics) {
    if (d.location.line >= 1)
      d.location.column += static_cast<int>(env.scenario_offset);
    d.location.line = line_no;
    if (d.location.column == 0)
      d.location.column = static_cast<int>(env.scenario_offset) + 1;
    rec.diagnostics.push_back(std::move(d));
  }
  if (!rec.diagnostics.empty())
    return rec;
  // Locations in the record (not those of a baseline's file) move to the JSONL line as well.
  auto move_loc = [&](sim::SourceLocation &l) {
    if (l.file != source || l.line < 1)
      return;
    l.line = line_no;
    l.column += static_cast<int>(env.scenario_offset);
  };
  for (sim::Driver &d : load.scenario->drivers) {
    move_loc(d.location);
    for (sim::Instance &i : d.instances)
      move_loc(i.location);
  }
  for (sim::Event &e : load.scenario->events)
    move_loc(e.location);
  rec.scenario = std::move(load.scenario);
  return rec;
}

MachineRecord parse_machine_json_line(std::string_view line, const std::string &source,
                                      int line_no) {
  return parse_machine_scenario(split_machine_json_line(line, source, line_no));
}

// ---- directory trees -------------------------------------------------------------------------

namespace {

// A FIFO, device or socket where a machine's files are: never opened, reported.
sim::Diagnostic not_a_file(const fs::path &p) {
  sim::Diagnostic d =
      sim::make_diagnostic({io::path_to_utf8(p), 0, 0}, "fleet-machine",
                           "not a regular file (a FIFO, device or socket); skipped");
  d.severity = sim::Severity::note;
  return d;
}

bool is_capture_name(const std::string &lower) {
  return lower == "fltmc_filters.out" || lower == "fltmc_instances.out" || lower == "fltmc.txt" ||
         lower.ends_with(".fltmc") || lower.ends_with(".fltkd") ||
         (lower.ends_with(".txt") &&
          (lower.find("fltmc") != std::string::npos || lower.find("fltkd") != std::string::npos));
}

void add_drivers(sim::Scenario &sc, std::vector<sim::Driver> drivers) {
  for (sim::Driver &d : drivers) {
    const int at = sc.find_driver(d.name);
    if (at >= 0)
      sc.drivers[static_cast<std::size_t>(at)] = std::move(d); // a later file overrides
    else
      sc.drivers.push_back(std::move(d));
  }
}

} // namespace

MachineRecord load_machine_path(const fs::path &path, const std::string &name) {
  MachineRecord rec;
  rec.machine = name;
  rec.location = {io::path_to_utf8(path), 0, 0};
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code e;
      if (it->is_regular_file(e))
        files.push_back(it->path());
      else if (!it->is_directory(e)) // reading a FIFO would wait for a writer forever
        rec.notes.push_back(not_a_file(it->path()));
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  // A machine folder's files are taken by name (a support bundle holds many others); one file
  // named alone is what the door says it is.
  const bool alone_is_capture = files.size() == 1 && files.front() == path &&
                                inputs::sniff_input(path) == inputs::InputKind::capture;
  std::optional<sim::Scenario> scenario;
  std::vector<sim::Driver> drivers;
  ObservedStack captures; // every capture of the machine, in name order, each file read alone
  std::string capture_name;
  bool used = false;
  for (const fs::path &f : files) {
    const std::string lower = sim::ascii_lower(io::path_to_utf8(f.filename()));
    if (lower == "build" || lower == "build.txt") { // the Windows build, one line
      if (DecodedText t = read_text_file(f); t.text) {
        std::string b = *t.text;
        while (!b.empty() && (b.back() == '\n' || b.back() == '\r' || b.back() == ' '))
          b.pop_back();
        rec.build = b;
      }
      continue;
    }
    if (is_capture_name(lower) || alone_is_capture) {
      DecodedText t = read_text_file(f);
      if (!t.text) {
        rec.diagnostics.push_back(t.error);
        continue;
      }
      ObservedStack one = parse_observed(*t.text, io::path_to_utf8(f));
      for (auto &sec : one.sections)
        captures.sections.push_back(std::move(sec));
      for (auto &d : one.diagnostics)
        captures.diagnostics.push_back(std::move(d));
      capture_name = capture_name.empty() ? io::path_to_utf8(f) : capture_name;
      used = true;
      continue;
    }
    const ManifestType type = manifest_type(f);
    if (type == ManifestType::unknown)
      continue; // other files of a support bundle
    used = true;
    if (type == ManifestType::yaml) {
      // A scenario (has `drivers:` / `scenario:`) or a per-driver manifest (has `name:`).
      DecodedText t = read_text_file(f);
      if (!t.text) {
        rec.diagnostics.push_back(t.error);
        continue;
      }
      if (t.text->find("drivers:") != std::string::npos ||
          t.text->find("scenario:") != std::string::npos) {
        ScenarioLoad load = load_scenario_file(f);
        if (!load.diagnostics.empty()) {
          for (auto &d : load.diagnostics)
            rec.diagnostics.push_back(std::move(d));
          continue;
        }
        if (scenario) {
          rec.diagnostics.push_back(sim::make_diagnostic(
              {io::path_to_utf8(f), 0, 0}, "fleet-machine",
              "a second scenario file for machine '" + name + "'; expected one per machine"));
          continue;
        }
        scenario = std::move(load.scenario);
        continue;
      }
    }
    IncludeResult r = load_manifest_file(f);
    for (auto &d : r.diagnostics)
      rec.diagnostics.push_back(std::move(d));
    for (auto &d : r.drivers)
      drivers.push_back(std::move(d));
  }
  if (!capture_name.empty()) {
    ImportResult imp = import_observed(captures, capture_name);
    for (auto &d : captures.diagnostics)
      rec.diagnostics.push_back(d);
    for (auto &d : imp.errors)
      rec.diagnostics.push_back(std::move(d));
    if (imp.scenario) {
      if (!scenario)
        scenario = std::move(imp.scenario);
      else
        add_drivers(*scenario, std::move(imp.scenario->drivers));
    }
  }
  if (!used && rec.diagnostics.empty())
    rec.diagnostics.push_back(sim::make_diagnostic(
        {io::path_to_utf8(path), 0, 0}, "fleet-machine",
        "nothing fltsim reads here: expected a scenario .yaml, .reg / .inf manifests or fltmc "
        "captures (FLTMC_Filters.out)"));
  if (!rec.diagnostics.empty())
    return rec;
  if (!scenario) {
    scenario.emplace();
    scenario->title = name;
  }
  add_drivers(*scenario, std::move(drivers));
  rec.scenario = std::move(scenario);
  return rec;
}

MachineRecord load_machine(const RawMachine &raw) {
  switch (raw.kind) {
  case RawMachine::Kind::json_line:
    return parse_machine_json_line(raw.text, raw.location.file, raw.location.line);
  case RawMachine::Kind::directory:
  case RawMachine::Kind::file:
    return load_machine_path(raw.path, raw.name);
  case RawMachine::Kind::registry_rows:
    return machine_from_registry_rows(raw.name, raw.rows, raw.location);
  case RawMachine::Kind::error:
  case RawMachine::Kind::skipped:
    break;
  }
  MachineRecord rec;
  rec.machine =
      raw.name.empty() ? raw.location.file + ":" + std::to_string(raw.location.line) : raw.name;
  rec.location = raw.location;
  rec.diagnostics = raw.errors;
  return rec;
}

// ---- sources ---------------------------------------------------------------------------------

namespace {

// Lines of a file or stdin, read with a fixed buffer (no whole-file read).
class LineSource : public MachineSource {
public:
  LineSource(std::string name, std::istream *in, std::unique_ptr<std::ifstream> owned,
             std::uint64_t total, int line_offset = 0, std::vector<std::string> read = {})
      : name_(std::move(name)), in_(in), owned_(std::move(owned)), total_(total),
        line_no_(line_offset), first_(line_offset + 1), read_(std::move(read)) {}

  std::optional<RawMachine> next() override {
    std::string line;
    while (next_line(line)) {
      ++line_no_;
      done_ += line.size() + 1;
      if (line.size() > max_input_bytes) {
        RawMachine raw;
        raw.kind = RawMachine::Kind::error;
        raw.location = {name_, line_no_, 1};
        raw.errors.push_back(sim::make_diagnostic(raw.location, "limit",
                                                  "the line is longer than the input size limit"));
        return raw;
      }
      if (line_no_ == first_ && line.starts_with("\xEF\xBB\xBF"))
        line.erase(0, 3);
      if (line.find_first_not_of(" \t\r") == std::string::npos)
        continue; // blank lines are allowed
      RawMachine raw;
      raw.kind = RawMachine::Kind::json_line;
      raw.text = std::move(line);
      raw.location = {name_, line_no_, 1};
      return raw;
    }
    return std::nullopt;
  }
  std::uint64_t done() const override { return done_; }
  std::uint64_t total() const override { return total_; }

private:
  std::string name_;
  std::istream *in_;
  std::unique_ptr<std::istream> owned_;
  std::uint64_t total_ = 0, done_ = 0;
  int line_no_ = 0;
  int first_ = 1;
  std::vector<std::string> read_; // lines read ahead (to sniff the kind), given out first
  std::size_t next_read_ = 0;
  bool next_line(std::string &line) {
    if (next_read_ < read_.size()) {
      line = std::move(read_[next_read_++]);
      return true;
    }
    return static_cast<bool>(std::getline(*in_, line));
  }
};

// One machine per entry of a directory (sub-folder or file), in name order.
class DirectorySource : public MachineSource {
public:
  explicit DirectorySource(const fs::path &root) {
    std::error_code ec;
    for (auto it = fs::directory_iterator(root, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
      entries_.push_back(it->path());
    std::sort(entries_.begin(), entries_.end());
    // A directory holding the files of one machine directly (no sub-folders) is that machine.
    const bool flat_machine =
        std::none_of(entries_.begin(), entries_.end(),
                     [](const fs::path &p) {
                       std::error_code e;
                       return fs::is_directory(p, e);
                     }) &&
        std::any_of(entries_.begin(), entries_.end(), [](const fs::path &p) {
          return is_capture_name(sim::ascii_lower(io::path_to_utf8(p.filename())));
        });
    if (flat_machine)
      entries_ = {root};
  }
  std::optional<RawMachine> next() override {
    while (next_ < entries_.size()) {
      const fs::path p = entries_[next_++];
      const std::string fname = io::path_to_utf8(p.filename());
      if (fname.starts_with("."))
        continue;
      RawMachine raw;
      if (auto note = io::folder_entry_skip_note(p)) {
        // A FIFO, socket or device in the tree: reading it would block or never end.
        raw.kind = RawMachine::Kind::error;
        raw.location = {io::path_to_utf8(p), 0, 0};
        raw.errors.push_back(sim::make_warning(raw.location, "io", *note));
        return raw;
      }
      std::error_code ec;
      const fs::file_status st = fs::status(p, ec);
      if (!fs::is_directory(st) && !fs::is_regular_file(st)) {
        raw.kind = RawMachine::Kind::skipped;
        raw.location = {io::path_to_utf8(p), 0, 0};
        raw.errors.push_back(not_a_file(p));
        return raw;
      }
      raw.kind = fs::is_directory(st) ? RawMachine::Kind::directory : RawMachine::Kind::file;
      raw.path = p;
      raw.name = raw.kind == RawMachine::Kind::directory ? fname : io::path_to_utf8(p.stem());
      raw.location = {io::path_to_utf8(p), 0, 0};
      return raw;
    }
    return std::nullopt;
  }
  std::uint64_t done() const override { return next_; }
  std::uint64_t total() const override { return entries_.size(); }

private:
  std::vector<fs::path> entries_;
  std::size_t next_ = 0;
};

// Exactly one unit: a machine file, or the error that the argument cannot be read.
class ErrorSource : public MachineSource {
public:
  explicit ErrorSource(RawMachine raw) : raw_(std::move(raw)) {}
  std::optional<RawMachine> next() override {
    if (given_)
      return std::nullopt;
    given_ = true;
    return raw_;
  }
  std::uint64_t done() const override { return given_ ? 1 : 0; }
  std::uint64_t total() const override { return 1; }

private:
  RawMachine raw_;
  bool given_ = false;
};

} // namespace

namespace {
// A pipe's lines up to its first non-blank one, read ahead to sniff its kind (a pipe cannot be
// read twice: they are given out first by the reader that follows), and their bytes.
std::string read_ahead(std::istream &in, std::vector<std::string> &read) {
  std::string head, line;
  while (head.size() < inputs::sniff_head_bytes && std::getline(in, line)) {
    head += line;
    head += '\n';
    read.push_back(line);
    if (line.find_first_not_of(" \t\r") != std::string::npos)
      break;
  }
  return head;
}

// One machine in one file (a scenario, a .reg export, an INF, a capture ...): read whole by
// load_machine_path, which says what of it fleet cannot use.
std::unique_ptr<MachineSource> one_machine(const fs::path &path, const std::string &argument) {
  RawMachine raw;
  raw.kind = RawMachine::Kind::file;
  raw.path = path;
  raw.name = io::path_to_utf8(path.stem());
  raw.location = {argument, 0, 0};
  return std::make_unique<ErrorSource>(std::move(raw));
}
} // namespace

std::unique_ptr<MachineSource> open_machine_source(const std::string &argument,
                                                   const std::string &stdin_name,
                                                   int stdin_line_offset) {
  if (argument == "-")
    return std::make_unique<LineSource>(stdin_name, &std::cin, nullptr, 0, stdin_line_offset);
  const fs::path path(argument);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    RawMachine raw;
    raw.kind = RawMachine::Kind::error;
    raw.location = {argument, 0, 0};
    raw.errors.push_back(sim::make_diagnostic(raw.location, "io", "no such file or directory"));
    return std::make_unique<ErrorSource>(std::move(raw));
  }
  const bool capture_name = is_capture_name(sim::ascii_lower(io::path_to_utf8(path.filename())));
  if (const fs::file_status st = fs::status(path, ec);
      !fs::is_directory(st) && !fs::is_regular_file(st)) {
    // A FIFO, a pipe (process substitution's /dev/fd/N) or a device can be read once. A name
    // that says one machine's file (no bytes needed) is read whole by its reader through io/,
    // which keeps a pipe's bytes; else its kind is sniffed from the lines read ahead, which the
    // stream's reader then gives out first (reopening it lost the first buffer, or waited
    // forever for a writer that had gone).
    const inputs::InputKind named = inputs::sniff_input(path, std::string_view());
    if (capture_name || named != inputs::InputKind::unknown)
      return one_machine(path, argument);
    auto owned = std::make_unique<std::ifstream>(path, std::ios::binary);
    std::vector<std::string> read;
    const std::string head = read_ahead(*owned, read);
    if (inputs::sniff_input(path, head) == inputs::InputKind::osquery_log)
      return open_osquery_stream(argument, *owned, std::move(read));
    std::istream *in = owned.get();
    return std::make_unique<LineSource>(argument, in, std::move(owned), 0, 0, std::move(read));
  }
  switch (inputs::sniff_input(path)) {
  case inputs::InputKind::folder:
    return std::make_unique<DirectorySource>(path);
  case inputs::InputKind::osquery_log:
    return open_osquery_source(path);
  case inputs::InputKind::fleet_jsonl:
    break;
  case inputs::InputKind::unknown: // JSON lines are what is left: the reader says what is wrong
    if (capture_name)              // a capture by its bundle name (FLTMC_Filters.out): its reader
      return one_machine(path, argument); // says what is wrong
    break;
  case inputs::InputKind::scenario:
  case inputs::InputKind::inf:
  case inputs::InputKind::reg_manifest:
  case inputs::InputKind::machine_registry:
  case inputs::InputKind::capture:
  case inputs::InputKind::event_log:
  case inputs::InputKind::build:
    return one_machine(path, argument);
  }
  auto owned = std::make_unique<std::ifstream>(path, std::ios::binary);
  std::istream *in = owned.get();
  const std::uint64_t size = fs::file_size(path, ec);
  return std::make_unique<LineSource>(argument, in, std::move(owned), ec ? 0 : size);
}

} // namespace fltsim::fleet
