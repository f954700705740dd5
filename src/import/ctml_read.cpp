// CTML input: JSON documents (one after the other allowed) and YAML through yaml-cpp.
#include <cctype>
#include <regex>

#include "ctml_internal.hpp"

#ifdef ACTIONABLE_IMPORT_HAVE_YAML
#include <yaml-cpp/yaml.h>
#endif

namespace actionable::import::ctml_detail {
namespace {

bool ends_with(std::string const& s, std::string const& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Split text holding several JSON values one after the other (MatchMiner's
/// "two_trials_one_doc") into the values. Returns false with `error` on a syntax error.
bool parse_json_documents(std::string const& text, std::vector<json>& docs, std::string& error) {
  std::size_t i = 0;
  while (true) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size()) return true;
    // Find the end of this value: track nesting outside strings.
    std::size_t depth = 0, j = i;
    bool in_str = false, esc = false;
    for (; j < text.size(); ++j) {
      char c = text[j];
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
        if (depth == 0) break;
        if (--depth == 0) {
          ++j;
          break;
        }
      }
    }
    try {
      docs.push_back(json::parse(text.substr(i, j - i)));
    } catch (json::exception const& e) {
      error = e.what();
      return false;
    }
    i = j;
  }
}

#ifdef ACTIONABLE_IMPORT_HAVE_YAML
json yaml_to_json(YAML::Node const& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null: return nullptr;
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (auto const& x : n) a.push_back(yaml_to_json(x));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (auto const& kv : n) o[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return o;
    }
    case YAML::NodeType::Scalar: {
      auto s = n.Scalar();
      if (n.Tag() == "?") {  // plain scalar: YAML core-schema types
        if (s == "true" || s == "True" || s == "TRUE") return true;
        if (s == "false" || s == "False" || s == "FALSE") return false;
        if (s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
        static const std::regex int_re(R"(^[-+]?[0-9]+$)"),
            float_re(R"(^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$)");
        if (std::regex_match(s, int_re)) {
          try {
            return std::stoll(s);
          } catch (...) {
          }
        }
        if (std::regex_match(s, float_re)) return std::stod(s);
      }
      return s;
    }
    default: return nullptr;
  }
}
#endif

}  // namespace

bool parse_documents(CtmlInput const& in, std::vector<json>& docs, std::string& error) {
  bool yaml = ends_with(lower(in.name), ".yaml") || ends_with(lower(in.name), ".yml");
  if (!yaml) return parse_json_documents(in.text, docs, error);
#ifdef ACTIONABLE_IMPORT_HAVE_YAML
  try {
    for (auto const& d : YAML::LoadAll(in.text)) {
      auto j = yaml_to_json(d);
      if (!j.is_null()) docs.push_back(std::move(j));
    }
    return true;
  } catch (YAML::Exception const& e) {
    error = e.what();
    return false;
  }
#else
  error = "YAML CTML is not supported by this build (yaml-cpp was not found): convert it to JSON";
  return false;
#endif
}

}  // namespace actionable::import::ctml_detail
