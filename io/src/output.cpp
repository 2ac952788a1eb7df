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
#include <cerrno>
#include <cstring>

#include "fltsim/io/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fltsim::io {

namespace fs = std::filesystem;

namespace {

// The file a path finally names: symbolic links followed (at most 40), relative targets taken
// from the link's directory. The result need not exist (a dangling link names its target).
fs::path final_target(const fs::path &path) {
  fs::path p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode))
      return p;
    std::error_code ec;
    const fs::path to = fs::read_symlink(p, ec);
    if (ec)
      return p;
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  return p;
}

bool same_identity(const struct stat &a, const InputIdentity &b) {
  return static_cast<std::uintmax_t>(a.st_dev) == b.device &&
         static_cast<std::uintmax_t>(a.st_ino) == b.inode;
}

std::optional<std::string> write_all(int fd, std::string_view content, const fs::path &path) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return "cannot write " + path.string() + ": " + std::strerror(errno);
    }
    done += static_cast<std::size_t>(n);
  }
  return std::nullopt;
}

// A FIFO or character device: written where it is, never replaced.
std::optional<std::string> write_in_place(const fs::path &path, std::string_view content,
                                          bool fifo) {
  int fd = -1;
  do
    fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | (fifo ? O_NONBLOCK : 0));
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (fifo && errno == ENXIO)
      return "cannot write " + path.string() +
             ": it is a FIFO (named pipe) that no process is reading";
    return "cannot write " + path.string() + ": " + std::strerror(errno);
  }
  if (fifo) // a reader is there: block while it catches up, as any writer of a pipe does
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  auto err = write_all(fd, content, path);
  if (::close(fd) != 0 && !err)
    err = "cannot write " + path.string() + ": " + std::strerror(errno);
  return err;
}

std::optional<std::string> replace_atomically(const fs::path &path, std::string_view content,
                                              const fs::path &shown) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0)
    return "cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno);
  const std::string tmp(name.data());
  if (auto err = write_all(fd, content, shown)) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return err;
  }
  // A replaced file keeps its permissions (mkstemp creates 0600); a new file gets 0644.
  struct stat old {};
  ::fchmod(fd, ::stat(path.c_str(), &old) == 0 ? (old.st_mode & 07777) : 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot write " + shown.string() + ": " + why;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot rename into " + shown.string() + ": " + why;
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> output_clashes_with_input(const fs::path &path,
                                                     const std::vector<fs::path> &inputs) {
  const std::string refusal = "refusing to overwrite input file ";
  struct stat out {};
  const bool exists = ::stat(path.c_str(), &out) == 0;
  std::error_code ec;
  const fs::path canon = fs::weakly_canonical(final_target(path), ec);
  for (const fs::path &in : inputs) {
    if (in.native() == "-") {
      struct stat st {};
      if (exists && ::fstat(STDIN_FILENO, &st) == 0 && st.st_dev == out.st_dev &&
          st.st_ino == out.st_ino && !S_ISCHR(st.st_mode))
        return refusal + "<stdin>";
      continue;
    }
    struct stat st {};
    if (exists && ::stat(in.c_str(), &st) == 0 && st.st_dev == out.st_dev &&
        st.st_ino == out.st_ino && !S_ISCHR(st.st_mode))
      return refusal + in.string();
    std::error_code ec2;
    if (!canon.empty() && fs::weakly_canonical(final_target(in), ec2) == canon)
      return refusal + in.string();
  }
  // Every input the run has read (input.hpp): an included file, an event log, a machine's files.
  if (exists && !S_ISCHR(out.st_mode))
    for (const InputIdentity &i : run_inputs())
      if (same_identity(out, i))
        return refusal + i.name;
  return std::nullopt;
}

std::optional<std::string> write_file_atomic(const fs::path &path, std::string_view content,
                                             const std::vector<fs::path> &inputs) {
  if (auto clash = output_clashes_with_input(path, inputs))
    return clash;
  const fs::path target = final_target(path);
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    if (errno != ENOENT)
      return "cannot write " + path.string() + ": " + std::strerror(errno);
    return replace_atomically(target, content, path);
  }
  if (S_ISREG(st.st_mode))
    return replace_atomically(target, content, path);
  if (S_ISDIR(st.st_mode))
    return path.string() + " is a directory";
  if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))
    return write_in_place(target, content, S_ISFIFO(st.st_mode));
  return "cannot write " + path.string() + ": it is a socket or block device, not a file";
}

} // namespace fltsim::io
