// RegistrySnapshot -> .reg export text, as regedit writes one (docs/windows.md, "fltsim
// snapshot"): "Windows Registry Editor Version 5.00", one [HKEY_LOCAL_MACHINE\SYSTEM\<path>]
// section per key in the snapshot's order, REG_SZ as "text", REG_DWORD as dword:%08x, every other
// type as hex(N): bytes (REG_BINARY hex:), strings inside hex data as UTF-16LE. read_reg_export
// reads every such file back to an equal snapshot (tests/machine/snapshot_test.cpp).
#include <cstdio>

#include "fltsim/io/utf8.hpp"
#include "fltsim/machine/snapshot.hpp"

namespace fltsim::machine {

namespace {

std::string reg_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"')
      out += '\\';
    out += c;
  }
  return out + '"';
}

void append_utf16le(std::vector<unsigned char> &out, std::string_view utf8) {
  std::string bytes;
  io::append_utf16le(bytes, utf8);
  out.insert(out.end(), bytes.begin(), bytes.end());
}

std::string hex_data(std::string_view prefix, const std::vector<unsigned char> &bytes) {
  static const char *const digits = "0123456789abcdef";
  std::string out(prefix);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0)
      out += ',';
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0xF];
  }
  return out;
}

std::string value_data(const RegValue &v) {
  std::vector<unsigned char> bytes;
  char buf[32];
  switch (v.type) {
  case RegType::sz:
    return reg_quoted(v.text);
  case RegType::dword:
    std::snprintf(buf, sizeof buf, "dword:%08x", static_cast<unsigned>(v.number));
    return buf;
  case RegType::expand_sz:
    append_utf16le(bytes, v.text);
    bytes.insert(bytes.end(), {0, 0});
    return hex_data("hex(2):", bytes);
  case RegType::multi_sz:
    for (const std::string &s : v.strings) {
      append_utf16le(bytes, s);
      bytes.insert(bytes.end(), {0, 0});
    }
    bytes.insert(bytes.end(), {0, 0});
    return hex_data("hex(7):", bytes);
  case RegType::qword:
    for (int k = 0; k < 8; ++k)
      bytes.push_back(static_cast<unsigned char>(v.number >> (8 * k)));
    return hex_data("hex(b):", bytes);
  case RegType::binary:
    return hex_data("hex:", v.bytes);
  case RegType::none:
  case RegType::other:
    break;
  }
  std::snprintf(buf, sizeof buf, "hex(%x):", static_cast<unsigned>(v.raw_type));
  return hex_data(buf, v.bytes);
}

} // namespace

std::string write_reg_export(const RegistrySnapshot &snapshot, std::string_view root) {
  std::string out = "Windows Registry Editor Version 5.00\r\n";
  for (const auto &[lower, key] : snapshot.keys()) {
    out += "\r\n[";
    out += root;
    if (!key.path.empty()) {
      out += '\\';
      out += key.path;
    }
    out += "]\r\n";
    for (const RegValue &v : key.values) {
      out += v.name.empty() ? std::string("@") : reg_quoted(v.name);
      out += '=';
      out += value_data(v);
      out += "\r\n";
    }
  }
  return out;
}

} // namespace fltsim::machine
