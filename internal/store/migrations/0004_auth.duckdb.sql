-- Access control: users, their sessions, API keys, and the hash-chained
-- audit log. Secrets are never stored: passwords as argon2id hashes,
-- session ids and API keys as SHA-256 hashes.
CREATE TABLE users (
    name           VARCHAR NOT NULL PRIMARY KEY,
    role           VARCHAR NOT NULL,
    partner        VARCHAR,
    password_hash  VARCHAR NOT NULL,
    failed_logins  INTEGER NOT NULL,
    locked_until   TIMESTAMPTZ,
    disabled       BOOLEAN NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    last_login_at  TIMESTAMPTZ
);
-- Sessions carry no key constraint: DuckDB checks keys eagerly and rows
-- here are deleted and re-read often; ids are 256-bit random values.
CREATE TABLE sessions (
    id_hash       VARCHAR NOT NULL,
    user_name     VARCHAR NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE TABLE api_keys (
    prefix        VARCHAR NOT NULL PRIMARY KEY,
    hash          VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    role          VARCHAR NOT NULL,
    partner       VARCHAR,
    created_by    VARCHAR NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    last_used_at  TIMESTAMPTZ
);
CREATE TABLE audit_log (
    seq        BIGINT NOT NULL PRIMARY KEY,
    logged_at  TIMESTAMPTZ NOT NULL,
    actor      VARCHAR NOT NULL,
    action     VARCHAR NOT NULL,
    target     VARCHAR NOT NULL,
    outcome    VARCHAR NOT NULL,
    details    VARCHAR NOT NULL,
    prev_hash  VARCHAR NOT NULL,
    hash       VARCHAR NOT NULL
);
