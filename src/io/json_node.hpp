// Private to the io module: one read-only view of a JSON value for the patient-record reader,
// over either of the two parsers the record can come from.
//
//  * simdjson (DOM) for record text — the fast path of read_patient_text: the CLI batch, the
//    Python module, the registry; simdjson parses a 45 KB record several times faster than
//    nlohmann (docs/performance.md, "Reading and writing records").
//  * nlohmann::json for records already in memory (read_patient(json), the readers' records in
//    tests) and for the text simdjson refuses while nlohmann accepts it (an integer beyond 64
//    bits), so that what a record means never depends on which parser read it.
//
// The reader sees the same thing through both: an object key given twice means its last value
// (nlohmann's rule), integers are integers (int64 or uint64), "-0" is the integer 0. The
// differential test (tests/unit/json_node_test.cpp) and the patient fuzz target read records
// through both and require the same Patient and the same errors.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <simdjson.h>
#include <string>
#include <string_view>

namespace actionable::io::record {

class Node {
 public:
  explicit Node(nlohmann::json const& j) : n_(&j) {}
  explicit Node(simdjson::dom::element e) : s_(e) {}

  bool is_object() const { return n_ ? n_->is_object() : type() == T::OBJECT; }
  bool is_array() const { return n_ ? n_->is_array() : type() == T::ARRAY; }
  bool is_string() const { return n_ ? n_->is_string() : type() == T::STRING; }
  bool is_null() const { return n_ ? n_->is_null() : type() == T::NULL_VALUE; }
  bool is_boolean() const { return n_ ? n_->is_boolean() : type() == T::BOOL; }
  bool is_number() const {
    return n_ ? n_->is_number() : (type() == T::INT64 || type() == T::UINT64 || type() == T::DOUBLE);
  }
  bool is_number_integer() const { return n_ ? n_->is_number_integer() : (type() == T::INT64 || type() == T::UINT64); }

  /// The value of a string (callers check is_string first; otherwise empty).
  std::string_view string() const {
    if (n_) return n_->is_string() ? std::string_view(n_->get_ref<std::string const&>()) : std::string_view();
    std::string_view v;
    return s_.get_string().get(v) ? std::string_view() : v;
  }
  std::string text() const { return std::string(string()); }
  double number() const {
    if (n_) return n_->is_number() ? n_->get<double>() : 0.0;
    switch (type()) {
      case T::INT64: return static_cast<double>(s_.get_int64().value_unsafe());
      case T::UINT64: return static_cast<double>(s_.get_uint64().value_unsafe());
      case T::DOUBLE: return s_.get_double().value_unsafe();
      default: return 0.0;
    }
  }
  /// An integer as nlohmann's get<long long>() gives it (an unsigned value beyond int64 wraps).
  long long integer() const {
    if (n_) return n_->is_number() ? n_->get<long long>() : 0;
    switch (type()) {
      case T::INT64: return static_cast<long long>(s_.get_int64().value_unsafe());
      case T::UINT64: return static_cast<long long>(s_.get_uint64().value_unsafe());
      case T::DOUBLE: return static_cast<long long>(s_.get_double().value_unsafe());
      default: return 0;
    }
  }
  bool boolean() const {
    if (n_) return n_->is_boolean() && n_->get<bool>();
    bool b = false;
    return !s_.get_bool().get(b) && b;
  }

  /// Number of elements of an array; 0 for anything else. (Members are looked up through
  /// `Object`, which gathers them once; there is no per-key search on a node.)
  std::size_t size() const {
    if (n_) return n_->is_array() ? n_->size() : 0;
    simdjson::dom::array a;
    return s_.get_array().get(a) ? 0 : a.size();
  }

  /// Calls f(key, value) for each member of an object, in order (a key given twice: twice).
  template <class F>
  void members(F&& f) const {
    if (n_) {
      if (!n_->is_object()) return;
      for (auto it = n_->begin(); it != n_->end(); ++it) f(std::string_view(it.key()), Node(it.value()));
      return;
    }
    simdjson::dom::object o;
    if (s_.get_object().get(o)) return;
    for (auto kv : o) f(kv.key, Node(kv.value));
  }

  /// Calls f(index, element) for each element of an array, in order.
  template <class F>
  void each(F&& f) const {
    if (n_) {
      if (!n_->is_array()) return;
      std::size_t i = 0;
      for (auto const& e : *n_) f(i++, Node(e));
      return;
    }
    simdjson::dom::array a;
    if (s_.get_array().get(a)) return;
    std::size_t i = 0;
    for (auto e : a) f(i++, Node(e));
  }

 private:
  using T = simdjson::dom::element_type;
  T type() const { return s_.type(); }
  nlohmann::json const* n_ = nullptr;
  simdjson::dom::element s_;
};

/// The members of one object, read once for the reader's many lookups (a finding asks for
/// about twenty keys of its dozen): a flat array, searched from the back so that a key given
/// twice means its last value. The keys point into the parser's document, which outlives it.
class Object {
 public:
  explicit Object(Node o) {
    o.members([&](std::string_view k, Node v) { fields_.emplace_back(k, v); });
  }
  std::optional<Node> find(std::string_view key) const {
    for (auto it = fields_.rbegin(); it != fields_.rend(); ++it)
      if (it->first == key) return it->second;
    return std::nullopt;
  }

 private:
  boost::container::small_vector<std::pair<std::string_view, Node>, 16> fields_;
};

}  // namespace actionable::io::record
