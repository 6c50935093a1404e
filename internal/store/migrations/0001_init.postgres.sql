-- The system of record and analytical facts, PostgreSQL.
CREATE TABLE customers (
    id            BIGINT NOT NULL,
    ext_id        TEXT,
    name          TEXT,
    segment       TEXT,
    region        TEXT,
    signup_at     TIMESTAMPTZ,
    attributes    JSONB,
    content_hash  BIGINT,
    merged_into   BIGINT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE TABLE identities (
    seq          BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    value        TEXT NOT NULL,
    customer_id  BIGINT NOT NULL,
    added_at     TIMESTAMPTZ NOT NULL,
    record       TEXT NOT NULL
);
CREATE TABLE merges (
    seq       BIGINT NOT NULL,
    merged_at TIMESTAMPTZ NOT NULL,
    survivor  BIGINT NOT NULL,
    merged    BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    value     TEXT NOT NULL,
    record    TEXT NOT NULL
);
CREATE TABLE events (
    ext_id        TEXT NOT NULL,
    customer_id   BIGINT NOT NULL,
    name          TEXT NOT NULL,
    occurred_at   TIMESTAMPTZ NOT NULL,
    value         BIGINT,
    currency      TEXT,
    attributes    JSONB,
    content_hash  BIGINT NOT NULL,
    import_id     BIGINT NOT NULL
);
CREATE TABLE interactions (
    id                 BIGINT NOT NULL,
    source             TEXT NOT NULL,
    ext_id             TEXT NOT NULL,
    customer_id        BIGINT NOT NULL,
    channel            TEXT NOT NULL,
    journey_stage      TEXT,
    queue              TEXT,
    handler            TEXT NOT NULL,
    agent_id           TEXT,
    team               TEXT,
    partner            TEXT,
    started_at         TIMESTAMPTZ NOT NULL,
    ended_at           TIMESTAMPTZ,
    wait_seconds       INTEGER NOT NULL,
    handle_seconds     INTEGER NOT NULL,
    transfers          INTEGER NOT NULL,
    escalated          BOOLEAN NOT NULL,
    abandoned          BOOLEAN NOT NULL,
    resolved_given     BOOLEAN,
    resolved           BOOLEAN,
    intent             TEXT,
    intent_confidence  DOUBLE PRECISION,
    cost               BIGINT,
    currency           TEXT,
    csat               SMALLINT,
    nps                SMALLINT,
    ces                SMALLINT,
    sentiment          DOUBLE PRECISION,
    sentiment_change   DOUBLE PRECISION,
    effort             DOUBLE PRECISION,
    qa_score           DOUBLE PRECISION,
    flags              TEXT,
    vulnerable         BOOLEAN,
    turns              INTEGER NOT NULL,
    body               JSON NOT NULL,
    content_hash       BIGINT NOT NULL,
    import_id          BIGINT NOT NULL,
    imported_at        TIMESTAMPTZ NOT NULL
);
CREATE TABLE surveys (
    source          TEXT NOT NULL,
    ext_id          TEXT NOT NULL,
    interaction_id  BIGINT NOT NULL,
    customer_id     BIGINT NOT NULL,
    answered_at     TIMESTAMPTZ NOT NULL,
    csat            SMALLINT,
    nps             SMALLINT,
    ces             SMALLINT,
    comment         TEXT,
    attributes      JSONB,
    content_hash    BIGINT NOT NULL,
    import_id       BIGINT NOT NULL
);
CREATE TABLE imports (
    id           BIGINT NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    origin       TEXT NOT NULL
);
ALTER TABLE customers ADD PRIMARY KEY (id);
CREATE UNIQUE INDEX customers_ext_id ON customers (ext_id) WHERE ext_id IS NOT NULL;
CREATE INDEX identities_seq ON identities (seq);
CREATE INDEX identities_customer ON identities (customer_id);
CREATE INDEX merges_seq ON merges (seq);
CREATE INDEX merges_survivor ON merges (survivor);
CREATE UNIQUE INDEX events_ext_id ON events (ext_id);
CREATE INDEX events_customer ON events (customer_id, occurred_at);
ALTER TABLE interactions ADD PRIMARY KEY (id);
CREATE UNIQUE INDEX interactions_key ON interactions (source, ext_id);
CREATE INDEX interactions_customer ON interactions (customer_id, started_at);
CREATE INDEX interactions_started ON interactions (started_at);
CREATE UNIQUE INDEX surveys_key ON surveys (source, ext_id);
CREATE INDEX surveys_customer ON surveys (customer_id, answered_at);
CREATE INDEX surveys_interaction ON surveys (interaction_id);
