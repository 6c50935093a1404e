-- Human QA reviews, compared with the automatic scorecard results.
CREATE TABLE qa_reviews (
    ext_id          VARCHAR NOT NULL,
    interaction_id  BIGINT NOT NULL,
    reviewer        VARCHAR,
    reviewed_at     TIMESTAMPTZ NOT NULL,
    score           DOUBLE,
    criteria        VARCHAR,
    content_hash    BIGINT NOT NULL,
    import_id       BIGINT NOT NULL
);
