-- Signing secrets encrypted at rest (AES-256-GCM under a key-encryption key from configuration, see
-- SigningSecretCipher). The HMAC needs the key itself, so it cannot be hashed. secret_key_id names the
-- key-encryption key; the sealed bytes are IV || ciphertext || tag, bound to the row's tenant and id.
ALTER TABLE webhook_endpoints
    ADD COLUMN secret_key_id          TEXT,
    ADD COLUMN sealed_secret          BYTEA,
    ADD COLUMN previous_secret_key_id TEXT,
    ADD COLUMN sealed_previous_secret BYTEA;

-- Rows written before this version hold the plaintext in secret / previous_secret. SigningSecretResealer seals
-- them at start-up (SQL has no key-encryption key) and sets the plaintext columns to NULL; nothing writes them
-- any more. They stay as nullable columns so that start-up, not this migration, does the conversion; a later
-- migration can drop them.
ALTER TABLE webhook_endpoints ALTER COLUMN secret DROP NOT NULL;

ALTER TABLE webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_has_secret CHECK (secret IS NOT NULL OR sealed_secret IS NOT NULL),
    ADD CONSTRAINT webhook_endpoints_sealed_secret_key CHECK ((secret_key_id IS NULL) = (sealed_secret IS NULL)),
    ADD CONSTRAINT webhook_endpoints_sealed_previous_key
        CHECK ((previous_secret_key_id IS NULL) = (sealed_previous_secret IS NULL));
