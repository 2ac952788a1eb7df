// Inputs read whole from anything: see input.hpp.
#include "fltsim/io/input.hpp"

#include <map>
#include <mutex>
#include <streambuf>
#include <vector>

#include "fltsim/io/platform.hpp"
#include "os.hpp"

namespace fltsim::io {

namespace fs = std::filesystem;

namespace {

bool is_stdin(const fs::path &p) {
  return p == fs::path("-");
}

// A pipe, FIFO or device being read: what has been taken from it so far is kept, so that the
// next reader starts at its first byte again.
struct OnceInput {
  os::Handle fd = os::no_handle; // open until its end is reached (or the process ends)
  std::string taken;             // every byte read so far
  bool at_end = false;           // EOF reached: `taken` is the whole input
  bool streamed = false;         // handed to open_input_stream: its later bytes are not kept
  std::string error;             // why a read failed
};

struct Registry {
  std::mutex mu;
  // Inputs that can be read once, by the name given and by identity.
  std::map<std::string, std::shared_ptr<OnceInput>> by_name;
  std::map<std::pair<std::uintmax_t, std::uintmax_t>, std::shared_ptr<OnceInput>> by_identity;
  // The current run's inputs.
  bool run_active = false;
  std::vector<InputIdentity> inputs;
};

Registry &registry() {
  static Registry r;
  return r;
}

void record_locked(Registry &r, const os::Identity &id, const std::string &name) {
  if (!r.run_active || !id.comparable)
    return;
  for (const InputIdentity &i : r.inputs)
    if (i.device == id.device && i.inode == id.inode)
      return;
  r.inputs.push_back({id.device, id.inode, name});
}

// Reads from `o` until `want` bytes are kept or its end; a read error is kept in o.error.
void fill(OnceInput &o, std::size_t want) {
  char buf[65536];
  while (!o.at_end && o.error.empty() && o.taken.size() < want) {
    const std::ptrdiff_t n = os::read_some(o.fd, buf, sizeof buf, o.error);
    if (n < 0)
      break;
    if (n == 0) {
      o.at_end = true;
      os::close(o.fd);
      o.fd = os::no_handle;
      break;
    }
    o.taken.append(buf, static_cast<std::size_t>(n));
  }
}

struct Opened {
  os::Handle fd = os::no_handle;   // a regular file, owned by the caller
  std::shared_ptr<OnceInput> once; // or a pipe/FIFO/device, shared
  std::string error;               // why it cannot be opened
  bool directory = false;
  bool other = false;
};

// Opens `path` for reading: a regular file as a new descriptor, anything else as the shared
// OnceInput of its name or identity (never opened twice: a FIFO's second open would wait for a
// second writer).
Opened open_input(const fs::path &path) {
  Registry &r = registry();
  const std::string name = path_to_utf8(path);
  Opened out;
  std::lock_guard lock(r.mu);
  if (auto it = r.by_name.find(name); it != r.by_name.end()) {
    out.once = it->second;
    return out;
  }
  os::Handle fd = os::no_handle;
  if (is_stdin(path)) {
    fd = os::standard_input();
  } else {
    fd = os::open_for_reading(path, out.error);
    if (fd == os::no_handle)
      return out;
  }
  const os::Identity st = os::identify(fd);
  record_locked(r, st, input_name(path));
  switch (st.kind) {
  case InputKind::regular:
    if (is_stdin(path)) { // `-` redirected from a file: read it once like a pipe
      break;
    }
    out.fd = fd;
    return out;
  case InputKind::directory:
    out.directory = true;
    os::close(fd);
    return out;
  case InputKind::other:
  case InputKind::missing:
    out.other = true;
    os::close(fd);
    return out;
  case InputKind::pipe:
  case InputKind::character_device:
    break;
  }
  const auto id = std::make_pair(st.device, st.inode);
  if (auto it = r.by_identity.find(id); it != r.by_identity.end() && st.comparable) {
    os::close(fd);
    r.by_name.emplace(name, it->second);
    out.once = it->second;
    return out;
  }
  auto once = std::make_shared<OnceInput>();
  once->fd = fd;
  r.by_name.emplace(name, once);
  if (st.comparable) // each open of /dev/zero is its own stream
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
  FdBuf(os::Handle fd, bool owned, std::string prefix, std::shared_ptr<OnceInput> keep)
      : fd_(fd), owned_(owned), prefix_(std::move(prefix)), keep_(std::move(keep)) {
    if (!prefix_.empty())
      setg(prefix_.data(), prefix_.data(), prefix_.data() + prefix_.size());
    else
      setg(buf_, buf_, buf_);
  }
  ~FdBuf() override {
    if (owned_)
      os::close(fd_);
  }

protected:
  int_type underflow() override {
    if (gptr() < egptr())
      return traits_type::to_int_type(*gptr());
    if (fd_ == os::no_handle)
      return traits_type::eof();
    std::string why;
    const std::ptrdiff_t n = os::read_some(fd_, buf_, sizeof buf_, why);
    if (n <= 0)
      return traits_type::eof();
    setg(buf_, buf_, buf_ + n);
    return traits_type::to_int_type(*gptr());
  }

private:
  os::Handle fd_;
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
  return is_stdin(path) ? std::string("<stdin>") : path_to_utf8(path);
}

InputKind input_kind(const fs::path &path) {
  return (is_stdin(path) ? os::identify(os::standard_input()) : os::identify_path(path)).kind;
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
    return path_to_utf8(entry) + ": skipped: a dangling symbolic link or a file that vanished";
  return path_to_utf8(entry) + ": skipped: a " + to_string(k) +
         ", not a file; name it on the command line to read it";
}

std::optional<std::string> read_input_bytes(const fs::path &path, sim::Diagnostic &error,
                                            std::size_t limit) {
  const std::string name = input_name(path);
  Opened o = open_input(path);
  if (!o.error.empty()) {
    error = io_error(name, "cannot open: " + o.error);
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
    if (!once.error.empty()) {
      error = io_error(name, "cannot read: " + once.error);
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
    std::string why;
    const std::ptrdiff_t n = os::read_some(o.fd, buf, sizeof buf, why);
    if (n < 0) {
      os::close(o.fd);
      error = io_error(name, "cannot read: " + why);
      return std::nullopt;
    }
    if (n == 0)
      break;
    bytes.append(buf, static_cast<std::size_t>(n));
    if (bytes.size() > limit) {
      os::close(o.fd);
      error = too_large(name, limit);
      return std::nullopt;
    }
  }
  os::close(o.fd);
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
  if (o.fd == os::no_handle)
    return {};
  // A regular file was opened afresh: its first bytes are the next ones read.
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    std::string why;
    const std::ptrdiff_t r = os::read_some(o.fd, out.data() + got, n - got, why);
    if (r <= 0)
      break;
    got += static_cast<std::size_t>(r);
  }
  os::close(o.fd);
  out.resize(got);
  return out;
}

std::unique_ptr<std::istream> open_input_stream(const fs::path &path, sim::Diagnostic &error) {
  const std::string name = input_name(path);
  Opened o = open_input(path);
  if (!o.error.empty()) {
    error = io_error(name, "cannot open: " + o.error);
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
    const os::Handle fd = once.at_end ? os::no_handle : once.fd;
    auto buf = std::make_unique<FdBuf>(fd, false, once.taken, o.once);
    return std::make_unique<FdStream>(std::move(buf));
  }
  return std::make_unique<FdStream>(std::make_unique<FdBuf>(o.fd, true, std::string(), nullptr));
}

std::optional<std::uintmax_t> input_size(const fs::path &path) {
  std::error_code ec;
  if (is_stdin(path) || os::identify_path(path).kind != InputKind::regular)
    return std::nullopt;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec)
    return std::nullopt;
  return size;
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
    if (once->fd != os::no_handle)
      os::close(once->fd), once->fd = os::no_handle;
  r.by_name.clear();
  r.by_identity.clear();
}

void note_input(const fs::path &path) {
  Registry &r = registry();
  const os::Identity st =
      is_stdin(path) ? os::identify(os::standard_input()) : os::identify_path(path);
  if (st.kind == InputKind::missing)
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
