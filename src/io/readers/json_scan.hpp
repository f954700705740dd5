// Private helper: split a JSON array of objects (or JSON Lines / concatenated objects) into
// its objects, each with the line it starts on, so one bad object is one error at file:line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io::detail {

struct JsonItem {
  std::size_t line = 0;
  nlohmann::json value;  // discarded (null) when `error` is set
  std::string error;
};

/// Objects of a top-level array `[ {…}, {…} ]`, of JSON Lines, or a single object.
inline std::vector<JsonItem> scan_json_objects(std::string_view text) {
  std::vector<JsonItem> items;
  std::size_t i = 0, line = 1;
  auto skip_ws = [&] {
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n' || text[i] == ',')) {
      if (text[i] == '\n') ++line;
      ++i;
    }
  };
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  skip_ws();
  bool array = i < text.size() && text[i] == '[';
  if (array) ++i;
  while (true) {
    skip_ws();
    if (i >= text.size() || (array && text[i] == ']')) break;
    std::size_t start = i, start_line = line;
    int depth = 0;
    bool in_str = false, esc = false;
    for (; i < text.size(); ++i) {
      char c = text[i];
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
        if (c == '\n') --line;  // counted above; skip_ws counts it again
        break;                  // a scalar at top level
      }
    }
    JsonItem item;
    item.line = start_line;
    auto piece = text.substr(start, i - start);
    item.value = nlohmann::json::parse(piece, nullptr, false);
    if (item.value.is_discarded()) {
      item.value = nullptr;
      item.error = depth != 0 ? "unterminated JSON value" : "malformed JSON value";
    }
    items.push_back(std::move(item));
    if (depth != 0) break;
  }
  return items;
}

/// "$oid" / "$date" wrappers of MongoDB extended JSON, unwrapped to their value.
inline nlohmann::json unwrap_ejson(nlohmann::json const& v) {
  if (v.is_object() && v.size() == 1) {
    if (v.contains("$oid")) return v["$oid"];
    if (v.contains("$date")) {
      auto const& d = v["$date"];
      if (d.is_object() && d.contains("$numberLong")) return d["$numberLong"];
      return d;
    }
    if (v.contains("$numberLong")) return v["$numberLong"];
  }
  return v;
}

}  // namespace actionable::io::detail
