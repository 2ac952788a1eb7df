// RegistrySnapshot and RegValue (fltsim/manifest/machine_import.hpp): the typed in-memory registry
// every machine reader fills (.reg export, SYSTEM hive, osquery rows).
#include <algorithm>
#include <set>

#include "fltsim/machine/machine_import.hpp"
#include "fltsim/sim/groups.hpp"

namespace fltsim::machine {

const char *to_string(RegType t) {
  switch (t) {
  case RegType::none:
    return "REG_NONE";
  case RegType::sz:
    return "REG_SZ";
  case RegType::expand_sz:
    return "REG_EXPAND_SZ";
  case RegType::binary:
    return "REG_BINARY";
  case RegType::dword:
    return "REG_DWORD";
  case RegType::multi_sz:
    return "REG_MULTI_SZ";
  case RegType::qword:
    return "REG_QWORD";
  case RegType::other:
    break;
  }
  return "REG_OTHER";
}

std::optional<RegType> parse_reg_type(std::string_view name) {
  static constexpr RegType all[] = {RegType::none,   RegType::sz,    RegType::expand_sz,
                                    RegType::binary, RegType::dword, RegType::multi_sz,
                                    RegType::qword};
  for (RegType t : all)
    if (sim::iequals(name, to_string(t)))
      return t;
  return std::nullopt;
}

namespace {
RegValue base(std::string name, RegType t, sim::SourceLocation where) {
  RegValue v;
  v.name = std::move(name);
  v.type = t;
  v.raw_type = static_cast<std::uint32_t>(t);
  v.location = std::move(where);
  return v;
}

// Lower-cased path with '/' turned into '\', repeated and surrounding '\' removed.
std::string normal_key(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '/')
      c = '\\';
    if (c == '\\' && (out.empty() || out.back() == '\\'))
      continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (!out.empty() && out.back() == '\\')
    out.pop_back();
  return out;
}
std::string clean_path(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == '/')
      c = '\\';
    if (c == '\\' && (out.empty() || out.back() == '\\'))
      continue;
    out += c;
  }
  if (!out.empty() && out.back() == '\\')
    out.pop_back();
  return out;
}
} // namespace

RegValue RegValue::sz(std::string name, std::string text, sim::SourceLocation where) {
  RegValue v = base(std::move(name), RegType::sz, std::move(where));
  v.text = std::move(text);
  return v;
}
RegValue RegValue::expand_sz(std::string name, std::string text, sim::SourceLocation where) {
  RegValue v = base(std::move(name), RegType::expand_sz, std::move(where));
  v.text = std::move(text);
  return v;
}
RegValue RegValue::multi_sz(std::string name, std::vector<std::string> items,
                            sim::SourceLocation where) {
  RegValue v = base(std::move(name), RegType::multi_sz, std::move(where));
  for (std::string &s : items)
    if (!s.empty())
      v.strings.push_back(std::move(s));
  return v;
}
RegValue RegValue::dword(std::string name, std::uint32_t n, sim::SourceLocation where) {
  RegValue v = base(std::move(name), RegType::dword, std::move(where));
  v.number = n;
  return v;
}
RegValue RegValue::binary(std::string name, std::vector<unsigned char> bytes,
                          sim::SourceLocation where) {
  RegValue v = base(std::move(name), RegType::binary, std::move(where));
  v.bytes = std::move(bytes);
  return v;
}

const RegValue *RegistryKey::find(std::string_view name) const {
  auto it = index_.find(sim::ascii_lower(name));
  return it == index_.end() ? nullptr : &values[it->second];
}

RegValue &RegistryKey::set(RegValue v) {
  auto [it, inserted] = index_.try_emplace(sim::ascii_lower(v.name), values.size());
  if (!inserted) {
    values[it->second] = std::move(v);
    return values[it->second];
  }
  values.push_back(std::move(v));
  return values.back();
}

bool RegistryKey::erase(std::string_view name) {
  auto it = index_.find(sim::ascii_lower(name));
  if (it == index_.end())
    return false;
  const std::size_t at = it->second;
  index_.erase(it);
  if (at + 1 != values.size()) {
    values[at] = std::move(values.back());
    index_[sim::ascii_lower(values[at].name)] = at;
  }
  values.pop_back();
  return true;
}

RegistryKey &RegistrySnapshot::key(std::string_view path, const sim::SourceLocation &where) {
  std::string k = normal_key(path);
  auto it = keys_.find(k);
  if (it == keys_.end()) {
    RegistryKey rk;
    rk.path = clean_path(path);
    rk.location = where;
    it = keys_.emplace(std::move(k), std::move(rk)).first;
  }
  return it->second;
}

const RegistryKey *RegistrySnapshot::find(std::string_view path) const {
  auto it = keys_.find(normal_key(path));
  return it == keys_.end() ? nullptr : &it->second;
}

RegistryKey *RegistrySnapshot::find(std::string_view path) {
  auto it = keys_.find(normal_key(path));
  return it == keys_.end() ? nullptr : &it->second;
}

std::vector<std::string> RegistrySnapshot::children(std::string_view path) const {
  const std::string k = normal_key(path);
  const std::string prefix = k.empty() ? std::string() : k + '\\';
  std::vector<std::string> out;
  // Lower-cased children already listed. Not just the last one: key A\B and key A\B\C are not
  // neighbours when A\B x sorts between them ('\\' sorts after ' ', '-', digits), and a child
  // listed twice was imported twice (a fuzz_reg_export finding).
  std::set<std::string> seen;
  for (auto it = keys_.lower_bound(prefix); it != keys_.end(); ++it) {
    const std::string &p = it->first;
    if (p.compare(0, prefix.size(), prefix) != 0)
      break;
    if (p.size() == prefix.size())
      continue;
    const std::size_t end = p.find('\\', prefix.size());
    const std::string child =
        p.substr(prefix.size(), end == std::string::npos ? end : end - prefix.size());
    if (!seen.insert(child).second)
      continue;
    // The original spelling: from the key itself when it exists, else from the deeper key.
    const std::string &orig = it->second.path;
    std::size_t depth = 0, b = 0;
    const std::size_t want =
        static_cast<std::size_t>(std::count(prefix.begin(), prefix.end(), '\\'));
    std::string name = child;
    for (std::size_t i = 0; i <= orig.size(); ++i)
      if (i == orig.size() || orig[i] == '\\') {
        if (depth == want) {
          name = orig.substr(b, i - b);
          break;
        }
        ++depth;
        b = i + 1;
      }
    out.push_back(std::move(name));
  }
  return out;
}

void RegistrySnapshot::remove_tree(std::string_view path) {
  const std::string k = normal_key(path);
  keys_.erase(k);
  const std::string prefix = k + '\\';
  auto it = keys_.lower_bound(prefix);
  while (it != keys_.end() && it->first.compare(0, prefix.size(), prefix) == 0)
    it = keys_.erase(it);
}

std::size_t RegistrySnapshot::value_count() const {
  std::size_t n = 0;
  for (const auto &[k, v] : keys_)
    n += v.values.size();
  return n;
}

std::optional<std::string> system_relative_path(std::string_view full, bool any_hive_name) {
  std::string p = clean_path(full);
  std::vector<std::string> c;
  std::size_t b = 0;
  for (std::size_t i = 0; i <= p.size(); ++i)
    if (i == p.size() || p[i] == '\\') {
      if (i > b)
        c.push_back(p.substr(b, i - b));
      b = i + 1;
    }
  std::size_t skip = 0;
  if (c.size() >= 2 && (sim::iequals(c[0], "HKEY_LOCAL_MACHINE") || sim::iequals(c[0], "HKLM")))
    skip = 1;
  else if (c.size() >= 3 && sim::iequals(c[0], "Registry") && sim::iequals(c[1], "Machine"))
    skip = 2;
  else
    return std::nullopt;
  if (!sim::iequals(c[skip], "SYSTEM") && !any_hive_name)
    return std::nullopt;
  std::string out;
  for (std::size_t i = skip + 1; i < c.size(); ++i) {
    if (!out.empty())
      out += '\\';
    out += c[i];
  }
  return out;
}

} // namespace fltsim::machine
