-- Personal data at rest (internal/store/vault.go): identities.value, merges.value/record,
-- customers.name/ext_id are sealed with AES-256-GCM under a data key; identities.bidx is
-- the keyed blind index (HMAC-SHA256) that lookups and merges compare instead.
ALTER TABLE identities ADD COLUMN bidx TEXT;
CREATE INDEX identities_bidx ON identities (bidx);
-- Sealed with a random nonce, equal external ids no longer compare equal; the
-- external id is also an identity of kind "id", whose blind index keeps it unique.
DROP INDEX IF EXISTS customers_ext_id;
-- The data keys the database holds values under, by id (never the key itself):
-- one primary, and while a rotation runs the retiring one.
CREATE TABLE data_keys (
    kid         TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    retired_at  TIMESTAMPTZ
);
-- One row per erased customer: what was removed, never who it was.
CREATE TABLE erasures (
    customer_id   BIGINT NOT NULL,
    erased_at     TIMESTAMPTZ NOT NULL,
    customers     INTEGER NOT NULL,
    identities    INTEGER NOT NULL,
    interactions  INTEGER NOT NULL,
    surveys       INTEGER NOT NULL,
    events        INTEGER NOT NULL
);
