// Reports from the registry (issue 11 item 5): the tumour-board report of a stored run and the
// cohort report of the centres in scope — the library entry points behind `actionable registry
// report` and the portal's pages, so both render the same bytes. They live here because they
// join the registry (stored runs, endpoints) and the report (document, renderers).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "actionable/engine.hpp"
#include "actionable/registry/endpoints.hpp"
#include "actionable/registry/registry.hpp"
#include "actionable/report/cohort.hpp"
#include "actionable/report/report.hpp"

namespace actionable::portal {

/// Engines rebuilt from the registry's archived rule sets, by sha256 (thread-safe).
class EngineCache {
 public:
  explicit EngineCache(std::shared_ptr<catalog::Catalog const> catalog) : catalog_(std::move(catalog)) {}
  /// nullptr with `error` set when the rule set is not archived or does not compile.
  std::shared_ptr<Engine const> get(registry::Registry& registry, std::string const& sha, std::string& error);

 private:
  std::shared_ptr<catalog::Catalog const> catalog_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Engine const>> engines_;
};

struct StoredReport {
  report::Document document;
  std::string centre;
  std::int64_t run_id = 0;
};

/// The report of the patient's latest run (or run `run_id`) in the registry's scope: the run's
/// stored input matched again with its archived rule set; the report date is the run's date, so
/// the same run gives the same bytes. nullopt with `error` set ("" = no such patient in scope).
std::optional<StoredReport> patient_report(registry::Registry& registry, EngineCache& engines,
                                           std::string const& pseudonym, report::Options options, std::string& error,
                                           std::optional<std::int64_t> run_id = std::nullopt);

/// The cohort report of the patients in scope (narrowed by `filter`): the protocol endpoints,
/// Kaplan–Meier PFS and OS with numbers at risk, actionable rate per tumour type, recommended vs
/// received, PFS ratio and follow-up completeness.
report::Cohort cohort_from_registry(registry::Registry& registry, registry::EndpointFilter const& filter,
                                    registry::EndpointParams const& params, std::string const& engine_version);

}  // namespace actionable::portal
