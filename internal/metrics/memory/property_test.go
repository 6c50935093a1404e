package memory_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/metrics/memory"
	"github.com/northstar-cx/northstar/internal/pgtest"
	"github.com/northstar-cx/northstar/internal/store"
	"github.com/northstar-cx/northstar/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestMemoryEqualsSQL is the property the fast source stands on: for random
// worlds imported through the real import path (late records, updated
// records, surveys inline and separate, customers merged after their
// contacts), and many random queries, the in-memory source returns exactly
// what the reference SQL source returns, on both engines.
func TestMemoryEqualsSQL(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	queries := 120
	if testing.Short() {
		seeds, queries = seeds[:1], 40
	}
	storetest.Each(t, func(t *testing.T, eng string) {
		for _, seed := range seeds {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				ctx := context.Background()
				st := storetest.Open(t, eng)
				w := newWorld(seed)
				dir := t.TempDir()
				mustImport(t, st, w.write(t, dir, "first.ndjson", w.first()))
				// The cache is loaded before the later imports and refreshed
				// after them, as the server does.
				src, err := memory.Load(ctx, st)
				if err != nil {
					t.Fatal(err)
				}
				// A customer query before the later imports: the refresh
				// recomputes its period on the new snapshot ahead of time.
				warm := metrics.Query{Metrics: []string{"retention", "ltv", "margin"}, By: []string{"segment"},
					From: w.start.AddDate(0, 2, 0), To: w.start.AddDate(0, 4, 0), Compare: true}
				if _, err := src.Query(ctx, warm); err != nil {
					t.Fatal(err)
				}
				mustImport(t, st, w.write(t, dir, "later.ndjson", w.later()))
				mustImport(t, st, w.write(t, dir, "updates.ndjson", w.updates()))
				if err := src.Refresh(ctx); err != nil {
					t.Fatal(err)
				}
				ref := metrics.NewSQL(st)
				wantWarm, err := ref.Query(ctx, warm)
				if err != nil {
					t.Fatal(err)
				}
				gotWarm, err := src.Query(ctx, warm)
				if err != nil {
					t.Fatal(err)
				}
				if diff := compare(wantWarm, gotWarm); diff != "" {
					t.Fatalf("customer period warmed by the refresh %s:\n%s", describe(warm), diff)
				}
				rng := rand.New(rand.NewPCG(seed, 99))
				valued := 0
				for i := range queries {
					q := w.query(rng)
					want, err := ref.Query(ctx, q)
					if err != nil {
						t.Fatalf("query %d %s: sql: %v", i, describe(q), err)
					}
					got, err := src.Query(ctx, q)
					if err != nil {
						t.Fatalf("query %d %s: memory: %v", i, describe(q), err)
					}
					if diff := compare(want, got); diff != "" {
						t.Fatalf("query %d %s:\n%s", i, describe(q), diff)
					}
					valued += values(got)
				}
				// Guard the property against vacuous worlds: most cells
				// must have been compared with a value.
				if valued < queries {
					t.Fatalf("only %d cells with a value in %d queries: the world or the queries are too thin to test anything", valued, queries)
				}
				t.Logf("%d queries, %d cells with a value, %d rows cached", queries, valued, src.Stats().Rows)
			})
		}
	})
}

// TestMemoryEqualsSQLOnSyntheticWorld checks the same property on the
// benchmark's synthetic world, large enough that long periods cover whole
// blocks of rows and survey records, which the source takes from its
// per-block totals.
func TestMemoryEqualsSQLOnSyntheticWorld(t *testing.T) {
	n, queries := 40_000, 50
	if testing.Short() {
		n, queries = 20_000, 20
	}
	storetest.Each(t, func(t *testing.T, eng string) {
		ctx := context.Background()
		st := storetest.Open(t, eng)
		if _, err := st.LoadSynthetic(ctx, store.SyntheticOptions{Interactions: n, Seed: 3, SurveyShare: 0.6}); err != nil {
			t.Fatal(err)
		}
		src, err := memory.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		ref := metrics.NewSQL(st)
		w := &world{start: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), maxDays: 300}
		rng := rand.New(rand.NewPCG(11, 12))
		for i := range queries {
			q := w.query(rng)
			if i%2 == 0 { // half the queries can use block totals
				q.Where, q.Scope = nil, cx.Scope{}
				var by []string
				for _, d := range q.By {
					if dd, _ := metrics.LookupDim(d); dd.Kind == metrics.TimeDim {
						by = append(by, d)
					}
				}
				if m, _ := metrics.Lookup(q.Metrics[0]); i%4 == 0 && m.Over != metrics.Customers { // and split by one of the dimensions blocks are split by
					by = append(by, []string{"handler", "partner", "channel"}[i/4%3])
				}
				q.By = by
			}
			want, err := ref.Query(ctx, q)
			if err != nil {
				t.Fatalf("query %d %s: sql: %v", i, describe(q), err)
			}
			got, err := src.Query(ctx, q)
			if err != nil {
				t.Fatalf("query %d %s: memory: %v", i, describe(q), err)
			}
			if diff := compare(want, got); diff != "" {
				t.Fatalf("query %d %s:\n%s", i, describe(q), diff)
			}
		}
	})
}

func mustImport(tb testing.TB, st *store.Store, path string) {
	tb.Helper()
	rep, err := ingest.Import(context.Background(), st, []ingest.Source{ingest.FileSource(path)}, ingest.Options{
		Normalizer: identity.Normalizer{Region: "GB"}, Analyze: storetest.AnalyzeFromAttributes, RepeatWindow: 7 * 24 * time.Hour, BatchSize: 37})
	if err != nil {
		tb.Fatalf("import %s: %v", path, err)
	}
	if len(rep.Problems) > 0 {
		tb.Fatalf("import %s: %v", path, rep.Problems)
	}
}

// world is a random small world: its records and what queries may name.
type world struct {
	rng       *rand.Rand
	customers int
	contacts  []map[string]any // interactions as written first
	nextI     int
	nextS     int
	nextE     int
	start     time.Time
	maxDays   int // longest query period
}

var (
	channels = []string{"voice", "chat", "email", "social", "messaging", "sms", "web"}
	stages   = []string{"marketing", "sales", "onboarding", "service", "fulfilment", "billing", "retention"}
	intents  = []string{"billing", "delivery", "refund", "cancel", "login", "unknown"}
	partners = []string{"acme", "globex", "in-house"}
	segments = []string{"family", "single", "business", ""}
	regions  = []string{"north", "south", "", "west"}
	flagSet  = []string{"anger", "confusion", "vulnerable_bereavement", "urgency"}
	zones    = []string{"UTC", "Europe/London", "America/New_York", "Asia/Kolkata"}
)

func newWorld(seed uint64) *world {
	return &world{rng: rand.New(rand.NewPCG(seed, 7)), customers: 25 + int(seed%3)*10,
		start: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), maxDays: 60}
}

func (w *world) write(t *testing.T, dir, name string, recs []map[string]any) string {
	t.Helper()
	var b strings.Builder
	for _, r := range recs {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func (w *world) pick(xs []string) string { return xs[w.rng.IntN(len(xs))] }
func (w *world) chance(p float64) bool   { return w.rng.Float64() < p }

// when is a moment in the world's six months, to the second, sometimes on
// a time-zone edge.
func (w *world) when() time.Time {
	t := w.start.Add(time.Duration(w.rng.Int64N(int64(180 * 24 * time.Hour))))
	if w.chance(0.1) {
		t = t.Truncate(24 * time.Hour).Add(-time.Duration(w.rng.IntN(3)) * time.Hour)
	}
	return t.Truncate(time.Second)
}

func (w *world) ref(c int) map[string]any {
	if w.chance(0.2) {
		return map[string]any{"email": fmt.Sprintf("c%d@example.com", c)}
	}
	return map[string]any{"id": fmt.Sprintf("C%d", c)}
}

func (w *world) first() []map[string]any {
	var out []map[string]any
	for c := range w.customers {
		if w.chance(0.15) {
			continue // known only from contacts and events
		}
		r := map[string]any{"type": "customer", "id": fmt.Sprintf("C%d", c),
			"identities": map[string]any{"email": fmt.Sprintf("c%d@example.com", c)}}
		if s := w.pick(segments); s != "" {
			r["segment"] = s
		}
		if s := w.pick(regions); s != "" {
			r["region"] = s
		}
		if w.chance(0.8) {
			r["signup_at"] = w.start.Add(-time.Duration(w.rng.IntN(400)) * 24 * time.Hour).Add(time.Duration(w.rng.IntN(86400)) * time.Second).Format(time.RFC3339)
		}
		out = append(out, r)
	}
	out = append(out, w.events(3*w.customers)...)
	for range 8 * w.customers {
		out = append(out, w.contact())
	}
	out = append(out, w.surveys(w.customers)...)
	return out
}

func (w *world) events(n int) []map[string]any {
	var out []map[string]any
	names := []string{"order_placed", "order_placed", "refund_issued", "subscription_started", "subscription_paused",
		"subscription_resumed", "subscription_cancelled", "login"}
	for range n {
		w.nextE++
		c := w.rng.IntN(w.customers)
		at := w.when().Add(-60 * 24 * time.Hour)
		r := map[string]any{"type": "event", "id": fmt.Sprintf("E%d", w.nextE), "customer": w.ref(c), "name": w.pick(names),
			"at": at.Format(time.RFC3339)}
		if n := r["name"]; n == "order_placed" || n == "refund_issued" {
			r["value"] = float64(w.rng.IntN(40000)) / 100
		}
		out = append(out, r)
	}
	return out
}

func (w *world) contact() map[string]any {
	w.nextI++
	c := w.rng.IntN(w.customers)
	handler := "human"
	if w.chance(0.45) {
		handler = "bot"
	}
	r := map[string]any{"type": "interaction", "id": fmt.Sprintf("I%d", w.nextI), "source": "t", "customer": w.ref(c),
		"channel": w.pick(channels), "handler": handler, "started_at": w.when().Format(time.RFC3339),
		"wait_seconds": w.rng.IntN(600), "handle_seconds": w.rng.IntN(1200)}
	if w.chance(0.8) {
		r["journey_stage"] = w.pick(stages)
	}
	if w.chance(0.7) {
		r["queue"] = w.pick([]string{"q1", "q2", "q3"})
	}
	if w.chance(0.85) {
		r["intent"] = w.pick(intents)
	}
	if handler == "human" || w.chance(0.3) {
		agent := map[string]any{"id": fmt.Sprintf("A%d", w.rng.IntN(6))}
		if w.chance(0.9) {
			agent["team"] = w.pick([]string{"t1", "t2"})
		}
		if w.chance(0.9) {
			agent["partner"] = w.pick(partners)
		}
		r["agent"] = agent
	}
	if handler == "bot" && w.chance(0.3) {
		r["escalated"] = true
	}
	if w.chance(0.1) {
		r["abandoned"] = true
	}
	if w.chance(0.8) {
		r["resolved"] = w.chance(0.6)
	}
	if w.chance(0.8) {
		r["cost"] = float64(w.rng.IntN(2000)) / 100
	}
	if w.chance(0.3) {
		s := map[string]any{}
		if w.chance(0.7) {
			s["csat"] = 1 + w.rng.IntN(5)
		}
		if w.chance(0.6) {
			s["nps"] = w.rng.IntN(11)
		}
		if w.chance(0.4) {
			s["ces"] = 1 + w.rng.IntN(7)
		}
		if len(s) > 0 {
			r["survey"] = s
		}
	}
	a := map[string]any{}
	if w.chance(0.1) {
		a["t_raw"] = true
	} else {
		if w.chance(0.9) {
			a["t_sentiment"] = math.Round((w.rng.Float64()*2-1)*1000) / 1000
		}
		if w.chance(0.8) {
			a["t_sentiment_change"] = math.Round((w.rng.Float64()*2-1)*1000) / 1000
		}
		a["t_effort"] = float64(w.rng.IntN(100))
		if w.chance(0.6) {
			a["t_qa"] = math.Round(w.rng.Float64()*100) / 100
		}
		var fl []any
		for _, k := range flagSet {
			if w.chance(0.15) {
				fl = append(fl, k)
			}
		}
		if len(fl) > 0 {
			a["t_flags"] = fl
		}
		if w.chance(0.1) {
			a["t_vulnerable"] = true
		}
	}
	r["attributes"] = a
	w.contacts = append(w.contacts, r)
	return r
}

func (w *world) surveys(n int) []map[string]any {
	var out []map[string]any
	for range n {
		w.nextS++
		in := w.contacts[w.rng.IntN(len(w.contacts))]
		r := map[string]any{"type": "survey", "id": fmt.Sprintf("S%d", w.nextS), "interaction": map[string]any{"source": "t", "id": in["id"]},
			"at": w.when().Format(time.RFC3339)}
		r["csat"] = 1 + w.rng.IntN(5)
		if w.chance(0.5) {
			r["nps"] = w.rng.IntN(11)
		}
		if w.chance(0.3) {
			r["ces"] = 1 + w.rng.IntN(7)
		}
		if w.chance(0.2) {
			delete(r, "csat")
			r["nps"] = w.rng.IntN(11)
		}
		out = append(out, r)
	}
	return out
}

// later brings late contacts (started long before they arrive), more
// surveys and events, and merges: contacts naming two customers' ids at
// once, after both have contacts of their own.
func (w *world) later() []map[string]any {
	var out []map[string]any
	for range 2 * w.customers {
		out = append(out, w.contact())
	}
	out = append(out, w.surveys(w.customers/2)...)
	out = append(out, w.events(w.customers)...)
	for range 3 {
		a, b := w.rng.IntN(w.customers), w.rng.IntN(w.customers)
		if a == b {
			continue
		}
		in := w.contact()
		in["customer"] = map[string]any{"id": fmt.Sprintf("C%d", a), "email": fmt.Sprintf("c%d@example.com", b)}
		out = append(out, in)
	}
	return out
}

// updates re-imports some contacts and surveys with changed content.
func (w *world) updates() []map[string]any {
	var out []map[string]any
	seen := map[any]bool{}
	for range len(w.contacts) / 6 {
		in := w.contacts[w.rng.IntN(len(w.contacts))]
		if seen[in["id"]] {
			continue
		}
		seen[in["id"]] = true
		up := map[string]any{}
		for k, v := range in {
			up[k] = v
		}
		switch w.rng.IntN(4) {
		case 0:
			up["resolved"] = !(in["resolved"] == true)
		case 1:
			up["intent"] = w.pick(intents)
		case 2:
			up["cost"] = float64(w.rng.IntN(3000)) / 100
		case 3:
			up["started_at"] = w.when().Format(time.RFC3339)
			up["survey"] = map[string]any{"csat": 1 + w.rng.IntN(5)}
		}
		out = append(out, up)
	}
	for range 5 {
		n := 1 + w.rng.IntN(w.nextS)
		out = append(out, map[string]any{"type": "survey", "id": fmt.Sprintf("S%d", n),
			"interaction": map[string]any{"source": "t", "id": w.contacts[w.rng.IntN(len(w.contacts))]["id"]},
			"at":          w.when().Format(time.RFC3339), "csat": 1 + w.rng.IntN(5), "nps": w.rng.IntN(11)})
	}
	return out
}

// query draws a random query that both sources must answer alike.
func (w *world) query(rng *rand.Rand) metrics.Query {
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	var rowMetrics, custMetrics []string
	for _, m := range metrics.Registry() {
		if m.Over == metrics.Customers {
			custMetrics = append(custMetrics, m.ID)
		} else {
			rowMetrics = append(rowMetrics, m.ID)
		}
	}
	var q metrics.Query
	custDims := []string{"segment", "region", "cohort", "value_tier"}
	allDims := append([]string{"hour", "day", "week", "month", "channel", "queue", "journey_stage", "intent", "handler", "partner",
		"team", "agent", "vulnerable", "flag:anger", "flag:urgency", "flag:nothing"}, custDims...)
	dims := allDims
	pool := rowMetrics
	if rng.IntN(4) == 0 {
		pool, dims = custMetrics, custDims
	}
	seen := map[string]bool{}
	for range 1 + rng.IntN(4) {
		m := pick(pool)
		if !seen[m] {
			seen[m] = true
			q.Metrics = append(q.Metrics, m)
		}
	}
	seenD := map[string]bool{}
	for range rng.IntN(4) {
		d := pick(dims)
		if d == "hour" && rng.IntN(3) > 0 {
			continue
		}
		if !seenD[d] {
			seenD[d] = true
			q.By = append(q.By, d)
		}
	}
	values := map[string][]string{"channel": channels, "intent": append(intents, "(none)"), "handler": {"bot", "human"},
		"partner": append(partners, "(none)", "nobody"), "segment": {"family", "single", "business", "(none)"},
		"region": {"north", "south", "(none)"}, "value_tier": {"none", "low", "medium", "high"}, "vulnerable": {"yes", "no", "(none)"},
		"flag:anger": {"yes", "no"}, "team": {"t1", "t2", "(none)"}, "queue": {"q1", "q2", "(none)"}, "cohort": {"2026-03", "2025-12", "(none)"},
		"journey_stage": stages, "agent": {"A1", "A2", "(none)"}, "month": {"2026-08", "2026-09"}}
	for range rng.IntN(3) {
		d := pick(dims)
		vs := values[d]
		if vs == nil {
			continue
		}
		f := metrics.Filter{Dim: d, Not: rng.IntN(3) == 0}
		for range 1 + rng.IntN(2) {
			f.Values = append(f.Values, pick(vs))
		}
		q.Where = append(q.Where, f)
	}
	if rng.IntN(4) == 0 {
		q.Scope = cx.Scope{Partner: pick(partners)}
	}
	from := w.start.Add(time.Duration(rng.IntN(150*24)) * time.Hour)
	if rng.IntN(3) == 0 {
		from = from.Add(time.Duration(rng.IntN(3600)) * time.Second)
	}
	q.From = from
	q.To = from.Add(time.Duration(1+rng.IntN(w.maxDays*24)) * time.Hour)
	q.Compare = rng.IntN(3) == 0
	q.MinN = []int{0, 1, 2, 5}[rng.IntN(4)]
	z, _ := time.LoadLocation(pick(zones))
	q.Zone = z
	return q
}

func values(r *metrics.Result) int {
	n := 0
	for _, row := range r.Rows {
		for _, c := range row.Cells {
			if c.Value != nil {
				n++
			}
		}
	}
	return n
}

func describe(q metrics.Query) string {
	return fmt.Sprintf("m=%s by=%s where=%s scope=%q from=%s to=%s zone=%s compare=%v min_n=%d", strings.Join(q.Metrics, ","),
		strings.Join(q.By, ","), metrics.FormatWhere(q.Where), q.Scope.Partner, q.From.Format(time.RFC3339), q.To.Format(time.RFC3339),
		q.Zone, q.Compare, q.MinN)
}

// compare describes how got differs from want ("" when equal, floats to
// 1e-9 relative).
func compare(want, got *metrics.Result) string {
	if len(want.Rows) != len(got.Rows) {
		return fmt.Sprintf("rows: want %d %s, got %d %s", len(want.Rows), keysOf(want), len(got.Rows), keysOf(got))
	}
	for i := range want.Rows {
		wr, gr := want.Rows[i], got.Rows[i]
		if strings.Join(wr.Keys, "/") != strings.Join(gr.Keys, "/") {
			return fmt.Sprintf("row %d: want keys %v, got %v", i, wr.Keys, gr.Keys)
		}
		for j := range wr.Cells {
			if d := compareCell(&wr.Cells[j], &gr.Cells[j]); d != "" {
				return fmt.Sprintf("row %v cell %s: %s", wr.Keys, wr.Cells[j].Metric, d)
			}
		}
	}
	return ""
}

func compareCell(w, g *metrics.Cell) string {
	if w.Metric != g.Metric || w.N != g.N || w.LowN != g.LowN {
		return fmt.Sprintf("want %s n=%d low_n=%v, got %s n=%d low_n=%v", w.Metric, w.N, w.LowN, g.Metric, g.N, g.LowN)
	}
	for _, p := range []struct {
		name string
		w, g *float64
	}{{"value", w.Value, g.Value}, {"low", w.Low, g.Low}, {"high", w.High, g.High}} {
		if (p.w == nil) != (p.g == nil) {
			return fmt.Sprintf("%s: want %v, got %v", p.name, show(p.w), show(p.g))
		}
		if p.w != nil && math.Abs(*p.w-*p.g) > 1e-9*math.Max(1, math.Abs(*p.w)) {
			return fmt.Sprintf("%s: want %.15g, got %.15g", p.name, *p.w, *p.g)
		}
	}
	if (w.Previous == nil) != (g.Previous == nil) {
		return "previous: one is missing"
	}
	if w.Previous != nil {
		if d := compareCell(w.Previous, g.Previous); d != "" {
			return "previous: " + d
		}
		if w.Changed != g.Changed {
			return fmt.Sprintf("changed: want %v, got %v", w.Changed, g.Changed)
		}
	}
	return ""
}

func show(p *float64) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprint(*p)
}

func keysOf(r *metrics.Result) string {
	var ks []string
	for _, row := range r.Rows {
		ks = append(ks, strings.Join(row.Keys, "/"))
	}
	if len(ks) > 12 {
		ks = append(ks[:12], "…")
	}
	return "[" + strings.Join(ks, " ") + "]"
}
