// Offline SYSTEM hive reader (fltsim/machine/machine_import.hpp), through Debian's libhivex:
// every key and value of the hive into a typed RegistrySnapshot, paths relative to the hive root
// (= HKLM\SYSTEM when the file is a SYSTEM hive). hivex does the regf parsing; string data is
// decoded here from UTF-16LE the same way the .reg reader decodes hex(1)/hex(2)/hex(7) data.
//
// The walk is bounded (docs/reliability.md#limits): each key is read once (a visited set of
// cells, so a key listed as its own subkey or under two parents is refused instead of being
// walked again), keys nest at most RegistryLimits::max_depth deep, and the keys and values read
// are counted. What libhivex cannot read (a subkey or value list whose count does not match,
// a damaged cell) and names it will not pass (a NUL or '\' in a key name, a NUL in a value name)
// is reported with the key's path and cell offset; the import refuses damage inside the control
// set it reads (docs/machine-import.md#damaged-hives).
#include <hivex.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unordered_set>
#include <vector>

#include "fltsim/machine/machine_import.hpp"
#include "fltsim/machine/reg_text.hpp"

namespace fltsim::machine {

namespace {

struct FreeDeleter {
  void operator()(void *p) const { std::free(p); }
};
template <class T> using CPtr = std::unique_ptr<T, FreeDeleter>;

std::string hex_offset(std::size_t off) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%zx", off);
  return buf;
}

// "PROCMON24\Instances" -> "[ControlSet001\Services\PROCMON24\Instances] (cell 0x2f3a0)"
std::string where_text(const std::string &path, hive_node_h node) {
  return (path.empty() ? std::string("the hive root") : "[" + path + "]") + " (cell " +
         hex_offset(node) + ")";
}

// Printable form of a name that holds control characters ("Altitude\0X").
std::string shown(const char *p, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c == 0)
      s += "\\0";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      s += buf;
    } else
      s += static_cast<char>(c);
  }
  return s;
}

class HiveWalker {
public:
  HiveWalker(hive_h *h, std::string source, const RegistryLimits &limits, RegistryRead &out)
      : h_(h), source_(std::move(source)), limits_(limits), out_(out) {}

  bool run() {
    struct Pending {
      hive_node_h node;
      std::string path;
      std::size_t depth;
    };
    std::vector<Pending> todo{{hivex_root(h_), std::string(), 0}};
    visited_.insert(todo.front().node);
    while (!todo.empty()) {
      Pending p = std::move(todo.back());
      todo.pop_back();
      if (++keys_ > limits_.max_keys)
        return refuse("limit", "the hive has more than " + std::to_string(limits_.max_keys) +
                                   " keys (docs/reliability.md#limits); refusing it");
      RegistryKey &key = out_.snapshot.key(p.path, {source_, 0, 0});
      if (!read_values(p.node, p.path, key))
        return false;
      errno = 0;
      CPtr<hive_node_h> children(hivex_node_children(h_, p.node));
      if (!children) {
        damaged(p.path,
                "its subkey list cannot be read (" + why(errno) +
                    "): the key's subkeys are missing from this read",
                p.node);
        continue;
      }
      for (std::size_t i = 0; children.get()[i] != 0; ++i) {
        const hive_node_h c = children.get()[i];
        const std::size_t len = hivex_node_name_len(h_, c);
        CPtr<char> cname(hivex_node_name(h_, c));
        if (!cname) {
          damaged(p.path, "subkey " + std::to_string(i + 1) + " has a name that cannot be read", c);
          continue;
        }
        const std::size_t n = std::strlen(cname.get());
        if (n == 0 || n != len || std::strchr(cname.get(), '\\') != nullptr) {
          bad_name(p.path, c,
                   "a subkey is named \"" + shown(cname.get(), n != len && len > n ? len : n) +
                       "\": key names hold no NUL and no '\\' (a '\\' would make it a path); "
                       "the subkey and everything below it are skipped");
          continue;
        }
        if (!visited_.insert(c).second) {
          const std::string child_path =
              p.path.empty() ? std::string(cname.get()) : p.path + '\\' + cname.get();
          return refuse("hive-damaged",
                        "key " + where_text(child_path, c) +
                            " is reached a second time: a subkey list names a key already "
                            "read (a key listed under itself or under two parents); a hive is "
                            "a tree, refusing it");
        }
        if (p.depth + 1 > limits_.max_depth)
          return refuse("limit", "keys nest more than " + std::to_string(limits_.max_depth) +
                                     " deep below " + where_text(p.path, p.node) +
                                     " (docs/reliability.md#limits)");
        todo.push_back({c, p.path.empty() ? std::string(cname.get()) : p.path + '\\' + cname.get(),
                        p.depth + 1});
      }
    }
    return true;
  }

private:
  static std::string why(int e) {
    return e != 0 ? std::string(std::strerror(e)) : std::string("damaged cell");
  }

  bool refuse(const char *code, std::string msg) {
    out_.errors.push_back(sim::make_diagnostic({source_, 0, 0}, code, std::move(msg)));
    return false;
  }

  void damaged(const std::string &path, const std::string &what, hive_node_h node) {
    out_.damaged_keys.push_back(path);
    if (out_.warnings.size() < kMaxWarnings)
      out_.warnings.push_back(sim::make_warning({source_, 0, 0}, "hive-damaged",
                                                "key " + where_text(path, node) + ": " + what));
  }

  void bad_name(const std::string &path, hive_node_h node, std::string msg) {
    if (out_.warnings.size() < kMaxWarnings)
      out_.warnings.push_back(sim::make_warning({source_, 0, 0}, "hive-bad-name",
                                                "key " + where_text(path, node) + ": " + msg));
  }

  bool read_values(hive_node_h node, const std::string &path, RegistryKey &key) {
    errno = 0;
    CPtr<hive_value_h> values(hivex_node_values(h_, node));
    if (!values) {
      damaged(path,
              "its value list cannot be read (" + why(errno) +
                  "; a value count that does not match the list): its values are missing "
                  "from this read",
              node);
      return true;
    }
    std::size_t n = 0;
    for (std::size_t i = 0; values.get()[i] != 0; ++i) {
      if (++n > limits_.max_values_per_key)
        return refuse("limit", "key " + where_text(path, node) + " has more than " +
                                   std::to_string(limits_.max_values_per_key) +
                                   " values (docs/reliability.md#limits); refusing the hive");
      if (++values_ > limits_.max_values)
        return refuse("limit", "the hive has more than " + std::to_string(limits_.max_values) +
                                   " values (docs/reliability.md#limits); refusing it");
      read_value(values.get()[i], path, node, key);
    }
    return true;
  }

  void read_value(hive_value_h hv, const std::string &path, hive_node_h node, RegistryKey &key) {
    const std::size_t name_len = hivex_value_key_len(h_, hv);
    CPtr<char> name(hivex_value_key(h_, hv));
    hive_type t{};
    std::size_t len = 0;
    CPtr<char> data(hivex_value_value(h_, hv, &t, &len));
    if (!name || !data) {
      damaged(path, "value " + hex_offset(hv) + " cannot be read (damaged cell)", node);
      return;
    }
    if (std::strlen(name.get()) != name_len) {
      bad_name(path, node,
               "a value is named \"" + shown(name.get(), name_len) +
                   "\": value names hold no NUL; the value is skipped (it would otherwise read "
                   "as \"" +
                   std::string(name.get()) + "\")");
      return;
    }
    const std::string where = "[" + path + "]";
    RegValue v;
    v.name = name.get();
    // libhivex stores the cell's type word, any 32-bit number, into a hive_type: copied out as
    // bytes, not loaded as the enum (a value outside the enum's range is undefined behaviour).
    std::uint32_t raw_type = 0;
    static_assert(sizeof(raw_type) == sizeof(t));
    std::memcpy(&raw_type, &t, sizeof raw_type);
    v.raw_type = raw_type;
    v.location = {source_, 0, 0};
    const auto *b = reinterpret_cast<const unsigned char *>(data.get());
    std::vector<unsigned char> bytes(b, b + len);
    std::string why_not;
    auto bad_value = [&](const std::string &msg) {
      if (out_.warnings.size() < kMaxWarnings)
        out_.warnings.push_back(sim::make_warning(
            {source_, 0, 0}, "reg-bad-value", "value \"" + v.name + "\" of " + where + ": " + msg));
    };
    switch (raw_type) {
    case hive_t_REG_SZ:
    case hive_t_REG_EXPAND_SZ: {
      auto s = regtext::decode_strings(bytes, true, false, &why_not);
      if (!s)
        return bad_value(why_not);
      v.type = raw_type == hive_t_REG_SZ ? RegType::sz : RegType::expand_sz;
      v.text = s->empty() ? std::string() : std::move(s->front());
      break;
    }
    case hive_t_REG_MULTI_SZ: {
      auto s = regtext::decode_strings(bytes, true, true, &why_not);
      if (!s)
        return bad_value(why_not);
      v.type = RegType::multi_sz;
      v.strings = std::move(*s);
      break;
    }
    case hive_t_REG_DWORD:
      if (len != 4)
        return bad_value("REG_DWORD data must be 4 bytes");
      v.type = RegType::dword;
      v.number = std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8) | (std::uint32_t{b[2]} << 16) |
                 (std::uint32_t{b[3]} << 24);
      break;
    case hive_t_REG_QWORD:
      v.type = len == 8 ? RegType::qword : RegType::other;
      for (std::size_t k = 0; k < 8 && k < len; ++k)
        v.number |= std::uint64_t{b[k]} << (8 * k);
      v.bytes = std::move(bytes);
      break;
    case hive_t_REG_BINARY:
      v.type = RegType::binary;
      v.bytes = std::move(bytes);
      break;
    case hive_t_REG_NONE:
      v.type = RegType::none;
      v.bytes = std::move(bytes);
      break;
    default:
      v.type = RegType::other;
      v.bytes = std::move(bytes);
      break;
    }
    if (key.find(v.name) != nullptr) {
      bad_name(path, node,
               "two values are named \"" + v.name +
                   "\" (names compare without case); the first is used");
      return;
    }
    key.set(std::move(v));
  }

  static constexpr std::size_t kMaxWarnings = 1000;
  hive_h *h_;
  std::string source_;
  const RegistryLimits &limits_;
  RegistryRead &out_;
  std::unordered_set<hive_node_h> visited_;
  std::size_t keys_ = 0;
  std::size_t values_ = 0;
};

} // namespace

RegistryRead read_system_hive(const std::filesystem::path &hive_file,
                              const RegistryLimits &limits) {
  RegistryRead out;
  const std::string source = hive_file.string();
  out.snapshot.source = source;
  errno = 0;
  hive_h *h = hivex_open(source.c_str(), 0);
  if (!h) {
    const int e = errno;
    out.errors.push_back(sim::make_diagnostic(
        {source, 0, 0}, "hive-unreadable",
        "cannot open the registry hive: " + std::string(e ? std::strerror(e) : "damaged") +
            " (libhivex refuses its base block or hive bins; expected an offline SYSTEM hive "
            "file, regf format)"));
    return out;
  }
  std::unique_ptr<hive_h, int (*)(hive_h *)> guard(h, hivex_close);
  try {
    if (!HiveWalker(h, source, limits, out).run()) {
      out.snapshot = RegistrySnapshot{};
      out.snapshot.source = source;
      return out;
    }
  } catch (const std::exception &e) {
    out.errors.push_back(sim::make_diagnostic(
        {source, 0, 0}, "limit", std::string("the hive could not be read: ") + e.what()));
  }
  return out;
}

} // namespace fltsim::machine
