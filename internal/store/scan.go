package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// StoredInteractions returns up to limit stored interactions (as stored:
// redacted and analysed) that started at or after since, oldest first.
func (s *Store) StoredInteractions(ctx context.Context, since time.Time, limit int) ([]*cx.Interaction, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT CAST(body AS TEXT) FROM interactions WHERE started_at >= $1
		ORDER BY started_at, source, ext_id LIMIT $2`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("read interactions: %w", err)
	}
	defer rows.Close()
	var out []*cx.Interaction
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		in := &cx.Interaction{}
		if err := json.Unmarshal([]byte(body), in); err != nil {
			return nil, fmt.Errorf("read interactions: stored body: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// ReviewIDs returns the ids of stored QA reviews that start with prefix.
func (s *Store) ReviewIDs(ctx context.Context, prefix string) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ext_id FROM qa_reviews WHERE starts_with(ext_id, $1)`, prefix)
	if err != nil {
		return nil, fmt.Errorf("read QA review ids: %w", err)
	}
	defer rows.Close()
	ids := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids[id] = true
	}
	return ids, rows.Err()
}
