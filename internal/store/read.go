package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// CustomerID finds the surviving customer an identity belongs to.
func (s *Store) CustomerID(ctx context.Context, id cx.Identity) (int64, error) {
	var cust int64
	// Identities are stored sealed: look up by blind index, under every key
	// a rotation may have left rows under. Errors name the kind only: they
	// may be logged, and the value is personal data.
	err := s.db.QueryRowContext(ctx, `SELECT customer_id FROM identities WHERE kind = $1 AND bidx = ANY($2) LIMIT 1`,
		string(id.Kind), s.vault().blindAll(id)).Scan(&cust)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, cx.Errorf(cx.ENOTFOUND, "no customer with %s", id)
	}
	if err != nil {
		return 0, fmt.Errorf("find customer by %s: %w", id.Kind, err)
	}
	// Identity rows are re-pointed on merge, but follow merged_into in case a
	// reader raced a merge.
	for range 64 {
		var next sql.NullInt64
		if err := s.db.QueryRowContext(ctx, `SELECT merged_into FROM customers WHERE id = $1`, cust).Scan(&next); err != nil {
			return 0, fmt.Errorf("find customer by %s: %w", id.Kind, err)
		}
		if !next.Valid {
			return cust, nil
		}
		cust = next.Int64
	}
	return 0, fmt.Errorf("find customer by %s: merge chain too long", id.Kind)
}

// Customer returns the customer's profile, identities, merges and value.
// A partner-bound scope sees only customers its agents have handled (others
// are "not found", as if they did not exist) and only the profile and
// identities: merges, attributes and value are the brand's business.
func (s *Store) Customer(ctx context.Context, sc cx.Scope, id int64) (*cx.Customer, error) {
	if err := s.visible(ctx, sc, id); err != nil {
		return nil, err
	}
	c := &cx.Customer{ID: id, Identities: []cx.Identity{}, Merges: []cx.Merge{}}
	var ext, name, seg, region, attrs sql.NullString
	var signup sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT ext_id, name, segment, region, signup_at, CAST(attributes AS TEXT) FROM customers WHERE id = $1`, id).
		Scan(&ext, &name, &seg, &region, &signup, &attrs)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cx.Errorf(cx.ENOTFOUND, "no customer %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("customer %d: %w", id, err)
	}
	c.Segment, c.Region = seg.String, region.String
	if c.ExternalID, err = s.vault().openNull(adCustomerExt, ext); err != nil {
		return nil, fmt.Errorf("customer %d: external id: %w", id, err)
	}
	if c.Name, err = s.vault().openNull(adCustomerName, name); err != nil {
		return nil, fmt.Errorf("customer %d: name: %w", id, err)
	}
	if signup.Valid {
		t := signup.Time.UTC()
		c.SignupAt = &t
	}
	if attrs.Valid {
		_ = json.Unmarshal([]byte(attrs.String), &c.Attributes)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT kind, value FROM identities WHERE customer_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("customer %d identities: %w", id, err)
	}
	for rows.Next() {
		var i cx.Identity
		var kind string
		var sealed string
		if err := rows.Scan(&kind, &sealed); err != nil {
			rows.Close()
			return nil, err
		}
		i.Kind = cx.IdentityKind(kind)
		if i.Value, err = s.vault().open(identityAD(kind), sealed); err != nil {
			rows.Close()
			return nil, fmt.Errorf("customer %d identity: %w", id, err)
		}
		c.Identities = append(c.Identities, i)
	}
	rows.Close()
	if sc.Partner != "" {
		c.Attributes = nil
		c.Value.Status = "unknown"
		return c, nil
	}
	// Merges into this customer, and into customers merged into it.
	rows, err = s.db.QueryContext(ctx, `SELECT merged_at, survivor, merged, kind, value, record FROM merges
		WHERE survivor = $1 OR survivor IN (SELECT id FROM customers WHERE merged_into IS NOT NULL AND id IN (SELECT merged FROM merges WHERE survivor = $1))
		ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("customer %d merges: %w", id, err)
	}
	for rows.Next() {
		var m cx.Merge
		var kind string
		var value, record string
		if err := rows.Scan(&m.At, &m.Survivor, &m.Merged, &kind, &value, &record); err != nil {
			rows.Close()
			return nil, err
		}
		m.At = m.At.UTC()
		m.Identity.Kind = cx.IdentityKind(kind)
		if m.Identity.Value, err = s.vault().open(identityAD(kind), value); err == nil {
			m.Record, err = s.vault().open(adRecord, record)
		}
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("customer %d merge: %w", id, err)
		}
		c.Merges = append(c.Merges, m)
	}
	rows.Close()
	if c.Value, err = s.value(ctx, id, c.SignupAt); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Store) value(ctx context.Context, id int64, signup *time.Time) (cx.Value, error) {
	var v cx.Value
	var cur sql.NullString
	var first, last sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE name = 'order_placed'),
		coalesce(sum(value) FILTER (WHERE name = 'order_placed'), 0),
		coalesce(sum(value) FILTER (WHERE name = 'refund_issued'), 0),
		min(occurred_at) FILTER (WHERE name = 'order_placed'),
		max(occurred_at) FILTER (WHERE name = 'order_placed'),
		max(currency)
		FROM events WHERE customer_id = $1`, id).Scan(&v.Orders, &v.Revenue, &v.Refunds, &first, &last, &cur)
	if err != nil {
		return v, fmt.Errorf("customer %d value: %w", id, err)
	}
	v.Currency = cur.String
	start := signup
	if first.Valid {
		t := first.Time.UTC()
		v.FirstOrderAt = &t
		if start == nil {
			start = &t
		}
	}
	if last.Valid {
		t := last.Time.UTC()
		v.LastOrderAt = &t
	}
	if start != nil {
		v.TenureDays = int(s.now().Sub(*start).Hours() / 24)
	}
	v.Status = "unknown"
	var name string
	var at time.Time
	err = s.db.QueryRowContext(ctx, `SELECT name, occurred_at FROM events WHERE customer_id = $1 AND name LIKE 'subscription_%' ORDER BY occurred_at DESC LIMIT 1`, id).Scan(&name, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if v.Orders > 0 {
			v.Status = "active"
		}
	case err != nil:
		return v, fmt.Errorf("customer %d status: %w", id, err)
	default:
		at = at.UTC()
		v.StatusChanged = &at
		v.Status = map[string]string{cx.SubscriptionStarted: "active", cx.SubscriptionResumed: "active",
			cx.SubscriptionPaused: "paused", cx.SubscriptionCancelled: "cancelled"}[name]
		if v.Status == "" {
			v.Status = "unknown"
		}
	}
	return v, nil
}

// TimelineItem is one thing that happened to a customer, on any channel.
type TimelineItem struct {
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"` // interaction, survey, event
	Ref       string    `json:"ref"`  // source/id for interactions and surveys, id for events
	Channel   string    `json:"channel,omitempty"`
	Name      string    `json:"name,omitempty"` // event name, or interaction intent
	Handler   string    `json:"handler,omitempty"`
	Sentiment *float64  `json:"sentiment,omitempty"`
	Resolved  *bool     `json:"resolved,omitempty"`
	Value     *cx.Money `json:"value,omitempty"`
	CSAT      *int      `json:"csat,omitempty"`
	NPS       *int      `json:"nps,omitempty"`
	Flags     string    `json:"flags,omitempty"`
}

// Timeline is one page of a customer's history in time order.
type Timeline struct {
	Customer int64          `json:"customer"`
	Total    int            `json:"total"`
	Offset   int            `json:"offset"`
	Items    []TimelineItem `json:"items"`
}

// Timeline returns a customer's interactions, surveys and events across
// every channel, oldest first, limit items from offset.
//
// A partner-bound scope sees only the customer's interactions with that
// partner's agents and the surveys about them; no events (orders, value).
func (s *Store) Timeline(ctx context.Context, sc cx.Scope, customer int64, offset, limit int) (*Timeline, error) {
	if err := s.visible(ctx, sc, customer); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	const union = `
		SELECT started_at AS happened_at, 'interaction' AS kind, source || '/' || ext_id AS ref, channel, intent AS name, handler,
		       sentiment, resolved, CAST(NULL AS BIGINT) AS value, CAST(csat AS INTEGER) AS csat, CAST(nps AS INTEGER) AS nps, flags
		  FROM interactions WHERE customer_id = $1 AND ($2 = '' OR partner = $2)
		UNION ALL
		SELECT answered_at, 'survey', source || '/' || ext_id, NULL, NULL, NULL, NULL, NULL, NULL, CAST(csat AS INTEGER), CAST(nps AS INTEGER), NULL
		  FROM surveys WHERE customer_id = $1 AND ($2 = '' OR interaction_id IN (SELECT id FROM interactions WHERE customer_id = $1 AND partner = $2))
		UNION ALL
		SELECT occurred_at, 'event', ext_id, NULL, name, NULL, NULL, NULL, value, NULL, NULL, NULL
		  FROM events WHERE customer_id = $1 AND $2 = ''`
	t := &Timeline{Customer: customer, Offset: offset, Items: []TimelineItem{}}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (`+union+`) u`, customer, sc.Partner).Scan(&t.Total); err != nil {
		return nil, fmt.Errorf("timeline of customer %d: %w", customer, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT * FROM (`+union+`) u ORDER BY happened_at, kind, ref LIMIT $3 OFFSET $4`, customer, sc.Partner, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("timeline of customer %d: %w", customer, err)
	}
	defer rows.Close()
	for rows.Next() {
		var it TimelineItem
		var channel, name, handler, flags sql.NullString
		var sent sql.NullFloat64
		var resolved sql.NullBool
		var value, csat, nps sql.NullInt64
		if err := rows.Scan(&it.At, &it.Kind, &it.Ref, &channel, &name, &handler, &sent, &resolved, &value, &csat, &nps, &flags); err != nil {
			return nil, err
		}
		it.At = it.At.UTC()
		it.Channel, it.Name, it.Handler, it.Flags = channel.String, name.String, handler.String, flags.String
		if sent.Valid {
			it.Sentiment = &sent.Float64
		}
		if resolved.Valid {
			it.Resolved = &resolved.Bool
		}
		if value.Valid {
			m := cx.Money(value.Int64)
			it.Value = &m
		}
		if csat.Valid {
			n := int(csat.Int64)
			it.CSAT = &n
		}
		if nps.Valid {
			n := int(nps.Int64)
			it.NPS = &n
		}
		t.Items = append(t.Items, it)
	}
	return t, rows.Err()
}

// Interaction returns one interaction whole, as stored (redacted, analysed).
// Outside the scope it is "not found", exactly as if it did not exist, so
// guessing ids reveals nothing.
func (s *Store) Interaction(ctx context.Context, sc cx.Scope, k cx.Key) (*cx.Interaction, error) {
	if !validScope(sc) || strings.ContainsRune(k.Source+k.ID, 0) {
		// PostgreSQL refuses NUL in text; no stored key holds one.
		return nil, cx.Errorf(cx.ENOTFOUND, "no interaction %s", k)
	}
	var body string
	var cust int64
	err := s.db.QueryRowContext(ctx, `SELECT CAST(body AS TEXT), customer_id FROM interactions WHERE source = $1 AND ext_id = $2 AND ($3 = '' OR partner = $3)`, k.Source, k.ID, sc.Partner).Scan(&body, &cust)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cx.Errorf(cx.ENOTFOUND, "no interaction %s", k)
	}
	if err != nil {
		return nil, fmt.Errorf("interaction %s: %w", k, err)
	}
	in := &cx.Interaction{}
	if err := json.Unmarshal([]byte(body), in); err != nil {
		return nil, fmt.Errorf("interaction %s: stored body: %w", k, err)
	}
	in.CustomerID = cust // merges re-point the column, not the body
	return in, nil
}

// Counts returns the number of rows of each kind (for summaries and health).
func (s *Store) Counts(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	for _, q := range []struct{ name, sql string }{
		{"customers", `SELECT count(*) FROM customers WHERE merged_into IS NULL`},
		{"merged_customers", `SELECT count(*) FROM customers WHERE merged_into IS NOT NULL`},
		{"identities", `SELECT count(*) FROM identities`},
		{"events", `SELECT count(*) FROM events`},
		{"interactions", `SELECT count(*) FROM interactions`},
		{"surveys", `SELECT count(*) FROM surveys`},
	} {
		var n int64
		if err := s.db.QueryRowContext(ctx, q.sql).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", q.name, err)
		}
		out[q.name] = n
	}
	return out, nil
}

// validScope reports whether sc can be bound as a query argument. A partner
// holding a NUL byte (auth.NoAccess, the scope of a request without a
// principal) matches nothing, and PostgreSQL refuses NUL in text, so reads
// answer "not found" for it without asking the database.
func validScope(sc cx.Scope) bool { return !strings.ContainsRune(sc.Partner, 0) }

// visible checks that a partner-bound scope may see the customer: its
// agents handled at least one of their contacts. Not visible is "not found",
// the same answer as for a customer that does not exist.
func (s *Store) visible(ctx context.Context, sc cx.Scope, customer int64) error {
	if sc.Partner == "" {
		return nil
	}
	if validScope(sc) {
		var ok bool
		err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM interactions WHERE customer_id = $1 AND partner = $2)`, customer, sc.Partner).Scan(&ok)
		if err != nil {
			return fmt.Errorf("customer %d: scope: %w", customer, err)
		}
		if ok {
			return nil
		}
	}
	return cx.Errorf(cx.ENOTFOUND, "no customer %d", customer)
}
