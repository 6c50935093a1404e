-- Access control: users, their sessions, API keys, and the hash-chained
-- audit log. Secrets are never stored: passwords as argon2id hashes,
-- session ids and API keys as SHA-256 hashes.
CREATE TABLE users (
    name           TEXT NOT NULL PRIMARY KEY,
    role           TEXT NOT NULL,
    partner        TEXT,
    password_hash  TEXT NOT NULL,
    failed_logins  INTEGER NOT NULL,
    locked_until   TIMESTAMPTZ,
    disabled       BOOLEAN NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    last_login_at  TIMESTAMPTZ
);
-- Sessions are looked up by the hash of their id.
CREATE TABLE sessions (
    id_hash       TEXT NOT NULL,
    user_name     TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE TABLE api_keys (
    prefix        TEXT NOT NULL PRIMARY KEY,
    hash          TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    partner       TEXT,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    last_used_at  TIMESTAMPTZ
);
CREATE TABLE audit_log (
    seq        BIGINT NOT NULL PRIMARY KEY,
    logged_at  TIMESTAMPTZ NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    details    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX sessions_id_hash ON sessions (id_hash);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
