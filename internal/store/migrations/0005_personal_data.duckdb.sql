-- Personal data at rest (internal/store/vault.go): identities.value, merges.value/record,
-- customers.name/ext_id are sealed with AES-256-GCM under a data key; identities.bidx is
-- the keyed blind index (HMAC-SHA256) that lookups and merges compare instead.
ALTER TABLE identities ADD COLUMN bidx VARCHAR;
-- The data keys the database holds values under, by id (never the key itself):
-- one primary, and while a rotation runs the retiring one.
CREATE TABLE data_keys (
    kid         VARCHAR NOT NULL,
    state       VARCHAR NOT NULL,
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
