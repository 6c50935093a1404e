package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Reanalyze runs analyze over stored interactions that started at or after
// since (all when since is zero), in batches of batchSize, each replaced in
// one transaction: only the analysis and the (re-)redacted body change; keys,
// ids, hashes and import ids stay. progress is called after each batch.
// Repeat-contact links are recomputed at the end, since intents may change.
func (s *Store) Reanalyze(ctx context.Context, since time.Time, batchSize int, window time.Duration,
	analyze func(*cx.Interaction), progress func(done, total int)) (int, error) {
	if batchSize <= 0 {
		batchSize = 2000
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM interactions WHERE started_at >= $1`, since).Scan(&total); err != nil {
		return 0, fmt.Errorf("reanalyze: %w", err)
	}
	done := 0
	var after int64 = -1
	for {
		n, last, err := s.reanalyzeBatch(ctx, since, after, batchSize, analyze)
		if err != nil {
			return done, err
		}
		if n == 0 {
			break
		}
		done += n
		after = last
		if progress != nil {
			progress(done, total)
		}
	}
	if err := s.Relink(ctx, 0, window); err != nil {
		return done, err
	}
	return done, nil
}

func (s *Store) reanalyzeBatch(ctx context.Context, since time.Time, after int64, limit int, analyze func(*cx.Interaction)) (int, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, last := 0, after
	err := s.tx(ctx, func(c *sql.Conn) error {
		if err := s.eng.lockWriters(ctx, c); err != nil {
			return err
		}
		rows, err := c.QueryContext(ctx, `SELECT id, customer_id, CAST(body AS TEXT), content_hash, import_id, imported_at, repeat_of, repeated, first_contact, fcr
			FROM interactions WHERE id > $1 AND started_at >= $2 ORDER BY id LIMIT $3`, after, since, limit)
		if err != nil {
			return err
		}
		var ids []int64
		var out [][]any
		for rows.Next() {
			var id, cust, hash, importID int64
			var body string
			var at time.Time
			var repeatOf sql.NullInt64
			var repeated, first, fcr sql.NullBool
			if err := rows.Scan(&id, &cust, &body, &hash, &importID, &at, &repeatOf, &repeated, &first, &fcr); err != nil {
				rows.Close()
				return err
			}
			in := &cx.Interaction{}
			if err := json.Unmarshal([]byte(body), in); err != nil {
				rows.Close()
				return fmt.Errorf("interaction %d: stored body: %w", id, err)
			}
			analyze(in)
			row, err := interactionRow(id, cust, &cx.Record{Interaction: in, Hash: uint64(hash)}, importID, at)
			if err != nil {
				rows.Close()
				return err
			}
			copy(row[repeatOfCol:], []any{nullable(repeatOf), nullableBool(repeated), nullableBool(first), nullableBool(fcr)})
			ids = append(ids, id)
			out = append(out, row)
			last = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		n = len(ids)
		if n == 0 {
			return nil
		}
		if _, err := c.ExecContext(ctx, `DELETE FROM interactions WHERE id = ANY($1)`, ids); err != nil {
			return err
		}
		return s.eng.bulkInsert(ctx, c, "interactions", interactionCols, out)
	})
	if err != nil {
		return 0, after, fmt.Errorf("reanalyze: %w", err)
	}
	return n, last, nil
}

// repeatOfCol is where the repeat links start in an interaction row.
var repeatOfCol = slices.Index(interactionCols, "repeat_of")

func nullable(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

func nullableBool(v sql.NullBool) any {
	if !v.Valid {
		return nil
	}
	return v.Bool
}
