// util::split_json_values (src/util/json_split.hpp): the one splitter of JSON documents that
// the Phenopacket / CTIMS readers and the CTML importer share. One row per shape of input.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "util/json_split.hpp"

namespace {

/// "line:text" per piece, "!" appended to an unterminated one.
std::vector<std::string> pieces_of(std::string_view text) {
  std::vector<std::string> out;
  for (auto const& p : actionable::util::split_json_values(text))
    out.push_back(std::to_string(p.line) + ":" + std::string(p.text) + (p.terminated ? "" : "!"));
  return out;
}

}  // namespace

TEST_CASE("json split: arrays, JSON Lines, values one after the other, strings, scalars, the unterminated") {
  struct Row {
    char const* what;
    std::string text;
    std::vector<std::string> want;
  };
  std::vector<Row> const rows = {
      {"empty", "", {}},
      {"white space only", " \n\t\r\n", {}},
      {"one object", R"({"a": 1})", {R"(1:{"a": 1})"}},
      {"a top-level array: its elements",
       "[\n  {\"a\": 1},\n  {\"b\": [2, 3]}\n]\n",
       {R"(2:{"a": 1})", R"(3:{"b": [2, 3]})"}},
      {"an empty array", "[ ]", {}},
      {"JSON Lines", "{\"a\": 1}\n{\"b\": 2}\n\n{\"c\": 3}\n", {R"(1:{"a": 1})", R"(2:{"b": 2})", R"(4:{"c": 3})"}},
      {"values one after the other (two_trials_one_doc)",
       "{\"a\": {\"x\": 1}}{\"b\": 2}",
       {R"(1:{"a": {"x": 1}})", R"(1:{"b": 2})"}},
      {"a pretty-printed object over lines",
       "{\n \"a\": [\n 1\n ]\n}\n{\"b\": 2}",
       {"1:{\n \"a\": [\n 1\n ]\n}", R"(6:{"b": 2})"}},
      {"brackets and escaped quotes inside strings",
       R"({"s": "}] \" {["}{"t": "\\"})",
       {R"(1:{"s": "}] \" {["})", R"(1:{"t": "\\"})"}},
      {"a byte-order mark", "\xEF\xBB\xBF{\"a\": 1}", {R"(1:{"a": 1})"}},
      {"scalars at top level end at a comma or a line end", "1, true\n\"x\"", {"1:1", "1:true", "2:\"x\""}},
      {"unterminated: the last piece", "{\"a\": 1}\n{\"b\": [2", {R"(1:{"a": 1})", "2:{\"b\": [2!"}},
      {"an unterminated string", "{\"a\": \"}", {"1:{\"a\": \"}!"}},
  };
  for (auto const& row : rows) {
    INFO(row.what);
    CHECK(pieces_of(row.text) == row.want);
  }
}
