-- The event stream: what happened (a birth notified, declared, registered…), appended in the
-- transaction of the write that caused it and never changed. Later modules and webhooks read it
-- from a cursor each keeps; the jobs outbox keeps only work with side effects to run.
CREATE TABLE events (
  -- Readers take events only up to a settled watermark (src/core/jobs/events.ts), so no event
  -- committed late with a lower number is ever passed over.
  seq bigserial PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  at timestamptz NOT NULL
);
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- Where each consumer has read up to: it moves in the transaction that handles the events.
CREATE TABLE event_cursors (
  consumer text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL
);

-- birth.* events used to wait in the outbox for a consumer that never came: they move to the stream.
INSERT INTO events (kind, payload, at)
  SELECT kind, payload, created_at FROM jobs
  WHERE kind LIKE 'birth.%' AND kind <> 'birth.remind_mother' ORDER BY id;
DELETE FROM jobs WHERE kind LIKE 'birth.%' AND kind <> 'birth.remind_mother';

-- Pruning finished jobs after the retention period looks them up by when they finished.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE status = 'done';
