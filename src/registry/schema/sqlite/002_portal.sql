-- actionable registry, SQLite schema version 2: the PI portal's accounts and sessions
-- (docs/portal.md). Not centre-scoped data: only the portal (the registry owner) reads these.
-- Passwords are Argon2id strings (libsodium crypto_pwhash_str); session tokens are stored as
-- SHA-256 hashes only; times are Unix seconds (UTC).
-- The tables repeat postgres/002_portal.sql table by table, on purpose: one schema in two SQL dialects
-- (types, identity columns, row-level security), each applied by its own backend; the
-- registry suite runs the same checks on both (tests/registry).
CREATE TABLE portal_users (
  id             INTEGER PRIMARY KEY,
  login          TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 3 AND 64),
  centre_id      INTEGER REFERENCES centres(id),
  role           TEXT NOT NULL CHECK (role IN ('pi', 'data_manager', 'admin')),
  password_hash  TEXT NOT NULL,
  totp_secret    TEXT,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  locked_until   INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  CHECK (role = 'admin' OR centre_id IS NOT NULL)
) STRICT;

CREATE TABLE portal_sessions (
  token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
  user_id    INTEGER NOT NULL REFERENCES portal_users(id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_sessions_user ON portal_sessions(user_id);
