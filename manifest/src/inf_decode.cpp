// INF bytes -> UTF-8, as Windows reads an INF (inf_reader.hpp, decode_inf):
//  * FF FE / FE FF: UTF-16LE / UTF-16BE; EF BB BF: UTF-8 (the mark is dropped);
//  * anything else is ANSI text in a Windows code page (learn.microsoft.com, "General Unicode
//    requirement in INF files": INFs are saved "with Unicode (UTF-16 LE) or ANSI file
//    encoding"), Windows-1252 unless the caller names another one (`--codepage 936` for an INF
//    written on a Chinese system).
// The conversion is the platform's (fltsim/io/platform.hpp, decode_to_utf8): glibc's iconv on
// Linux, with the five bytes code page 1252 leaves unassigned read as Windows reads them;
// MultiByteToWideChar on Windows. No table is written here.
// Every other byte sequence the encoding cannot decode becomes U+FFFD. Inside a ';' comment (the
// GBK remarks of an INF read as 1252 or the reverse) that is all: Windows never looks at
// comments. Anywhere else it is an `encoding` diagnostic at the byte's line and column,
// because a service, group or instance name may then differ from what Windows reads.
#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <string>

#include "fltsim/io/platform.hpp"
#include "fltsim/io/utf8.hpp"
#include "fltsim/machine/service_kind.hpp"
#include "fltsim/manifest/inf_reader.hpp"

namespace fltsim::manifest {

namespace {

constexpr std::size_t max_encoding_diagnostics = 20; // lines reported

struct Bad {
  std::size_t out_offset; // where U+FFFD was written
  unsigned value;         // the first undecodable byte (or UTF-16 unit)
  bool nul = false;
};

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
  return io::codepage_supported(codepage);
}

InfText decode_inf(std::string_view bytes, const std::string &source,
                   const InfReadOptions &options) {
  InfText out;
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  io::TextEncoding from{io::TextEncoding::Kind::codepage, options.codepage};
  bool utf8 = options.codepage == 65001;
  std::string what; // how the file was read, for messages
  std::size_t unit = 1;
  std::string_view body = bytes;
  if (bytes.size() >= 2 && b(0) == 0xFF && b(1) == 0xFE) {
    from.kind = io::TextEncoding::Kind::utf16le;
    what = "UTF-16LE (byte-order mark)";
    unit = 2;
    body.remove_prefix(2);
  } else if (bytes.size() >= 2 && b(0) == 0xFE && b(1) == 0xFF) {
    from.kind = io::TextEncoding::Kind::utf16be;
    what = "UTF-16BE (byte-order mark)";
    unit = 2;
    body.remove_prefix(2);
  } else if (bytes.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
    from.codepage = 65001;
    utf8 = true;
    what = "UTF-8 (byte-order mark)";
    body.remove_prefix(3);
  } else {
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
  std::vector<io::UndecodableByte> undecodable;
  if (options.codepage == 0 || !io::decode_to_utf8(body, from, out.text, undecodable)) {
    out.diagnostics.push_back(
        sim::make_diagnostic({source, 0, 0}, "encoding",
                             "code page " + std::to_string(options.codepage) +
                                 " cannot be converted (this system has no converter for it)"));
    return out;
  }
  std::vector<Bad> bad;
  for (const io::UndecodableByte &u : undecodable)
    bad.push_back({u.out_offset, u.value});
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
    if (!x.nul && unit == 1 && !utf8)
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
