package store_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

// TestReadFactsMatchesTheTables loads a synthetic world through the bulk
// path and checks the columnar read against SQL over the same tables, on
// both engines: row counts, order, dictionary codes, nulls, survey links.
func TestReadFactsMatchesTheTables(t *testing.T) {
	engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rep, err := s.LoadSynthetic(ctx, store.SyntheticOptions{Interactions: 5000, Seed: 9, SurveyShare: 0.2})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Interactions != 5000 || rep.Customers == 0 || rep.Surveys == 0 || rep.Events == 0 {
			t.Fatalf("synthetic load: %+v", rep)
		}
		// Its customers read like imported ones (personal values sealed).
		if c, err := s.Customer(ctx, cx.Scope{}, 1); err != nil || c.ExternalID != "C1" {
			t.Fatalf("synthetic customer 1: %+v, %v", c, err)
		}
		if _, err := s.LoadSynthetic(ctx, store.SyntheticOptions{Interactions: 10}); err == nil || !strings.Contains(err.Error(), "empty database") {
			t.Errorf("a second load into a full store: %v", err)
		}
		f, err := s.ReadFacts(ctx, []string{"channel", "partner", "escalated", "resolved", "csat", "cost", "sentiment"})
		if err != nil {
			t.Fatal(err)
		}
		if f.Rows != 5000 || f.Surveys.Rows != rep.Surveys || f.Events.Rows != rep.Events {
			t.Fatalf("rows %d, surveys %d, events %d; loaded %+v", f.Rows, f.Surveys.Rows, f.Events.Rows, rep)
		}
		for i := 1; i < f.Rows; i++ {
			if f.StartedAt[i] < f.StartedAt[i-1] {
				t.Fatalf("row %d starts before row %d", i, i-1)
			}
		}
		for i, r := range f.Surveys.Row {
			if r < 0 || int(r) >= f.Rows || i > 0 && r < f.Surveys.Row[i-1] {
				t.Fatalf("survey %d points at row %d", i, r)
			}
		}
		// Per-channel counts, escalations, csat answers and cost as SQL sees them.
		type agg struct {
			n, esc, csat int
			cost         float64
		}
		want := map[string]*agg{}
		rows, err := s.DB().QueryContext(ctx, `SELECT channel, count(*), count(*) FILTER (WHERE escalated), count(csat), coalesce(sum(cost), 0) FROM interactions GROUP BY channel`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var ch string
			a := &agg{}
			if err := rows.Scan(&ch, &a.n, &a.esc, &a.csat, &a.cost); err != nil {
				t.Fatal(err)
			}
			want[ch] = a
		}
		rows.Close()
		got := map[string]*agg{}
		ch, esc, csat, cost := f.Text["channel"], f.Bool["escalated"], f.Num["csat"], f.Num["cost"]
		for i := range f.Rows {
			name := ch.Dict[ch.Codes[i]]
			a := got[name]
			if a == nil {
				a = &agg{}
				got[name] = a
			}
			a.n++
			if esc.True[i/64]&(1<<(uint(i)%64)) != 0 {
				a.esc++
			}
			if !csat.Null(i) {
				a.csat++
			}
			if v := cost.F64[i]; !math.IsNaN(v) {
				a.cost += v
			}
		}
		if len(got) != len(want) {
			t.Fatalf("channels: got %d, want %d", len(got), len(want))
		}
		for name, w := range want {
			if g := got[name]; g == nil || *g != *w {
				t.Errorf("channel %s: read %+v, SQL %+v", name, g, w)
			}
		}
		if f.Num["csat"].I32 == nil || f.Num["cost"].F64 == nil || f.Num["sentiment"].F64 == nil {
			t.Errorf("column types: csat int32, cost and sentiment float64")
		}
		var partnered int
		for _, c := range f.Text["partner"].Codes {
			if c != 0 {
				partnered++
			}
		}
		var wantPartnered int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(partner) FROM interactions`).Scan(&wantPartnered); err != nil {
			t.Fatal(err)
		}
		if partnered != wantPartnered {
			t.Errorf("partner set on %d rows, SQL says %d", partnered, wantPartnered)
		}
	})
}
