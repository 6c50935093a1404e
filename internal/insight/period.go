package insight

import (
	"fmt"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Period is a half-open time range [From, To) on the contacts' start times.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// IsZero reports whether the period is unset (callers then use the data's span).
func (p Period) IsZero() bool { return p.From.IsZero() && p.To.IsZero() }

// Valid checks the period can be queried.
func (p Period) Valid() error {
	if p.From.IsZero() || p.To.IsZero() {
		return cx.Errorf(cx.EINVALID, "period needs both from and to (e.g. --from 2026-08-01 --to 2026-11-01)")
	}
	if !p.To.After(p.From) {
		return cx.Errorf(cx.EINVALID, "period from %s to %s is empty: to must be after from", day(p.From), day(p.To))
	}
	return nil
}

// Previous is the period of equal length just before p.
func (p Period) Previous() Period {
	d := p.To.Sub(p.From)
	return Period{From: p.From.Add(-d), To: p.From}
}

// halves splits p at its midpoint, rounded down to the second.
func (p Period) halves() (Period, Period) {
	mid := p.From.Add(p.To.Sub(p.From) / 2).Truncate(time.Second)
	return Period{p.From, mid}, Period{mid, p.To}
}

// String reads "3 Aug 2026 – 31 Oct 2026": the end is exclusive, so the
// last day shown is the day before To. Days are read in the times' own
// zone (the zone the period was given in).
func (p Period) String() string {
	last := p.To.Add(-time.Nanosecond)
	return fmt.Sprintf("%s – %s", p.From.Format("2 Jan 2006"), last.In(p.From.Location()).Format("2 Jan 2006"))
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }
