package memory_test

import (
	"context"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/metrics/memory"
	"github.com/northstar-cx/northstar/internal/store"
)

var benchRows = flag.Int("bench-rows", 200_000, "synthetic contacts for the memory source benchmarks")

// benchSource loads a synthetic world of -bench-rows contacts into a
// temporary DuckDB store and the memory source over it.
func benchSource(b *testing.B) (*memory.Source, *store.Store) {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	st, err := store.Open(ctx, "duckdb:"+filepath.Join(dir, "b.db"), store.WithKeyFile(filepath.Join(dir, "data.key")))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.LoadSynthetic(ctx, store.SyntheticOptions{Interactions: *benchRows, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	src, err := memory.Load(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	return src, st
}

// The dashboard's calls, as `northstar bench metrics` times them.
var benchQueries = []struct {
	name, m, by string
	days        int
	compare     bool
	where       []metrics.Filter
}{
	{"portfolio", "contacts,csat,nps,ces,fcr,repeat_rate,containment,escalation_rate,aht,asa,cost_per_contact,cost_to_serve,sentiment,qa_score", "", 28, true, nil},
	{"value", "retention,churn,ltv,margin", "", 90, true, nil},
	{"trend-by-day", "contacts,csat,fcr,containment", "day", 90, false, nil},
	{"intent-x-handler", "contacts,containment,csat,repeat_rate,cost_per_resolution", "intent,handler", 28, false, nil},
	{"partner-x-week", "qa_score,csat,aht,fcr", "partner,week", 90, true, nil},
	{"one-intent", "contacts,csat,fcr,repeat_rate,aht,cost_per_contact", "week", 90, false, []metrics.Filter{{Dim: "intent", Values: []string{"billing_query"}}}},
	{"by-agent", "qa_score,csat,aht,fcr,contacts", "agent", 28, false, nil},
}

func BenchmarkQuery(b *testing.B) {
	src, _ := benchSource(b)
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, bq := range benchQueries {
		q := metrics.Query{Metrics: strings.Split(bq.m, ","), From: end.AddDate(0, 0, -bq.days), To: end, Compare: bq.compare, Where: bq.where}
		if bq.by != "" {
			q.By = strings.Split(bq.by, ",")
		}
		b.Run(bq.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := src.Query(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(*benchRows), "contacts")
		})
	}
}

// BenchmarkRefresh is the cost of reading a new snapshot after an import.
func BenchmarkRefresh(b *testing.B) {
	src, _ := benchSource(b)
	for b.Loop() {
		if err := src.Refresh(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(src.Stats().BytesPerRow, "bytes/contact")
}
