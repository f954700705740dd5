// Private to the library sources (never installed): reading a text line with a cap on what is
// kept, so that a 1 GB line costs bounded memory (docs/reliability.md, "Limits"). The one copy
// the table readers, the gene-panel reader and the CLI's JSON Lines input share.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace actionable::util {

/// Upper bound on a line kept by the readers and the CLI (16 MiB): records and lab-file rows
/// are far shorter; the rest of a longer line is read and dropped.
inline constexpr std::size_t kMaxLineBytes = std::size_t{16} << 20;

/// Read one line of `in` into `line` (ended by '\n', "\r\n" or '\r'; the end is not kept),
/// keeping at most `cap` bytes; `overlong` tells whether the line was longer. Returns false at
/// the end of the input (nothing read).
inline bool read_line(std::istream& in, std::string& line, bool& overlong, std::size_t cap = kMaxLineBytes) {
  line.clear();
  overlong = false;
  auto* buf = in.rdbuf();
  using traits = std::char_traits<char>;
  if (buf == nullptr) return false;
  int c = buf->sbumpc();
  if (c == traits::eof()) {
    in.setstate(std::ios::eofbit);
    return false;
  }
  while (c != traits::eof()) {
    if (c == '\n') break;
    if (c == '\r') {
      if (buf->sgetc() == '\n') buf->sbumpc();
      break;
    }
    if (line.size() < cap)
      line.push_back(static_cast<char>(c));
    else
      overlong = true;
    c = buf->sbumpc();
  }
  return true;
}

}  // namespace actionable::util
