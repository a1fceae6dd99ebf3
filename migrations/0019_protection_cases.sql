-- Child protection cases (src/protection/cases.ts): the case itself is a record on the action log
-- (type protection_case). These tables are lookups derived from its state, rewritten in the
-- transaction of every action on it, so that "my cases", a supervisor's list and the overdue tasks
-- answer from an index however many cases there are.

CREATE TABLE protection_cases (
  id uuid PRIMARY KEY REFERENCES records (id),
  jurisdiction text NOT NULL,
  stage text NOT NULL,
  risk text NOT NULL,
  kind text NOT NULL,
  -- A pending transfer to an office: its jurisdiction (workers there see the case to answer it).
  transfer_to text,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX protection_cases_jurisdiction ON protection_cases (jurisdiction text_pattern_ops, id);
CREATE INDEX protection_cases_transfer ON protection_cases (transfer_to text_pattern_ops) WHERE transfer_to IS NOT NULL;

-- Who needs to know: the owner, the assigned workers, the person a pending transfer names.
CREATE TABLE protection_case_members (
  case_id uuid NOT NULL REFERENCES protection_cases (id),
  actor text NOT NULL,
  -- owner | worker | recipient
  role text NOT NULL,
  PRIMARY KEY (actor, case_id, role)
);
CREATE INDEX protection_case_members_case ON protection_case_members (case_id);

-- The open tasks of each case, for the overdue list.
CREATE TABLE protection_case_tasks (
  case_id uuid NOT NULL REFERENCES protection_cases (id),
  task_id text NOT NULL,
  kind text NOT NULL,
  assignee text NOT NULL,
  due_on date,
  due_at timestamptz,
  -- The case's jurisdiction, so a supervisor's task list reads only the region's tasks.
  jurisdiction text NOT NULL,
  -- When the task falls due, for ordering: due_at, or the start of due_on.
  due timestamptz,
  -- What the task is, so a task list reads no case record.
  title text NOT NULL,
  PRIMARY KEY (case_id, task_id)
);
CREATE INDEX protection_case_tasks_assignee ON protection_case_tasks (assignee);
CREATE INDEX protection_case_tasks_area ON protection_case_tasks (jurisdiction text_pattern_ops, due);
