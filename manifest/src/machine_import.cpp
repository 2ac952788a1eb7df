// import_machine (fltsim/manifest/machine_import.hpp). Stub: the real body follows.
#include "fltsim/manifest/machine_import.hpp"

namespace fltsim::manifest {

MachineImport import_machine(const RegistrySnapshot &snapshot, const MachineImportOptions &) {
  MachineImport out;
  out.errors.push_back(sim::make_diagnostic({snapshot.source, 0, 0}, "machine-import",
                                            "machine import is not implemented yet"));
  return out;
}

RegistryRead read_reg_export(std::string_view, const std::string &source_name) {
  RegistryRead r;
  r.snapshot.source = source_name;
  r.errors.push_back(sim::make_diagnostic({source_name, 0, 0}, "machine-import",
                                          "reading .reg exports is not implemented yet"));
  return r;
}

RegistryRead read_system_hive(const std::filesystem::path &hive_file) {
  RegistryRead r;
  r.snapshot.source = hive_file.string();
  r.errors.push_back(sim::make_diagnostic({hive_file.string(), 0, 0}, "machine-import",
                                          "reading hives is not implemented yet"));
  return r;
}

bool looks_like_hive(std::string_view first_bytes) {
  return first_bytes.substr(0, 4) == "regf";
}

MachineImport import_machine_file(const std::filesystem::path &path,
                                  const MachineImportOptions &options) {
  RegistrySnapshot s;
  s.source = path.string();
  return import_machine(s, options);
}

} // namespace fltsim::manifest
