// Private to the library sources (never installed): splitting a text that holds several JSON
// values into the text of each value and the line it starts on, without parsing them — a
// top-level array of values `[ {…}, {…} ]`, JSON Lines, or values one after the other
// (MatchMiner's "two_trials_one_doc"), with an optional UTF-8 byte-order mark. The one
// splitter the Phenopacket and CTIMS readers (io/readers/json_scan.hpp) and the CTML importer
// (import/ctml_read.cpp) share, so that one bad value is one error at file:line.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace actionable::util {

struct JsonPiece {
  std::string_view text;   ///< the value's text (a view into the input)
  std::size_t line = 0;    ///< 1-based line of its first byte
  bool terminated = true;  ///< false: the input ended inside it (the last piece then)
};

/// The top-level values of `text`. Between values, white space and commas are skipped; a
/// top-level array is split into its elements (its closing ']' ends the split); brackets
/// inside strings (with their escapes) are not counted; a scalar at top level ends at a comma
/// or a line end. An unterminated value is the last piece.
inline std::vector<JsonPiece> split_json_values(std::string_view text) {
  std::vector<JsonPiece> pieces;
  std::size_t i = 0, line = 1;
  auto skip_separators = [&] {
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n' || text[i] == ',')) {
      if (text[i] == '\n') ++line;
      ++i;
    }
  };
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  skip_separators();
  bool const array = i < text.size() && text[i] == '[';
  if (array) ++i;
  while (true) {
    skip_separators();
    if (i >= text.size() || (array && text[i] == ']')) break;
    std::size_t const start = i, start_line = line;
    int depth = 0;
    bool in_str = false, esc = false;
    for (; i < text.size(); ++i) {
      char const c = text[i];
      if (c == '\n') ++line;
      if (in_str) {
        if (esc)
          esc = false;
        else if (c == '\\')
          esc = true;
        else if (c == '"')
          in_str = false;
        continue;
      }
      if (c == '"')
        in_str = true;
      else if (c == '{' || c == '[')
        ++depth;
      else if (c == '}' || c == ']') {
        if (--depth == 0) {
          ++i;
          break;
        }
      } else if (depth == 0 && (c == ',' || c == '\n')) {
        if (c == '\n') --line;  // counted above; skip_separators counts it again
        break;                  // a scalar at top level
      }
    }
    pieces.push_back({text.substr(start, i - start), start_line, depth == 0});
    if (depth != 0) break;
  }
  return pieces;
}

}  // namespace actionable::util
