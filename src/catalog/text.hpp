// Private helpers shared by the catalog loaders (OncoTree, HGNC, exon table): whole-file
// reading without exceptions, UTF-8 BOM stripping, LF/CRLF line iteration, field splitting,
// ASCII case folding and "origin:line: " prefixes for error messages.
#pragma once

#include <algorithm>
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

inline char upper_ascii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

inline std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = upper_ascii(c);
  return out;
}

/// Optimal-string-alignment distance with an early exit: returns `limit + 1` as soon as the
/// distance is known to exceed `limit`. Inputs are already folded.
inline std::size_t osa_distance(std::string_view a, std::string_view b, std::size_t limit) {
  std::size_t const n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  // Rows reused between calls (suggestions compare one query with every catalog symbol, and
  // three allocations per symbol were most of the cost: tests/fuzz, docs/reliability.md).
  thread_local std::vector<std::size_t> prev2, prev, cur;
  prev2.assign(m + 1, 0);
  prev.assign(m + 1, 0);
  cur.assign(m + 1, 0);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t const cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    // A transposition reaches back two rows, so only stop when two rows in a row are over.
    if (row_min > limit && i > 1 && *std::min_element(prev.begin(), prev.end()) > limit) {
      return limit + 1;
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], limit + 1);
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
