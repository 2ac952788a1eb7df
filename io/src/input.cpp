// Inputs read whole from anything: see input.hpp.
#include "fltsim/io/input.hpp"

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <streambuf>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fltsim::io {

namespace fs = std::filesystem;

namespace {

std::string describe_errno(int e) {
  return std::strerror(e);
}

bool is_stdin(const fs::path &p) {
  return p.native() == "-";
}

InputKind kind_of(const struct stat &st) {
  if (S_ISREG(st.st_mode))
    return InputKind::regular;
  if (S_ISDIR(st.st_mode))
    return InputKind::directory;
  if (S_ISFIFO(st.st_mode))
    return InputKind::pipe;
  if (S_ISCHR(st.st_mode))
    return InputKind::character_device;
  return InputKind::other;
}

// A pipe, FIFO or device being read: what has been taken from it so far is kept, so that the
// next reader starts at its first byte again.
struct OnceInput {
  int fd = -1;           // open until its end is reached (or the process ends)
  std::string taken;     // every byte read so far
  bool at_end = false;   // EOF reached: `taken` is the whole input
  bool streamed = false; // handed to open_input_stream: its later bytes are not kept
  int error = 0;         // errno of a failed read
};

struct Registry {
  std::mutex mu;
  // Inputs that can be read once, by the name given and by identity.
  std::map<std::string, std::shared_ptr<OnceInput>> by_name;
  std::map<std::pair<dev_t, ino_t>, std::shared_ptr<OnceInput>> by_identity;
  // The current run's inputs.
  bool run_active = false;
  std::vector<InputIdentity> inputs;
};

Registry &registry() {
  static Registry r;
  return r;
}

void record_locked(Registry &r, const struct stat &st, const std::string &name) {
  if (!r.run_active)
    return;
  for (const InputIdentity &i : r.inputs)
    if (i.device == st.st_dev && i.inode == st.st_ino)
      return;
  r.inputs.push_back(
      {static_cast<std::uintmax_t>(st.st_dev), static_cast<std::uintmax_t>(st.st_ino), name});
}

// Reads from `o` until `want` bytes are kept or its end; a read error is kept in o.error.
void fill(OnceInput &o, std::size_t want) {
  char buf[65536];
  while (!o.at_end && o.error == 0 && o.taken.size() < want) {
    const ssize_t n = ::read(o.fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      o.error = errno;
      break;
    }
    if (n == 0) {
      o.at_end = true;
      if (o.fd > 2)
        ::close(o.fd);
      o.fd = -1;
      break;
    }
    o.taken.append(buf, static_cast<std::size_t>(n));
  }
}

struct Opened {
  int fd = -1;                     // a regular file, owned by the caller
  std::shared_ptr<OnceInput> once; // or a pipe/FIFO/device, shared
  int error = 0;
  bool directory = false;
  bool other = false;
};

// Opens `path` for reading: a regular file as a new descriptor, anything else as the shared
// OnceInput of its name or identity (never opened twice: a FIFO's second open would wait for a
// second writer).
Opened open_input(const fs::path &path) {
  Registry &r = registry();
  const std::string name = path.string();
  Opened out;
  std::lock_guard lock(r.mu);
  if (auto it = r.by_name.find(name); it != r.by_name.end()) {
    out.once = it->second;
    return out;
  }
  int fd = -1;
  if (is_stdin(path)) {
    fd = STDIN_FILENO;
  } else {
    do
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      out.error = errno;
      return out;
    }
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    out.error = errno;
    if (fd > 2)
      ::close(fd);
    return out;
  }
  record_locked(r, st, input_name(path));
  switch (kind_of(st)) {
  case InputKind::regular:
    if (fd == STDIN_FILENO) { // `-` redirected from a file: read it once like a pipe
      break;
    }
    out.fd = fd;
    return out;
  case InputKind::directory:
    out.directory = true;
    if (fd > 2)
      ::close(fd);
    return out;
  case InputKind::other:
  case InputKind::missing:
    out.other = true;
    if (fd > 2)
      ::close(fd);
    return out;
  case InputKind::pipe:
  case InputKind::character_device:
    break;
  }
  const auto id = std::make_pair(st.st_dev, st.st_ino);
  if (auto it = r.by_identity.find(id); it != r.by_identity.end() && !S_ISCHR(st.st_mode)) {
    if (fd > 2)
      ::close(fd);
    r.by_name.emplace(name, it->second);
    out.once = it->second;
    return out;
  }
  auto once = std::make_shared<OnceInput>();
  once->fd = fd;
  r.by_name.emplace(name, once);
  if (!S_ISCHR(st.st_mode)) // each open of /dev/zero is its own stream
    r.by_identity.emplace(id, once);
  out.once = once;
  return out;
}

sim::Diagnostic io_error(const std::string &name, const std::string &what) {
  return sim::make_diagnostic({name, 0, 0}, "io", what);
}

sim::Diagnostic too_large(const std::string &name, std::size_t limit) {
  const std::string size = limit % (1024 * 1024) == 0
                               ? std::to_string(limit / (1024 * 1024)) + " MiB"
                               : std::to_string(limit) + " bytes";
  return sim::make_diagnostic({name, 0, 0}, "limit",
                              "file is larger than " + size + ", the input size limit");
}

// A streambuf over a descriptor, after a prefix already taken from it.
class FdBuf : public std::streambuf {
public:
  FdBuf(int fd, bool owned, std::string prefix, std::shared_ptr<OnceInput> keep)
      : fd_(fd), owned_(owned), prefix_(std::move(prefix)), keep_(std::move(keep)) {
    if (!prefix_.empty())
      setg(prefix_.data(), prefix_.data(), prefix_.data() + prefix_.size());
    else
      setg(buf_, buf_, buf_);
  }
  ~FdBuf() override {
    if (owned_ && fd_ > 2)
      ::close(fd_);
  }

protected:
  int_type underflow() override {
    if (gptr() < egptr())
      return traits_type::to_int_type(*gptr());
    if (fd_ < 0)
      return traits_type::eof();
    for (;;) {
      const ssize_t n = ::read(fd_, buf_, sizeof buf_);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return traits_type::eof();
      setg(buf_, buf_, buf_ + n);
      return traits_type::to_int_type(*gptr());
    }
  }

private:
  int fd_;
  bool owned_;
  std::string prefix_;
  std::shared_ptr<OnceInput> keep_;
  char buf_[65536];
};

class FdStream : public std::istream {
public:
  explicit FdStream(std::unique_ptr<FdBuf> b) : std::istream(b.get()), buf_(std::move(b)) {}

private:
  std::unique_ptr<FdBuf> buf_;
};

} // namespace

std::string input_name(const fs::path &path) {
  return is_stdin(path) ? std::string("<stdin>") : path.string();
}

InputKind input_kind(const fs::path &path) {
  struct stat st {};
  if (is_stdin(path))
    return ::fstat(STDIN_FILENO, &st) == 0 ? kind_of(st) : InputKind::missing;
  if (::stat(path.c_str(), &st) != 0)
    return InputKind::missing;
  return kind_of(st);
}

const char *to_string(InputKind k) {
  switch (k) {
  case InputKind::missing:
    return "missing";
  case InputKind::regular:
    return "regular file";
  case InputKind::directory:
    return "directory";
  case InputKind::pipe:
    return "FIFO (named pipe)";
  case InputKind::character_device:
    return "character device";
  case InputKind::other:
    return "socket or block device";
  }
  return "?";
}

std::optional<std::string> folder_entry_skip_note(const fs::path &entry) {
  const InputKind k = input_kind(entry);
  if (k == InputKind::regular || k == InputKind::directory)
    return std::nullopt;
  if (k == InputKind::missing)
    return entry.string() + ": skipped: a dangling symbolic link or a file that vanished";
  return entry.string() + ": skipped: a " + to_string(k) +
         ", not a file; name it on the command line to read it";
}

std::optional<std::string> read_input_bytes(const fs::path &path, sim::Diagnostic &error,
                                            std::size_t limit) {
  const std::string name = input_name(path);
  Opened o = open_input(path);
  if (o.error != 0) {
    error = io_error(name, "cannot open: " + describe_errno(o.error));
    return std::nullopt;
  }
  if (o.directory) {
    error = io_error(name, "is a directory, expected a file");
    return std::nullopt;
  }
  if (o.other) {
    error = io_error(name, "is a socket or block device, expected a file");
    return std::nullopt;
  }
  if (o.once) {
    std::lock_guard lock(registry().mu);
    OnceInput &once = *o.once;
    if (once.streamed) {
      error = io_error(name, "was already read as a stream; a pipe can be read only once");
      return std::nullopt;
    }
    fill(once, limit + 1);
    if (once.error != 0) {
      error = io_error(name, "cannot read: " + describe_errno(once.error));
      return std::nullopt;
    }
    if (once.taken.size() > limit) {
      error = too_large(name, limit);
      return std::nullopt;
    }
    return once.taken;
  }
  std::string bytes;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(o.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      const int e = errno;
      ::close(o.fd);
      error = io_error(name, "cannot read: " + describe_errno(e));
      return std::nullopt;
    }
    if (n == 0)
      break;
    bytes.append(buf, static_cast<std::size_t>(n));
    if (bytes.size() > limit) {
      ::close(o.fd);
      error = too_large(name, limit);
      return std::nullopt;
    }
  }
  ::close(o.fd);
  return bytes;
}

std::string peek_input(const fs::path &path, std::size_t n) {
  Opened o = open_input(path);
  if (o.once) {
    std::lock_guard lock(registry().mu);
    if (!o.once->streamed)
      fill(*o.once, n);
    return o.once->taken.substr(0, n);
  }
  if (o.fd < 0)
    return {};
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(o.fd, out.data() + got, n - got, static_cast<off_t>(got));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    got += static_cast<std::size_t>(r);
  }
  ::close(o.fd);
  out.resize(got);
  return out;
}

std::unique_ptr<std::istream> open_input_stream(const fs::path &path, sim::Diagnostic &error) {
  const std::string name = input_name(path);
  Opened o = open_input(path);
  if (o.error != 0) {
    error = io_error(name, "cannot open: " + describe_errno(o.error));
    return nullptr;
  }
  if (o.directory || o.other) {
    error = io_error(name, o.directory ? "is a directory, expected a file"
                                       : "is a socket or block device, expected a file");
    return nullptr;
  }
  if (o.once) {
    std::lock_guard lock(registry().mu);
    OnceInput &once = *o.once;
    if (once.streamed) {
      error = io_error(name, "was already read as a stream; a pipe can be read only once");
      return nullptr;
    }
    once.streamed = true;
    // The bytes taken so far, then the rest straight from the descriptor (not kept).
    const int fd = once.at_end ? -1 : once.fd;
    auto buf = std::make_unique<FdBuf>(fd, false, once.taken, o.once);
    return std::make_unique<FdStream>(std::move(buf));
  }
  return std::make_unique<FdStream>(std::make_unique<FdBuf>(o.fd, true, std::string(), nullptr));
}

std::optional<std::uintmax_t> input_size(const fs::path &path) {
  struct stat st {};
  if (is_stdin(path) || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return std::nullopt;
  return static_cast<std::uintmax_t>(st.st_size);
}

RunInputs::RunInputs() {
  Registry &r = registry();
  std::lock_guard lock(r.mu);
  r.run_active = true;
  r.inputs.clear();
}

RunInputs::~RunInputs() {
  Registry &r = registry();
  std::lock_guard lock(r.mu);
  r.run_active = false;
  r.inputs.clear();
  // Pipes of this run are done with: a later run (an in-process test) opens its own.
  for (auto &[k, once] : r.by_name)
    if (once->fd > 2)
      ::close(once->fd), once->fd = -1;
  r.by_name.clear();
  r.by_identity.clear();
}

void note_input(const fs::path &path) {
  Registry &r = registry();
  struct stat st {};
  const bool ok = is_stdin(path) ? ::fstat(STDIN_FILENO, &st) == 0 : ::stat(path.c_str(), &st) == 0;
  if (!ok)
    return;
  std::lock_guard lock(r.mu);
  record_locked(r, st, input_name(path));
}

std::vector<InputIdentity> run_inputs() {
  Registry &r = registry();
  std::lock_guard lock(r.mu);
  return r.inputs;
}

} // namespace fltsim::io
