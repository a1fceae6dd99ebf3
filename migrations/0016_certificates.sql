-- Certificates (src/certificates/): each issuance is an ISSUE_CERTIFICATE action on the birth's
-- history, which holds who collected it and with which ID; this table is the index the verifiers
-- need: serial → record, the signed QR payload as printed, and its place in the status list.

-- Counters drawn in the issuing transaction, as act numbers are: the row stays locked until commit,
-- so a rollback leaves no gap in the serials of printed forms (each must be accounted for).
CREATE TABLE certificate_counters (
  -- 'serial:<year>' for printed-form serials, 'status' for status-list positions.
  name text PRIMARY KEY,
  last bigint NOT NULL
);

CREATE TABLE certificates (
  serial text PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES records (id),
  kind text NOT NULL,
  -- The record's version right after the issuance: a correction approved later supersedes it.
  record_version integer NOT NULL,
  -- Position in the Bitstring Status List (list = status_index / 131072).
  status_index bigint NOT NULL UNIQUE,
  key_id text NOT NULL,
  -- The QR payload exactly as printed, so a reprint of the same issuance is the same paper.
  qr_payload text NOT NULL,
  issued_at timestamptz NOT NULL,
  -- Set with the REVOKE_CERTIFICATE action, in its transaction (the status list reads it).
  revoked_at timestamptz
);
CREATE INDEX certificates_record ON certificates (record_id);
