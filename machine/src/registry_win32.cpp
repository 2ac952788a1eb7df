// See registry_win32.hpp.
#include "registry_win32.hpp"

#include <memory>
#include <optional>
#include <system_error>
#include <vector>

#include "fltsim/io/platform.hpp"
#include "fltsim/machine/reg_text.hpp"

namespace fltsim::machine::win32 {

namespace {

struct KeyCloser {
  void operator()(HKEY k) const { RegCloseKey(k); }
};
using Key = std::unique_ptr<std::remove_pointer_t<HKEY>, KeyCloser>;

// One registry value from its type and raw bytes, typed by the rules of the libhivex reader
// (hive_reader.cpp): strings decoded from UTF-16LE by regtext::decode_strings, REG_DWORD exactly
// 4 bytes, other types kept as bytes. nullopt (with `why`) for data that cannot be that type.
std::optional<RegValue> typed_value(std::string name, DWORD type,
                                    const std::vector<unsigned char> &data,
                                    const sim::SourceLocation &where, std::string *why) {
  RegValue v;
  v.name = std::move(name);
  v.raw_type = type;
  v.location = where;
  switch (type) {
  case REG_SZ:
  case REG_EXPAND_SZ:
  case REG_MULTI_SZ: {
    auto s = regtext::decode_strings(data, true, type == REG_MULTI_SZ, why);
    if (!s) {
      *why = "\"" + v.name + "\": " + *why;
      return std::nullopt;
    }
    if (type == REG_MULTI_SZ) {
      v.type = RegType::multi_sz;
      v.strings = std::move(*s);
    } else {
      v.type = type == REG_SZ ? RegType::sz : RegType::expand_sz;
      v.text = s->empty() ? std::string() : std::move(s->front());
    }
    return v;
  }
  case REG_DWORD:
    if (data.size() != 4) {
      *why = "\"" + v.name + "\": REG_DWORD data must be 4 bytes";
      return std::nullopt;
    }
    v.type = RegType::dword;
    v.number = std::uint32_t{data[0]} | (std::uint32_t{data[1]} << 8) |
               (std::uint32_t{data[2]} << 16) | (std::uint32_t{data[3]} << 24);
    return v;
  case REG_QWORD:
    v.type = data.size() == 8 ? RegType::qword : RegType::other;
    for (std::size_t k = 0; k < 8 && k < data.size(); ++k)
      v.number |= std::uint64_t{data[k]} << (8 * k);
    break;
  case REG_BINARY:
    v.type = RegType::binary;
    break;
  case REG_NONE:
    v.type = RegType::none;
    break;
  default:
    v.type = RegType::other;
    break;
  }
  v.bytes = data;
  return v;
}

} // namespace

std::string utf8(const std::wstring &w) {
  return io::utf8_from_wide(w);
}

std::wstring wide(const std::string &s) {
  return io::wide_from_utf8(s);
}

std::string error_text(LSTATUS code) {
  return io::system_error_text(static_cast<long>(code)) + " (Windows error " +
         std::to_string(code) + ")";
}

void copy_tree(HKEY top, const std::string &top_path, const std::string &source, RegistryRead &out,
               const RegistryLimits &limits) {
  struct Pending {
    HKEY key; // owned by `owner` unless it is `top`
    Key owner;
    std::string path;
    std::size_t depth;
  };
  std::vector<Pending> todo;
  todo.push_back({top, nullptr, top_path, 0});
  std::size_t unreadable = 0, visited = 0;
  std::wstring name;
  std::vector<unsigned char> data;
  while (!todo.empty()) {
    Pending p = std::move(todo.back());
    todo.pop_back();
    if (++visited > limits.max_keys) {
      out.errors.push_back(sim::make_diagnostic(
          {source, 0, 0}, "limit",
          "the registry has more than " + std::to_string(limits.max_keys) + " keys; refusing it"));
      return;
    }
    const std::string where = p.path.empty() ? std::string("the root key") : "[" + p.path + "]";
    DWORD subkeys = 0, values = 0, max_sub = 0, max_name = 0, max_data = 0;
    const LSTATUS info = RegQueryInfoKeyW(p.key, nullptr, nullptr, nullptr, &subkeys, &max_sub,
                                          nullptr, &values, &max_name, &max_data, nullptr, nullptr);
    if (info != ERROR_SUCCESS) {
      if (p.depth == 0) {
        out.errors.push_back(sim::make_diagnostic(
            {source, 0, 0}, "hive-unreadable", "cannot read " + where + ": " + error_text(info)));
        return;
      }
      ++unreadable;
      continue;
    }
    RegistryKey &key = out.snapshot.key(p.path, {source, 0, 0});
    for (DWORD i = 0; i < values; ++i) {
      name.assign(max_name + 2, L'\0');
      data.assign(max_data + 2, 0);
      DWORD name_len = static_cast<DWORD>(name.size());
      DWORD type = 0, len = static_cast<DWORD>(data.size());
      if (RegEnumValueW(p.key, i, name.data(), &name_len, nullptr, &type, data.data(), &len) !=
          ERROR_SUCCESS) {
        ++unreadable;
        continue;
      }
      data.resize(len);
      std::string why;
      std::optional<RegValue> v =
          typed_value(utf8(name.substr(0, name_len)), type, data, {source, 0, 0}, &why);
      if (!v) {
        out.warnings.push_back(sim::make_diagnostic({source, 0, 0}, "reg-bad-value",
                                                    "value of " + where + ": " + why));
        continue;
      }
      key.set(std::move(*v));
    }
    for (DWORD i = 0; i < subkeys; ++i) {
      name.assign(max_sub + 2, L'\0');
      DWORD name_len = static_cast<DWORD>(name.size());
      if (RegEnumKeyExW(p.key, i, name.data(), &name_len, nullptr, nullptr, nullptr, nullptr) !=
          ERROR_SUCCESS) {
        ++unreadable;
        continue;
      }
      if (p.depth + 1 > limits.max_depth) {
        out.errors.push_back(sim::make_diagnostic(
            {source, 0, 0}, "limit",
            "keys nest more than " + std::to_string(limits.max_depth) + " deep below " + where));
        return;
      }
      const std::wstring child = name.substr(0, name_len);
      HKEY sub = nullptr;
      if (RegOpenKeyExW(p.key, child.c_str(), 0, KEY_READ, &sub) != ERROR_SUCCESS) {
        ++unreadable;
        continue;
      }
      const std::string cname = utf8(child);
      todo.push_back({sub, Key(sub), p.path.empty() ? cname : p.path + '\\' + cname, p.depth + 1});
    }
  }
  if (unreadable > 0)
    out.warnings.push_back(
        sim::make_diagnostic({source, 0, 0}, "hive-damaged",
                             std::to_string(unreadable) +
                                 " keys or values could not be read (damaged, or access denied)"));
}

} // namespace fltsim::machine::win32
