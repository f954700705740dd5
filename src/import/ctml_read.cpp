// CTML input: JSON documents (one after the other allowed) and YAML through yaml-cpp.
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "ctml_internal.hpp"
#include "util/json_split.hpp"
#include "util/utf8.hpp"

#ifdef ACTIONABLE_IMPORT_HAVE_YAML
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>
#endif

namespace actionable::import::ctml_detail {
namespace {

bool ends_with(std::string const& s, std::string const& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The JSON values of a text holding several one after the other (MatchMiner's
/// "two_trials_one_doc"), a top-level array of them (split into its elements: the caller
/// flattens arrays of trials anyway) or one (util/json_split.hpp). Returns false with `error`
/// ("line N: " and the parser's message) on the first value that does not parse.
bool parse_json_documents(std::string const& text, std::vector<json>& docs, std::string& error) {
  for (auto const& piece : util::split_json_values(text)) {
    try {
      docs.push_back(json::parse(piece.text));
    } catch (json::exception const& e) {
      error = "line " + std::to_string(piece.line) + ": " + e.what();
      return false;
    }
  }
  return true;
}

#ifdef ACTIONABLE_IMPORT_HAVE_YAML
/// A YAML string (value or key) as it goes into JSON: it must be UTF-8. yaml-cpp passes raw
/// bytes through, and nlohmann refuses to write anything else (type_error 316), which ended
/// `actionable import ctml` with "internal error" and no import at all (found by the fuzz
/// target ctml_yaml, 2026-12-06). The error names the value's line and column.
std::string const& utf8_checked(YAML::Node const& n, std::string const& s) {
  if (auto at = util::invalid_utf8(s))
    throw YAML::ParserException(n.Mark(), "not valid UTF-8 (byte " + util::hex_byte(s[*at]) + " at offset " +
                                              std::to_string(*at) + " of this value): CTML must be UTF-8");
  return s;
}

/// yaml-cpp 0.7 (Debian 12) never ends `LoadAll` on text such as "{},{}" or "[],[]": after the
/// first document its parser starts the next one at the same place, again and again, and the
/// list of empty documents grows until memory runs out (5 bytes took more than 2 GB; found by
/// the fuzz target ctml_yaml, 2026-12-06). This first pass over the parser's events stops at
/// a document that starts where the one before it started, with an error naming the place.
class DocumentProgress : public YAML::EventHandler {
 public:
  void OnDocumentStart(YAML::Mark const& mark) override {
    if (started_ && mark.pos == last_.pos)
      throw YAML::ParserException(mark,
                                  "the YAML parser makes no progress here (text after a top-level "
                                  "flow collection, such as '{},{}'): not valid YAML");
    started_ = true;
    last_ = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(YAML::Mark const&, YAML::anchor_t) override {}
  void OnAlias(YAML::Mark const&, YAML::anchor_t) override {}
  void OnScalar(YAML::Mark const&, std::string const&, YAML::anchor_t, std::string const&) override {}
  void OnSequenceStart(YAML::Mark const&, std::string const&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(YAML::Mark const&, std::string const&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  bool started_ = false;
  YAML::Mark last_;
};

/// The JSON values a YAML text may expand to: 4 per byte of its text, plus 65,536. Without
/// aliases a value takes at least one byte, so this bounds nothing a plain file holds; an alias
/// (`*a`) repeats its anchor's whole content, and nine levels of ten aliases in 467 bytes
/// (a "billion laughs") expanded to 10^9 values: `import ctml` ran out of memory and aborted.
std::size_t yaml_value_budget(std::string_view text) { return 4 * text.size() + 65536; }

json yaml_to_json(YAML::Node const& n, std::size_t& budget) {
  if (budget == 0)
    throw YAML::ParserException(n.Mark(),
                                "the document expands to too many values (YAML aliases repeat their anchor's "
                                "content): more than 4 per byte of the file");
  --budget;
  switch (n.Type()) {
    case YAML::NodeType::Null: return nullptr;
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (auto const& x : n) a.push_back(yaml_to_json(x, budget));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (auto const& kv : n) {
        auto const key = kv.first.as<std::string>();
        o[utf8_checked(kv.first, key)] = yaml_to_json(kv.second, budget);
      }
      return o;
    }
    case YAML::NodeType::Scalar: {
      auto const& s = utf8_checked(n, n.Scalar());
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
        if (std::regex_match(s, float_re)) {
          // As JSON's parser does with 1e999: an error, not an exception out of the import.
          try {
            return std::stod(s);
          } catch (std::out_of_range const&) {
            throw YAML::ParserException(n.Mark(), "number out of range: " + s);
          }
        }
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
    {
      std::istringstream events(in.text);
      YAML::Parser parser(events);
      DocumentProgress progress;
      while (parser.HandleNextDocument(progress)) {
      }
    }
    auto budget = yaml_value_budget(in.text);
    for (auto const& d : YAML::LoadAll(in.text)) {
      auto j = yaml_to_json(d, budget);
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
