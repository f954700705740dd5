// Private to the io module: compact JSON written straight into a string, byte for byte what
// nlohmann's dump() writes for the same values (no spaces; strings escaped as nlohmann does
// without ensure_ascii: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx, everything else
// as is). The result JSON (result_json.cpp) is written with it instead of building an
// ordered_json tree and dumping it (docs/performance.md, "Reading and writing records").
// Text that is not UTF-8 is handed to nlohmann, which throws the type_error (316) it always has.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <simdjson.h>
#include <string>
#include <string_view>
#include <vector>

namespace actionable::io::detail {

/// Appends `s` as a JSON string.
inline void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool checked = false;  // UTF-8 validated (only strings with a byte >= 0x80 need it)
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  // One table look-up a byte: most bytes are printable ASCII and are copied as they are.
  static constexpr auto kPlain = [] {
    std::array<bool, 256> t{};
    for (unsigned c = 0x20; c < 0x80; ++c) t[c] = c != '"' && c != '\\';
    return t;
  }();
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto const c = static_cast<unsigned char>(s[i]);
    if (kPlain[c]) continue;
    if (c >= 0x80) {
      if (!checked && !simdjson::validate_utf8(s.data(), s.size()))
        (void)nlohmann::json(std::string(s)).dump();  // throws type_error 316, as dump() did
      checked = true;
      continue;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {  // JSON's escapes (util/html.hpp has HTML's: alike in shape, another table)
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

/// A compact JSON writer: objects and arrays nest, commas are placed by it.
class JsonWriter {
 public:
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  /// The key of the next member of the current object.
  JsonWriter& key(std::string_view k) {
    comma();
    append_json_string(out_, k);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonWriter& value(std::string_view s) {
    comma();
    append_json_string(out_, s);
    return *this;
  }
  JsonWriter& value(char const* s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) {
    comma();
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonWriter& value(std::int64_t n) {
    comma();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    out_.append(buf, r.ptr);
    return *this;
  }
  JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
  JsonWriter& value(std::uint32_t n) { return value(static_cast<std::int64_t>(n)); }
  template <class T>
  JsonWriter& value(std::vector<T> const& xs) {
    begin_array();
    for (auto const& x : xs) value(x);
    return end_array();
  }
  /// key(k).value(v) in one call.
  template <class T>
  JsonWriter& member(std::string_view k, T const& v) {
    key(k);
    return value(v);
  }

  std::string take() { return std::move(out_); }
  void reserve(std::size_t n) { out_.reserve(n); }

 private:
  JsonWriter& open(char c) {
    comma();
    out_ += c;
    first_.push_back(true);
    return *this;
  }
  JsonWriter& close(char c) {
    out_ += c;
    first_.pop_back();
    return *this;
  }
  void comma() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
    }
  }
  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace actionable::io::detail
