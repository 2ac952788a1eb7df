// The shared text helpers (io/include/fltsim/io/text.hpp), checked against independent oracles:
// the UTF-8 encoder (io/utf8.hpp) for well-formedness, and decoding for the escapers.
#include <doctest/doctest.h>

#include <iterator>
#include <random>
#include <set>
#include <string>

#include "fltsim/io/text.hpp"
#include "fltsim/io/utf8.hpp"

using namespace fltsim::io;

namespace {

bool scalar(char32_t cp) {
  return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

std::string encode(char32_t cp) {
  std::string s;
  append_utf8(s, cp);
  return s;
}

// Reverses xml_escape's entities and character references (the five XML entities, &#N;).
std::string unescape(const std::string &s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t end = s.find(';', i);
    REQUIRE(end != std::string::npos);
    const std::string name = s.substr(i + 1, end - i - 1);
    if (name == "amp")
      out += '&';
    else if (name == "lt")
      out += '<';
    else if (name == "gt")
      out += '>';
    else if (name == "quot")
      out += '"';
    else if (name == "apos")
      out += '\'';
    else if (name.size() > 1 && name[0] == '#')
      append_utf8(out, static_cast<char32_t>(std::stoul(name.substr(1))));
    else
      FAIL("unknown entity " << name);
    i = end;
  }
  return out;
}

bool well_formed(const std::string &s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

} // namespace

TEST_SUITE("text") {
  TEST_CASE("utf8_sequence accepts exactly the encodings of scalar values") {
    // Every scalar value's encoding is accepted whole, with its value.
    std::set<std::string> valid;
    for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
      if (!scalar(cp))
        continue;
      const std::string s = encode(cp);
      char32_t got = 0;
      REQUIRE(utf8_sequence(s, 0, &got) == s.size());
      REQUIRE(got == cp);
      if (s.size() <= 2)
        valid.insert(s);
    }
    // Every other one- and two-byte string is refused or read as a shorter sequence.
    for (int a = 0; a < 256; ++a) {
      const std::string one(1, static_cast<char>(a));
      CHECK((utf8_sequence(one, 0) == 1) == valid.contains(one));
      for (int b = 0; b < 256; ++b) {
        const std::string two = one + static_cast<char>(b);
        const std::size_t n = utf8_sequence(two, 0);
        if (valid.contains(two))
          CHECK(n == 2);
        else
          CHECK(n == (valid.contains(one) ? 1u : 0u));
      }
    }
    // Surrogates (0xED then 0xA0..0xBF), overlong forms and values past U+10FFFF are refused.
    CHECK(utf8_sequence("\xED\xA0\x80", 0) == 0);
    CHECK(utf8_sequence("\xE0\x80\x80", 0) == 0);
    CHECK(utf8_sequence("\xF0\x80\x80\x80", 0) == 0);
    CHECK(utf8_sequence("\xF4\x90\x80\x80", 0) == 0);
    CHECK(utf8_sequence("\xE2\x82", 0) == 0); // truncated
  }

  TEST_CASE("xml_escape: the text comes back, well-formed, with nothing XML would misread") {
    std::mt19937 rng(22);
    const std::string alphabet[] = {"a",
                                    "&",
                                    "<",
                                    ">",
                                    "\"",
                                    "'",
                                    "\t",
                                    "\n",
                                    "\r",
                                    "\x01",
                                    "\x7F",
                                    "\xC3\xA9",
                                    "\xE2\x80\x93",
                                    "\xF0\x9F\x98\x80",
                                    "\xEF\xBF\xBE",
                                    "\xFF",
                                    "\x80",
                                    "\xC3",
                                    ";"};
    for (int round = 0; round < 2000; ++round) {
      std::string in;
      const int len = static_cast<int>(rng() % 12);
      bool xml_text = true; // every piece is an XML 1.0 character
      for (int k = 0; k < len; ++k) {
        const std::string &piece = alphabet[rng() % std::size(alphabet)];
        in += piece;
        if (piece == "\x01" || piece == "\xEF\xBF\xBE" || piece == "\xFF" || piece == "\x80" ||
            piece == "\xC3")
          xml_text = false;
      }
      for (const XmlStyle style : {XmlStyle::xml_attribute, XmlStyle::html}) {
        const std::string out = xml_escape(in, style);
        CAPTURE(in);
        CHECK(well_formed(out));
        CHECK(out.find_first_of("<>\"'") == std::string::npos);
        if (style == XmlStyle::xml_attribute)
          CHECK(out.find_first_of("\t\n\r") == std::string::npos);
        if (xml_text)
          CHECK(unescape(out) == in);
      }
    }
  }

  TEST_CASE("xml_escape: the two styles differ only where their readers do") {
    CHECK(xml_escape("a'b", XmlStyle::xml_attribute) == "a&apos;b");
    CHECK(xml_escape("a'b", XmlStyle::html) == "a&#39;b");
    CHECK(xml_escape("\t\n\r", XmlStyle::xml_attribute) == "&#9;&#10;&#13;");
    CHECK(xml_escape("\t\n\r", XmlStyle::html) == "\t\n\r");
    CHECK(xml_escape("x\x01\xFFy", XmlStyle::html) == "x\xEF\xBF\xBD\xEF\xBF\xBDy");
  }

  TEST_CASE("percent_encode: encodes exactly the chosen bytes, and decodes back") {
    std::string all;
    for (int c = 0; c < 256; ++c)
      all += static_cast<char>(c);
    const auto pick = [](unsigned char c) { return c < 'a' || c > 'z'; };
    const std::string out = percent_encode(all, pick);
    std::string back;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i] == '%') {
        back += static_cast<char>(std::stoi(out.substr(i + 1, 2), nullptr, 16));
        CHECK(out.substr(i + 1, 2).find_first_of("abcdef") == std::string::npos);
        i += 2;
      } else {
        CHECK(!pick(static_cast<unsigned char>(out[i])));
        back += out[i];
      }
    }
    CHECK(back == all);
    CHECK(out.size() == 26 + 3 * (256 - 26));
  }

  TEST_CASE("pad_left and pad_right fill to the width and never cut") {
    for (std::size_t n = 0; n < 6; ++n)
      for (std::size_t w = 0; w < 8; ++w) {
        const std::string s(n, 'x');
        CHECK(pad_right(s, w) == s + std::string(w > n ? w - n : 0, ' '));
        CHECK(pad_left(s, w) == std::string(w > n ? w - n : 0, ' ') + s);
      }
  }
}
