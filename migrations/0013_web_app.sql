-- The web app: a reloaded page asks /auth/me for its session's CSRF token (a cross-site page cannot
-- read that answer), and each person's language follows them from device to device.
ALTER TABLE sessions ADD COLUMN csrf_token text;
ALTER TABLE users ADD COLUMN language text CHECK (language ~ '^[a-z]{2,3}$');
