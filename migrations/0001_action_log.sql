-- The generic civil-record store: a current-state row per record plus its append-only history.
-- Every record type (birth, later death, marriage, protection case) lives here; its module owns
-- the meaning of `data` and of the key columns.

CREATE TABLE records (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  status text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  -- KATO code of the place the record belongs to; access is scoped by prefix of this code.
  jurisdiction text NOT NULL,
  office_id text,
  -- Human tracking reference given at creation (what an agent reads over the phone).
  ref text,
  -- Registration (act record) number once registered.
  number text,
  -- The identity number of the record's subject (the child's IIN), once known.
  subject_id text,
  data jsonb NOT NULL,
  -- Hash of the record's newest action, so an append needs no extra read.
  head_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX records_ref ON records (ref) WHERE ref IS NOT NULL;
CREATE UNIQUE INDEX records_number ON records (type, number) WHERE number IS NOT NULL;
CREATE INDEX records_subject ON records (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX records_worklist ON records (type, status, jurisdiction text_pattern_ops, updated_at);

CREATE TABLE record_actions (
  -- Global order of commit attempts; checkpoints seal ranges of it.
  seq bigserial PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES records (id),
  record_seq integer NOT NULL CHECK (record_seq >= 1),
  type text NOT NULL,
  actor text NOT NULL,
  office_id text,
  at timestamptz NOT NULL,
  reason text,
  payload jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (record_id, record_seq)
);

CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'history is changed only by appending a new action (e.g. a correction or a revocation)';
END
$$;

CREATE TRIGGER record_actions_append_only BEFORE UPDATE OR DELETE ON record_actions
  FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER record_actions_no_truncate BEFORE TRUNCATE ON record_actions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- A checkpoint seals every action with from_seq < seq <= to_seq into a Merkle tree; its hash
-- chains to the previous checkpoint, as a transparency log does.
CREATE TABLE log_checkpoints (
  id bigint PRIMARY KEY,
  from_seq bigint NOT NULL,
  to_seq bigint NOT NULL,
  action_count integer NOT NULL,
  merkle_root text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  -- Filled once signing keys exist (certificates module): a signature over hash.
  signature text,
  key_id text,
  created_at timestamptz NOT NULL
);
CREATE TRIGGER log_checkpoints_append_only BEFORE UPDATE OR DELETE ON log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- A write's client-made id: a retry with the same key returns the first result.
CREATE TABLE idempotency_keys (
  -- Scoped by actor: "<actor>:<client key>".
  key text PRIMARY KEY,
  request_hash text NOT NULL,
  record_id uuid,
  result jsonb,
  created_at timestamptz NOT NULL
);
