// The result writer (src/io/json_writer.hpp) writes what nlohmann's dump() wrote before it:
// strings escaped the same way, compact, and invalid UTF-8 refused with the same exception.
// (The golden files pin the key order of the result; this pins the bytes of each value.)
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "io/json_writer.hpp"

using actionable::io::detail::JsonWriter;

namespace {

std::string writer_escaped(std::string const& s) {
  std::string out;
  actionable::io::detail::append_json_string(out, s);
  return out;
}

}  // namespace

TEST_CASE("json writer: strings are escaped exactly as nlohmann dump() escapes them") {
  std::vector<std::string> rows = {
      "",
      "plain",
      "quote \" and backslash \\ and slash /",
      "\b\f\n\r\t",
      std::string("nul \0 inside", 12),
      "\x01\x02\x1f\x7f",
      "Li\xC3\xA8ge \xE2\x80\x94 \xF0\x9F\xA7\xAC",  // è, em dash, a 4-byte code point
      "ends with escape \n",
      "\"",
      "\\u00e9 stays text",
  };
  std::string all;
  for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
  rows.push_back(all);
  for (auto const& s : rows) {
    CAPTURE(s);
    CHECK(writer_escaped(s) == nlohmann::json(s).dump());
  }
}

TEST_CASE("json writer: text that is not UTF-8 throws nlohmann's type_error 316, as dump() did") {
  for (std::string bad : {"\xC3\x28", "abc\xFF", "\xE2\x82", "\xED\xA0\x80" /* a surrogate */}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(writer_escaped(bad), nlohmann::json::type_error);
    CHECK_THROWS_AS(nlohmann::json(bad).dump(), nlohmann::json::type_error);
  }
}

TEST_CASE("json writer: nesting, commas and values as ordered_json dumps them") {
  JsonWriter w;
  w.begin_object()
      .member("a", "x")
      .member("n", 42)
      .member("big", std::uint32_t{4000000000u})
      .member("neg", -7)
      .member("t", true)
      .member("f", false)
      .member("empty", std::vector<std::string>{})
      .member("list", std::vector<std::string>{"p", "q"})
      .member("ids", std::vector<std::uint32_t>{0, 3, 9});
  w.key("nested").begin_array();
  w.begin_object().end_object();
  w.begin_array().end_array();
  w.begin_object().member("k", "v").key("deeper").begin_object().member("z", 1).end_object().end_object();
  w.end_array();
  w.key("obj").begin_object().end_object();
  w.end_object();

  nlohmann::ordered_json j;
  j["a"] = "x";
  j["n"] = 42;
  j["big"] = std::uint32_t{4000000000u};
  j["neg"] = -7;
  j["t"] = true;
  j["f"] = false;
  j["empty"] = std::vector<std::string>{};
  j["list"] = std::vector<std::string>{"p", "q"};
  j["ids"] = std::vector<std::uint32_t>{0, 3, 9};
  j["nested"] = nlohmann::ordered_json::array({nlohmann::ordered_json::object(), nlohmann::ordered_json::array(),
                                               nlohmann::ordered_json{{"k", "v"}, {"deeper", {{"z", 1}}}}});
  j["obj"] = nlohmann::ordered_json::object();
  CHECK(w.take() == j.dump());
}
