-- Child protection (src/protection/): the referrals screening makes from births, and the index of
-- people named in protection cases and tracing requests that family tracing matches names against.
-- Cases, best-interests determinations and tracing requests are records on the action log.

-- A referral: the flags one stage of a birth raised, sent to the protection service of the child's
-- jurisdiction in the transaction of the birth's action. It is never deleted; it is acknowledged
-- when a case worker opens (or joins it to) a case, and escalated to the supervisor when its
-- deadline for first contact passes unacknowledged.
CREATE TABLE protection_referrals (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES records (id),
  jurisdiction text NOT NULL,
  -- [{code, risk}], highest risk first.
  flags jsonb NOT NULL,
  risk text NOT NULL,
  -- notification | declaration | registration | correction | overdue
  stage text NOT NULL,
  -- The child's date of birth and sex as the birth gave them, for the counts by age and sex.
  child_dob date NOT NULL,
  child_sex text,
  -- open | acknowledged
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  escalated_at timestamptz,
  case_id uuid REFERENCES records (id),
  acknowledged_at timestamptz,
  acknowledged_by text,
  first_contact_at timestamptz
);
CREATE INDEX protection_referrals_inbox ON protection_referrals (jurisdiction text_pattern_ops, status, due_at, id);
CREATE INDEX protection_referrals_due ON protection_referrals (status, due_at, id);
CREATE INDEX protection_referrals_record ON protection_referrals (record_id);
CREATE INDEX protection_referrals_case ON protection_referrals (case_id) WHERE case_id IS NOT NULL;

-- Each flag a birth raised, once: a later stage refers only the flags that are new.
CREATE TABLE protection_flags (
  record_id uuid NOT NULL REFERENCES records (id),
  code text NOT NULL,
  referral_id uuid NOT NULL REFERENCES protection_referrals (id),
  PRIMARY KEY (record_id, code)
);

-- People named in a protection case or a tracing request (the child, a parent, a sibling, the one
-- sought, the one looking), with the names' phonetic keys and match forms (src/linkage/names.ts).
CREATE TABLE protection_people (
  subject_id uuid NOT NULL REFERENCES records (id),
  person smallint NOT NULL,
  -- case | tracing
  kind text NOT NULL,
  role text NOT NULL,
  jurisdiction text NOT NULL,
  -- The subject's tracing consent: without it, tracing never matches this person.
  consent boolean NOT NULL,
  sex text,
  born_from date,
  born_to date,
  -- The names as written and the place last known, for the side-by-side review.
  facts jsonb NOT NULL,
  PRIMARY KEY (subject_id, person)
);

CREATE TABLE protection_person_names (
  key text NOT NULL,
  match text NOT NULL,
  subject_id uuid NOT NULL,
  person smallint NOT NULL,
  PRIMARY KEY (key, subject_id, person, match),
  FOREIGN KEY (subject_id, person) REFERENCES protection_people (subject_id, person) ON DELETE CASCADE
);
CREATE INDEX protection_person_names_subject ON protection_person_names (subject_id);
