-- Place search at national scale (150,000 places, about a million keys). A search narrowed to a
-- level or an area used to walk every key with the prefix and drop the ones outside: a region
-- asked for with "а" read 190,000 keys (0.4 s on PostgreSQL). Each key now carries its place's
-- level, and the keys are also indexed after the level, the region and the district, so a
-- narrowed search is one ordered index range that stops after a page, like the plain one.
ALTER TABLE place_search ADD COLUMN level text;
UPDATE place_search ps SET level = p.level FROM places p WHERE p.kato = ps.kato;
ALTER TABLE place_search ALTER COLUMN level SET NOT NULL;
CREATE INDEX place_search_level ON place_search (level, key, kato);
CREATE INDEX place_search_region ON place_search ((left(kato, 2)), key, kato);
CREATE INDEX place_search_district ON place_search ((left(kato, 4)), key, kato);

-- Health facilities by the start of any word of their name, as places are. The keys are made by
-- the pack loader (src/places/names.ts); a database loaded before this file gets them at the next
-- start (see packNeedsLoading).
CREATE TABLE facility_search (
  key text COLLATE "C" NOT NULL,
  facility_id text NOT NULL REFERENCES health_facilities (id),
  PRIMARY KEY (key, facility_id)
);
