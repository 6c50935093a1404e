-- Human QA reviews, compared with the automatic scorecard results.
CREATE TABLE qa_reviews (
    ext_id          TEXT NOT NULL,
    interaction_id  BIGINT NOT NULL,
    reviewer        TEXT,
    reviewed_at     TIMESTAMPTZ NOT NULL,
    score           DOUBLE PRECISION,
    criteria        JSONB,
    content_hash    BIGINT NOT NULL,
    import_id       BIGINT NOT NULL
);
CREATE UNIQUE INDEX qa_reviews_ext_id ON qa_reviews (ext_id);
CREATE INDEX qa_reviews_interaction ON qa_reviews (interaction_id);
