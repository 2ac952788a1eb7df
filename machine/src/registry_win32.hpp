#pragma once
// Private to machine/ on Windows: copies an open registry key, with everything below it, into a
// RegistrySnapshot (the offline-hive reader, hive_reader_win32.cpp, and the live snapshot,
// live_win32.cpp, share it). Values are typed by the same rules as the libhivex reader.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <string>

#include "fltsim/machine/machine_import.hpp"

namespace fltsim::machine::win32 {

/// UTF-16 -> UTF-8.
[[nodiscard]] std::string utf8(const std::wstring &w);
/// UTF-8 -> UTF-16.
[[nodiscard]] std::wstring wide(const std::string &s);
/// "Access is denied. (Windows error 5)"
[[nodiscard]] std::string error_text(LSTATUS code);

/// Copies `key` and its subtree into out.snapshot under `path` (relative to HKLM\SYSTEM; "" = the
/// root). Keys or values that cannot be read are counted in one warning; more than 4,000,000 keys
/// or a nesting deeper than 512 is an error. `source` names the input in diagnostics.
void copy_tree(HKEY key, const std::string &path, const std::string &source, RegistryRead &out,
               const RegistryLimits &limits = {});

} // namespace fltsim::machine::win32
