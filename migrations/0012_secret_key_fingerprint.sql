-- Which TIRKEU_SECRET_KEY sealed the TOTP secrets in users.totp_secret: its fingerprint (an HMAC of
-- a fixed text under the key), never the key. A process started with another key refuses to start
-- and names the fingerprint of the key it needs, e.g. after a backup is restored elsewhere.
CREATE TABLE secret_key_fingerprint (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  fingerprint text NOT NULL,
  recorded_at timestamptz NOT NULL
);
