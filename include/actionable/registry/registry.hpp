// The PRECISION 1 registry (issue 5, docs/registry.md): pseudonymised patients, consents,
// samples and tests, findings, content-addressed rule sets, match runs, treatment decisions,
// treatments, 6-monthly follow-up, a hash-chained append-only audit log, protocol endpoints and
// replay / diff of match runs. One Registry sits on one Database (SQLite or PostgreSQL, same
// schema, same code). Every read is limited to the Scope given at open (centre codes); on
// PostgreSQL row-level security limits it again in the database.
//
// Errors: database / environment failures throw registry::Error; problems with an input record
// are returned as values (RecordIssue, with the JSON pointer), so a bad record never stops a batch.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/registry/database.hpp"
#include "actionable/registry/matcher.hpp"
#include "actionable/registry/pseudonym.hpp"

namespace actionable::registry {

/// Which centres a session may read and write. Empty = every centre the connection may see
/// (the registry owner; on PostgreSQL an application role still sees only its own centres).
struct Scope {
  std::vector<std::string> centres;
  static Scope all() { return {}; }
  static Scope of(std::string centre) { return Scope{{std::move(centre)}}; }
  bool covers(std::string_view centre) const;
};

struct OpenOptions {
  Scope scope;
  std::string actor;  ///< who, for the audit log on SQLite (default $USER); PostgreSQL uses session_user
  SqliteOptions sqlite;
};

struct Centre {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::optional<std::string> role;  ///< PostgreSQL NOLOGIN role of the centre
};

/// One problem with one input document.
struct RecordIssue {
  std::int64_t line = 0;  ///< 1-based line in the JSON Lines input (0 for a single document)
  std::string pointer;    ///< JSON pointer ("" = whole record)
  std::string message;
};

struct ConsentInput {
  std::string kind;    ///< precision1 | trial | germline
  std::string status;  ///< given | withdrawn | refused
  std::string trial;   ///< for kind = trial ("" otherwise)
  std::optional<std::string> date;
};

/// A treatment line (from a record's "treatments" or a follow-up's "treatment").
/// Absent fields leave the stored value unchanged.
struct TreatmentInput {
  std::int64_t line = 1;
  std::optional<std::vector<std::string>> drugs;
  std::optional<std::string> start, end, progression;
  std::optional<std::string> best_response;  ///< CR | PR | SD | PD | NE
  std::optional<std::string> basis;          ///< pathway option the line came from
  std::optional<bool> off_label;             ///< given outside an approved indication
  std::optional<std::string> trial;
};

struct DecisionInput {
  std::string pseudonym;
  std::string option;  ///< empirical | standard_of_care | matched_trial | precision2
  std::optional<std::string> trial, cohort;
  std::string date;                    ///< YYYY-MM-DD
  std::optional<std::string> reason;   ///< required when option != the run's recommendation
  std::optional<std::int64_t> run_id;  ///< default: the patient's latest match run
};

struct FollowUpInput {
  std::string pseudonym;
  std::int64_t visit = 1;  ///< k-th 6-monthly visit (month 6k after inclusion)
  std::string date;
  std::optional<std::string> disease_status;  ///< NED | response | stable | progression | not_evaluable
  std::optional<std::string> recist;          ///< CR | PR | SD | PD | NE
  std::optional<std::string> progression;     ///< date of progression, if any
  std::optional<std::int64_t> line;           ///< treatment line assessed
  std::string vital_status = "alive";         ///< alive | dead | lost
  std::optional<std::string> death_date;
  std::optional<TreatmentInput> treatment;  ///< a treatment line to add or update
  /// true (imports, the CLI): a visit already recorded is replaced. false (portal forms): it is
  /// refused (kConstraint), so a double submission never overwrites a visit.
  bool replace = true;
};

/// One follow-up document (JSON text, docs/registry.md "Follow-up"), checked and sanitised:
/// `local_id` and `centre` get the record's patient id and centre (default_centre when absent).
/// Problems are appended to `issues` (JSON pointer + message); nullopt when any.
std::optional<FollowUpInput> parse_follow_up(std::string_view text, std::string const& default_centre,
                                             std::string& local_id, std::string& centre,
                                             std::vector<RecordIssue>& issues);

/// Outcome of one imported document.
enum class ImportStatus : std::uint8_t {
  kInserted,   ///< new patient
  kUpdated,    ///< known patient, record changed
  kUnchanged,  ///< same record as stored (idempotent re-import)
  kRejected,   ///< see issues
};

struct ImportReport {
  std::int64_t inserted = 0, updated = 0, unchanged = 0, rejected = 0;
  std::vector<RecordIssue> issues;
};

struct ImportOptions {
  std::string default_centre;    ///< for records without "centre"
  std::size_t batch_size = 500;  ///< records per transaction
  /// Called after each commit with the 1-based input lines that are now durable.
  std::function<void(std::vector<std::int64_t> const&)> on_commit;
};

struct MatchOptions {
  std::vector<std::string> pseudonyms;  ///< empty = every patient in scope
  std::string reference;                ///< JSON object: reference-data versions (file → sha256)
  std::size_t batch_size = 500;
  /// Skip patients whose latest run already used this rule set on the same input.
  bool skip_current = false;
  /// When the rule set is already archived under its sha256 with other source paths (the sha
  /// covers texts only, results quote paths), match with the archived sources rebuilt by this
  /// factory, so that replay reproduces the runs byte for byte.
  MatcherFactory rebuild;
};

struct MatchReport {
  std::string ruleset_sha;
  std::int64_t runs = 0, skipped = 0, failed = 0;
  std::vector<RecordIssue> issues;  ///< pointer = pseudonym for failures
};

struct ReplayEntry {
  std::int64_t run_id = 0;
  std::string pseudonym;
  std::string ruleset_sha;
  std::string status;  ///< identical | different | error
  std::string detail;  ///< first differing byte offset, or the error
};
struct ReplayReport {
  std::int64_t runs = 0, identical = 0, different = 0, errors = 0;
  std::vector<ReplayEntry> problems;
};

struct DiffEntry {
  std::string pseudonym;
  std::string centre;
  std::string old_recommended, new_recommended;
  std::vector<std::string> added, removed;  ///< match keys (class:rule/trial/cohort)
  bool pathway_changed = false;
};
struct DiffReport {
  RuleSetInfo old_info, new_info;
  std::int64_t patients = 0;
  std::vector<DiffEntry> changed;
  std::vector<RecordIssue> errors;
};

struct AuditReport {
  bool ok = true;
  std::int64_t entries = 0;
  std::string head;  ///< hash of the last entry (anchor it outside the database)
  std::optional<std::int64_t> first_bad_seq;
  std::string message;
};

struct IntegrityReport {
  bool ok = true;
  std::vector<std::string> problems;
  std::vector<std::string> checks;  ///< what was checked
};

struct PatientSummary {
  std::string pseudonym, centre;
  std::optional<std::string> oncotree;
  std::string included;
  std::int64_t runs = 0;
};

/// Filter for endpoints (all optional, combined with AND, intersected with the scope).
struct EndpointFilter {
  std::vector<std::string> centres;
  std::vector<std::string> tumours;     ///< OncoTree codes, exact
  std::optional<std::string> from, to;  ///< inclusion dates, inclusive
  std::optional<std::string> ruleset;   ///< version, name@version or sha256 (prefix ≥ 8)
};

/// What diff() compares of a stored result: the recommended option and the sorted match keys
/// (class:rule, class:trial/arm, class:cohort).
struct ResultKeys {
  std::string recommended;
  std::vector<std::string> matches;
};
ResultKeys result_keys(std::string_view result_json);

/// A patient's identity at its centre, as the centre knows it (never stored in the registry).
struct LocalId {
  std::string centre;
  std::string id;
};

struct RotationReport {
  std::int64_t patients = 0;    ///< patient pseudonyms re-derived
  std::int64_t tombstones = 0;  ///< tombstone pseudonyms re-derived (forgotten patients stay refused)
  std::int64_t runs = 0;        ///< match runs whose input and result were rewritten
  std::int64_t unknown = 0;     ///< ids given that name no patient or tombstone (ignored)
  std::string old_fingerprint, new_fingerprint;
};

class Registry {
 public:
  /// Open (no schema change: call init() to create or migrate).
  static std::unique_ptr<Registry> open(std::string const& url, OpenOptions options = {});
  Registry(std::unique_ptr<Database> db, OpenOptions options);
  ~Registry();
  Registry(Registry const&) = delete;
  Registry& operator=(Registry const&) = delete;

  Database& database() noexcept { return *db_; }
  Scope const& scope() const noexcept { return options_.scope; }
  std::string const& actor() const noexcept { return options_.actor; }

  /// Act for someone else from now on (the portal, per request, on a pooled connection): the
  /// scope becomes `scope` and audit entries name `actor`. On PostgreSQL the connection also
  /// switches role — SET ROLE to the centre's role for a one-centre scope, so that row-level
  /// security and not only this class refuses other centres' rows; RESET ROLE for Scope::all()
  /// — and the audit actor becomes "<database login>/<actor>". Not inside a transaction.
  /// A scope of several centres is refused on PostgreSQL (one role per request).
  void act_as(Scope scope, std::string actor);

  // ---- schema -------------------------------------------------------------------------------
  static int latest_schema_version() noexcept;
  /// SQLite: PRAGMA user_version; PostgreSQL: meta.schema_version. 0 = empty database.
  int schema_version();
  /// Create or migrate up to `target`, each step in one transaction. Refuses a database whose
  /// version is newer than this build (kSchema). PostgreSQL: also (re)creates the app role and
  /// grants; needs an owner with CREATEROLE.
  void init(int target = latest_schema_version());

  // ---- centres and key ----------------------------------------------------------------------
  void add_centre(std::string const& code, std::string const& name = "");
  std::vector<Centre> centres();
  /// PostgreSQL: make `login_role` (a LOGIN role, created if missing) a member of the centre's role.
  void grant_centre(std::string const& code, std::string const& login_role);
  /// Store the key fingerprint the first time; afterwards refuse another key (kKey).
  void bind_key(PseudonymKey const& key);

  // ---- records ------------------------------------------------------------------------------
  ImportReport import_jsonl(std::istream& in, PseudonymKey const& key, ImportOptions const& options = {});
  ImportReport import_lines(std::vector<std::string> const& lines, PseudonymKey const& key,
                            ImportOptions const& options = {}, std::int64_t first_line = 1);

  // ---- rule sets and matching ---------------------------------------------------------------
  /// Archive a rule set under its sha256 (idempotent; a different content under a stored sha is
  /// refused). Returns the sha.
  std::string store_rule_set(RuleSetInfo const& info, std::vector<RuleSource> const& sources);
  /// Sources of an archived rule set; `ref` = sha256 (or unique prefix ≥ 8), version or name@version.
  std::optional<std::pair<RuleSetInfo, std::vector<RuleSource>>> load_rule_set(std::string const& ref);
  MatchReport match(Matcher const& matcher, MatchOptions const& options = {});

  // ---- clinical events ----------------------------------------------------------------------
  /// Returns the decision id. Throws kInput on a bad option, missing reason, unknown patient.
  std::int64_t decide(DecisionInput const& d);
  void follow_up(FollowUpInput const& f);
  /// Delete every clinical row of the patient and keep a tombstone that refuses re-import.
  /// Returns false when no such patient (in scope).
  bool forget(std::string const& pseudonym);
  bool is_forgotten(std::string const& pseudonym);

  // ---- reading ------------------------------------------------------------------------------
  std::vector<PatientSummary> patients();
  /// One JSON document per patient in scope: record, consents, tests, findings, runs,
  /// decisions, treatments, follow-ups. Pseudonyms only.
  void export_jsonl(std::ostream& out);
  /// The tables that hold centre-scoped rows (all but meta and rule_sets).
  static std::vector<std::string> const& scoped_tables();
  /// Rows of `table` visible in scope whose centre is `centre` (isolation checks).
  std::int64_t count_rows(std::string const& table, std::string const& centre);

  // ---- backups (docs/registry.md, "Backups") -------------------------------------------------
  /// SQLite: a consistent copy of the whole registry in the new file `path` (mode 0600; an
  /// existing file is refused), made with the online backup API while others may write, then
  /// checked (PRAGMA integrity_check). Writes nothing to the registry. PostgreSQL: kInput (pg_dump).
  void backup(std::string const& path);
  /// SQLite: replace the registry with the backup `path`, all or nothing. The backup is checked
  /// first (a registry file, this build's schema version, integrity_check and the audit chain
  /// ok; else kInput and nothing changes). Afterwards a `registry.restore` audit entry names the
  /// restored chain's head. PostgreSQL: kInput (pg_restore).
  void restore(std::string const& path);

  /// Key rotation (docs/registry.md, "Rotating the key"): in one write transaction, every
  /// patient's and every tombstone's pseudonym becomes new_key's pseudonym of the same (centre,
  /// local id), and each match run's stored input and result are rewritten to name it (their
  /// sha256 recomputed, so replay stays byte-identical). Rows stay attached to the same patient
  /// row, so decisions, follow-ups and treatments keep their links. The new key's fingerprint
  /// is bound and one `key.rotate` audit entry records both fingerprints and the counts (no
  /// mapping from old to new pseudonyms is kept anywhere). Refused, with nothing changed: a
  /// session limited to some centres (kInput), old_key not the registry's (kKey), new_key equal
  /// to it (kInput), or any patient or tombstone whose local id is not in `ids` (kInput: the
  /// pseudonyms cannot be inverted, so the centres' own id lists are needed).
  RotationReport rotate_key(PseudonymKey const& old_key, PseudonymKey const& new_key, std::vector<LocalId> const& ids);

  // ---- checks -------------------------------------------------------------------------------
  AuditReport audit_verify();
  IntegrityReport integrity_check();
  ReplayReport replay(MatcherFactory const& factory, std::optional<std::string> const& ruleset = {});
  DiffReport diff(Matcher const& old_matcher, Matcher const& new_matcher);

  /// SQL condition limiting `centre_column` (a centre id column) to the scope, with its params.
  std::pair<std::string, std::vector<Value>> scope_clause(std::string const& centre_column) const;
  /// Throws kSchema unless the schema is at this build's version.
  void require_schema();

  /// Append an audit entry (inside the caller's write transaction).
  void audit(std::string const& action, std::optional<std::string> const& centre,
             std::optional<std::string> const& pseudonym, std::string const& detail_json);

 private:
  struct PatientRef {
    std::int64_t id = 0;
    std::int64_t centre_id = 0;
    std::string centre;
  };
  std::optional<PatientRef> find_patient(std::string const& pseudonym);
  std::int64_t centre_id(std::string const& code);  ///< throws kNotFound outside scope
  void upsert_treatment(PatientRef const& p, TreatmentInput const& t);
  Rows insert_rows(std::string const& table, std::vector<std::string> const& columns,
                   std::vector<std::vector<Value>> const& rows, std::string const& returning = "");
  void check_consent_allows_writes(PatientRef const& p);
  ImportStatus import_one(std::string_view line, std::int64_t line_no, PseudonymKey const& key,
                          ImportOptions const& options, ImportReport& report, bool careful);
  void ensure_postgres_roles();

  std::unique_ptr<Database> db_;
  OpenOptions options_;
  std::optional<int> schema_checked_;
  std::map<std::string, std::int64_t> centre_ids_;  ///< centre code → id (centres are never removed)
};

}  // namespace actionable::registry
