// osquery result logs -> machines (osquery_input.hpp).
#include "fltsim/fleet/osquery_input.hpp"
#include "fltsim/io/platform.hpp"

#include <charconv>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fltsim/inputs/inputs.hpp"
#include "fltsim/io/files.hpp"
#include "fltsim/machine/machine_import.hpp"
#include "fltsim/manifest/reg_reader.hpp"
#include "fltsim/sim/groups.hpp"
#include "json_limits.hpp"

namespace fltsim::fleet {

using machine::MachineImport;
using machine::MachineImportOptions;
using machine::parse_reg_type;
using machine::RegistryKey;
using machine::RegistryRead;
using machine::RegistrySnapshot;
using machine::RegType;
using machine::RegValue;
using machine::system_relative_path;

namespace fs = std::filesystem;

namespace {

struct HostRows {
  std::string host;
  int first_line = 0;
  // query name -> path (lower-cased) -> row; a snapshot replaces its query's rows
  std::map<std::string, std::map<std::string, RegistryRow>> by_query;
};

std::string json_string(const nlohmann::json &j, const char *key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null())
    return {};
  if (it->is_string())
    return it->get<std::string>();
  return it->dump(); // osquery with --logger_numerics writes numbers
}

class OsquerySource : public MachineSource {
public:
  // `read`: lines already read from `in` (to sniff its kind), processed first.
  OsquerySource(std::string name, std::istream &in, std::vector<std::string> read,
                std::uint64_t total)
      : name_(std::move(name)) {
    std::string line;
    std::map<std::string, std::size_t> index; // host -> hosts_ position
    int line_no = 0;
    total_ = total;
    std::size_t next_read = 0;
    auto next_line = [&] {
      if (next_read < read.size()) {
        line = std::move(read[next_read++]);
        return true;
      }
      return static_cast<bool>(std::getline(in, line));
    };
    while (next_line()) {
      ++line_no;
      if (line_no == 1 && line.starts_with("\xEF\xBB\xBF"))
        line.erase(0, 3);
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos)
        continue;
      auto bad = [&](std::string msg) {
        RawMachine raw;
        raw.kind = RawMachine::Kind::error;
        raw.location = {name_, line_no, 1};
        raw.errors.push_back(sim::make_diagnostic(raw.location, "osquery-row", std::move(msg)));
        pending_.push_back(std::move(raw));
      };
      // Nesting and numbers first: a 100,000-level value overflowed the stack when printed, and
      // 1e999 made the parser throw out_of_range (an abort).
      if (auto limit = detail::json_precheck(line, name_, line_no)) {
        RawMachine raw;
        raw.kind = RawMachine::Kind::error;
        raw.location = {name_, line_no, 1};
        raw.errors.push_back(std::move(*limit));
        pending_.push_back(std::move(raw));
        continue;
      }
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(line);
      } catch (const nlohmann::json::exception &e) {
        bad(std::string("not a JSON line: ") + e.what());
        continue;
      }
      if (!j.is_object() || !j.contains("hostIdentifier")) {
        bad("an osquery result line needs \"hostIdentifier\" (and \"columns\" or \"snapshot\")");
        continue;
      }
      const std::string host = json_string(j, "hostIdentifier");
      const std::string query = json_string(j, "name");
      const std::string action = json_string(j, "action");
      auto [it, fresh] = index.try_emplace(host, hosts_.size());
      if (fresh) {
        hosts_.push_back({host, line_no, {}});
      }
      auto &rows = hosts_[it->second].by_query[query];
      auto add_row = [&](const nlohmann::json &c) -> bool {
        if (!c.is_object() || !c.contains("key") || !c.contains("name")) {
          bad("a registry row needs the columns key, name, type and data");
          return false;
        }
        RegistryRow r;
        r.key = json_string(c, "key");
        r.name = json_string(c, "name");
        r.path = json_string(c, "path");
        r.type = json_string(c, "type");
        r.data = json_string(c, "data");
        r.line = line_no;
        const std::string k = sim::ascii_lower(r.key + "\\" + r.name);
        if (action == "removed")
          rows.erase(k);
        else
          rows[k] = std::move(r);
        return true;
      };
      if (auto s = j.find("snapshot"); s != j.end()) {
        if (!s->is_array()) {
          bad("\"snapshot\" must be a list of rows");
          continue;
        }
        rows.clear();
        for (const auto &c : *s)
          add_row(c);
      } else if (auto c = j.find("columns"); c != j.end()) {
        add_row(*c);
      } else {
        bad("an osquery result line needs \"columns\" or \"snapshot\"");
      }
    }
    done_ = 0;
  }

  std::optional<RawMachine> next() override {
    if (!pending_.empty()) {
      RawMachine raw = std::move(pending_.front());
      pending_.erase(pending_.begin());
      return raw;
    }
    if (next_ >= hosts_.size())
      return std::nullopt;
    HostRows &h = hosts_[next_++];
    done_ = total_ * next_ / hosts_.size();
    RawMachine raw;
    raw.kind = RawMachine::Kind::registry_rows;
    raw.name = h.host;
    raw.location = {name_, h.first_line, 1};
    for (auto &[q, rows] : h.by_query)
      for (auto &[k, r] : rows)
        raw.rows.push_back(std::move(r));
    std::sort(raw.rows.begin(), raw.rows.end(),
              [](const RegistryRow &a, const RegistryRow &b) { return a.line < b.line; });
    h.by_query.clear();
    return raw;
  }
  std::uint64_t done() const override { return done_; }
  std::uint64_t total() const override { return total_; }

private:
  std::string name_;
  std::vector<HostRows> hosts_;
  std::vector<RawMachine> pending_;
  std::size_t next_ = 0;
  std::uint64_t total_ = 0, done_ = 0;
};

std::optional<std::uint32_t> dword_of(const std::string &data) {
  long long v = 0;
  auto [p, ec] = std::from_chars(data.data(), data.data() + data.size(), v);
  if (ec != std::errc() || p != data.data() + data.size() || v < INT32_MIN || v > UINT32_MAX)
    return std::nullopt;
  return static_cast<std::uint32_t>(v); // osquery prints REG_DWORD as a signed int
}

std::vector<std::string> multi_sz(const std::string &data) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= data.size()) {
    const std::size_t comma = data.find(',', start);
    const std::string item =
        data.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty())
      out.push_back(item);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return out;
}

} // namespace

std::unique_ptr<MachineSource> open_osquery_source(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  const std::uint64_t size = fs::file_size(path, ec);
  return std::make_unique<OsquerySource>(io::path_to_utf8(path), in, std::vector<std::string>{},
                                         ec ? 0 : size);
}

std::unique_ptr<MachineSource> open_osquery_stream(const std::string &name, std::istream &in,
                                                   std::vector<std::string> read) {
  return std::make_unique<OsquerySource>(name, in, std::move(read), 0);
}

RegistryRead registry_snapshot_from_rows(const std::vector<RegistryRow> &rows,
                                         const sim::SourceLocation &where) {
  RegistryRead out;
  out.snapshot.source = where.file;
  for (const RegistryRow &r : rows) {
    const sim::SourceLocation at{where.file, r.line, 0};
    auto rel = system_relative_path(r.key, false);
    if (!rel || r.type == "subkey")
      continue; // other hives (SOFTWARE is read for the build by the caller), subkey rows
    const std::string name = r.name == "(Default)" ? std::string() : r.name;
    auto bad = [&](const char *what) {
      out.warnings.push_back(sim::make_warning(at, "osquery-row",
                                               r.key + "\\" + r.name + ": " + r.type + " data '" +
                                                   r.data + "' is not " + what));
    };
    const std::optional<RegType> type = parse_reg_type(r.type);
    RegistryKey &key = out.snapshot.key(*rel, at);
    if (!type) {
      continue; // REG_LINK, resource lists: nothing a filter's key needs
    }
    switch (*type) {
    case RegType::dword:
      if (auto v = dword_of(r.data))
        key.set(RegValue::dword(name, *v, at));
      else
        bad("a number");
      break;
    case RegType::qword: {
      std::uint64_t v = 0;
      auto [p, ec] = std::from_chars(r.data.data(), r.data.data() + r.data.size(), v);
      if (ec == std::errc() && p == r.data.data() + r.data.size()) {
        RegValue q = RegValue::dword(name, 0, at);
        q.type = RegType::qword;
        q.raw_type = static_cast<std::uint32_t>(RegType::qword);
        q.number = v;
        key.set(std::move(q));
      } else {
        bad("a number");
      }
      break;
    }
    case RegType::sz:
      key.set(RegValue::sz(name, r.data, at));
      break;
    case RegType::expand_sz:
      key.set(RegValue::expand_sz(name, r.data, at));
      break;
    case RegType::multi_sz:
      key.set(RegValue::multi_sz(name, multi_sz(r.data), at));
      break;
    case RegType::binary:
    case RegType::none:
    case RegType::other: {
      std::vector<unsigned char> bytes;
      bool ok = r.data.size() % 2 == 0;
      for (std::size_t i = 0; ok && i + 1 < r.data.size(); i += 2) {
        unsigned b = 0;
        auto [p, ec] = std::from_chars(r.data.data() + i, r.data.data() + i + 2, b, 16);
        ok = ec == std::errc() && p == r.data.data() + i + 2;
        bytes.push_back(static_cast<unsigned char>(b));
      }
      if (*type == RegType::none) // osquery prints "(zero-length binary value)"
        bytes.clear(), ok = true;
      if (ok)
        key.set(RegValue::binary(name, std::move(bytes), at));
      else
        bad("hexadecimal bytes");
      break;
    }
    }
  }
  return out;
}

MachineRecord machine_from_registry_rows(const std::string &host,
                                         const std::vector<RegistryRow> &rows,
                                         const sim::SourceLocation &where) {
  MachineRecord rec;
  rec.machine = host;
  rec.location = where;
  for (const RegistryRow &r : rows)
    if (sim::ascii_lower(r.key).ends_with("\\software\\microsoft\\windows nt\\currentversion") &&
        sim::iequals(r.name, "CurrentBuild"))
      rec.build = "10.0." + r.data;
  RegistryRead read = registry_snapshot_from_rows(rows, where);
  for (auto &d : read.warnings)
    rec.diagnostics.push_back(std::move(d));
  for (auto &d : read.errors)
    rec.diagnostics.push_back(std::move(d));
  if (!rec.diagnostics.empty())
    return rec; // a value of the machine could not be read: the machine is not simulated
  MachineImportOptions opt;
  opt.title = host;
  MachineImport imp = import_machine(read.snapshot, opt);
  for (auto &d : imp.errors)
    rec.diagnostics.push_back(std::move(d));
  // A value import_machine could not use is reported and the machine is not simulated: a fleet
  // run does not guess around a registry it cannot read whole.
  for (auto &d : imp.warnings)
    rec.diagnostics.push_back(std::move(d));
  std::optional<sim::Scenario> sc = std::move(imp.scenario);
  if (!rec.diagnostics.empty())
    return rec;
  if (!sc || sc->drivers.empty()) {
    rec.diagnostics.push_back(
        sim::make_diagnostic(where, "osquery-row",
                             "host '" + host +
                                 "' has no filter in its rows of "
                                 "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\*"));
    return rec;
  }
  sc->title = host;
  rec.scenario = std::move(sc);
  return rec;
}

} // namespace fltsim::fleet
