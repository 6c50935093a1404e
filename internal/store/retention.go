package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// Retention per channel.
//
// A rule "voice: 90" means a voice contact's content is kept 90 days from
// when it started. After that the contact is not deleted outright: its fact
// row stays, because every metric over past periods (volumes, handle time,
// CSAT, resolution, cost, repeat contacts …) counts it, and deleting it would
// silently change last quarter's numbers. What goes is what a person said
// and anything free-text: the transcript (turns), tags and attributes of the
// stored body, and the comment and attributes of surveys about the contact.
// The body is marked (attributes.northstar_purged = "retention") so a
// purged contact reads as such, and each run skips contacts already purged.

// RetentionResult is what one rule did (or, dry, would do).
type RetentionResult struct {
	Channel      string    `json:"channel"`
	Days         int       `json:"days"`
	Before       time.Time `json:"before"`       // contacts started before this are purged
	Interactions int       `json:"interactions"` // transcripts removed
	Surveys      int       `json:"surveys"`      // survey comments removed
}

// ApplyRetention purges contacts older than each channel's rule (days), in
// batches of one transaction each. With dryRun it only counts.
func (s *Store) ApplyRetention(ctx context.Context, rules map[string]int, dryRun bool) ([]RetentionResult, error) {
	channels := make([]string, 0, len(rules))
	for ch := range rules {
		channels = append(channels, ch)
	}
	sort.Strings(channels)
	now := s.now().UTC()
	var out []RetentionResult
	const notPurged = `CAST(body AS TEXT) NOT LIKE '%"` + Purged + `"%'`
	for _, ch := range channels {
		days := rules[ch]
		if days <= 0 {
			return out, fmt.Errorf("retention for %s: want a positive number of days, got %d", ch, days)
		}
		res := RetentionResult{Channel: ch, Days: days, Before: now.AddDate(0, 0, -days)}
		if dryRun {
			err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM interactions WHERE channel = $1 AND started_at < $2 AND `+notPurged, ch, res.Before).Scan(&res.Interactions)
			if err == nil {
				err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM surveys WHERE (comment IS NOT NULL OR attributes IS NOT NULL) AND interaction_id IN
					(SELECT id FROM interactions WHERE channel = $1 AND started_at < $2)`, ch, res.Before).Scan(&res.Surveys)
			}
			if err != nil {
				return out, fmt.Errorf("retention for %s: %w", ch, err)
			}
			out = append(out, res)
			continue
		}
		for {
			var n, sv int
			err := func() error {
				s.mu.Lock()
				defer s.mu.Unlock()
				return s.tx(ctx, func(c *sql.Conn) error {
					if err := s.eng.lockWriters(ctx, c); err != nil {
						return err
					}
					var err error
					n, err = s.purgeBodies(ctx, c, `SELECT id, CAST(body AS TEXT) FROM interactions WHERE channel = $1 AND started_at < $2 AND `+notPurged+` ORDER BY id LIMIT 2000`,
						[]any{ch, res.Before}, "retention", now)
					if err != nil {
						return err
					}
					r, err := c.ExecContext(ctx, `UPDATE surveys SET comment = NULL, attributes = NULL WHERE (comment IS NOT NULL OR attributes IS NOT NULL) AND interaction_id IN
						(SELECT id FROM interactions WHERE channel = $1 AND started_at < $2)`, ch, res.Before)
					if err != nil {
						return fmt.Errorf("remove survey comments: %w", err)
					}
					m, _ := r.RowsAffected()
					sv = int(m)
					return nil
				})
			}()
			if err != nil {
				return out, fmt.Errorf("retention for %s (what ran before stays applied; run again to continue): %w", ch, err)
			}
			res.Interactions += n
			res.Surveys += sv
			if n == 0 {
				break
			}
		}
		out = append(out, res)
	}
	if !dryRun {
		purged := 0
		for _, r := range out {
			purged += r.Interactions + r.Surveys
		}
		if purged > 0 {
			if err := s.Compact(ctx, false); err != nil {
				return out, fmt.Errorf("retention applied; compacting the database failed: %w", err)
			}
			if err := s.noteRewrite(); err != nil {
				return out, fmt.Errorf("retention applied, but %w", err)
			}
		}
	}
	return out, nil
}
