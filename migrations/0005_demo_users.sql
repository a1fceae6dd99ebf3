-- Demo users (tirkeu seed --demo) sign in with documented passwords; outside demo mode
-- (TIRKEU_DEMO unset) they must change them first. Any password change clears the mark.
ALTER TABLE users ADD COLUMN demo boolean NOT NULL DEFAULT false;
