package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

// Params are a query in its text form, as GET /v1/metrics and `northstar
// metrics` take it. Empty From and To mean DefaultDays up to the end of the
// day of the latest contact.
type Params struct {
	Metrics string // "csat,fcr"
	By      string // "intent,handler"
	Where   string // "channel:chat|voice,handler!:bot"
	From    string // "2026-10-01" (midnight in Zone) or RFC 3339
	To      string
	Zone    string // IANA name; empty: the caller's default
	Compare bool
	MinN    string // empty: DefaultMinN
}

// DefaultDays is the length of the default period: the last four weeks of data.
const DefaultDays = 28

// Parse turns params into a Query. The period, when not given, is the last
// DefaultDays days of data in st (the caller's scope applies). Every error is
// EINVALID and names the parameter.
func (p Params) Parse(ctx context.Context, st *store.Store, scope cx.Scope, defaultZone *time.Location) (Query, error) {
	q := Query{Scope: scope, Compare: p.Compare, Zone: defaultZone}
	if q.Zone == nil {
		q.Zone = time.UTC
	}
	var err error
	if p.Zone != "" {
		if q.Zone, err = time.LoadLocation(p.Zone); err != nil || p.Zone == "Local" {
			return q, cx.Errorf(cx.EINVALID, "zone: %q is not a time zone name; use one like Europe/London or UTC", p.Zone)
		}
	}
	if q.Metrics, err = ParseMetrics(p.Metrics); err != nil {
		return q, cx.Errorf(cx.EINVALID, "m: %s", cx.ErrorMessage(err))
	}
	if q.By, err = ParseBy(p.By); err != nil {
		return q, cx.Errorf(cx.EINVALID, "by: %s", cx.ErrorMessage(err))
	}
	if q.Where, err = ParseWhere(p.Where); err != nil {
		return q, cx.Errorf(cx.EINVALID, "where: %s", cx.ErrorMessage(err))
	}
	if p.MinN != "" {
		n, err := strconv.Atoi(p.MinN)
		if err != nil || n < 1 || n > 1_000_000 {
			return q, cx.Errorf(cx.EINVALID, "min_n: want a whole number from 1 to 1000000, got %q", p.MinN)
		}
		q.MinN = n
	}
	if p.From != "" {
		if q.From, err = ParseTime(p.From, q.Zone); err != nil {
			return q, cx.Errorf(cx.EINVALID, "from: %s", cx.ErrorMessage(err))
		}
	}
	if p.To != "" {
		if q.To, err = ParseTime(p.To, q.Zone); err != nil {
			return q, cx.Errorf(cx.EINVALID, "to: %s", cx.ErrorMessage(err))
		}
	}
	if q.From.IsZero() || q.To.IsZero() {
		from, to, err := DefaultPeriod(ctx, st, scope, q.Zone)
		if err != nil {
			return q, err
		}
		switch {
		case q.From.IsZero() && q.To.IsZero():
			q.From, q.To = from, to
		case q.From.IsZero():
			q.From = q.To.In(q.Zone).AddDate(0, 0, -DefaultDays)
		default:
			q.To = q.From.In(q.Zone).AddDate(0, 0, DefaultDays)
		}
	}
	if err := Validate(&q); err != nil {
		return q, err
	}
	return q, nil
}

// ParseTime reads a date ("2026-10-01", midnight in zone) or an RFC 3339 time.
func ParseTime(s string, zone *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", s, zone); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, cx.Errorf(cx.EINVALID, "want a date like 2026-10-01 or a time like 2026-10-01T12:00:00Z, got %q", s)
}

// DefaultPeriod is the last DefaultDays days of data: up to midnight (in
// zone) after the latest contact the scope sees, or after today when there
// is none.
func DefaultPeriod(ctx context.Context, st *store.Store, scope cx.Scope, zone *time.Location) (from, to time.Time, err error) {
	stmt, args := `SELECT max(started_at) FROM interactions`, []any{}
	if scope.Partner != "" {
		stmt, args = stmt+` WHERE partner = $1`, append(args, scope.Partner)
	}
	var last sql.NullTime
	if err := st.DB().QueryRowContext(ctx, stmt, args...).Scan(&last); err != nil {
		return from, to, fmt.Errorf("default period (latest contact): %w", err)
	}
	end := time.Now()
	if last.Valid {
		end = last.Time
	}
	end = end.In(zone)
	to = time.Date(end.Year(), end.Month(), end.Day()+1, 0, 0, 0, 0, zone)
	return to.AddDate(0, 0, -DefaultDays), to, nil
}
