// Private to the library sources (never installed): reading a text line with a cap on what is
// kept, so that a 1 GB line costs bounded memory (docs/reliability.md, "Limits"). The one copy
// the table readers, the gene-panel reader and the CLI's JSON Lines input share.
#pragma once

#include <cstddef>
#include <cstring>
#include <istream>
#include <streambuf>
#include <string>

namespace actionable::util {

/// Upper bound on a line kept by the readers and the CLI (16 MiB): records and lab-file rows
/// are far shorter; the rest of a longer line is read and dropped.
inline constexpr std::size_t kMaxLineBytes = std::size_t{16} << 20;

namespace lines_detail {
/// The get area of any std::streambuf. gptr / egptr / gbump are protected; a pointer to them
/// formed inside a class derived from std::streambuf has the type of a pointer to the base's
/// member and may be applied to any streambuf (the standard way to read its buffer in place).
struct GetArea : std::streambuf {
  static char* begin(std::streambuf& b) { return (b.*(&GetArea::gptr))(); }
  static char* end(std::streambuf& b) { return (b.*(&GetArea::egptr))(); }
  static void skip(std::streambuf& b, std::size_t n) { (b.*(&GetArea::gbump))(static_cast<int>(n)); }
};
}  // namespace lines_detail

/// Read one line of `in` into `line` (ended by '\n', "\r\n" or '\r'; the end is not kept),
/// keeping at most `cap` bytes; `overlong` tells whether the line was longer. Returns false at
/// the end of the input (nothing read). A buffered stream is scanned in place with memchr, a
/// buffer at a time (the CLI's JSON Lines input: ~7 % of a batch of large records when this read
/// a byte at a time); an unbuffered one (std::cin tied to stdio) a byte at a time.
inline bool read_line(std::istream& in, std::string& line, bool& overlong, std::size_t cap = kMaxLineBytes) {
  line.clear();
  overlong = false;
  auto* buf = in.rdbuf();
  using traits = std::char_traits<char>;
  if (buf == nullptr) return false;
  if (buf->sgetc() == traits::eof()) {
    in.setstate(std::ios::eofbit);
    return false;
  }
  auto keep = [&](char const* from, std::size_t n) {
    std::size_t room = line.size() < cap ? cap - line.size() : 0;
    if (n > room) overlong = true;
    line.append(from, n < room ? n : room);
  };
  while (buf->sgetc() != traits::eof()) {
    char* g = lines_detail::GetArea::begin(*buf);
    char* e = lines_detail::GetArea::end(*buf);
    if (g == e) {  // unbuffered: underflow() gave a character without a get area
      int c = buf->sbumpc();
      if (c == '\n') return true;
      if (c == '\r') {
        if (buf->sgetc() == '\n') buf->sbumpc();
        return true;
      }
      char ch = static_cast<char>(c);
      keep(&ch, 1);
      continue;
    }
    auto n = static_cast<std::size_t>(e - g);
    auto* nl = static_cast<char*>(std::memchr(g, '\n', n));
    std::size_t upto = nl ? static_cast<std::size_t>(nl - g) : n;
    auto* cr = static_cast<char*>(std::memchr(g, '\r', upto));
    if (cr) upto = static_cast<std::size_t>(cr - g);
    keep(g, upto);
    if (upto == n) {  // no end of line in this buffer: take it all, refill
      lines_detail::GetArea::skip(*buf, n);
      continue;
    }
    lines_detail::GetArea::skip(*buf, upto + 1);  // the line and its '\n' or '\r'
    if (cr && buf->sgetc() == '\n') buf->sbumpc();
    return true;
  }
  return true;
}

}  // namespace actionable::util
