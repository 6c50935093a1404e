package metrics_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/analysis"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/demo"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store/storetest"
)

// benchQueries are typical dashboard and analyst calls.
var benchQueries = []struct {
	name string
	q    metrics.Query
}{
	{"daily_4_metrics", metrics.Query{Metrics: []string{"contacts", "csat", "fcr", "containment"}, By: []string{"day"}}},
	{"intent_handler", metrics.Query{Metrics: []string{"csat", "repeat_rate", "containment", "cost_per_resolution"}, By: []string{"intent", "handler"}}},
	{"segment_filtered", metrics.Query{Metrics: []string{"nps", "ces", "aht"}, By: []string{"segment"},
		Where: []metrics.Filter{{Dim: "channel", Values: []string{"chat", "voice"}}}}},
	{"weekly_compare", metrics.Query{Metrics: []string{"csat", "fcr", "escalation_rate"}, By: []string{"week"}, Compare: true}},
	{"customer_value", metrics.Query{Metrics: []string{"retention", "ltv", "margin"}, By: []string{"segment"}}},
	{"flag_value_tier", metrics.Query{Metrics: []string{"contacts", "sentiment", "cost_to_serve"}, By: []string{"flag:anger", "value_tier"}}},
}

// BenchmarkSQLSource runs the reference source over a demo world imported
// through the real path (analysis on, redaction off to save set-up time).
// NORTHSTAR_BENCH_CUSTOMERS sets the world's size (default 5,000 customers,
// about 37,000 contacts over 90 days); queries cover its last 28 days.
func BenchmarkSQLSource(b *testing.B) {
	customers := 5000
	if v, err := strconv.Atoi(os.Getenv("NORTHSTAR_BENCH_CUSTOMERS")); err == nil && v > 0 {
		customers = v
	}
	dir := b.TempDir()
	cfg := demo.DefaultConfig()
	cfg.Customers = customers
	ctx := context.Background()
	if _, err := demo.Write(ctx, dir, cfg, nil); err != nil {
		b.Fatal(err)
	}
	pipe, err := analysis.New(analysis.Options{Region: "GB"})
	if err != nil {
		b.Fatal(err)
	}
	for _, eng := range storetest.Engines {
		b.Run(eng, func(b *testing.B) {
			st := storetest.Open(b, eng)
			var srcs []ingest.Source
			for _, f := range demo.WorldFiles() {
				srcs = append(srcs, ingest.FileSource(filepath.Join(dir, f)))
			}
			start := time.Now()
			_, err := ingest.Import(ctx, st, srcs, ingest.Options{Normalizer: identity.Normalizer{Region: "GB"}, Analyze: pipe.Analyze, RepeatWindow: 7 * 24 * time.Hour})
			if err != nil {
				b.Fatal(err)
			}
			counts, err := st.Counts(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: imported %d interactions in %.1fs", eng, counts["interactions"], time.Since(start).Seconds())
			from, to, err := metrics.DefaultPeriod(ctx, st, cx.Scope{}, time.UTC)
			if err != nil {
				b.Fatal(err)
			}
			src := metrics.NewSQL(st)
			for _, bq := range benchQueries {
				b.Run(bq.name, func(b *testing.B) {
					q := bq.q
					q.From, q.To = from, to
					for b.Loop() {
						if _, err := src.Query(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
