package insight_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/metrics/memory"
	"github.com/northstar-cx/northstar/internal/store"
)

// TestFastSourceGivesTheSameInsights checks automation fit and the
// portfolio are the same through the in-memory metrics source as through
// the SQL reference: the insights get the fast source's speed, not other
// answers.
func TestFastSourceGivesTheSameInsights(t *testing.T) {
	w := demoWorld(t)
	ctx := context.Background()
	mem, err := memory.Load(ctx, w.st)
	if err != nil {
		t.Fatal(err)
	}
	slow := insight.NewService(w.st.DB(), metrics.NewSQL(w.st))
	fast := insight.NewService(w.st.DB(), mem)
	a, _, err := slow.Automation(ctx, insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := fast.Automation(ctx, insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("SQL source: %d intents, memory source: %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Recommendation != b[i].Recommendation || !closeFits(a[i], b[i]) {
			t.Errorf("%s: SQL %s %v\nmemory %s %v", a[i].Intent, a[i].Recommendation, a[i].Reasons, b[i].Recommendation, b[i].Reasons)
		}
	}
	for _, focus := range []string{insight.Growth, insight.Turnaround} {
		p1, err := slow.Portfolio(ctx, focus, insight.Period{}, cx.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		p2, err := fast.Portfolio(ctx, focus, insight.Period{}, cx.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range p1.Items {
			if p1.Items[i].Sentence != p2.Items[i].Sentence {
				t.Errorf("%s/%s: SQL %q, memory %q", focus, p1.Items[i].Metric, p1.Items[i].Sentence, p2.Items[i].Sentence)
			}
		}
	}
}

// closeFits compares two fits' estimates to 1e-9 (sums in another order).
func closeFits(a, b insight.IntentFit) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := 0; i < va.NumField(); i++ {
		ea, ok := va.Field(i).Interface().(insight.Est)
		if !ok {
			continue
		}
		eb := vb.Field(i).Interface().(insight.Est)
		if ea.N != eb.N || (ea.Value == nil) != (eb.Value == nil) || (ea.Value != nil && abs(*ea.Value-*eb.Value) > 1e-9) {
			return false
		}
	}
	return a.Contacts == b.Contacts
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// benchStore is the store benchmarks run on: the database INSIGHT_BENCH_DB
// names (e.g. a world from `northstar demo --customers 150000 --no-serve`),
// or the shared test world.
func benchStore(b *testing.B) *store.Store {
	path := os.Getenv("INSIGHT_BENCH_DB")
	if path == "" {
		return demoWorld(b).st
	}
	st, err := store.Open(context.Background(), "duckdb:"+path, store.WithKeyFile(path+".key"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// latencies runs call n times and reports p50 and p95 in milliseconds.
func latencies(b *testing.B, n int, call func() error) {
	d := make([]time.Duration, 0, n)
	b.ResetTimer()
	for range n {
		t0 := time.Now()
		if err := call(); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	ms := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))].Nanoseconds()) / 1e6 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkInsights measures every insight call the dashboard makes:
// computed (cold: a period not asked before, through the SQL reference and
// the in-memory metrics source) and answered from the service's memory
// (cached), and value linkage cold (a full customer-level scan) and cached.
// Run with
//
//	INSIGHT_BENCH_DB=/path/northstar.db go test ./internal/insight -run '^$' -bench Insights -benchtime 1x
func BenchmarkInsights(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	t0 := time.Now()
	mem, err := memory.Load(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("memory source loaded in %s", time.Since(t0).Round(time.Millisecond))
	span, _, err := insight.NewService(st.DB(), mem).Span(ctx)
	if err != nil {
		b.Fatal(err)
	}
	last30 := insight.Period{From: span.To.Add(-30 * 24 * time.Hour), To: span.To}
	// shifted is p moved i days earlier: a period the service has not
	// cached, cut at midnight as the dashboard's periods are.
	shifted := func(p insight.Period, i int) insight.Period {
		d := time.Duration(i) * 24 * time.Hour
		return insight.Period{From: p.From.Add(-d), To: p.To.Add(-d)}
	}
	for _, src := range []struct {
		name string
		s    metrics.Source
		n    int
	}{{"sql", metrics.NewSQL(st), 5}, {"memory", mem, 20}} {
		svc := insight.NewService(st.DB(), src.s)
		svc.Log = nil
		if _, err := svc.Value(ctx, insight.Period{}, cx.Scope{}); err != nil { // portfolios add its statements
			b.Fatal(err)
		}
		i := 0
		b.Run("automation-cold/"+src.name, func(b *testing.B) {
			latencies(b, src.n, func() error {
				i++
				_, _, err := svc.Automation(ctx, shifted(span, i), cx.Scope{})
				return err
			})
		})
		for _, focus := range []string{insight.Growth, insight.ProfitProtection} {
			b.Run(fmt.Sprintf("portfolio-%s-cold/%s", focus, src.name), func(b *testing.B) {
				latencies(b, src.n, func() error {
					i++
					_, err := svc.Portfolio(ctx, focus, shifted(last30, i), cx.Scope{})
					return err
				})
			})
		}
	}
	svc := insight.NewService(st.DB(), mem)
	svc.Log = nil
	b.Run("value-cold", func(b *testing.B) {
		latencies(b, 3, func() error { svc.Invalidate(); _, err := svc.Value(ctx, insight.Period{}, cx.Scope{}); return err })
	})
	for _, c := range []struct {
		name string
		call func() error
	}{
		{"value", func() error { _, err := svc.Value(ctx, insight.Period{}, cx.Scope{}); return err }},
		{"automation", func() error { _, _, err := svc.Automation(ctx, insight.Period{}, cx.Scope{}); return err }},
		{"portfolio-growth", func() error { _, err := svc.Portfolio(ctx, insight.Growth, insight.Period{}, cx.Scope{}); return err }},
		{"portfolio-profit_protection", func() error {
			_, err := svc.Portfolio(ctx, insight.ProfitProtection, insight.Period{}, cx.Scope{})
			return err
		}},
	} {
		if err := c.call(); err != nil { // the first call computes
			b.Fatal(err)
		}
		b.Run(c.name+"-cached", func(b *testing.B) { latencies(b, 1000, c.call) })
	}
}
