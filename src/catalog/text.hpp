// Private helpers shared by the catalog loaders (OncoTree, HGNC, exon table): whole-file
// reading without exceptions, UTF-8 BOM stripping, LF/CRLF line iteration, field splitting,
// ASCII case folding, "origin:line: " prefixes for error messages, and the header-then-rows
// reading of a tab-separated table (read_tsv) with its whole-file variant (load_tsv).
#pragma once

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/ascii.hpp"

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

// Case folding: util/ascii.hpp (the one copy), under the names the loaders use.
inline char upper_ascii(char c) { return util::to_upper(c); }
inline std::string upper_ascii(std::string_view s) { return util::upper(s); }

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

/// A tab-separated table whose first line names its columns, as the three loaders read theirs.
/// Each of `required` must be in the header (else "origin:1: header lacks column 'x'"); each
/// of `optional` is set when present. Then `row(line_no, fields)` is called for every non-blank
/// line after the header that has at least the fields the rightmost required column needs
/// (else "origin:line: expected at least N tab-separated fields, found M"); `row` sets
/// `message` and returns false to stop. Returns false with `message` set on the first error
/// (an empty text: "origin:1: empty file (no header line)").
template <typename Row>
bool read_tsv(std::string_view text, std::string const& origin,
              std::initializer_list<std::pair<std::string_view, std::size_t*>> required,
              std::initializer_list<std::pair<std::string_view, std::optional<std::size_t>*>> optional,
              std::string& message, Row&& row) {
  bool have_header = false;
  std::size_t needed = 0;
  bool const ok = for_each_line(text, [&](std::size_t line_no, std::string_view line) {
    if (!have_header) {
      auto const cols = split_tabs(line);
      auto position = [&](std::string_view name) -> std::optional<std::size_t> {
        auto it = std::find(cols.begin(), cols.end(), name);
        if (it == cols.end()) return std::nullopt;
        return static_cast<std::size_t>(it - cols.begin());
      };
      for (auto [name, out] : required) {
        auto at = position(name);
        if (!at) {
          message = where(origin, line_no) + "header lacks column '" + std::string(name) + "'";
          return false;
        }
        *out = *at;
        needed = std::max(needed, *at + 1);
      }
      for (auto [name, out] : optional) *out = position(name);
      have_header = true;
      return true;
    }
    if (line.empty()) return true;  // blank lines (e.g. a trailing one) are ignored
    auto const f = split_tabs(line);
    if (f.size() < needed) {
      message = where(origin, line_no) + "expected at least " + std::to_string(needed) +
                " tab-separated fields, found " + std::to_string(f.size());
      return false;
    }
    return row(line_no, f);
  });
  if (ok && !have_header) {
    message = origin + ":1: empty file (no header line)";
    return false;
  }
  return ok;
}

/// T::parse_tsv over the whole file at `path` (the three catalogue tables' load_tsv).
template <typename T>
std::optional<T> load_tsv(std::string const& path, std::string version, std::string* error) {
  std::string text;
  if (!read_file(path, text, error)) return std::nullopt;
  return T::parse_tsv(text, path, std::move(version), error);
}

}  // namespace actionable::catalog::detail
