// Delimited-table reader and small text helpers (see table.hpp for the mess it copes with).
#include "actionable/detail/io/readers/table.hpp"

#include "util/lines.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "util/ascii.hpp"

namespace actionable::io {

namespace text {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) { return util::lower(s); }

std::string upper(std::string_view s) { return util::upper(s); }

bool iequals(std::string_view a, std::string_view b) noexcept { return util::iequals(a, b); }

bool starts_with_icase(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool is_missing(std::string_view s) noexcept {
  s = trim(s);
  return s.empty() || s == "." || s == "-" || iequals(s, "NA") || iequals(s, "N/A") || iequals(s, "NaN") ||
         iequals(s, "null") || iequals(s, "None") || iequals(s, "[Not Available]");
}

std::optional<double> to_double(std::string_view s) noexcept {
  s = trim(s);
  if (s.empty() || is_missing(s)) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<long long> to_int(std::string_view s) noexcept {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    // "2.0" is an integer too.
    auto d = to_double(s);
    if (d && std::floor(*d) == *d && std::fabs(*d) < 9e15) return static_cast<long long>(*d);
    return std::nullopt;
  }
  return v;
}

bool is_gene_symbol(std::string_view s) noexcept {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isspace(u) || c == ',' || c == ';' || c == '|' || c == '"' || u < 0x20) return false;
  }
  return true;
}

std::vector<std::string> split_any(std::string_view s, std::string_view seps) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || seps.find(s[i]) != std::string_view::npos) {
      auto piece = trim(s.substr(start, i - start));
      if (!piece.empty()) out.emplace_back(piece);
      start = i + 1;
    }
  }
  return out;
}

std::optional<int> leading_int(std::string_view s) noexcept {
  s = trim(s);
  std::size_t i = 0;
  while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i]))) {
    if (s[i] == '/' || s[i] == '-') return std::nullopt;
    ++i;
  }
  int v = 0;
  auto [p, ec] = std::from_chars(s.data() + i, s.data() + s.size(), v);
  if (ec != std::errc() || p == s.data() + i) return std::nullopt;
  return v;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      int v = 0;
      std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      out.push_back(static_cast<char>(v));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  // Escapes that decode to bytes which are not UTF-8 ("%99") stay as written: every string a
  // reader produces must be UTF-8 (found by fuzz_vcf).
  if (util::invalid_utf8(out)) return std::string(s);
  return out;
}

}  // namespace text

namespace {

std::unique_ptr<std::istream> open_source(Source const& source) {
  if (source.text) return std::make_unique<std::istringstream>(*source.text);
  auto f = std::make_unique<std::ifstream>(source.path, std::ios::binary);
  if (!*f) return nullptr;
  return f;
}

bool blank(std::string_view s) { return text::trim(s).empty(); }

}  // namespace

TableReader::TableReader(Source const& source, TableOptions options) : path_(source.path) {
  in_ = open_source(source);
  if (!in_) {
    error_ = "cannot open file";
    return;
  }
  std::string line;
  std::size_t scanned = 0;
  while (read_line(line)) {
    if (overlong_) {
      error_ = "line " + std::to_string(line_no_) + " is longer than " + std::to_string(kMaxLineBytes) +
               " bytes (no header line found before it)";
      return;
    }
    if (blank(line)) continue;
    std::string_view body = line;
    bool hashed = !body.empty() && body.front() == '#';
    if (hashed) body.remove_prefix(1);
    char delim = options.delimiter;
    if (delim == 0) delim = body.find('\t') != std::string_view::npos ? '\t' : ',';
    if (options.header_keys.empty()) {
      if (hashed) {
        comments_.emplace_back(body);
        continue;
      }
    } else {
      std::vector<std::string> fields;
      split(body, delim, fields);
      bool match = std::any_of(fields.begin(), fields.end(), [&](std::string const& f) {
        return std::any_of(options.header_keys.begin(), options.header_keys.end(),
                           [&](std::string const& k) { return text::iequals(f, k); });
      });
      if (!match) {
        comments_.emplace_back(body);
        if (++scanned > 200) break;
        continue;
      }
    }
    if (auto bad = util::utf8_problem(body); !bad.empty()) {
      error_ = "header line " + std::to_string(line_no_) + " is " + bad;
      return;
    }
    delim_ = delim;
    split(body, delim_, header_);
    header_line_ = line_no_;
    return;
  }
  if (options.header_keys.empty()) {
    error_ = "no header line";
  } else {
    std::string keys;
    for (auto const& k : options.header_keys) keys += (keys.empty() ? "" : ", ") + k;
    error_ = "no header line with a column named " + keys;
  }
}

TableReader::TableReader(TableReader&&) noexcept = default;
TableReader& TableReader::operator=(TableReader&&) noexcept = default;
TableReader::~TableReader() = default;

bool TableReader::read_line(std::string& line) {
  if (!util::read_line(*in_, line, overlong_, kMaxLineBytes)) return false;  // a longer line: the rest dropped
  ++line_no_;
  if (first_line_) {
    first_line_ = false;
    if (line.size() >= 3 && static_cast<unsigned char>(line[0]) == 0xEF &&
        static_cast<unsigned char>(line[1]) == 0xBB && static_cast<unsigned char>(line[2]) == 0xBF)
      line.erase(0, 3);
  }
  return true;
}

bool TableReader::split(std::string_view line, char delim, std::vector<std::string>& out) {
  out.clear();
  std::size_t i = 0;
  bool closed = true;
  while (true) {
    std::string field;
    // Skip spaces before a possible opening quote.
    std::size_t j = i;
    while (j < line.size() && line[j] == ' ' && delim != ' ') ++j;
    if (j < line.size() && line[j] == '"') {
      i = j + 1;
      bool done = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          done = true;
          break;
        }
        field.push_back(line[i++]);
      }
      if (!done) closed = false;
      // Anything between the closing quote and the delimiter is kept verbatim.
      while (i < line.size() && line[i] != delim) field.push_back(line[i++]);
    } else {
      while (i < line.size() && line[i] != delim) field.push_back(line[i++]);
    }
    out.emplace_back(text::trim(field));
    if (i >= line.size()) break;
    ++i;  // the delimiter
  }
  return closed;
}

std::optional<std::size_t> TableReader::column(std::initializer_list<std::string_view> names) const {
  for (auto name : names)
    for (std::size_t i = 0; i < header_.size(); ++i)
      if (text::iequals(header_[i], name)) return i;
  return std::nullopt;
}

bool TableReader::next(Row& row) {
  if (!ok()) return false;
  std::string line;
  while (read_line(line)) {
    if (blank(line)) continue;
    row.line = line_no_;
    row.error.clear();
    bool overlong = overlong_;
    bool closed = overlong || split(line, delim_, row.fields);
    int joined = 0;
    while (!closed && joined < 1000) {
      std::string more;
      if (!read_line(more)) break;
      if (overlong_ || line.size() + more.size() >= kMaxLineBytes) {
        overlong = true;
        break;
      }
      line += '\n';
      line += more;
      ++joined;
      closed = split(line, delim_, row.fields);
    }
    if (overlong) {
      row.fields.assign(header_.size(), std::string());
      row.error = "row longer than " + std::to_string(kMaxLineBytes) + " bytes: skipped";
      return true;
    }
    if (!closed) row.error = "unterminated quoted field";
    if (auto bad = util::utf8_problem(line); !bad.empty() && row.error.empty()) row.error = "line " + bad;
    if (row.fields.size() > header_.size()) {
      bool extra_empty = std::all_of(row.fields.begin() + static_cast<std::ptrdiff_t>(header_.size()), row.fields.end(),
                                     [](std::string const& f) { return f.empty(); });
      if (!extra_empty && row.error.empty())
        row.error = std::to_string(row.fields.size()) + " fields, but the header has " + std::to_string(header_.size());
      row.fields.resize(header_.size());
    }
    row.fields.resize(header_.size());
    return true;
  }
  return false;
}

}  // namespace actionable::io
