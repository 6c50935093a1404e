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
	// The journey part of effort: earlier contacts for the same intent within
	// the window (on any channel), and how many other channels they used.
	// Contacts without a known intent have no journey.
	jScope, jArgs := `TRUE`, []any{args[0], s.effort.Switch, scale(s.effort.SwitchScale), s.effort.Repeat, scale(s.effort.RepeatScale)}
	if importID > 0 {
		jScope = `c.customer_id IN (SELECT DISTINCT customer_id FROM interactions WHERE import_id = $6)`
		jArgs = append(jArgs, importID)
	}
	journey := `UPDATE interactions SET prior_contacts = j.prior, channel_switches = j.switches,
		effort = interactions.contact_effort
			+ CAST($2 AS DOUBLE PRECISION) * (1 - exp(-j.switches / CAST($3 AS DOUBLE PRECISION)))
			+ CAST($4 AS DOUBLE PRECISION) * (1 - exp(-j.prior / CAST($5 AS DOUBLE PRECISION)))
	FROM (
		SELECT c.id, count(p.id) AS prior, count(DISTINCT CASE WHEN p.channel <> c.channel THEN p.channel END) AS switches
		FROM interactions c
		LEFT JOIN interactions p ON p.customer_id = c.customer_id AND p.intent = c.intent
			AND c.intent IS NOT NULL AND c.intent <> 'unknown'
			AND (p.started_at < c.started_at OR (p.started_at = c.started_at
				AND (p.source < c.source OR (p.source = c.source AND p.ext_id < c.ext_id))))
			AND ` + gap("p.started_at", "c.started_at") + ` <= $1
		WHERE ` + jScope + `
		GROUP BY c.id
	) j
	WHERE interactions.id = j.id`
	return s.tx(ctx, func(c *sql.Conn) error {
		if err := s.eng.lockWriters(ctx, c); err != nil {
			return err
		}
		if _, err := c.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("link repeat contacts: %w", err)
		}
		if _, err := c.ExecContext(ctx, journey, jArgs...); err != nil {
			return fmt.Errorf("journey effort: %w", err)
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
