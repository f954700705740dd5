// Private to the portal: the Impl behind Portal, the request context, HTML helpers.
#pragma once

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/engine.hpp"
#include "actionable/portal/portal.hpp"
#include "actionable/portal/reports.hpp"
#include "actionable/registry/endpoints.hpp"
#include "actionable/registry/registry.hpp"
#include "actionable/report/cohort.hpp"

namespace actionable::portal::detail {

/// HTML text / attribute escaping (& < > " ').
std::string esc(std::string_view s);
/// Percent-encoding for a URL query value.
std::string url_encode(std::string_view s);

/// application/x-www-form-urlencoded (bodies and queries). Returns nullopt on invalid UTF-8,
/// a NUL or other control character but tab / newline, or more than 64 fields.
std::optional<std::map<std::string, std::string>> parse_form(std::string_view text);

/// A 64-hex pseudonym (as the registry stores them).
bool is_pseudonym(std::string_view s) noexcept;

/// Form problems: field name → message, shown next to the field.
using FieldErrors = std::map<std::string, std::string>;

/// One request's context after authentication.
struct Ctx {
  Request const* req = nullptr;
  User user;
  std::string csrf;
  std::string token_hash;
  bool secure = false;
  std::string client;
  registry::Registry* reg = nullptr;  ///< acting for the user (scope, role)
  std::int64_t now = 0;
};

/// Borrowed database connection; returned to the pool (role reset) on destruction.
class Lease {
 public:
  Lease(Portal::Impl& impl, std::unique_ptr<registry::Registry> reg) : impl_(&impl), reg_(std::move(reg)) {}
  Lease(Lease&&) = default;
  ~Lease();
  registry::Registry& operator*() { return *reg_; }
  registry::Registry* operator->() { return reg_.get(); }
  registry::Registry* get() { return reg_.get(); }

 private:
  Portal::Impl* impl_;
  std::unique_ptr<registry::Registry> reg_;
};

/// Page layout: the header (user, centre, navigation, logout form), <main>, the footer.
std::string page(Ctx const* ctx, std::string const& title, std::string const& body, std::string const& lang = "en");
Response html(int status, std::string body);
Response redirect(std::string const& location);
Response error_page(Ctx const* ctx, int status, std::string const& message);

extern char const* const kCss;

// HTML and form helpers shared by the page files (pages.cpp, patient_page.cpp).
std::string today_of(std::int64_t now);           ///< "YYYY-MM-DD" (UTC)
std::string label_of(std::string const& option);  ///< "standard_of_care" → "standard of care"
std::string select(std::string const& name, std::string const& id,
                   std::vector<std::pair<std::string, std::string>> const& opts, std::string const& current,
                   std::string const& extra = "");
std::string field_error(FieldErrors const& errors, std::string const& field);  ///< the message next to a field
std::string described(FieldErrors const& errors, std::string const& field);    ///< aria-invalid / -describedby
std::string value_of(std::map<std::string, std::string> const& m, std::string const& k, std::string const& def = "");
std::string short_id(std::string const& pseudonym);  ///< the first 12 hex digits and "…"
bool one_of(std::string const& v, std::initializer_list<char const*> allowed);
std::optional<std::int64_t> small_int(std::string const& s, std::int64_t lo,
                                      std::int64_t hi);  ///< 0–9999 digits in [lo, hi]
std::optional<std::string> opt_nonempty(std::string const& s);

/// A registry Kaplan–Meier curve as the cohort report's SurvivalCurve (numbers at risk every 6
/// months): the dashboard and the cohort report draw the same figure (reports.cpp).
report::SurvivalCurve survival_curve(std::string title, registry::KmCurve const& km);

/// A patient of the centres in scope, found by pseudonym (the patient page; the stored report
/// of reports.cpp): nullopt when there is none in scope. Call inside a transaction.
struct PatientRow {
  std::int64_t id = 0;
  std::string centre, tumour, included;
};
std::optional<PatientRow> find_patient(registry::Registry& reg, std::string const& pseudonym);

}  // namespace actionable::portal::detail

namespace actionable::portal {

// The registry names the portal's sources use, declared once for all of them (this header is
// private to the portal, never installed).
using registry::Date;
using registry::Error;
using registry::ErrorCode;
using registry::Row;
using registry::Rows;
using registry::Transaction;
using registry::Value;

struct Portal::Impl {
  PortalOptions options;
  std::mutex pool_mu;
  std::vector<std::unique_ptr<registry::Registry>> pool;
  EngineCache engines;
  std::mutex throttle_mu;
  std::map<std::string, std::deque<std::int64_t>> address_failures, login_failures;
  std::string dummy_hash;  ///< verified against for unknown logins (same time as a real one)

  explicit Impl(PortalOptions o);
  std::int64_t now() const;
  detail::Lease lease();
  void give_back(std::unique_ptr<registry::Registry> reg);

  Response route(Request const& req);
  std::string client_of(Request const& req) const;
  Response login_page(Request const& req, bool secure, std::string const& message, int status = 200);
  Response login(Request const& req, bool secure, std::string const& client);
  std::optional<detail::Ctx> authenticate(Request const& req, registry::Registry& owner, bool secure,
                                          std::string const& client);
  /// Append one audit entry in its own write transaction.
  static void audit_entry(registry::Registry& reg, std::string const& action, std::optional<std::string> const& centre,
                          std::optional<std::string> const& pseudonym, std::string const& detail_json);
  bool throttled(std::string const& key, std::map<std::string, std::deque<std::int64_t>>& table, int max);
  void note_failure(std::string const& key, std::map<std::string, std::deque<std::int64_t>>& table);

  // pages (pages.cpp; the patient page, its report and forms: patient_page.cpp)
  Response patients(detail::Ctx& c);
  Response patient(detail::Ctx& c, std::string const& pseudonym, detail::FieldErrors const& errors = {},
                   std::map<std::string, std::string> const& values = {}, std::string const& form = "",
                   int status = 200);
  Response report(detail::Ctx& c, std::string const& pseudonym, bool pdf);
  Response record_follow_up(detail::Ctx& c, std::string const& pseudonym,
                            std::map<std::string, std::string> const& form);
  Response record_decision(detail::Ctx& c, std::string const& pseudonym,
                           std::map<std::string, std::string> const& form);
  Response dashboard(detail::Ctx& c, bool cohort_report = false);
  Response export_data(detail::Ctx& c, bool csv);
  Response audit_log(detail::Ctx& c);
  Response users(detail::Ctx& c, std::string const& message = "");
  Response set_user_disabled(detail::Ctx& c, std::string const& login, bool disabled);
  Response centres(detail::Ctx& c);
  Response not_found(detail::Ctx& c, std::string const& what);
};

}  // namespace actionable::portal
