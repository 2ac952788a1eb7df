// osquery result logs -> machines (osquery_input.hpp).
#include "fltsim/manifest/osquery_input.hpp"

#include <charconv>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "fltsim/manifest/files.hpp"
#include "fltsim/manifest/reg_reader.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::manifest {

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
  explicit OsquerySource(const fs::path &path) : name_(path.string()) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    std::map<std::string, std::size_t> index; // host -> hosts_ position
    int line_no = 0;
    std::error_code ec;
    total_ = fs::file_size(path, ec);
    while (std::getline(in, line)) {
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
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(line);
      } catch (const nlohmann::json::parse_error &e) {
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

// "HKEY_LOCAL_MACHINE\SYSTEM\..." -> "SYSTEM\..." (nullopt for other hives).
std::optional<std::string> machine_relative(const std::string &key) {
  const std::string lower = sim::ascii_lower(key);
  for (std::string_view p : {"hkey_local_machine\\", "hklm\\"})
    if (lower.starts_with(p))
      return key.substr(p.size());
  return std::nullopt;
}

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
  return std::make_unique<OsquerySource>(path);
}

MachineRecord machine_from_registry_rows(const std::string &host,
                                         const std::vector<RegistryRow> &rows,
                                         const sim::SourceLocation &where) {
  MachineRecord rec;
  rec.machine = host;
  rec.location = where;
  sim::Scenario sc;
  sc.title = host;
  // The service keys become a REGEDIT4 text read by the .reg reader (same semantics as a .reg
  // export); `line_of` maps its lines back to the log's.
  std::string reg = "REGEDIT4\n";
  std::vector<int> line_of = {where.line, where.line};
  std::string current_key;
  auto put = [&](const std::string &text, int line) {
    reg += text;
    reg += "\n";
    line_of.push_back(line);
  };
  for (const RegistryRow &r : rows) {
    auto rel = machine_relative(r.key);
    if (!rel)
      continue;
    const std::string lower = sim::ascii_lower(*rel);
    const std::string value = sim::ascii_lower(r.name);
    if (lower == "software\\microsoft\\windows nt\\currentversion" && value == "currentbuild") {
      rec.build = "10.0." + r.data;
      continue;
    }
    if (lower.ends_with("\\control\\servicegrouporder") && value == "list") {
      sc.service_group_order = multi_sz(r.data);
      continue;
    }
    if (lower.ends_with("\\control\\grouporderlist")) {
      // REG_BINARY: a DWORD count, then that many DWORD tags, little-endian, as hex text.
      std::vector<std::uint32_t> dwords;
      for (std::size_t i = 0; i + 8 <= r.data.size(); i += 8) {
        std::uint32_t v = 0;
        for (int b = 3; b >= 0; --b) {
          unsigned byte = 0;
          std::from_chars(r.data.data() + i + 2 * b, r.data.data() + i + 2 * b + 2, byte, 16);
          v = (v << 8) | byte;
        }
        dwords.push_back(v);
      }
      if (!dwords.empty() && dwords[0] + 1 <= dwords.size())
        sc.group_order_list[r.name] =
            std::vector<std::uint32_t>(dwords.begin() + 1, dwords.begin() + 1 + dwords[0]);
      continue;
    }
    if (lower.find("\\services\\") == std::string::npos || r.type == "subkey")
      continue;
    if (r.key != current_key) {
      put("[HKEY_LOCAL_MACHINE\\" + *rel + "]", r.line);
      current_key = r.key;
    }
    const std::string name = (r.name == "(Default)" ? std::string("@") : [&] {
      std::string q = "\"";
      for (char c : r.name)
        q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
      return q + "\"";
    }());
    if (r.type == "REG_DWORD") {
      if (auto v = dword_of(r.data)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%08x", *v);
        put(name + "=dword:" + buf, r.line);
      } else {
        rec.diagnostics.push_back(sim::make_diagnostic(
            {where.file, r.line, 1}, "osquery-row",
            r.key + "\\" + r.name + ": REG_DWORD data '" + r.data + "' is not a number"));
      }
    } else if (r.type == "REG_SZ" || r.type == "REG_EXPAND_SZ") {
      std::string q = "\"";
      for (char c : r.data)
        q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
      put(name + "=" + q + "\"", r.line);
    } else if (r.type == "REG_MULTI_SZ") {
      std::string hex = "hex(7):";
      char buf[4];
      auto byte = [&](unsigned char c) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        hex += (hex.back() == ':' ? "" : ",") + std::string(buf);
      };
      for (const std::string &s : multi_sz(r.data)) {
        for (char c : s)
          byte(static_cast<unsigned char>(c));
        byte(0);
      }
      byte(0);
      put(name + "=" + hex, r.line);
    }
  }
  IncludeResult drivers = parse_reg(reg, where.file);
  for (sim::Diagnostic &d : drivers.diagnostics) {
    const auto l = static_cast<std::size_t>(d.location.line);
    d.location.line = l < line_of.size() ? line_of[l] : where.line;
    d.location.column = 0;
    rec.diagnostics.push_back(std::move(d));
  }
  if (!rec.diagnostics.empty())
    return rec;
  sc.drivers = std::move(drivers.drivers);
  if (sc.drivers.empty()) {
    rec.diagnostics.push_back(sim::make_diagnostic(
        where, "osquery-row",
        "host '" + host +
            "' has no rows of HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\* keys"));
    return rec;
  }
  rec.scenario = std::move(sc);
  return rec;
}

} // namespace fltsim::manifest
