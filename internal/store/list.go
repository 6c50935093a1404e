package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// This file holds the scoped reads the dashboard needs: a filtered,
// paginated interaction list, one interaction with its repeat-contact links,
// the facet values for filter pickers and recent QA results. Every one
// takes a cx.Scope and applies it in SQL, so a partner-bound principal can
// never page, guess or link its way into another partner's rows.

// ListFilter selects interactions. Zero fields do not filter.
type ListFilter struct {
	Channels   []string
	Intents    []string
	Handler    string // bot or human
	Partners   []string
	Teams      []string
	Agents     []string
	Queues     []string
	Stages     []string
	Flags      []string // every one of these flags must be present
	Customer   int64
	Resolved   *bool
	Repeated   *bool
	Vulnerable *bool
	Escalated  *bool
	Abandoned  *bool
	SentMin    *float64 // inclusive, −1…1
	SentMax    *float64
	QAMin      *float64 // inclusive, 0…1
	QAMax      *float64
	HasQA      bool // only contacts with a QA score
	From, To   time.Time
}

// ListItem is one interaction as a list shows it.
type ListItem struct {
	Key        cx.Key    `json:"key"`
	StartedAt  time.Time `json:"started_at"`
	Customer   int64     `json:"customer"`
	Channel    string    `json:"channel"`
	Handler    string    `json:"handler"`
	Intent     string    `json:"intent,omitempty"`
	Confidence *float64  `json:"intent_confidence,omitempty"`
	Agent      string    `json:"agent,omitempty"`
	Team       string    `json:"team,omitempty"`
	Partner    string    `json:"partner,omitempty"`
	Sentiment  *float64  `json:"sentiment,omitempty"`
	Resolved   *bool     `json:"resolved,omitempty"`
	Escalated  bool      `json:"escalated"`
	Abandoned  bool      `json:"abandoned"`
	Repeated   *bool     `json:"repeated,omitempty"`
	QAScore    *float64  `json:"qa_score,omitempty"`
	CSAT       *int      `json:"csat,omitempty"`
	Cost       *cx.Money `json:"cost,omitempty"`
	Flags      []string  `json:"flags,omitempty"`
}

// ListPage is one page of a filtered list, newest first.
type ListPage struct {
	Total  int64      `json:"total"`
	Offset int        `json:"offset"`
	Items  []ListItem `json:"items"`
}

const listCols = `source, ext_id, started_at, customer_id, channel, handler, intent, intent_confidence, agent_id, team, partner,
	sentiment, resolved, escalated, abandoned, repeated, qa_score, csat, cost, flags`

// where builds the WHERE clause for scope and f with $n placeholders from next.
func listWhere(scope cx.Scope, f ListFilter) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		var ps []string
		hasNone := false
		for _, v := range vals {
			if v == "(none)" {
				hasNone = true
				continue
			}
			ps = append(ps, arg(v))
		}
		var parts []string
		if len(ps) > 0 {
			parts = append(parts, col+" IN ("+strings.Join(ps, ", ")+")")
		}
		if hasNone {
			parts = append(parts, "("+col+" IS NULL OR "+col+" = '')")
		}
		conds = append(conds, "("+strings.Join(parts, " OR ")+")")
	}
	boolean := func(col string, b *bool) {
		if b != nil {
			conds = append(conds, "coalesce("+col+", FALSE) = "+arg(*b))
		}
	}
	if scope.Partner != "" {
		conds = append(conds, "partner = "+arg(scope.Partner))
	}
	in("channel", f.Channels)
	in("intent", f.Intents)
	in("partner", f.Partners)
	in("team", f.Teams)
	in("agent_id", f.Agents)
	in("queue", f.Queues)
	in("journey_stage", f.Stages)
	if f.Handler != "" {
		conds = append(conds, "handler = "+arg(f.Handler))
	}
	for _, fl := range f.Flags {
		conds = append(conds, "flags LIKE "+arg("%,"+fl+",%"))
	}
	if f.Customer != 0 {
		conds = append(conds, "customer_id = "+arg(f.Customer))
	}
	boolean("resolved", f.Resolved)
	boolean("repeated", f.Repeated)
	boolean("vulnerable", f.Vulnerable)
	boolean("escalated", f.Escalated)
	boolean("abandoned", f.Abandoned)
	if f.SentMin != nil {
		conds = append(conds, "sentiment >= "+arg(*f.SentMin))
	}
	if f.SentMax != nil {
		conds = append(conds, "sentiment <= "+arg(*f.SentMax))
	}
	if f.QAMin != nil {
		conds = append(conds, "qa_score >= "+arg(*f.QAMin))
	}
	if f.QAMax != nil {
		conds = append(conds, "qa_score <= "+arg(*f.QAMax))
	}
	if f.HasQA {
		conds = append(conds, "qa_score IS NOT NULL")
	}
	if !f.From.IsZero() {
		conds = append(conds, "started_at >= "+arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		conds = append(conds, "started_at < "+arg(f.To.UTC()))
	}
	if len(conds) == 0 {
		return "TRUE", args
	}
	return strings.Join(conds, " AND "), args
}

// ListInteractions returns one page of the interactions scope may see that
// match f, newest first, with the total count.
func (s *Store) ListInteractions(ctx context.Context, scope cx.Scope, f ListFilter, offset, limit int) (*ListPage, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	if offset < 0 {
		offset = 0
	}
	where, args := listWhere(scope, f)
	p := &ListPage{Offset: offset, Items: []ListItem{}}
	// The count and the page are two scans; they run side by side.
	counted := make(chan error, 1)
	go func() {
		counted <- s.db.QueryRowContext(ctx, `SELECT count(*) FROM interactions WHERE `+where, args...).Scan(&p.Total)
	}()
	n := len(args)
	q := `SELECT ` + listCols + ` FROM interactions WHERE ` + where +
		` ORDER BY started_at DESC, id DESC LIMIT $` + strconv.Itoa(n+1) + ` OFFSET $` + strconv.Itoa(n+2)
	items, err := s.listQuery(ctx, q, append(append([]any(nil), args...), limit, offset)...)
	if cerr := <-counted; cerr != nil && err == nil {
		return nil, fmt.Errorf("list interactions: count: %w", cerr)
	}
	if err != nil {
		return nil, fmt.Errorf("list interactions: %w", err)
	}
	p.Items = items
	return p, nil
}

// LatestInteractions is the first page of ListInteractions without the
// total: examples need no count, and counting is a second scan.
func (s *Store) LatestInteractions(ctx context.Context, scope cx.Scope, f ListFilter, limit int) ([]ListItem, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	where, args := listWhere(scope, f)
	q := `SELECT ` + listCols + ` FROM interactions WHERE ` + where +
		` ORDER BY started_at DESC, id DESC LIMIT $` + strconv.Itoa(len(args)+1)
	items, err := s.listQuery(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("latest interactions: %w", err)
	}
	return items, nil
}

func (s *Store) listQuery(ctx context.Context, q string, args ...any) ([]ListItem, error) {
	items, _, err := s.scanList(ctx, false, q, args...)
	return items, err
}

// listQueryIDs is listQuery for a query that selects the row id after the
// list columns.
func (s *Store) listQueryIDs(ctx context.Context, q string, args ...any) ([]ListItem, []int64, error) {
	return s.scanList(ctx, true, q, args...)
}

func (s *Store) scanList(ctx context.Context, withID bool, q string, args ...any) ([]ListItem, []int64, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := []ListItem{}
	var ids []int64
	for rows.Next() {
		var it ListItem
		var intent, agent, team, partner, flags sql.NullString
		var conf, sent, qa sql.NullFloat64
		var resolved, repeated sql.NullBool
		var csat, cost sql.NullInt64
		var id int64
		dest := []any{&it.Key.Source, &it.Key.ID, &it.StartedAt, &it.Customer, &it.Channel, &it.Handler, &intent, &conf,
			&agent, &team, &partner, &sent, &resolved, &it.Escalated, &it.Abandoned, &repeated, &qa, &csat, &cost, &flags}
		if withID {
			dest = append(dest, &id)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		ids = append(ids, id)
		it.StartedAt = it.StartedAt.UTC()
		it.Intent, it.Agent, it.Team, it.Partner = intent.String, agent.String, team.String, partner.String
		it.Confidence = nullFloat(conf)
		it.Sentiment = nullFloat(sent)
		it.QAScore = nullFloat(qa)
		if resolved.Valid {
			it.Resolved = &resolved.Bool
		}
		if repeated.Valid {
			it.Repeated = &repeated.Bool
		}
		if csat.Valid {
			v := int(csat.Int64)
			it.CSAT = &v
		}
		if cost.Valid {
			v := cx.Money(cost.Int64)
			it.Cost = &v
		}
		for _, k := range strings.Split(flags.String, ",") {
			if k != "" {
				it.Flags = append(it.Flags, k)
			}
		}
		out = append(out, it)
	}
	return out, ids, rows.Err()
}

func nullFloat(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

// InteractionView is one interaction with the contacts it is linked to.
type InteractionView struct {
	*cx.Interaction
	// RepeatOf is the earlier contact this one repeats, when scope may see it.
	RepeatOf *ListItem `json:"repeat_of,omitempty"`
	// RepeatedBy are later contacts that repeat this one.
	RepeatedBy []ListItem `json:"repeated_by"`
	Repeated   bool       `json:"repeated"`
	FCR        *bool      `json:"fcr,omitempty"`
}

// ScopedInteraction returns one interaction whole, as stored, when scope may
// see it (ENOTFOUND otherwise, so a partner cannot tell another partner's
// contact exists), with its repeat-contact links.
func (s *Store) ScopedInteraction(ctx context.Context, scope cx.Scope, k cx.Key) (*InteractionView, error) {
	var body string
	var id, cust int64
	var repeatOf sql.NullInt64
	var repeated, fcr sql.NullBool
	if strings.ContainsRune(k.Source+k.ID+scope.Partner, 0) {
		// PostgreSQL refuses NUL in text; no stored key (or partner) holds one.
		return nil, cx.Errorf(cx.ENOTFOUND, "no interaction %s", k)
	}
	q := `SELECT CAST(body AS TEXT), id, customer_id, repeat_of, repeated, fcr FROM interactions WHERE source = $1 AND ext_id = $2`
	args := []any{k.Source, k.ID}
	if scope.Partner != "" {
		q += ` AND partner = $3`
		args = append(args, scope.Partner)
	}
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&body, &id, &cust, &repeatOf, &repeated, &fcr)
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
	in.CustomerID = cust
	v := &InteractionView{Interaction: in, RepeatedBy: []ListItem{}, Repeated: repeated.Valid && repeated.Bool}
	if fcr.Valid {
		v.FCR = &fcr.Bool
	}
	// The contact it repeats and those repeating it, in one read.
	q = `SELECT ` + listCols + `, id FROM interactions WHERE (id = $1 OR repeat_of = $2)`
	rel := []any{repeatOf.Int64, id}
	if !repeatOf.Valid {
		rel[0] = int64(-1)
	}
	if scope.Partner != "" {
		q += ` AND partner = $3`
		rel = append(rel, scope.Partner)
	}
	related, ids, err := s.listQueryIDs(ctx, q+` ORDER BY started_at LIMIT 21`, rel...)
	if err != nil {
		return nil, fmt.Errorf("interaction %s: repeat links: %w", k, err)
	}
	var items []ListItem
	for i, it := range related {
		if repeatOf.Valid && ids[i] == repeatOf.Int64 {
			v.RepeatOf = &related[i]
			continue
		}
		items = append(items, it)
	}
	if items == nil {
		items = []ListItem{}
	}
	v.RepeatedBy = items
	return v, nil
}

// Facets are the values each filterable column takes in what scope may see,
// for filter pickers.
type Facets struct {
	Channels []string `json:"channels"`
	Intents  []string `json:"intents"`
	Partners []string `json:"partners"`
	Teams    []string `json:"teams"`
	Agents   []string `json:"agents"`
	Flags    []string `json:"flags"`
	// First and Last bound the contacts' start times.
	First, Last time.Time
}

// Facets lists the distinct values of the filterable columns.
func (s *Store) Facets(ctx context.Context, scope cx.Scope) (*Facets, error) {
	where, args := listWhere(scope, ListFilter{})
	f := &Facets{}
	rows, err := s.db.QueryContext(ctx, `
		SELECT 'channel', channel FROM interactions WHERE `+where+` GROUP BY channel
		UNION ALL SELECT 'intent', intent FROM interactions WHERE `+where+` AND intent IS NOT NULL GROUP BY intent
		UNION ALL SELECT 'partner', partner FROM interactions WHERE `+where+` AND partner IS NOT NULL GROUP BY partner
		UNION ALL SELECT 'team', team FROM interactions WHERE `+where+` AND team IS NOT NULL GROUP BY team
		UNION ALL SELECT 'agent', agent_id FROM interactions WHERE `+where+` AND agent_id IS NOT NULL GROUP BY agent_id
		UNION ALL SELECT 'flags', flags FROM interactions WHERE `+where+` AND flags IS NOT NULL AND flags <> ',,' AND flags <> '' GROUP BY flags`, args...)
	if err != nil {
		return nil, fmt.Errorf("facets: %w", err)
	}
	defer rows.Close()
	flags := map[string]bool{}
	for rows.Next() {
		var kind, v string
		if err := rows.Scan(&kind, &v); err != nil {
			return nil, err
		}
		switch kind {
		case "channel":
			f.Channels = append(f.Channels, v)
		case "intent":
			f.Intents = append(f.Intents, v)
		case "partner":
			f.Partners = append(f.Partners, v)
		case "team":
			f.Teams = append(f.Teams, v)
		case "agent":
			f.Agents = append(f.Agents, v)
		case "flags":
			for _, k := range strings.Split(v, ",") {
				if k != "" {
					flags[k] = true
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("facets: %w", err)
	}
	for k := range flags {
		f.Flags = append(f.Flags, k)
	}
	for _, l := range [][]string{f.Channels, f.Intents, f.Partners, f.Teams, f.Agents, f.Flags} {
		sort.Strings(l)
	}
	var first, last sql.NullTime
	if err := s.db.QueryRowContext(ctx, `SELECT min(started_at), max(started_at) FROM interactions WHERE `+where, args...).Scan(&first, &last); err != nil {
		return nil, fmt.Errorf("facets: time range: %w", err)
	}
	f.First, f.Last = first.Time.UTC(), last.Time.UTC()
	return f, nil
}

// QASample is the QA results of a sample of scored contacts, for
// criterion-level views (worst criteria, coaching lists): criterion results
// live in each interaction's analysis, so reading every body at millions of
// contacts is too slow for a page; the most recently imported scored
// contacts that match are read instead.
type QASample struct {
	Contacts []QAContact `json:"contacts"`
}

// QAContact is one scored contact's criterion results.
type QAContact struct {
	ListItem
	Criteria []QAMark `json:"criteria"`
}

// QAMark is one criterion's result without its evidence (the interaction
// page shows that): enough to count misses.
type QAMark struct {
	ID       string `json:"id"`
	Label    string `json:"label,omitempty"`
	Passed   bool   `json:"passed"`
	Applies  bool   `json:"applies"`
	AutoFail bool   `json:"auto_fail,omitempty"`
}

// RecentQA returns the QA criteria of the limit most recently imported
// scored contacts scope may see that match f, newest import first.
func (s *Store) RecentQA(ctx context.Context, scope cx.Scope, f ListFilter, limit int) (*QASample, error) {
	if limit <= 0 || limit > 20000 {
		limit = 2000
	}
	f.HasQA = true
	where, args := listWhere(scope, f)
	// Only the criteria are read out of each body: parsing whole bodies
	// (transcripts) would dominate the page's time.
	criteria := `CAST(json_extract(body, '$.analysis.qa.criteria') AS VARCHAR)`
	if s.Engine() == "postgres" {
		criteria = `(body->'analysis'->'qa'->'criteria')::text`
	}
	// The rows are chosen by id, which follows import order and so the
	// table's storage order: their bodies sit together, and only those
	// blocks are read. Choosing the latest by start time instead would
	// touch every block of the body column (seconds at a million contacts).
	rows, err := s.db.QueryContext(ctx, `SELECT `+listCols+`, `+criteria+` FROM interactions WHERE id IN (
		SELECT id FROM interactions WHERE `+where+` ORDER BY id DESC LIMIT $`+strconv.Itoa(len(args)+1)+`)
		ORDER BY id DESC`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("recent QA results: %w", err)
	}
	defer rows.Close()
	out := &QASample{Contacts: []QAContact{}}
	for rows.Next() {
		var c QAContact
		var intent, agent, team, partner, flags sql.NullString
		var conf, sent, qa sql.NullFloat64
		var resolved, repeated sql.NullBool
		var csat, cost sql.NullInt64
		var crit sql.NullString
		if err := rows.Scan(&c.Key.Source, &c.Key.ID, &c.StartedAt, &c.Customer, &c.Channel, &c.Handler, &intent, &conf,
			&agent, &team, &partner, &sent, &resolved, &c.Escalated, &c.Abandoned, &repeated, &qa, &csat, &cost, &flags, &crit); err != nil {
			return nil, err
		}
		c.StartedAt = c.StartedAt.UTC()
		c.Intent, c.Agent, c.Team, c.Partner = intent.String, agent.String, team.String, partner.String
		c.QAScore = nullFloat(qa)
		c.Sentiment = nullFloat(sent)
		if resolved.Valid {
			c.Resolved = &resolved.Bool
		}
		if crit.Valid && crit.String != "" && crit.String != "null" {
			if err := json.Unmarshal([]byte(crit.String), &c.Criteria); err != nil {
				return nil, fmt.Errorf("recent QA results: interaction %s: %w", c.Key, err)
			}
		}
		out.Contacts = append(out.Contacts, c)
	}
	return out, rows.Err()
}
