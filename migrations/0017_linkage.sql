-- Record linkage (src/linkage/): what matching compares about each birth, the keys blocking and
-- search look up, the pairs waiting for a registrar's decision, and the estimated model.
-- Filled by the births module through linkage's functions in the transaction of each write that
-- changes a birth's facts; `tirkeu linkage audit` indexes any record written before this table.

CREATE TABLE linkage_subjects (
  record_id uuid PRIMARY KEY REFERENCES records (id),
  -- The names and facts as written (LinkageInput): scoring works out the compared forms from it.
  facts jsonb NOT NULL,
  child_dob date NOT NULL,
  child_sex text,
  child_iin text,
  mother_iin text,
  father_iin text,
  facility_id text,
  -- Blocking keys: primary phonetic keys (Double Metaphone of the folded Latin form). A person's
  -- key is the surname's and given name's keys sorted and joined, so swapped names give the same key.
  child_key text,
  child_given_key text,
  mother_key text,
  indexed_at timestamptz NOT NULL
);
CREATE INDEX linkage_subjects_child_iin ON linkage_subjects (child_iin) WHERE child_iin IS NOT NULL;
CREATE INDEX linkage_subjects_mother_iin ON linkage_subjects (mother_iin) WHERE mother_iin IS NOT NULL;
CREATE INDEX linkage_subjects_father_iin ON linkage_subjects (father_iin) WHERE father_iin IS NOT NULL;
CREATE INDEX linkage_subjects_mother_key ON linkage_subjects (mother_key, child_dob) WHERE mother_key IS NOT NULL;
CREATE INDEX linkage_subjects_child_key ON linkage_subjects (child_key, child_dob) WHERE child_key IS NOT NULL;
CREATE INDEX linkage_subjects_child_given ON linkage_subjects (child_given_key, child_dob) WHERE child_given_key IS NOT NULL;
CREATE INDEX linkage_subjects_facility ON linkage_subjects (facility_id, child_dob) WHERE facility_id IS NOT NULL;
CREATE INDEX linkage_subjects_dob ON linkage_subjects (child_dob);

-- One row per name of a person in a record, for search by any name in any script: the phonetic
-- key finds the spellings, the match form ranks a transliteration above a merely similar sound.
CREATE TABLE linkage_names (
  key text NOT NULL,
  record_id uuid NOT NULL REFERENCES records (id),
  -- 1 the child, 2 the mother, 3 the father.
  role smallint NOT NULL,
  match text NOT NULL,
  -- The record's place (KATO), so a search is cut to the reader's jurisdiction inside this table.
  jurisdiction text NOT NULL,
  PRIMARY KEY (key, record_id, role, match)
);
CREATE INDEX linkage_names_record ON linkage_names (record_id);
-- The spellings that are transliterations of the word searched, newest first: a search's first page.
CREATE INDEX linkage_names_match ON linkage_names (key, match, record_id DESC) INCLUDE (role, jurisdiction);

-- Suspected duplicates: record_a is the earlier record, record_b the one suspected of repeating it.
CREATE TABLE linkage_pairs (
  id uuid PRIMARY KEY,
  record_a uuid NOT NULL REFERENCES records (id),
  record_b uuid NOT NULL REFERENCES records (id),
  score double precision NOT NULL,
  band text NOT NULL,
  -- declaration | registration | audit
  source text NOT NULL,
  -- open | duplicate | not_duplicate | closed (the other record was found a duplicate elsewhere)
  status text NOT NULL,
  found_at timestamptz NOT NULL,
  decided_by text,
  decided_at timestamptz,
  reason text,
  UNIQUE (record_a, record_b),
  CHECK (record_a <> record_b)
);
CREATE INDEX linkage_pairs_open ON linkage_pairs (status, score DESC) WHERE status = 'open';
CREATE INDEX linkage_pairs_b ON linkage_pairs (record_b);

-- m and u estimated from the register by EM; the newest row is the model in use (none: the pack's starting values).
CREATE TABLE linkage_models (
  id bigserial PRIMARY KEY,
  model jsonb NOT NULL,
  pairs integer NOT NULL,
  estimated_at timestamptz NOT NULL
);

-- A batch audit's progress, so an interrupted audit resumes where it stopped.
CREATE TABLE linkage_audits (
  id uuid PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  -- The last record id whose candidates were scored (records are walked in id order).
  last_record uuid,
  records integer NOT NULL DEFAULT 0,
  pairs integer NOT NULL DEFAULT 0
);
