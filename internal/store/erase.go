package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Erasure of one customer ("right to be forgotten").
//
// Erase removes everything that says who the customer is or what they said,
// and keeps the facts that aggregates count, anonymous:
//   - identities and merge history: deleted (values and blind indexes);
//   - the customer row: name, external id and attributes cleared; the row
//     stays (segment, region, signup date — coarse, not identifying) so
//     customer counts, tenure and value keep adding up;
//   - interactions: the transcript (turns), tags, attributes and the survey
//     comment are dropped from the stored body; every fact column (channel, times, handle time,
//     sentiment, intent, resolution, QA score …) stays, so every metric over
//     past periods is unchanged;
//   - surveys: the free-text comment and attributes are cleared, scores stay;
//   - events: attributes are cleared, name, time and value stay.
//
// The customers merged into the erased one are erased with it. Afterwards
// the database files are compacted (DuckDB CHECKPOINT, PostgreSQL VACUUM
// FULL of the identity tables, VACUUM of the rest) so that deleted values do
// not linger in free pages.

// Purged marks an interaction body whose transcript was removed, by
// erasure or retention; it is stored in the body's attributes.
const Purged = "northstar_purged"

// Erasure reports what Erase removed: counts only, never personal data.
type Erasure struct {
	Customer     int64     `json:"customer"`
	At           time.Time `json:"at"`
	Customers    int       `json:"customers"` // the customer and those merged into it
	Identities   int       `json:"identities"`
	Merges       int       `json:"merges"`
	Interactions int       `json:"interactions"`
	Surveys      int       `json:"surveys"`
	Events       int       `json:"events"`
}

// Erase erases a customer (a surviving id, as CustomerID returns).
func (s *Store) Erase(ctx context.Context, customer int64) (*Erasure, error) {
	e := &Erasure{Customer: customer, At: s.now().UTC()}
	err := func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.tx(ctx, func(c *sql.Conn) error {
			if err := s.eng.lockWriters(ctx, c); err != nil {
				return err
			}
			ids, err := mergedFamily(ctx, c, customer)
			if err != nil {
				return err
			}
			e.Customers = len(ids)
			exec := func(what, q string, args ...any) (int, error) {
				res, err := c.ExecContext(ctx, q, args...)
				if err != nil {
					return 0, fmt.Errorf("erase %s: %w", what, err)
				}
				n, _ := res.RowsAffected()
				return int(n), nil
			}
			// Overwrite before deleting: DuckDB keeps deleted rows in their
			// row group (only marked deleted) until it is rewritten, while an
			// update rewrites the column at the next checkpoint.
			if _, err = exec("identities", `UPDATE identities SET value = '', bidx = '', record = '' WHERE customer_id = ANY($1)`, ids); err != nil {
				return err
			}
			if e.Identities, err = exec("identities", `DELETE FROM identities WHERE customer_id = ANY($1)`, ids); err != nil {
				return err
			}
			if _, err = exec("merges", `UPDATE merges SET value = '', record = '' WHERE survivor = ANY($1) OR merged = ANY($1)`, ids); err != nil {
				return err
			}
			if e.Merges, err = exec("merges", `DELETE FROM merges WHERE survivor = ANY($1) OR merged = ANY($1)`, ids); err != nil {
				return err
			}
			if _, err = exec("customer profile", `UPDATE customers SET ext_id = NULL, name = NULL, attributes = NULL, content_hash = NULL, updated_at = $2 WHERE id = ANY($1)`, ids, e.At); err != nil {
				return err
			}
			if e.Surveys, err = exec("survey comments", `UPDATE surveys SET comment = NULL, attributes = NULL
				WHERE customer_id = ANY($1) OR interaction_id IN (SELECT id FROM interactions WHERE customer_id = ANY($1))`, ids); err != nil {
				return err
			}
			if e.Events, err = exec("event attributes", `UPDATE events SET attributes = NULL WHERE customer_id = ANY($1)`, ids); err != nil {
				return err
			}
			if e.Interactions, err = s.purgeBodies(ctx, c, `SELECT id, CAST(body AS TEXT) FROM interactions WHERE customer_id = ANY($1)`, []any{ids}, "erasure", e.At); err != nil {
				return err
			}
			_, err = exec("record", `INSERT INTO erasures (customer_id, erased_at, customers, identities, interactions, surveys, events) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				customer, e.At, e.Customers, e.Identities, e.Interactions, e.Surveys, e.Events)
			return err
		})
	}()
	if err != nil {
		return nil, fmt.Errorf("erase customer %d: %w", customer, err)
	}
	s.mu.Lock()
	s.index = nil // its identities are gone
	s.mu.Unlock()
	if err := s.noteRewrite(); err != nil {
		return e, fmt.Errorf("erase customer %d: erased, but %w", customer, err)
	}
	if err := s.Compact(ctx, true); err != nil {
		return e, fmt.Errorf("erase customer %d: erased, but compacting the database failed (run `northstar erase` again or compact by hand): %w", customer, err)
	}
	return e, nil
}

// mergedFamily is the customer and every customer merged into it, directly
// or through others.
func mergedFamily(ctx context.Context, c *sql.Conn, customer int64) ([]int64, error) {
	var exists int
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE id = $1`, customer).Scan(&exists); err != nil {
		return nil, fmt.Errorf("find customer: %w", err)
	}
	if exists == 0 {
		return nil, cx.Errorf(cx.ENOTFOUND, "no customer %d", customer)
	}
	ids := []int64{customer}
	seen := map[int64]bool{customer: true}
	frontier := ids
	for len(frontier) > 0 {
		rows, err := c.QueryContext(ctx, `SELECT id FROM customers WHERE merged_into = ANY($1)`, frontier)
		if err != nil {
			return nil, fmt.Errorf("find merged customers: %w", err)
		}
		frontier = nil
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
				frontier = append(frontier, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// purgeBodies drops the transcript, tags and attributes from the bodies q
// selects (id, body), marking each as purged by why. It returns how many
// bodies it changed.
func (s *Store) purgeBodies(ctx context.Context, c *sql.Conn, q string, args []any, why string, at time.Time) (int, error) {
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("read transcripts: %w", err)
	}
	var keys []int64
	var bodies []string
	for rows.Next() {
		var id int64
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			rows.Close()
			return 0, err
		}
		in := &cx.Interaction{}
		if err := json.Unmarshal([]byte(body), in); err != nil {
			rows.Close()
			return 0, fmt.Errorf("interaction %d: stored body: %w", id, err)
		}
		in.Turns, in.Tags = nil, nil
		if in.Survey != nil {
			in.Survey.Comment = ""
		}
		in.Attributes = map[string]any{Purged: why, Purged + "_at": at.Format(time.RFC3339)}
		b, err := cx.StoredBody(in)
		if err != nil {
			rows.Close()
			return 0, err
		}
		keys, bodies = append(keys, id), append(bodies, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(keys) == 0 {
		return 0, nil
	}
	if _, err := c.ExecContext(ctx, s.zipUpdate("interactions", "id", []string{"body"}, false, map[string]string{"body": "json"}), keys, bodies); err != nil {
		return 0, fmt.Errorf("remove transcripts: %w", err)
	}
	return len(keys), nil
}

// Compact makes deleted and overwritten values leave the database files:
// DuckDB rewrites changed blocks at a checkpoint; PostgreSQL's VACUUM frees
// dead rows, and VACUUM FULL (full) rewrites the small identity tables so
// nothing of a deleted identity stays in their files.
func (s *Store) Compact(ctx context.Context, full bool) error {
	if s.eng.name() == "duckdb" {
		// No writer of this process may be in a transaction during the
		// checkpoint (and FORCE CHECKPOINT would abort it): hold the lock.
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, err := s.db.ExecContext(ctx, `CHECKPOINT`); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		return nil
	}
	stmts := []string{`VACUUM interactions`, `VACUUM surveys`, `VACUUM events`}
	if full {
		stmts = append(stmts, `VACUUM FULL identities`, `VACUUM FULL merges`, `VACUUM FULL customers`)
	} else {
		stmts = append(stmts, `VACUUM identities`, `VACUUM merges`, `VACUUM customers`)
	}
	for _, q := range stmts {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// CompactFile rewrites a DuckDB database, which must not be open, into a
// new file and puts it in the old one's place. DuckDB never overwrites the
// blocks a checkpoint frees, so values overwritten or deleted (an erased
// customer's ciphertexts and blind indexes, purged transcripts) stay in the
// file until those blocks are reused; a copy holds only live data. It takes
// about as long as reading the database once, and needs that much free disk.
func CompactFile(ctx context.Context, dsn string) error {
	path, ok := strings.CutPrefix(dsn, "duckdb:")
	if !ok {
		return nil // PostgreSQL: VACUUM FULL in Compact does this per table
	}
	tmp := path + ".compact"
	for _, p := range []string{tmp, tmp + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("compact %s: %w", path, err)
		}
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("compact %s: %w", path, err)
	}
	defer db.Close()
	c, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("compact %s: %w", path, err)
	}
	defer c.Close()
	for _, q := range []string{
		// Fold any write-ahead log into the file first, so the copy and the
		// file it replaces agree and no stale log is left beside it.
		`ATTACH ` + sqlString(path) + ` AS ns_src`,
		`CHECKPOINT ns_src`,
		`DETACH ns_src`,
		`ATTACH ` + sqlString(path) + ` AS ns_src (READ_ONLY)`,
		`ATTACH ` + sqlString(tmp) + ` AS ns_dst`,
		`COPY FROM DATABASE ns_src TO ns_dst`,
		`DETACH ns_dst`,
		`DETACH ns_src`,
	} {
		if _, err := c.ExecContext(ctx, q); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("compact %s (%s): %w", path, q, err)
		}
	}
	if fi, err := os.Stat(path); err == nil {
		_ = os.Chmod(tmp, fi.Mode().Perm())
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact %s: %w", path, err)
	}
	if err := os.Remove(path + ".wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("compact %s: %w", path, err)
	}
	if err := os.Remove(path + compactMarker); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("compact %s: %w", path, err)
	}
	return nil
}

// compactMarker, beside a DuckDB file, says an erasure happened since the
// file was last rewritten.
const compactMarker = ".compact-pending"

// CompactPending rewrites a DuckDB file before it is opened when an
// erasure asked for it (through a server, which cannot rewrite the file it
// holds open).
func CompactPending(ctx context.Context, dsn string) error {
	path := strings.TrimPrefix(dsn, "duckdb:")
	if _, err := os.Stat(path + compactMarker); err != nil {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return os.Remove(path + compactMarker)
	}
	if err := CompactFile(ctx, dsn); err != nil {
		return fmt.Errorf("rewrite the database file after an erasure: %w (remove %s to open it without)", err, path+compactMarker)
	}
	return nil
}

// noteRewrite records that a DuckDB file holds removed values in freed
// blocks until it is rewritten: CompactFile, which the next Open runs when
// it sees the note.
func (s *Store) noteRewrite() error {
	path, ok := strings.CutPrefix(s.dsn, "duckdb:")
	if !ok {
		return nil
	}
	if err := os.WriteFile(path+compactMarker, []byte("values removed since the last rewrite of the database file\n"), 0o600); err != nil {
		return fmt.Errorf("could not note the file rewrite it needs: %w", err)
	}
	return nil
}
