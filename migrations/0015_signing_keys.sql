-- The keys that sign certificates' QR payloads and the action log's checkpoints (Ed25519).
-- The private half is a PKCS#8 PEM encrypted with TIRKEU_SIGNING_KEY_PASSPHRASE (aes-256-cbc),
-- so a backup holds it sealed and `openssl pkey` can open it with the passphrase. The public
-- half stays published for as long as the row exists: certificates signed years ago still verify.
CREATE TABLE signing_keys (
  -- Hex of the first 8 bytes of SHA-256 of the raw public key: the COSE kid of our payloads.
  kid text PRIMARY KEY CHECK (kid ~ '^[0-9a-f]{16}$'),
  alg text NOT NULL CHECK (alg = 'EdDSA'),
  -- The raw 32-byte public key, base64url (the JWK "x").
  public_key text NOT NULL UNIQUE,
  private_key_pem text NOT NULL CHECK (private_key_pem LIKE '-----BEGIN ENCRYPTED PRIVATE KEY-----%'),
  -- When the key may sign; verifiers refuse a payload issued outside this period.
  valid_from timestamptz NOT NULL,
  valid_to timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  -- Set when the key stops signing (rotation, or a leak); the public half stays published.
  retired_at timestamptz,
  CHECK (valid_to > valid_from)
);

-- A key is never removed and never changed, except to be retired once: removing its public half
-- would make every certificate it signed unverifiable.
CREATE FUNCTION refuse_signing_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.retired_at IS NULL AND NEW.retired_at IS NOT NULL
       AND (NEW.kid, NEW.alg, NEW.public_key, NEW.private_key_pem, NEW.valid_from, NEW.valid_to, NEW.created_at)
           IS NOT DISTINCT FROM (OLD.kid, OLD.alg, OLD.public_key, OLD.private_key_pem, OLD.valid_from, OLD.valid_to, OLD.created_at)
    THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'signing_keys: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'a signing key is only ever retired (tirkeu keys retire KID), never changed or removed';
END
$$;
CREATE TRIGGER signing_keys_keep BEFORE UPDATE OR DELETE ON signing_keys
  FOR EACH ROW EXECUTE FUNCTION refuse_signing_key_change();
CREATE TRIGGER signing_keys_no_truncate BEFORE TRUNCATE ON signing_keys
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_signing_key_change();
