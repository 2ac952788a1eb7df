// fltsim/io/platform.hpp on Linux (and other POSIX systems with glibc's iconv).
#include <iconv.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "fltsim/io/platform.hpp"
#include "fltsim/io/utf8.hpp"
#include "os.hpp"

namespace fltsim::io {

namespace fs = std::filesystem;

fs::path executable_path() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path{} : exe;
}

std::vector<std::string> utf8_arguments(int argc, char **argv) {
  return {argv, argv + argc};
}

void prepare_console() {}

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

bool running_under_wine() {
  return false;
}

ScratchFile::ScratchFile(std::string_view bytes) {
  // An anonymous file (memfd): nothing on disk to clean up, whatever happens to the process.
  const int fd = ::memfd_create("fltsim-scratch", MFD_CLOEXEC);
  if (fd < 0) {
    error_ = std::strerror(errno);
    return;
  }
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      error_ = std::strerror(errno);
      ::close(fd);
      return;
    }
    done += static_cast<std::size_t>(n);
  }
  handle_ = fd;
  path_ = "/proc/self/fd/" + std::to_string(fd);
}

ScratchFile::~ScratchFile() {
  if (handle_ >= 0)
    ::close(static_cast<int>(handle_));
}

std::optional<std::string> replace_file_contents(const fs::path &path, std::string_view content) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0)
    return "cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno);
  const std::string tmp(name.data());
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return "cannot write " + path.string() + ": " + why;
    }
    done += static_cast<std::size_t>(n);
  }
  // A replaced file keeps its permissions (mkstemp creates 0600); a new file gets 0644.
  struct stat old {};
  ::fchmod(fd, ::stat(path.c_str(), &old) == 0 ? (old.st_mode & 07777) : 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot write " + path.string() + ": " + why;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "cannot rename into " + path.string() + ": " + why;
  }
  return std::nullopt;
}

namespace {

// iconv's name for an encoding.
std::string iconv_name(TextEncoding e) {
  switch (e.kind) {
  case TextEncoding::Kind::utf16le:
    return "UTF-16LE";
  case TextEncoding::Kind::utf16be:
    return "UTF-16BE";
  case TextEncoding::Kind::codepage:
    break;
  }
  return e.codepage == 65001 ? std::string("UTF-8") : "CP" + std::to_string(e.codepage);
}

class Iconv {
public:
  explicit Iconv(const std::string &from) : cd_(iconv_open("UTF-8", from.c_str())) {}
  ~Iconv() {
    if (ok())
      iconv_close(cd_);
  }
  Iconv(const Iconv &) = delete;
  Iconv &operator=(const Iconv &) = delete;
  [[nodiscard]] bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  [[nodiscard]] iconv_t get() const { return cd_; }

private:
  iconv_t cd_;
};

} // namespace

bool codepage_supported(std::uint32_t codepage) {
  return codepage != 0 && Iconv(iconv_name({TextEncoding::Kind::codepage, codepage})).ok();
}

bool decode_to_utf8(std::string_view in, TextEncoding encoding, std::string &out,
                    std::vector<UndecodableByte> &bad) {
  if (encoding.kind == TextEncoding::Kind::codepage && encoding.codepage == 0)
    return false;
  const Iconv cd(iconv_name(encoding));
  if (!cd.ok())
    return false;
  const std::size_t unit = encoding.kind == TextEncoding::Kind::codepage ? 1 : 2;
  // Windows' MultiByteToWideChar maps the five bytes code page 1252 leaves unassigned (0x81,
  // 0x8D, 0x8F, 0x90, 0x9D) to the C1 controls of the same value, where glibc's CP1252 refuses
  // them; that one rule is applied by hand so such a byte reads as Windows reads it.
  const bool cp1252 = unit == 1 && encoding.codepage == 1252;
  std::size_t at = 0;
  std::string buf(std::max<std::size_t>(in.size() * 3 + 16, 64), '\0');
  while (at < in.size()) {
    // iconv takes char** for historical reasons; it does not write through the input pointer.
    char *src = const_cast<char *>(in.data() + at);
    std::size_t src_left = in.size() - at;
    char *dst = buf.data();
    std::size_t dst_left = buf.size();
    const std::size_t r = iconv(cd.get(), &src, &src_left, &dst, &dst_left);
    out.append(buf.data(), buf.size() - dst_left);
    at = in.size() - src_left;
    if (r != static_cast<std::size_t>(-1))
      break;
    if (errno == E2BIG)
      continue; // the buffer is flushed above; go on
    // EILSEQ (an invalid sequence) or EINVAL (a sequence cut by the end of the input).
    const auto byte = static_cast<unsigned char>(in[at]);
    iconv(cd.get(), nullptr, nullptr, nullptr, nullptr); // reset the shift state
    if (cp1252 && (byte == 0x81 || byte == 0x8D || byte == 0x8F || byte == 0x90 || byte == 0x9D)) {
      append_utf8(out, static_cast<char32_t>(byte));
      ++at;
      continue;
    }
    unsigned value = byte;
    if (unit == 2 && at + 1 < in.size())
      value = (value << 8) | static_cast<unsigned char>(in[at + 1]);
    bad.push_back({out.size(), value});
    append_utf8(out, 0xFFFD);
    at += std::min(unit, in.size() - at);
  }
  return true;
}

// ---- os.hpp: file descriptors -----------------------------------------------------------------

namespace os {

namespace {

Identity identity_of(const struct stat &st) {
  Identity id;
  id.device = static_cast<std::uintmax_t>(st.st_dev);
  id.inode = static_cast<std::uintmax_t>(st.st_ino);
  id.comparable = true;
  if (S_ISREG(st.st_mode))
    id.kind = InputKind::regular;
  else if (S_ISDIR(st.st_mode))
    id.kind = InputKind::directory;
  else if (S_ISFIFO(st.st_mode))
    id.kind = InputKind::pipe;
  else if (S_ISCHR(st.st_mode))
    id.kind = InputKind::character_device, id.comparable = false;
  else
    id.kind = InputKind::other;
  return id;
}

} // namespace

Handle standard_input() {
  return STDIN_FILENO;
}

Handle open_for_reading(const fs::path &path, std::string &why) {
  int fd = -1;
  do
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    why = std::strerror(errno);
  return fd < 0 ? no_handle : fd;
}

Identity identify(Handle h) {
  struct stat st {};
  if (h < 0 || ::fstat(static_cast<int>(h), &st) != 0)
    return {};
  return identity_of(st);
}

Identity identify_path(const fs::path &path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return {};
  return identity_of(st);
}

std::ptrdiff_t read_some(Handle h, char *buf, std::size_t n, std::string &why) {
  for (;;) {
    const ssize_t got = ::read(static_cast<int>(h), buf, n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      why = std::strerror(errno);
    return got;
  }
}

void close(Handle h) {
  if (h > 2)
    ::close(static_cast<int>(h));
}

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
  std::optional<std::string> err;
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      err = "cannot write " + path.string() + ": " + std::strerror(errno);
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && !err)
    err = "cannot write " + path.string() + ": " + std::strerror(errno);
  return err;
}

} // namespace os

} // namespace fltsim::io
