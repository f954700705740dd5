// Private helper: a JSON array of objects (or JSON Lines / concatenated objects) as its
// objects, each parsed, with the line it starts on, so one bad object is one error at
// file:line (the split itself: util/json_split.hpp, shared with the CTML importer).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/detail/io/readers/common.hpp"
#include "util/json_split.hpp"

namespace actionable::io::detail {

struct JsonItem {
  std::size_t line = 0;
  nlohmann::json value;  // discarded (null) when `error` is set
  std::string error;
};

/// Objects of a top-level array `[ {…}, {…} ]`, of JSON Lines, or a single object
/// (util::split_json_values), each parsed.
inline std::vector<JsonItem> scan_json_objects(std::string_view text) {
  std::vector<JsonItem> items;
  for (auto const& piece : util::split_json_values(text)) {
    JsonItem item;
    item.line = piece.line;
    item.value = nlohmann::json::parse(piece.text, nullptr, false);
    if (item.value.is_discarded()) {
      item.value = nullptr;
      item.error = piece.terminated ? "malformed JSON value" : "unterminated JSON value";
    }
    items.push_back(std::move(item));
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
