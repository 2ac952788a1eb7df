// `fltsim snapshot [-o FOLDER]` (docs/windows.md, "fltsim snapshot"): the Windows machine fltsim
// runs on, read live (registry, Filter Manager, System log), as a machine folder that `import`,
// `diagnose`, `fleet` and the viewer read (fltsim/inputs/snapshot.hpp). What could not be read is
// listed (stderr and FOLDER/snapshot.txt) and does not stop the rest. Exit 0 = written, 2 = the
// registry could not be read (e.g. not on Windows) or the folder cannot be written.
#include <ostream>

#include "command.hpp"
#include "fltsim/inputs/snapshot.hpp"
#include "fltsim/io/platform.hpp"

namespace fltsim::cli::snapshot_command {
namespace {

struct SnapshotArgs {
  std::string output = "fltsim-snapshot";
};

void run_snapshot(const SnapshotArgs &args, CommandContext &ctx) {
  auto registry = machine::this_machine();
  auto filter_manager = observed::this_machine_filter_manager();
  const inputs::SnapshotResult r =
      inputs::write_snapshot(*registry, *filter_manager, io::path_from_utf8(args.output));
  for (const std::string &u : r.unread)
    ctx.err << "fltsim snapshot: could not read " << u << "\n";
  if (r.error) {
    ctx.err << "fltsim snapshot: " << *r.error << "\n";
    ctx.outcome = Outcome::input_error;
    return;
  }
  for (const auto &p : r.written)
    ctx.out << io::path_to_utf8(p) << "\n";
  if (!r.registry) {
    ctx.err << "fltsim snapshot: nothing of the registry could be read; no machine to import\n";
    ctx.outcome = Outcome::input_error;
  }
}

// CLI11 declarations: alike in shape in every command, on purpose (ui/cli/command.hpp).
void declare(CLI::App &sub, SnapshotArgs &args) {
  sub.add_option("-o,--output", args.output, "Folder to write (created if absent)")
      ->capture_default_str();
}

const RegisterCommand
    registered(45, "snapshot",
               "Read the Windows machine fltsim runs on into a machine folder (system.reg: the "
               "current control set's services, group orders and attach policies; fltmc.txt: "
               "Filter Manager's filters, instances and volumes now; events.txt: "
               "FilterManager event 6; build.txt; snapshot.txt: what could not be read)",
               declare, run_snapshot);

} // namespace
} // namespace fltsim::cli::snapshot_command
