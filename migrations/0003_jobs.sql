-- The outbox: work to do after a transaction commits (events, notifications, rollups), written in
-- that same transaction so it is never lost and never sent for a write that rolled back.
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  -- The same event enqueued twice (a retried write, two processes) is one job.
  dedupe_key text UNIQUE,
  -- pending | done | dead
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  run_at timestamptz NOT NULL,
  -- A claimed job belongs to its worker until then; if that worker dies, another takes it after.
  locked_until timestamptz,
  -- The error's message only: never personal data.
  last_error text,
  created_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending';
CREATE INDEX jobs_kind_status ON jobs (kind, status);
