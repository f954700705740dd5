// Private helpers shared by the catalog loaders (OncoTree, HGNC, exon table): whole-file
// reading without exceptions, UTF-8 BOM stripping, LF/CRLF line iteration, field splitting,
// ASCII case folding and "origin:line: " prefixes for error messages.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace actionable::catalog::detail {

inline void set_error(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
}

inline std::string where(std::string const& origin, std::size_t line) {
  return origin + ":" + std::to_string(line) + ": ";
}

/// Drops a leading UTF-8 byte-order mark.
inline std::string_view strip_bom(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  return text;
}

/// Splits text into lines (LF or CRLF); calls fn(line_number, line). Stops when fn returns false.
template <typename Fn>
bool for_each_line(std::string_view text, Fn&& fn) {
  std::size_t line_no = 0;
  while (!text.empty()) {
    std::size_t const nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!fn(++line_no, line)) return false;
  }
  return true;
}

inline std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t const pos = line.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(line.substr(start));
      return out;
    }
    out.push_back(line.substr(start, pos - start));
    start = pos + 1;
  }
}

inline std::vector<std::string_view> split_tabs(std::string_view line) { return split(line, '\t'); }

inline char upper_ascii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

inline std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = upper_ascii(c);
  return out;
}

/// Reads a whole file into `out`; on failure sets `error` ("path: reason") and returns false.
inline bool read_file(std::string const& path, std::string& out, std::string* error) {
  try {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      set_error(error, path + ": cannot open file");
      return false;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) {
      set_error(error, path + ": read error");
      return false;
    }
    out = buffer.str();
    return true;
  } catch (std::exception const& e) {
    set_error(error, path + ": " + e.what());
    return false;
  }
}

}  // namespace actionable::catalog::detail
