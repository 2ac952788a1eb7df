// INF bytes -> UTF-8, as Windows reads an INF (inf_reader.hpp, decode_inf):
//  * FF FE / FE FF: UTF-16LE / UTF-16BE; EF BB BF: UTF-8 (the mark is dropped);
//  * anything else is ANSI text in a Windows code page (learn.microsoft.com, "General Unicode
//    requirement in INF files": INFs are saved "with Unicode (UTF-16 LE) or ANSI file
//    encoding"), Windows-1252 unless the caller names another one (`--codepage 936` for an INF
//    written on a Chinese system).
// The conversion is glibc's iconv ("CP<n>", "UTF-8", "UTF-16LE/BE"); no table is written here.
// Windows' MultiByteToWideChar maps the five bytes code page 1252 leaves unassigned (0x81, 0x8D,
// 0x8F, 0x90, 0x9D) to the C1 controls of the same value, where glibc's CP1252 refuses them;
// that one rule is applied by hand so such a byte reads as Windows reads it.
// Every other byte sequence the encoding cannot decode becomes U+FFFD. Inside a ';' comment (the
// GBK remarks of an INF read as 1252 or the reverse) that is all: Windows never looks at
// comments. Anywhere else it is an `encoding` diagnostic at the byte's line and column,
// because a service, group or instance name may then differ from what Windows reads.
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <string>

#include "fltsim/io/utf8.hpp"
#include "fltsim/machine/service_kind.hpp"
#include "fltsim/manifest/inf_reader.hpp"

namespace fltsim::manifest {

namespace {

constexpr std::size_t max_encoding_diagnostics = 20; // lines reported

// iconv's name for a Windows code page.
std::string iconv_name(std::uint32_t codepage) {
  if (codepage == 65001)
    return "UTF-8";
  return "CP" + std::to_string(codepage);
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

struct Bad {
  std::size_t out_offset; // where U+FFFD was written
  unsigned value;         // the first undecodable byte (or UTF-16 unit)
  bool nul = false;
};

// Converts `in` with `cd`, replacing undecodable input by U+FFFD (`unit` bytes skipped each time:
// 2 for UTF-16). Appends to `out`, records each replacement in `bad`.
void convert(iconv_t cd, std::string_view in, std::size_t unit, bool cp1252, std::string &out,
             std::vector<Bad> &bad) {
  std::size_t at = 0;
  std::string buf(std::max<std::size_t>(in.size() * 3 + 16, 64), '\0');
  while (at < in.size()) {
    // iconv takes char** for historical reasons; it does not write through the input pointer.
    char *src = const_cast<char *>(in.data() + at);
    std::size_t src_left = in.size() - at;
    char *dst = buf.data();
    std::size_t dst_left = buf.size();
    const std::size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    out.append(buf.data(), buf.size() - dst_left);
    at = in.size() - src_left;
    if (r != static_cast<std::size_t>(-1))
      break;
    if (errno == E2BIG)
      continue; // the buffer is flushed above; go on
    // EILSEQ (an invalid sequence) or EINVAL (a sequence cut by the end of the input).
    const auto byte = static_cast<unsigned char>(in[at]);
    iconv(cd, nullptr, nullptr, nullptr, nullptr); // reset the shift state
    if (cp1252 && (byte == 0x81 || byte == 0x8D || byte == 0x8F || byte == 0x90 || byte == 0x9D)) {
      io::append_utf8(out, static_cast<char32_t>(byte));
      ++at;
      continue;
    }
    unsigned value = byte;
    if (unit == 2 && at + 1 < in.size())
      value = (value << 8) | static_cast<unsigned char>(in[at + 1]);
    bad.push_back({out.size(), value});
    io::append_utf8(out, 0xFFFD);
    at += std::min(unit, in.size() - at);
  }
}

// Line, column (code points, as the INF lexer counts) and whether `offset` of UTF-8 `text` lies
// inside a ';' comment (a ';' outside double quotes earlier on its physical line).
struct Place {
  int line = 1;
  int col = 1;
  bool in_comment = false;
};

class Locator {
public:
  explicit Locator(std::string_view text) : text_(text) {}

  // Offsets must come in increasing order.
  Place place(std::size_t offset) {
    for (; at_ < offset && at_ < text_.size(); ++at_) {
      const char c = text_[at_];
      if (c == '\n') {
        ++p_.line;
        p_.col = 1;
        p_.in_comment = false;
        in_quote_ = false;
        continue;
      }
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
        ++p_.col;
      if (p_.in_comment)
        continue;
      if (c == '"')
        in_quote_ = !in_quote_;
      else if (c == ';' && !in_quote_)
        p_.in_comment = true;
    }
    return p_;
  }

private:
  std::string_view text_;
  std::size_t at_ = 0;
  Place p_;
  bool in_quote_ = false;
};

std::string hex(unsigned v, int digits) {
  static const char *const d = "0123456789ABCDEF";
  std::string s = "0x";
  for (int i = digits - 1; i >= 0; --i)
    s += d[(v >> (4 * i)) & 0xF];
  return s;
}

} // namespace

bool inf_codepage_supported(std::uint32_t codepage) {
  return codepage != 0 && Iconv(iconv_name(codepage)).ok();
}

InfText decode_inf(std::string_view bytes, const std::string &source,
                   const InfReadOptions &options) {
  InfText out;
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  std::string from;
  std::string what; // how the file was read, for messages
  std::size_t unit = 1;
  std::string_view body = bytes;
  if (bytes.size() >= 2 && b(0) == 0xFF && b(1) == 0xFE) {
    from = "UTF-16LE";
    what = "UTF-16LE (byte-order mark)";
    unit = 2;
    body.remove_prefix(2);
  } else if (bytes.size() >= 2 && b(0) == 0xFE && b(1) == 0xFF) {
    from = "UTF-16BE";
    what = "UTF-16BE (byte-order mark)";
    unit = 2;
    body.remove_prefix(2);
  } else if (bytes.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
    from = "UTF-8";
    what = "UTF-8 (byte-order mark)";
    body.remove_prefix(3);
  } else {
    from = iconv_name(options.codepage);
    what = options.codepage == 65001 ? std::string("UTF-8 (code page 65001)")
                                     : "code page " + std::to_string(options.codepage);
    // UTF-16 without a byte-order mark: every other byte is NUL. Say so once, not per byte.
    if (bytes.size() >= 2 && b(1) == 0 && b(0) != 0) {
      out.diagnostics.push_back(sim::make_diagnostic(
          {source, 1, 1}, "encoding",
          "NUL byte in text: UTF-16 without a byte-order mark? Save the INF as UTF-16LE with "
          "BOM (Windows reads a file without one as ANSI text)"));
      return out;
    }
  }
  const Iconv cd(from);
  if (!cd.ok() || options.codepage == 0) {
    out.diagnostics.push_back(sim::make_diagnostic({source, 0, 0}, "encoding",
                                                   "code page " + std::to_string(options.codepage) +
                                                       " cannot be converted (iconv knows no " +
                                                       from + ")"));
    return out;
  }
  std::vector<Bad> bad;
  convert(cd.get(), body, unit, unit == 1 && from == "CP1252", out.text, bad);
  // NUL characters (a stray 0x00 in ANSI text, U+0000 in UTF-16): replaced like the rest.
  for (std::size_t i = out.text.find('\0'); i != std::string::npos;
       i = out.text.find('\0', i + 1)) {
    out.text[i] = ' ';
    bad.push_back({i, 0, true});
  }
  std::sort(bad.begin(), bad.end(),
            [](const Bad &x, const Bad &y) { return x.out_offset < y.out_offset; });
  Locator locate(out.text);
  std::size_t reported = 0, more = 0;
  int last_line = 0;
  for (const Bad &x : bad) {
    const Place p = locate.place(x.out_offset);
    if (p.in_comment)
      continue; // Windows never reads comments: any byte goes there
    if (p.line == last_line)
      continue; // one diagnostic per line: the first undecodable character
    last_line = p.line;
    if (reported == max_encoding_diagnostics) {
      ++more;
      continue;
    }
    ++reported;
    std::string msg =
        x.nul ? std::string("NUL character")
              : (unit == 2 ? "UTF-16 unit " + hex(x.value, 4) : "byte " + hex(x.value, 2)) +
                    " is not a character in " + what;
    if (!x.nul && unit == 1 && from != "UTF-8")
      msg += "; if the INF was written on a system with another ANSI code page, name it with "
             "--codepage (936 Chinese, 932 Japanese, 949 Korean, 1251 Cyrillic, ...)";
    out.diagnostics.push_back(
        sim::make_diagnostic({source, p.line, p.col}, "encoding", msg + " (outside a comment)"));
  }
  if (more > 0)
    out.diagnostics.push_back(sim::make_diagnostic({source, 0, 0}, "encoding",
                                                   std::to_string(more) +
                                                       " more lines with undecodable characters "
                                                       "outside comments are not reported"));
  return out;
}

IncludeResult read_inf(std::string_view bytes, const std::string &source,
                       const InfReadOptions &options) {
  InfText text = decode_inf(bytes, source, options);
  if (text.text.empty() && !text.diagnostics.empty()) {
    IncludeResult out;
    out.diagnostics = std::move(text.diagnostics);
    return out;
  }
  IncludeResult out = parse_inf(text.text, source);
  if (!text.diagnostics.empty()) {
    out.diagnostics.insert(out.diagnostics.begin(), text.diagnostics.begin(),
                           text.diagnostics.end());
    machine::sort_by_location(out.diagnostics);
  }
  return out;
}

} // namespace fltsim::manifest
