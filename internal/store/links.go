package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Relink recomputes repeat-contact links for every customer an import
// touched (importID > 0) or for all customers (importID == 0): a contact is
// repeated when the same customer contacts again with the same intent within
// the window, on any channel; a first contact has no such contact in the
// window before it; FCR is a resolved first contact that was not repeated.
// Contacts without a known intent get no links. Earlier contacts are updated
// when a later one arrives, which is why this runs after each import.
func (s *Store) Relink(ctx context.Context, importID int64, window time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope := `TRUE`
	args := []any{int64(window / time.Second)}
	if importID > 0 {
		scope = `customer_id IN (SELECT DISTINCT customer_id FROM interactions WHERE import_id = $2)`
		args = append(args, importID)
	}
	gap := s.eng.secondsBetween
	q := `UPDATE interactions SET
		repeat_of = l.repeat_of, repeated = l.repeated, first_contact = l.first_contact,
		fcr = l.first_contact AND coalesce(interactions.resolved, FALSE) AND NOT l.repeated
	FROM (
		SELECT id,
			CASE WHEN prev_at IS NOT NULL AND ` + gap("prev_at", "started_at") + ` <= $1 THEN prev_id END AS repeat_of,
			coalesce(next_at IS NOT NULL AND ` + gap("started_at", "next_at") + ` <= $1, FALSE) AS repeated,
			NOT coalesce(prev_at IS NOT NULL AND ` + gap("prev_at", "started_at") + ` <= $1, FALSE) AS first_contact
		FROM (
			SELECT id, started_at,
				lag(started_at) OVER w AS prev_at, lag(id) OVER w AS prev_id, lead(started_at) OVER w AS next_at
			FROM interactions
			WHERE intent IS NOT NULL AND intent <> 'unknown' AND ` + scope + `
			WINDOW w AS (PARTITION BY customer_id, intent ORDER BY started_at, source, ext_id)
		) o
	) l
	WHERE interactions.id = l.id`
	return s.tx(ctx, func(c *sql.Conn) error {
		if err := s.eng.lockWriters(ctx, c); err != nil {
			return err
		}
		if _, err := c.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("link repeat contacts: %w", err)
		}
		return nil
	})
}
