-- actionable registry, SQLite schema version 1 (docs/registry.md, "Schema").
-- Every patient-scoped table carries centre_id, and a composite foreign key
-- (patient_id, centre_id) → patients(id, centre_id) so no row can sit under a patient of another
-- centre. Dates are ISO 'YYYY-MM-DD' text, timestamps ISO-8601 UTC text. JSON columns hold
-- canonical JSON built from known fields only (unknown input fields are never stored).
-- The tables repeat postgres/001_base.sql table by table, on purpose: one schema in two SQL dialects
-- (types, identity columns, row-level security), each applied by its own backend; the
-- registry suite runs the same checks on both (tests/registry).
PRAGMA application_id = 1094931538;  -- 'ACTR'

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE centres (
  id        INTEGER PRIMARY KEY,
  code      TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
  name      TEXT NOT NULL DEFAULT '',
  role_name TEXT
) STRICT;

CREATE TABLE patients (
  id         INTEGER PRIMARY KEY,
  centre_id  INTEGER NOT NULL REFERENCES centres(id),
  pseudonym  TEXT NOT NULL UNIQUE CHECK (length(pseudonym) = 64),
  oncotree   TEXT,
  stage      TEXT,
  age        INTEGER,
  sex        TEXT,
  ecog       INTEGER,
  lines      INTEGER,
  included   TEXT NOT NULL,
  record     TEXT NOT NULL,
  record_sha TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (id, centre_id)
) STRICT;
CREATE INDEX patients_centre ON patients(centre_id, included);

CREATE TABLE tombstones (
  pseudonym    TEXT PRIMARY KEY CHECK (length(pseudonym) = 64),
  centre_id    INTEGER NOT NULL REFERENCES centres(id),
  forgotten_at TEXT NOT NULL
) STRICT;

CREATE TABLE consents (
  id         INTEGER PRIMARY KEY,
  centre_id  INTEGER NOT NULL,
  patient_id INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('precision1', 'trial', 'germline')),
  trial      TEXT NOT NULL DEFAULT '',
  status     TEXT NOT NULL CHECK (status IN ('given', 'withdrawn', 'refused')),
  date       TEXT,
  UNIQUE (patient_id, kind, trial),
  FOREIGN KEY (patient_id, centre_id) REFERENCES patients(id, centre_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE samples (
  id         INTEGER PRIMARY KEY,
  centre_id  INTEGER NOT NULL,
  patient_id INTEGER NOT NULL,
  specimen   TEXT NOT NULL CHECK (specimen IN ('tissue', 'plasma', 'blood', 'saliva', 'other', 'unspecified')),
  UNIQUE (patient_id, specimen),
  UNIQUE (id, centre_id),
  FOREIGN KEY (patient_id, centre_id) REFERENCES patients(id, centre_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE tests (
  id         INTEGER PRIMARY KEY,
  centre_id  INTEGER NOT NULL,
  patient_id INTEGER NOT NULL,
  sample_id  INTEGER,
  idx        INTEGER NOT NULL,
  origin     TEXT NOT NULL CHECK (origin IN ('somatic', 'germline')),
  method     TEXT,
  panel      TEXT,
  biomarker  TEXT,
  genes      TEXT NOT NULL DEFAULT '[]',
  UNIQUE (patient_id, idx),
  FOREIGN KEY (patient_id, centre_id) REFERENCES patients(id, centre_id) ON DELETE CASCADE,
  FOREIGN KEY (sample_id, centre_id) REFERENCES samples(id, centre_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE findings (
  id         INTEGER PRIMARY KEY,
  centre_id  INTEGER NOT NULL,
  patient_id INTEGER NOT NULL,
  idx        INTEGER NOT NULL,
  origin     TEXT NOT NULL CHECK (origin IN ('somatic', 'germline')),
  type       TEXT NOT NULL CHECK (type IN ('variant', 'fusion', 'cnv', 'exon_skipping', 'biomarker')),
  gene       TEXT,
  data       TEXT NOT NULL,
  UNIQUE (patient_id, idx),
  FOREIGN KEY (patient_id, centre_id) REFERENCES patients(id, centre_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE rule_sets (
  sha256    TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  name      TEXT NOT NULL,
  version   TEXT NOT NULL,
  sources   TEXT NOT NULL,
  stored_at TEXT NOT NULL
) STRICT;

CREATE TABLE match_runs (
  id                  INTEGER PRIMARY KEY,
  centre_id           INTEGER NOT NULL,
  patient_id          INTEGER NOT NULL,
  ruleset_sha         TEXT NOT NULL REFERENCES rule_sets(sha256),
  engine_version      TEXT NOT NULL,
  reference           TEXT NOT NULL,
  input               TEXT NOT NULL,
  result              TEXT NOT NULL,
  result_sha          TEXT NOT NULL,
  recommended         TEXT,
  precision2_eligible INTEGER NOT NULL DEFAULT 0,
  n_matches           INTEGER NOT NULL DEFAULT 0,
  actionable          INTEGER NOT NULL DEFAULT 0,
  created_at          TEXT NOT NULL,
  UNIQUE (id, centre_id),
  FOREIGN KEY (patient_id, centre_id) REFERENCES patients(id, centre_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX match_runs_patient ON match_runs(patient_id, id);
CREATE INDEX match_runs_ruleset ON match_runs(ruleset_sha);

CREATE TABLE decisions (
  id          INTEGER PRIMARY KEY,
  centre_id   INTEGER NOT NULL,
  patient_id  INTEGER NOT NULL,
  run_id      INTEGER,
  option      TEXT NOT NULL CHECK (option IN ('empirical', 'standard_of_care', 'matched_trial', 'precision2')),
  trial       TEXT,
  cohort      TEXT,
  decided_on  TEXT NOT NULL,
  recommended TEXT,
  followed    INTEGER,
  reason      TEXT,
  created_at  TEXT NOT NULL,
  FOREIGN KEY (patient_id, centre_id) REFERENCES patients(id, centre_id) ON DELETE CASCADE,
  FOREIGN KEY (run_id, centre_id) REFERENCES match_runs(id, centre_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX decisions_patient ON decisions(patient_id, id);

CREATE TABLE treatments (
  id            INTEGER PRIMARY KEY,
  centre_id     INTEGER NOT NULL,
  patient_id    INTEGER NOT NULL,
  line          INTEGER NOT NULL CHECK (line >= 1),
  drugs         TEXT NOT NULL DEFAULT '[]',
  start         TEXT,
  end_date      TEXT,
  best_response TEXT CHECK (best_response IN ('CR', 'PR', 'SD', 'PD', 'NE')),
  progression   TEXT,
  basis         TEXT CHECK (basis IN ('empirical', 'standard_of_care', 'matched_trial', 'precision2')),
  off_label     INTEGER,
  trial         TEXT,
  UNIQUE (patient_id, line),
  FOREIGN KEY (patient_id, centre_id) REFERENCES patients(id, centre_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE follow_ups (
  id             INTEGER PRIMARY KEY,
  centre_id      INTEGER NOT NULL,
  patient_id     INTEGER NOT NULL,
  visit          INTEGER NOT NULL CHECK (visit >= 1),
  visit_date     TEXT NOT NULL,
  disease_status TEXT CHECK (disease_status IN ('NED', 'response', 'stable', 'progression', 'not_evaluable')),
  recist         TEXT CHECK (recist IN ('CR', 'PR', 'SD', 'PD', 'NE')),
  progression    TEXT,
  line           INTEGER,
  vital_status   TEXT NOT NULL CHECK (vital_status IN ('alive', 'dead', 'lost')),
  death_date     TEXT,
  UNIQUE (patient_id, visit),
  FOREIGN KEY (patient_id, centre_id) REFERENCES patients(id, centre_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  centre    TEXT,
  pseudonym TEXT,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL UNIQUE
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER rule_sets_no_update BEFORE UPDATE ON rule_sets
BEGIN SELECT RAISE(ABORT, 'rule_sets are immutable'); END;
CREATE TRIGGER rule_sets_no_delete BEFORE DELETE ON rule_sets
BEGIN SELECT RAISE(ABORT, 'rule_sets are immutable'); END;
