-- actionable registry, PostgreSQL schema version 2: the PI portal's accounts and sessions
-- (docs/portal.md). Owned by the registry owner and granted to no one: the application and
-- centre roles cannot read password hashes or session tokens. Passwords are Argon2id strings
-- (libsodium crypto_pwhash_str); session tokens are stored as SHA-256 hashes only; times are
-- Unix seconds (UTC).
-- The tables repeat sqlite/002_portal.sql table by table, on purpose: one schema in two SQL dialects
-- (types, identity columns, row-level security), each applied by its own backend; the
-- registry suite runs the same checks on both (tests/registry).
CREATE TABLE portal_users (
  id             BIGSERIAL PRIMARY KEY,
  login          TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 3 AND 64),
  centre_id      BIGINT REFERENCES centres(id),
  role           TEXT NOT NULL CHECK (role IN ('pi', 'data_manager', 'admin')),
  password_hash  TEXT NOT NULL,
  totp_secret    TEXT,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  disabled       BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins  BIGINT NOT NULL DEFAULT 0,
  locked_until   BIGINT NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  CHECK (role = 'admin' OR centre_id IS NOT NULL)
);

CREATE TABLE portal_sessions (
  token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
  user_id    BIGINT NOT NULL REFERENCES portal_users(id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen  BIGINT NOT NULL
);
CREATE INDEX portal_sessions_user ON portal_sessions(user_id);
REVOKE ALL ON portal_users, portal_sessions FROM PUBLIC;

-- The audit actor: the database login (session_user, which no one can forge) followed by the
-- portal user it acts for (actionable.on_behalf_of, set by the portal per request).
-- Repeats 001_base.sql's function whole but for the actor lines, and on purpose: a migration is
-- never edited once shipped (a registry at version 1 upgrades by running this file), and
-- CREATE OR REPLACE takes the complete body, so the new version is written out here.
CREATE OR REPLACE FUNCTION actionable_audit_append(p_action text, p_centre text, p_pseudonym text, p_detail text)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_seq   bigint;
  v_prev  text;
  v_at    text;
  v_actor text := session_user;
  v_for   text := current_setting('actionable.on_behalf_of', true);
  v_hash  text;
  v_owner text;
BEGIN
  IF v_for IS NOT NULL AND v_for <> '' THEN
    v_actor := v_actor || '/' || v_for;
  END IF;
  PERFORM pg_advisory_xact_lock(7163545432115212801);
  SELECT tableowner INTO v_owner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_log';
  IF p_centre IS NULL THEN
    IF NOT pg_has_role(session_user, v_owner, 'MEMBER') THEN
      RAISE EXCEPTION 'only the registry owner may write registry-wide audit entries'
        USING ERRCODE = '42501';
    END IF;
  ELSIF NOT pg_has_role(session_user, v_owner, 'MEMBER') AND NOT EXISTS (
      SELECT 1 FROM centres c JOIN pg_roles g ON g.rolname = c.role_name
      WHERE c.code = p_centre AND pg_has_role(session_user, g.oid, 'MEMBER')) THEN
    RAISE EXCEPTION 'no access to centre %', p_centre USING ERRCODE = '42501';
  END IF;
  SELECT seq, hash INTO v_seq, v_prev FROM audit_log ORDER BY seq DESC LIMIT 1;
  IF NOT FOUND THEN
    v_seq := 0;
    v_prev := repeat('0', 64);
  END IF;
  v_seq := v_seq + 1;
  v_at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  v_hash := encode(sha256(convert_to(
      'actionable-audit-v1'
      || '|' || actionable_audit_field(v_seq::text)
      || '|' || actionable_audit_field(v_at)
      || '|' || actionable_audit_field(v_actor)
      || '|' || actionable_audit_field(p_action)
      || '|' || actionable_audit_field(p_centre)
      || '|' || actionable_audit_field(p_pseudonym)
      || '|' || actionable_audit_field(p_detail)
      || '|' || actionable_audit_field(v_prev), 'UTF8')), 'hex');
  INSERT INTO audit_log (seq, at, actor, action, centre, pseudonym, detail, prev_hash, hash)
  VALUES (v_seq, v_at, v_actor, p_action, p_centre, p_pseudonym, p_detail, v_prev, v_hash);
  RETURN v_hash;
END $$;
REVOKE ALL ON FUNCTION actionable_audit_append(text, text, text, text) FROM PUBLIC;
