-- The system of record and analytical facts, embedded engine.
-- DuckDB keeps no secondary indexes here: scans over compressed columns are
-- faster than ART lookups at these sizes, and ingest stays fast.
-- Attributes and bodies are JSON text in VARCHAR columns: the appender would
-- encode a Go string bound to a JSON column as a JSON string.
CREATE TABLE customers (
    id            BIGINT NOT NULL,
    ext_id        VARCHAR,
    name          VARCHAR,
    segment       VARCHAR,
    region        VARCHAR,
    signup_at     TIMESTAMPTZ,
    attributes    VARCHAR,
    content_hash  BIGINT,
    merged_into   BIGINT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE TABLE identities (
    seq          BIGINT NOT NULL,
    kind         VARCHAR NOT NULL,
    value        VARCHAR NOT NULL,
    customer_id  BIGINT NOT NULL,
    added_at     TIMESTAMPTZ NOT NULL,
    record       VARCHAR NOT NULL
);
CREATE TABLE merges (
    seq       BIGINT NOT NULL,
    merged_at TIMESTAMPTZ NOT NULL,
    survivor  BIGINT NOT NULL,
    merged    BIGINT NOT NULL,
    kind      VARCHAR NOT NULL,
    value     VARCHAR NOT NULL,
    record    VARCHAR NOT NULL
);
CREATE TABLE events (
    ext_id        VARCHAR NOT NULL,
    customer_id   BIGINT NOT NULL,
    name          VARCHAR NOT NULL,
    occurred_at   TIMESTAMPTZ NOT NULL,
    value         BIGINT,
    currency      VARCHAR,
    attributes    VARCHAR,
    content_hash  BIGINT NOT NULL,
    import_id     BIGINT NOT NULL
);
CREATE TABLE interactions (
    id                 BIGINT NOT NULL,
    source             VARCHAR NOT NULL,
    ext_id             VARCHAR NOT NULL,
    customer_id        BIGINT NOT NULL,
    channel            VARCHAR NOT NULL,
    journey_stage      VARCHAR,
    queue              VARCHAR,
    handler            VARCHAR NOT NULL,
    agent_id           VARCHAR,
    team               VARCHAR,
    partner            VARCHAR,
    started_at         TIMESTAMPTZ NOT NULL,
    ended_at           TIMESTAMPTZ,
    wait_seconds       INTEGER NOT NULL,
    handle_seconds     INTEGER NOT NULL,
    transfers          INTEGER NOT NULL,
    escalated          BOOLEAN NOT NULL,
    abandoned          BOOLEAN NOT NULL,
    resolved_given     BOOLEAN,
    resolved           BOOLEAN,
    intent             VARCHAR,
    intent_confidence  DOUBLE,
    cost               BIGINT,
    currency           VARCHAR,
    csat               SMALLINT,
    nps                SMALLINT,
    ces                SMALLINT,
    sentiment          DOUBLE,
    sentiment_change   DOUBLE,
    effort             DOUBLE,
    qa_score           DOUBLE,
    flags              VARCHAR,
    vulnerable         BOOLEAN,
    turns              INTEGER NOT NULL,
    body               VARCHAR NOT NULL,
    content_hash       BIGINT NOT NULL,
    import_id          BIGINT NOT NULL,
    imported_at        TIMESTAMPTZ NOT NULL
);
CREATE TABLE surveys (
    source          VARCHAR NOT NULL,
    ext_id          VARCHAR NOT NULL,
    interaction_id  BIGINT NOT NULL,
    customer_id     BIGINT NOT NULL,
    answered_at     TIMESTAMPTZ NOT NULL,
    csat            SMALLINT,
    nps             SMALLINT,
    ces             SMALLINT,
    comment         VARCHAR,
    attributes      VARCHAR,
    content_hash    BIGINT NOT NULL,
    import_id       BIGINT NOT NULL
);
CREATE TABLE imports (
    id           BIGINT NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    origin       VARCHAR NOT NULL
);
