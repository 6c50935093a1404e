package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/northstar-cx/northstar/internal/cx"
)

// ReviewedQA returns every imported human QA review with the automatic QA
// result of the interaction it reviewed, keyed by "source/id" (nil results
// where the interaction was stored without QA scoring).
func (s *Store) ReviewedQA(ctx context.Context) ([]cx.QAReview, map[string]*cx.QAResult, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.ext_id, i.source, i.ext_id, r.reviewer, r.reviewed_at, r.score, CAST(r.criteria AS TEXT), CAST(i.body AS TEXT)
		FROM qa_reviews r JOIN interactions i ON i.id = r.interaction_id ORDER BY r.ext_id`)
	if err != nil {
		return nil, nil, fmt.Errorf("QA reviews: %w", err)
	}
	defer rows.Close()
	var reviews []cx.QAReview
	auto := map[string]*cx.QAResult{}
	for rows.Next() {
		var r cx.QAReview
		var reviewer sql.NullString
		var score sql.NullFloat64
		var crit, body string
		if err := rows.Scan(&r.ID, &r.Interaction.Source, &r.Interaction.ID, &reviewer, &r.At, &score, &crit, &body); err != nil {
			return nil, nil, err
		}
		r.Reviewer = reviewer.String
		if score.Valid {
			r.Score = &score.Float64
		}
		if err := json.Unmarshal([]byte(crit), &r.Criteria); err != nil {
			return nil, nil, fmt.Errorf("QA review %s: %w", r.ID, err)
		}
		var in cx.Interaction
		if err := json.Unmarshal([]byte(body), &in); err != nil {
			return nil, nil, fmt.Errorf("interaction %s: %w", r.Interaction, err)
		}
		if in.Analysis != nil {
			auto[r.Interaction.String()] = in.Analysis.QA
		}
		reviews = append(reviews, r)
	}
	return reviews, auto, rows.Err()
}
