package metrics_test

import (
	"math"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
	"github.com/northstar-cx/northstar/internal/store/storetest"
)

// The fixtures (testdata/base.ndjson, then testdata/later.ndjson) and the
// hand-computed values every metric must give on them in October 2026:
//
//	id   cust   channel handler partner intent    esc ab  res  cost wait handle rep first fcr
//	I1   C1     chat    bot     -       billing   .   .   T     50    0  120    T   T     .
//	I2   C1     voice   human   acme    billing   .   .   T    500   60  300    T   .     .
//	I3   C2     chat    bot     -       refund*   T   .   F    100    0   60    .   T     .
//	I4   C2     voice   human   beta    delivery  .   .   T    600  120  600    .   T     T
//	I5   C3     email   human   acme    cancel    .   .   F    400    0  900    T   T     .
//	I6   C3     chat    bot     -       cancel    .   T   null  20    0   30    .   .     .
//	I7   X→C1   sms     bot     -       billing   .   .   T     30    0   90    .   .     .
//	I8   X→C1   web     human   acme    delivery  .   .   T    300   30  200    .   T     T
//	I10  C1     email   human   acme    billing   .   .   T    200   10  100    .   T     T
//
// (* I3 was "delivery" until later.ndjson updated it, after survey S2 rated
// it; X is a phone-only customer merged into C1 by I10, after its contacts;
// I1 started 2026-10-02T23:30Z, which is 3 October in London.)
// Responses: csat 5 (I1), 4 (I2), 2 (S1→I2), 3 (S2→I3), 2 (I5), 5 (S3→I8);
// nps 10 (I1), 6 (I4), 9 (I7), 0 (S2), 10 (S3); ces 7 (I1), 3 (S1), 2 (S2).
func loadWorld(t *testing.T, st *store.Store) metrics.Source {
	t.Helper()
	mustImport(t, st, "base.ndjson")
	mustImport(t, st, "later.ndjson")
	return metrics.NewSQL(st)
}

func TestEveryContactAndResponseMetric(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store) {
		src := loadWorld(t, st)
		var ids []string
		for _, m := range metrics.Registry() {
			if m.Over != metrics.Customers {
				ids = append(ids, m.ID)
			}
		}
		res := mustQuery(t, src, metrics.Query{Metrics: ids, MinN: 1})
		if len(res.Rows) != 1 || len(res.Rows[0].Keys) != 0 || len(res.Rows[0].Cells) != len(ids) {
			t.Fatalf("want one row without keys and %d cells, got %+v", len(ids), res.Rows)
		}
		for _, tc := range []struct {
			metric string
			n      int64
			value  float64
		}{
			{"contacts", 9, 9},
			{"csat", 6, 3.0 / 6},
			{"csat_mean", 6, 21.0 / 6},
			{"nps", 5, 20},
			{"ces", 3, 4},
			{"ces_easy", 3, 1.0 / 3},
			{"repeat_rate", 9, 3.0 / 9},
			{"fcr", 6, 3.0 / 6},
			{"containment", 4, 2.0 / 4},
			{"resolved_containment", 4, 1.0 / 4},
			{"escalation_rate", 4, 1.0 / 4},
			{"abandonment_rate", 9, 1.0 / 9},
			{"asa", 5, 220.0 / 5},
			{"aht", 5, 2100.0 / 5},
			{"cost_per_contact", 9, 2200.0 / 9},
			{"cost_per_resolution", 6, 2200.0 / 6},
			{"cost_to_serve", 3, 2200.0 / 3},
			{"service_success", 8, 6.0 / 8},
			{"sentiment", 8, 0},
			{"sentiment_change", 8, 0.6 / 8},
			{"qa_score", 5, 3.2 / 5},
			{"effort", 8, 275.0 / 8},
		} {
			want(t, cell(t, res, "", tc.metric), tc.n, f(tc.value))
		}
		// Intervals: Wilson for proportions, t for means, none for ratios and counts.
		if c := cell(t, res, "", "csat"); c.Low == nil || math.Abs(*c.Low-0.1876163) > 1e-6 || math.Abs(*c.High-0.8123837) > 1e-6 {
			t.Errorf("csat 3/6 interval: %v–%v", c.Low, c.High)
		}
		// aht: 300, 600, 900, 200, 100: mean 420, sd 327.108545, t(4) 2.776445.
		if c := cell(t, res, "", "aht"); c.Low == nil || math.Abs(*c.Low-(420-2.7764451*327.10854467592253/math.Sqrt(5))) > 1e-5 {
			t.Errorf("aht interval: %v–%v", c.Low, c.High)
		}
		for _, id := range []string{"contacts", "cost_per_contact", "cost_to_serve"} {
			if c := cell(t, res, "", id); c.Low != nil || c.High != nil {
				t.Errorf("%s has an interval", id)
			}
		}
	})
}

func TestCustomerMetrics(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store) {
		src := loadWorld(t, st)
		q := metrics.Query{Metrics: []string{"retention", "churn", "ltv", "margin"}, MinN: 1}
		res := mustQuery(t, src, q)
		// Active at 1 October: C1 (order 15 Sep), C2 (order 10 Jul), C3 (order 1 Aug);
		// C2 cancelled on 21 October. X's order moved to C1 with the merge.
		want(t, cell(t, res, "", "retention"), 3, f(2.0/3))
		want(t, cell(t, res, "", "churn"), 3, f(1.0/3))
		// C1 50+50+60−10+20 = 170.00, C2 30.00, C3 300+300−50 = 550.00.
		want(t, cell(t, res, "", "ltv"), 3, f(75000.0/3))
		// October: C1 60+20−10 − 10.80 = 59.20, C2 −7.00, C3 300−50 − 4.20 = 245.80.
		want(t, cell(t, res, "", "margin"), 3, f(29800))

		q.By = []string{"segment"}
		res = mustQuery(t, src, q)
		if got := rowKeys(res); got != "[family single]" {
			t.Fatalf("rows %s", got)
		}
		want(t, cell(t, res, "family", "retention"), 2, f(1))
		want(t, cell(t, res, "single", "churn"), 1, f(1))
		want(t, cell(t, res, "family", "margin"), 2, f(5920+24580))
		want(t, cell(t, res, "single", "margin"), 1, f(-700))

		q.By, q.Where = []string{"value_tier"}, []metrics.Filter{{Dim: "cohort", Values: []string{"2026-03"}}}
		res = mustQuery(t, src, q)
		if got := rowKeys(res); got != "[high medium]" {
			t.Fatalf("rows %s", got)
		}
		want(t, cell(t, res, "medium", "ltv"), 1, f(17000))
	})
}

func TestSlicesFollowMergesAndUpdates(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store) {
		src := metrics.NewSQL(st)
		mustImport(t, st, "base.ndjson")
		q := metrics.Query{Metrics: []string{"contacts", "csat", "cost_to_serve"}, By: []string{"segment"}, MinN: 1}
		res := mustQuery(t, src, q)
		// Before the merge X has no profile.
		if got := rowKeys(res); got != "[(none) family single]" {
			t.Fatalf("before the merge: rows %s", got)
		}
		want(t, cell(t, res, "(none)", "contacts"), 2, f(2))
		byIntent := metrics.Query{Metrics: []string{"csat"}, By: []string{"intent"}, MinN: 1}
		want(t, cell(t, mustQuery(t, src, byIntent), "delivery", "csat"), 2, f(0.5))

		mustImport(t, st, "later.ndjson")
		res = mustQuery(t, src, q)
		if got := rowKeys(res); got != "[family single]" {
			t.Fatalf("after the merge: rows %s", got)
		}
		want(t, cell(t, res, "family", "contacts"), 7, f(7))
		want(t, cell(t, res, "family", "cost_to_serve"), 2, f(1500.0/2))
		// The survey of I3 follows its contact's new intent.
		res = mustQuery(t, src, byIntent)
		if got := rowKeys(res); got != "[billing cancel delivery refund]" {
			t.Fatalf("rows %s", got)
		}
		want(t, cell(t, res, "delivery", "csat"), 1, f(1))
		want(t, cell(t, res, "refund", "csat"), 1, f(0))
		want(t, cell(t, res, "billing", "csat"), 3, f(2.0/3))
		// X's bot contact was a resolved first contact until the merge linked
		// it to C1's billing contacts four days earlier.
		res = mustQuery(t, src, metrics.Query{Metrics: []string{"fcr", "repeat_rate"}, By: []string{"channel"}, MinN: 1})
		want(t, cell(t, res, "sms", "fcr"), 0, nil)
		// A repeat across channels: chat I1 followed by voice I2.
		want(t, cell(t, res, "chat", "repeat_rate"), 3, f(1.0/3))
		want(t, cell(t, res, "voice", "repeat_rate"), 2, f(1.0/2))
	})
}

func TestEdgeCases(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store) {
		src := loadWorld(t, st)
		// No responses: n 0 and no value, not a zero.
		res := mustQuery(t, src, metrics.Query{Metrics: []string{"csat", "nps"}, Where: []metrics.Filter{{Dim: "channel", Values: []string{"sms"}}}, MinN: 1})
		c := cell(t, res, "", "csat")
		want(t, c, 0, nil)
		if c.LowN || c.Low != nil {
			t.Errorf("empty cell: %+v", c)
		}
		// All promoters: NPS 100, an interval of width 0.
		res = mustQuery(t, src, metrics.Query{Metrics: []string{"nps"}, Where: []metrics.Filter{{Dim: "intent", Values: []string{"billing"}}}, MinN: 1})
		c = cell(t, res, "", "nps")
		want(t, c, 2, f(100))
		if c.Low == nil || *c.Low != 100 || *c.High != 100 {
			t.Errorf("all promoters: interval %v–%v", c.Low, c.High)
		}
		// MinN withholds small cells, never counts.
		res = mustQuery(t, src, metrics.Query{Metrics: []string{"csat", "contacts"}})
		c = cell(t, res, "", "csat")
		if c.N != 6 || c.Value != nil || !c.LowN || c.Low != nil {
			t.Errorf("csat with 6 < min n 10: %+v", c)
		}
		want(t, cell(t, res, "", "contacts"), 9, f(9))
		// An empty period has one row with empty cells when not sliced, no rows when sliced.
		empty := metrics.Query{Metrics: []string{"csat", "contacts", "retention"}, From: oct.AddDate(1, 0, 0), To: nov.AddDate(1, 0, 0)}
		res = mustQuery(t, src, empty)
		want(t, cell(t, res, "", "contacts"), 0, nil)
		// Sliced, only contact and response metrics: customers who ordered
		// before still have a realised value then.
		empty.By, empty.Metrics = []string{"segment"}, []string{"csat", "contacts"}
		if res = mustQuery(t, src, empty); len(res.Rows) != 0 {
			t.Errorf("empty period by segment: %s", rowKeys(res))
		}
	})
}

func TestDimensions(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store) {
		src := loadWorld(t, st)
		billing := []metrics.Filter{{Dim: "intent", Values: []string{"billing"}}}
		for _, tc := range []struct {
			by    string
			zone  string
			where []metrics.Filter
			rows  string
		}{
			{"day", "UTC", billing, "[2026-10-02 2026-10-04 2026-10-08 2026-10-25]"},
			{"day", "Europe/London", billing, "[2026-10-03 2026-10-04 2026-10-08 2026-10-25]"},
			{"hour", "Europe/London", billing, "[2026-10-03T00 2026-10-04T10 2026-10-08T11 2026-10-25T10]"},
			{"week", "Europe/London", billing, "[2026-09-28 2026-10-05 2026-10-19]"},
			{"month", "UTC", nil, "[2026-10]"},
			{"channel", "UTC", nil, "[chat email sms voice web]"},
			{"handler", "UTC", nil, "[bot human]"},
			{"partner", "UTC", nil, "[(none) acme beta]"},
			{"team", "UTC", []metrics.Filter{{Dim: "partner", Values: []string{"(none)"}, Not: true}}, "[t1 t2]"},
			{"agent", "UTC", []metrics.Filter{{Dim: "handler", Values: []string{"human"}}}, "[A1 A2 B1]"},
			{"queue", "UTC", nil, "[(none)]"},
			{"region", "UTC", nil, "[north south]"},
			{"cohort", "UTC", nil, "[2026-03 2026-05]"},
			{"value_tier", "UTC", nil, "[high low medium]"},
			{"flag:anger", "UTC", nil, "[no yes]"},
			{"vulnerable", "UTC", nil, "[(none) no yes]"},
		} {
			res := mustQuery(t, src, metrics.Query{Metrics: []string{"contacts"}, By: []string{tc.by}, Where: tc.where, Zone: mustZone(tc.zone)})
			if got := rowKeys(res); got != tc.rows {
				t.Errorf("by %s in %s: rows %s, want %s", tc.by, tc.zone, got, tc.rows)
			}
		}
		res := mustQuery(t, src, metrics.Query{Metrics: []string{"contacts", "csat"}, By: []string{"flag:anger", "handler"}, MinN: 1})
		want(t, cell(t, res, "yes/human", "contacts"), 2, f(2))
		want(t, cell(t, res, "yes/human", "csat"), 3, f(1.0/3))
		want(t, cell(t, res, "no/bot", "contacts"), 4, f(4))
		res = mustQuery(t, src, metrics.Query{Metrics: []string{"contacts"}, By: []string{"value_tier"}})
		want(t, cell(t, res, "medium", "contacts"), 5, f(5))
		res = mustQuery(t, src, metrics.Query{Metrics: []string{"contacts"}, Where: []metrics.Filter{{Dim: "vulnerable", Values: []string{"yes"}, Not: true}, {Dim: "channel", Values: []string{"chat", "voice"}}}})
		want(t, cell(t, res, "", "contacts"), 4, f(4))
	})
}

func TestScopeRestrictsToThePartner(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store) {
		src := loadWorld(t, st)
		scope := cx.Scope{Partner: "acme"}
		res := mustQuery(t, src, metrics.Query{Metrics: []string{"contacts", "csat", "cost_to_serve"}, By: []string{"partner"}, Scope: scope, MinN: 1})
		if got := rowKeys(res); got != "[acme]" {
			t.Fatalf("acme sees rows %s", got)
		}
		want(t, cell(t, res, "acme", "contacts"), 4, f(4))
		want(t, cell(t, res, "acme", "csat"), 4, f(0.5))
		want(t, cell(t, res, "acme", "cost_to_serve"), 2, f(1400.0/2))
		res = mustQuery(t, src, metrics.Query{Metrics: []string{"retention", "margin"}, Scope: scope, MinN: 1})
		want(t, cell(t, res, "", "retention"), 2, f(1))
		want(t, cell(t, res, "", "margin"), 2, f(6000+24600))
		// A filter cannot widen the scope.
		res = mustQuery(t, src, metrics.Query{Metrics: []string{"contacts"}, Where: []metrics.Filter{{Dim: "partner", Values: []string{"beta"}}}, Scope: scope})
		want(t, cell(t, res, "", "contacts"), 0, nil)
	})
}

func TestCompareFlagsChanges(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store) {
		mustImport(t, st, "compare.ndjson")
		src := metrics.NewSQL(st)
		res := mustQuery(t, src, metrics.Query{Metrics: []string{"escalation_rate", "csat", "contacts"}, Compare: true})
		esc := cell(t, res, "", "escalation_rate")
		want(t, esc, 10, f(1))
		if esc.Previous == nil {
			t.Fatal("no previous cell")
		}
		want(t, *esc.Previous, 10, f(0))
		if !esc.Changed {
			t.Errorf("0/10 → 10/10 not flagged: %+v", esc)
		}
		// 8/10 → 7/10: intervals overlap.
		cs := cell(t, res, "", "csat")
		want(t, *cs.Previous, 10, f(0.8))
		if cs.Changed {
			t.Errorf("8/10 → 7/10 flagged")
		}
		if lo, hi := *cs.Previous.Low, *cs.Previous.High; math.Abs(lo-0.490) > 5e-4 || math.Abs(hi-0.943) > 5e-4 {
			t.Errorf("Wilson 8/10: %v–%v", lo, hi)
		}
		if c := cell(t, res, "", "contacts"); c.Changed || c.Previous.N != 10 {
			t.Errorf("contacts: %+v", c)
		}
		// Slices are the current period's: the previous period's intent is gone.
		res = mustQuery(t, src, metrics.Query{Metrics: []string{"contacts"}, By: []string{"intent"}, Compare: true})
		if got := rowKeys(res); got != "[delivery]" {
			t.Errorf("rows %s", got)
		}
		if c := cell(t, res, "delivery", "contacts"); c.Previous == nil || c.Previous.N != 0 {
			t.Errorf("previous of a new slice: %+v", c.Previous)
		}
	})
}

func TestInvalidQueries(t *testing.T) {
	st := storetest.Open(t, "duckdb")
	src := metrics.NewSQL(st)
	for _, tc := range []struct {
		q    metrics.Query
		want string
	}{
		{metrics.Query{Metrics: []string{"retention"}, By: []string{"intent"}}, "cannot be sliced by intent"},
		{metrics.Query{Metrics: []string{"margin"}, Where: []metrics.Filter{{Dim: "channel", Values: []string{"chat"}}}}, "cannot be filtered by channel"},
		{metrics.Query{Metrics: []string{"csta"}}, `unknown metric "csta"`},
		{metrics.Query{Metrics: []string{"csat"}, By: []string{"colour"}}, `unknown dimension "colour"`},
		{metrics.Query{Metrics: []string{"csat"}, By: []string{"flag:Bad Kind"}}, "flag kind"},
		{metrics.Query{Metrics: []string{"csat"}, From: nov, To: oct}, "must be before"},
		{metrics.Query{}, "no metric"},
	} {
		q := tc.q
		if q.From.IsZero() {
			q.From, q.To = oct, nov
		}
		_, err := src.Query(t.Context(), q)
		if err == nil || cx.ErrorCode(err) != cx.EINVALID || !contains(cx.ErrorMessage(err), tc.want) {
			t.Errorf("%+v: error %v, want invalid with %q", tc.q, err, tc.want)
		}
	}
}

// TestEveryMetricByEveryDimension runs each dimension with every metric it
// applies to, compared, on both engines: every generated statement is valid
// and gives rows.
func TestEveryMetricByEveryDimension(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store) {
		src := loadWorld(t, st)
		dims := append(metrics.DimIDs()[:len(metrics.DimIDs())-1], "flag:anger")
		for _, d := range dims {
			dim, err := metrics.LookupDim(d)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range metrics.Registry() {
				if m.Over != metrics.Customers || dim.Kind == metrics.CustomerDim {
					ids = append(ids, m.ID)
				}
			}
			res := mustQuery(t, src, metrics.Query{Metrics: ids, By: []string{d}, Compare: true, Zone: lon,
				Where: []metrics.Filter{{Dim: d, Values: []string{"no-such-value"}, Not: true}}})
			if len(res.Rows) == 0 {
				t.Errorf("by %s: no rows", d)
			}
			for _, r := range res.Rows {
				if len(r.Keys) != 1 || r.Keys[0] == "" || len(r.Cells) != len(ids) {
					t.Errorf("by %s: row %+v", d, r)
				}
			}
		}
	})
}
