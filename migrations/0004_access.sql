-- Access control: users, sessions, API clients, sign-in throttling and the access audit trail.

CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL,
  display_name text NOT NULL,
  office_id text,
  -- KATO code the user's scopes apply within; NULL = the whole country.
  jurisdiction text,
  roles text[] NOT NULL,
  password_hash text NOT NULL,
  password_must_change boolean NOT NULL DEFAULT true,
  password_changed_at timestamptz,
  -- TOTP secret sealed with TIRKEU_SECRET_KEY (AES-GCM); NULL until enrolled.
  totp_secret text,
  totp_enabled boolean NOT NULL DEFAULT false,
  -- Last accepted TOTP time step: a code is never accepted twice.
  totp_last_step bigint,
  failed_sign_ins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  active boolean NOT NULL DEFAULT true,
  deactivated_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (lower(username));

CREATE TABLE user_recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id),
  code_hash text NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
  -- SHA-256 of the cookie value: a stolen database does not yield usable sessions.
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  -- pending_password | pending_totp | pending_enrolment | active
  stage text NOT NULL,
  csrf_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  client_address text
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE api_clients (
  id text PRIMARY KEY,
  name text NOT NULL,
  scopes text[] NOT NULL,
  jurisdiction text,
  -- A hospital's client may act only for its own facility.
  facility_id text,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL
);

-- Several secrets may be valid at once, so a client rotates without downtime.
CREATE TABLE api_client_secrets (
  id uuid PRIMARY KEY,
  client_id text NOT NULL REFERENCES api_clients (id),
  secret_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz
);
CREATE INDEX api_client_secrets_client ON api_client_secrets (client_id);

CREATE TABLE api_tokens (
  token_hash text PRIMARY KEY,
  client_id text NOT NULL REFERENCES api_clients (id),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);

-- Failed sign-ins per client address (per user they are on users).
CREATE TABLE sign_in_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  locked_until timestamptz,
  updated_at timestamptz NOT NULL
);

CREATE TABLE access_audit (
  seq bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  -- user | client | anonymous | system
  actor_kind text NOT NULL,
  actor_id text,
  event text NOT NULL,
  outcome text NOT NULL,
  target_type text,
  target_id text,
  client_address text,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX access_audit_actor ON access_audit (actor_id, at);
CREATE INDEX access_audit_event ON access_audit (event, at);
CREATE TRIGGER access_audit_append_only BEFORE UPDATE OR DELETE ON access_audit
  FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER access_audit_no_truncate BEFORE TRUNCATE ON access_audit
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
