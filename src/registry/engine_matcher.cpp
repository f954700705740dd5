// Adapter from actionable::Engine to the registry's Matcher interface. This is the only
// translation unit of the registry that needs the engine's symbols; programs that never call
// engine_matcher() do not link them.
#include "actionable/registry/matcher.hpp"

namespace actionable::registry {
namespace {

class EngineMatcher final : public Matcher {
 public:
  explicit EngineMatcher(std::shared_ptr<Engine const> engine) : engine_(std::move(engine)) {}
  RuleSetInfo const& info() const override { return engine_->info(); }
  std::vector<RuleSource> const& sources() const override { return engine_->sources(); }
  MatchOutcome match(std::string_view record) const override { return engine_->match_json(record); }

 private:
  std::shared_ptr<Engine const> engine_;
};

}  // namespace

std::shared_ptr<Matcher const> engine_matcher(std::shared_ptr<Engine const> engine) {
  if (!engine) return nullptr;
  return std::make_shared<EngineMatcher>(std::move(engine));
}

MatcherFactory engine_matcher_factory(std::shared_ptr<catalog::Catalog const> catalog) {
  return [catalog](std::vector<RuleSource> const& sources, std::string& error) -> std::shared_ptr<Matcher const> {
    Diagnostics diags;
    auto engine = Engine::from_sources(sources, catalog, diags);
    if (!engine) {
      error = diags.format();
      if (error.empty()) error = "archived rule set does not compile";
      return nullptr;
    }
    return engine_matcher(std::move(engine));
  };
}

}  // namespace actionable::registry
