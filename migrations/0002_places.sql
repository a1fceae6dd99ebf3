-- Places (the KATO hierarchy), offices and health facilities, loaded from the country pack.

CREATE TABLE places (
  kato text PRIMARY KEY,
  parent_kato text REFERENCES places (kato),
  level text NOT NULL,
  kind text NOT NULL,
  name_kk text NOT NULL,
  name_ru text NOT NULL,
  name_en text NOT NULL,
  population bigint,
  crude_birth_rate numeric(6, 2)
);
CREATE INDEX places_parent ON places (parent_kato);

-- Prefix search in any language: every name from each of its words on, normalised (see
-- src/places/names.ts). Byte order ("C") makes a prefix a plain index range on both drivers.
CREATE TABLE place_search (
  key text COLLATE "C" NOT NULL,
  kato text NOT NULL REFERENCES places (kato),
  PRIMARY KEY (key, kato)
);

CREATE TABLE offices (
  id text PRIMARY KEY,
  kind text NOT NULL,
  kato text NOT NULL REFERENCES places (kato),
  name_kk text NOT NULL,
  name_ru text NOT NULL,
  name_en text NOT NULL,
  address text NOT NULL
);
CREATE INDEX offices_kato ON offices (kato);

CREATE TABLE health_facilities (
  id text PRIMARY KEY,
  kind text NOT NULL,
  kato text NOT NULL REFERENCES places (kato),
  name_kk text NOT NULL,
  name_ru text NOT NULL,
  name_en text NOT NULL
);
CREATE INDEX health_facilities_kato ON health_facilities (kato);
