-- Birth registration: act numbers (gapless per office and year) and IINs (unique for ever).

-- One row per office and year; the registering transaction holds its lock until commit, so a
-- rolled-back registration gives its number back and no number is skipped or issued twice.
CREATE TABLE act_number_counters (
  office_id text NOT NULL,
  year integer NOT NULL,
  last integer NOT NULL,
  PRIMARY KEY (office_id, year)
);

-- Last serial drawn per IIN prefix (YYMMDD + century/sex digit).
CREATE TABLE iin_serials (
  prefix text PRIMARY KEY,
  last integer NOT NULL
);

-- Every IIN ever issued or imported: the primary key is what makes two children never share one.
CREATE TABLE iins (
  iin text PRIMARY KEY,
  record_id uuid NOT NULL,
  issued_at timestamptz NOT NULL
);
