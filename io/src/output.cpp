// Outputs that never destroy: see the declarations in files.hpp.
//
// The rules (docs/reliability.md, "Nothing lost"):
//  - an output that is an input of the run (same device and inode, through any spelling, a
//    symbolic link or a hard link; the inputs named by the caller and every input read so far,
//    input.hpp) is refused before anything is written;
//  - a regular file (or a new one) is replaced atomically: a temporary file in its directory,
//    fsync, rename; a symbolic link is followed, and the file it names is replaced, so the link
//    stays a link;
//  - a FIFO or a character device (/dev/null, a terminal) is written in place: it is never
//    renamed over, so /dev/null stays a device. A FIFO nobody reads is refused instead of
//    waiting for a reader;
//  - a directory, socket or block device is refused.
#include "fltsim/io/files.hpp"
#include "fltsim/io/platform.hpp"
#include "os.hpp"

namespace fltsim::io {

namespace fs = std::filesystem;

namespace {

// The file a path finally names: symbolic links followed (at most 40), relative targets taken
// from the link's directory. The result need not exist (a dangling link names its target).
fs::path final_target(const fs::path &path) {
  fs::path p = path;
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec)))
      return p;
    const fs::path to = fs::read_symlink(p, ec);
    if (ec)
      return p;
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  return p;
}

bool same_file(const os::Identity &a, const os::Identity &b) {
  return a.comparable && b.comparable && a.device == b.device && a.inode == b.inode;
}

} // namespace

std::optional<std::string> output_clashes_with_input(const fs::path &path,
                                                     const std::vector<fs::path> &inputs) {
  const std::string refusal = "refusing to overwrite input file ";
  const os::Identity out = os::identify_path(path);
  std::error_code ec;
  const fs::path canon = fs::weakly_canonical(final_target(path), ec);
  for (const fs::path &in : inputs) {
    if (in == "-") {
      if (same_file(out, os::identify(os::standard_input())))
        return refusal + "<stdin>";
      continue;
    }
    if (same_file(out, os::identify_path(in)))
      return refusal + path_to_utf8(in);
    std::error_code ec2;
    if (!canon.empty() && fs::weakly_canonical(final_target(in), ec2) == canon)
      return refusal + path_to_utf8(in);
  }
  // Every input the run has read (input.hpp): an included file, an event log, a machine's files.
  if (out.comparable)
    for (const InputIdentity &i : run_inputs())
      if (out.device == i.device && out.inode == i.inode)
        return refusal + i.name;
  return std::nullopt;
}

std::optional<std::string> write_file_atomic(const fs::path &path, std::string_view content,
                                             const std::vector<fs::path> &inputs) {
  if (auto clash = output_clashes_with_input(path, inputs))
    return clash;
  const fs::path target = final_target(path);
  const std::string shown = path_to_utf8(path);
  // A regular or new file is replaced (platform.hpp: temporary file, flush, rename).
  switch (os::identify_path(target).kind) {
  case InputKind::missing:
  case InputKind::regular:
    return replace_file_contents(target, content);
  case InputKind::directory:
    return shown + " is a directory";
  case InputKind::pipe:
    return os::write_in_place(target, content, true);
  case InputKind::character_device:
    return os::write_in_place(target, content, false);
  case InputKind::other:
    break;
  }
  return "cannot write " + shown + ": it is a socket or block device, not a file";
}

} // namespace fltsim::io
