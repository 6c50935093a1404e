package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"
)

// Relink recomputes repeat-contact links for every customer an import
// touched (importID > 0) or for all customers (importID == 0): a contact is
// repeated when the same customer contacts again with the same intent within
// the window, on any channel; a first contact has no such contact in the
// window before it; FCR is a resolved first contact that was not repeated.
// It also prices the journey into effort: the earlier contacts for the same
// intent within the window (prior_contacts) and the other channels they used
// (channel_switches) are added to the contact's own effort (EffortTerms).
// Contacts without a known intent get no links and no journey. Earlier
// contacts are updated when a later one arrives, which is why this runs
// after each import.
func (s *Store) Relink(ctx context.Context, importID int64, window time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope := `TRUE`
	args := []any{int64(window / time.Second), s.effort.Switch, scale(s.effort.SwitchScale), s.effort.Repeat, scale(s.effort.RepeatScale)}
	if importID > 0 {
		scope = `customer_id IN (SELECT DISTINCT customer_id FROM interactions WHERE import_id = $6)`
		args = append(args, importID)
	}
	gap := s.eng.secondsBetween
	// o numbers each customer's contacts per intent in time order; the
	// journey self-join uses that order rather than comparing timestamps and
	// keys, which keeps it a hash join.
	q := `UPDATE interactions SET
		repeat_of = l.repeat_of, repeated = l.repeated, first_contact = l.first_contact,
		fcr = l.first_contact AND coalesce(interactions.resolved, FALSE) AND NOT l.repeated,
		prior_contacts = l.prior, channel_switches = l.switches,
		effort = interactions.contact_effort
			+ CAST($2 AS DOUBLE PRECISION) * (1 - exp(-l.switches / CAST($3 AS DOUBLE PRECISION)))
			+ CAST($4 AS DOUBLE PRECISION) * (1 - exp(-l.prior / CAST($5 AS DOUBLE PRECISION)))
	FROM (
		WITH o AS (
			SELECT id, customer_id, intent, channel, started_at, row_number() OVER w AS rn,
				lag(started_at) OVER w AS prev_at, lag(id) OVER w AS prev_id, lead(started_at) OVER w AS next_at
			FROM interactions
			WHERE intent IS NOT NULL AND intent <> 'unknown' AND ` + scope + `
			WINDOW w AS (PARTITION BY customer_id, intent ORDER BY started_at, source, ext_id)
		), j AS (
			SELECT c.id, count(*) AS prior, count(DISTINCT p.channel) FILTER (WHERE p.channel <> c.channel) AS switches
			FROM o c JOIN o p ON p.customer_id = c.customer_id AND p.intent = c.intent AND p.rn < c.rn
			WHERE p.started_at >= c.started_at - CAST($1 AS BIGINT) * INTERVAL '1 second'
			GROUP BY c.id
		)
		SELECT o.id,
			CASE WHEN prev_at IS NOT NULL AND ` + gap("prev_at", "o.started_at") + ` <= $1 THEN prev_id END AS repeat_of,
			coalesce(next_at IS NOT NULL AND ` + gap("o.started_at", "next_at") + ` <= $1, FALSE) AS repeated,
			NOT coalesce(prev_at IS NOT NULL AND ` + gap("prev_at", "o.started_at") + ` <= $1, FALSE) AS first_contact,
			coalesce(j.prior, 0) AS prior, coalesce(j.switches, 0) AS switches
		FROM o LEFT JOIN j ON j.id = o.id
	) l
	WHERE interactions.id = l.id`
	// Its callers run it once their workers are done (1.5 → 0.9 s at 1M
	// contacts with DuckDB's threads).
	defer s.allThreads(ctx)()
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

// scale keeps a saturation scale positive, as the effort index does.
func scale(v float64) float64 {
	if !(v > 0) || math.IsInf(v, 0) {
		return 1
	}
	return v
}
