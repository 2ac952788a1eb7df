// Offline SYSTEM hive reader (fltsim/manifest/machine_import.hpp), through Debian's libhivex:
// every key and value of the hive into a typed RegistrySnapshot, paths relative to the hive root
// (= HKLM\SYSTEM when the file is a SYSTEM hive). hivex does the regf parsing; string data is
// decoded here from UTF-16LE the same way the .reg reader decodes hex(1)/hex(2)/hex(7) data.
#include <hivex.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "fltsim/machine/machine_import.hpp"
#include "fltsim/machine/reg_text.hpp"

namespace fltsim::machine {

namespace {

struct FreeDeleter {
  void operator()(void *p) const { std::free(p); }
};
template <class T> using CPtr = std::unique_ptr<T, FreeDeleter>;

// The registry nests at most 512 keys deep; a deeper (crafted) hive is refused.
constexpr std::size_t kMaxDepth = 512;
// More keys than any real SYSTEM hive holds (a few hundred thousand): a crafted hive whose
// subkey lists point back at their ancestors would otherwise be walked without end.
constexpr std::size_t kMaxKeys = 4'000'000;

} // namespace

RegistryRead read_system_hive(const std::filesystem::path &hive_file) {
  RegistryRead out;
  const std::string source = hive_file.string();
  out.snapshot.source = source;
  hive_h *h = hivex_open(source.c_str(), 0);
  if (!h) {
    const int e = errno;
    out.errors.push_back(
        sim::make_diagnostic({source, 0, 0}, "hive-unreadable",
                             "cannot open the registry hive: " + std::string(std::strerror(e)) +
                                 " (expected an offline SYSTEM hive file, regf format)"));
    return out;
  }
  std::unique_ptr<hive_h, int (*)(hive_h *)> guard(h, hivex_close);
  try {
    struct Pending {
      hive_node_h node;
      std::string path;
      std::size_t depth;
    };
    std::vector<Pending> todo{{hivex_root(h), std::string(), 0}};
    std::size_t bad_values = 0;
    std::size_t visited = 0;
    while (!todo.empty()) {
      Pending p = std::move(todo.back());
      todo.pop_back();
      if (++visited > kMaxKeys) {
        out.errors.push_back(sim::make_diagnostic(
            {source, 0, 0}, "limit",
            "the hive has more than " + std::to_string(kMaxKeys) + " keys; refusing it"));
        return out;
      }
      RegistryKey &key = out.snapshot.key(p.path, {source, 0, 0});
      const std::string where = p.path.empty() ? std::string("the hive root") : "[" + p.path + "]";
      CPtr<hive_value_h> values(hivex_node_values(h, p.node));
      for (std::size_t i = 0; values && values.get()[i] != 0; ++i) {
        const hive_value_h hv = values.get()[i];
        CPtr<char> name(hivex_value_key(h, hv));
        hive_type t{};
        std::size_t len = 0;
        CPtr<char> data(hivex_value_value(h, hv, &t, &len));
        if (!name || !data) {
          ++bad_values;
          continue;
        }
        RegValue v;
        v.name = name.get();
        v.raw_type = static_cast<std::uint32_t>(t);
        v.location = {source, 0, 0};
        const auto *b = reinterpret_cast<const unsigned char *>(data.get());
        std::vector<unsigned char> bytes(b, b + len);
        std::string why;
        switch (t) {
        case hive_t_REG_SZ:
        case hive_t_REG_EXPAND_SZ: {
          auto s = regtext::decode_strings(bytes, true, false, &why);
          if (!s) {
            out.warnings.push_back(
                sim::make_warning({source, 0, 0}, "reg-bad-value",
                                  "value \"" + v.name + "\" of " + where + ": " + why));
            continue;
          }
          v.type = t == hive_t_REG_SZ ? RegType::sz : RegType::expand_sz;
          v.text = s->empty() ? std::string() : std::move(s->front());
          break;
        }
        case hive_t_REG_MULTI_SZ: {
          auto s = regtext::decode_strings(bytes, true, true, &why);
          if (!s) {
            out.warnings.push_back(
                sim::make_warning({source, 0, 0}, "reg-bad-value",
                                  "value \"" + v.name + "\" of " + where + ": " + why));
            continue;
          }
          v.type = RegType::multi_sz;
          v.strings = std::move(*s);
          break;
        }
        case hive_t_REG_DWORD:
          if (len != 4) {
            out.warnings.push_back(sim::make_warning({source, 0, 0}, "reg-bad-value",
                                                     "value \"" + v.name + "\" of " + where +
                                                         ": REG_DWORD data must be 4 bytes"));
            continue;
          }
          v.type = RegType::dword;
          v.number = std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8) |
                     (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[3]} << 24);
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
        key.set(std::move(v));
      }
      CPtr<hive_node_h> children(hivex_node_children(h, p.node));
      for (std::size_t i = 0; children && children.get()[i] != 0; ++i) {
        CPtr<char> cname(hivex_node_name(h, children.get()[i]));
        if (!cname) {
          ++bad_values;
          continue;
        }
        if (p.depth + 1 > kMaxDepth) {
          out.errors.push_back(sim::make_diagnostic(
              {source, 0, 0}, "limit",
              "keys nest more than " + std::to_string(kMaxDepth) + " deep below " + where));
          return out;
        }
        todo.push_back({children.get()[i],
                        p.path.empty() ? std::string(cname.get()) : p.path + '\\' + cname.get(),
                        p.depth + 1});
      }
    }
    if (bad_values > 0)
      out.warnings.push_back(sim::make_warning(
          {source, 0, 0}, "hive-damaged",
          std::to_string(bad_values) + " keys or values could not be read (damaged cells)"));
  } catch (const std::exception &e) {
    out.errors.push_back(sim::make_diagnostic(
        {source, 0, 0}, "limit", std::string("the hive could not be read: ") + e.what()));
  }
  return out;
}

} // namespace fltsim::machine
