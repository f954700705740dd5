// What the registry needs from the match engine, as an interface: the identity of the rule
// set, its sources (archived content-addressed), and match_json. engine_matcher() adapts an
// actionable::Engine; tests may plug in a small deterministic matcher. A MatcherFactory rebuilds
// a matcher from archived sources (replay, diff against stored rule sets).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/engine.hpp"

namespace actionable::registry {

class Matcher {
 public:
  virtual ~Matcher() = default;
  virtual RuleSetInfo const& info() const = 0;
  virtual std::vector<RuleSource> const& sources() const = 0;
  /// Match one record (patient.md); the result JSON must be byte-stable.
  virtual MatchOutcome match(std::string_view record) const = 0;
};

/// Build a matcher from archived sources; nullptr with `error` set when they do not compile.
using MatcherFactory =
    std::function<std::shared_ptr<Matcher const>(std::vector<RuleSource> const&, std::string& error)>;

/// Adapt a compiled engine (src/registry/engine_matcher.cpp).
std::shared_ptr<Matcher const> engine_matcher(std::shared_ptr<Engine const> engine);
/// Compile archived sources with Engine::from_sources against `catalog`.
MatcherFactory engine_matcher_factory(std::shared_ptr<catalog::Catalog const> catalog);

}  // namespace actionable::registry
