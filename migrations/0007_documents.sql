-- Supporting documents of civil records (medical birth certificates, statements, reports).
-- Kept in the database so a backup holds them and one transaction writes a document and the
-- record action that cites it. The action log carries the hash, so a swapped file is detected.
CREATE TABLE documents (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES records (id),
  type text NOT NULL,
  media_type text NOT NULL,
  size integer NOT NULL,
  sha256 text NOT NULL,
  content bytea NOT NULL,
  uploaded_by text NOT NULL,
  uploaded_at timestamptz NOT NULL
);
CREATE INDEX documents_record ON documents (record_id);

-- Documents are evidence: never changed or removed once written.
CREATE FUNCTION documents_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'documents are append-only';
END $$;
CREATE TRIGGER documents_no_update BEFORE UPDATE OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION documents_append_only();
CREATE TRIGGER documents_no_truncate BEFORE TRUNCATE ON documents FOR EACH STATEMENT EXECUTE FUNCTION documents_append_only();
