-- Sign-in hardening (issue 8).
--
-- Lockout counters per username move to sign_in_throttle, keyed by a hash of the normalised name
-- whether or not such a user exists, so an unknown name answers exactly as a known one does. The
-- per-user columns go; a lock in force now is carried over (the key is 'user:' || sha256(name)).
INSERT INTO sign_in_throttle (key, failures, locked_until, updated_at)
  SELECT 'user:' || encode(sha256(convert_to(lower(username), 'UTF8')), 'hex'), failed_sign_ins, locked_until, updated_at
  FROM users WHERE failed_sign_ins > 0
  ON CONFLICT (key) DO NOTHING;
ALTER TABLE users DROP COLUMN failed_sign_ins;
ALTER TABLE users DROP COLUMN locked_until;

-- Per-address counting becomes a sliding window of failures (below) that no success resets.
DELETE FROM sign_in_throttle WHERE key LIKE 'address:%';
-- Idle counters are pruned by age.
CREATE INDEX sign_in_throttle_updated ON sign_in_throttle (updated_at);

-- One row per failed sign-in step from an address (an IPv4 address or an IPv6 /64), kept for the
-- length of the window.
CREATE TABLE sign_in_address_failures (
  id bigserial PRIMARY KEY,
  address text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX sign_in_address_failures_address ON sign_in_address_failures (address, at);
CREATE INDEX sign_in_address_failures_at ON sign_in_address_failures (at);

-- Wrong second-factor codes given in one half-finished sign-in; it ends after a few.
ALTER TABLE sessions ADD COLUMN code_attempts integer NOT NULL DEFAULT 0;

-- A TOTP secret being enrolled (sealed like totp_secret): the current one keeps working until the
-- new one is confirmed with a code, so starting an enrolment never switches the second factor off.
ALTER TABLE users ADD COLUMN totp_pending_secret text;
