package metrics_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/pgtest"
	"github.com/northstar-cx/northstar/internal/store"
	"github.com/northstar-cx/northstar/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// engines runs body against a fresh store of every engine.
func engines(t *testing.T, body func(t *testing.T, st *store.Store)) {
	t.Helper()
	for _, eng := range storetest.Engines {
		t.Run(eng, func(t *testing.T) {
			body(t, storetest.Open(t, eng))
		})
	}
}

// mustImport imports testdata files through the real import path.
func mustImport(tb testing.TB, st *store.Store, files ...string) {
	tb.Helper()
	var srcs []ingest.Source
	for _, f := range files {
		srcs = append(srcs, ingest.FileSource(filepath.Join("testdata", f)))
	}
	rep, err := ingest.Import(context.Background(), st, srcs, ingest.Options{
		Normalizer: identity.Normalizer{Region: "GB"}, Analyze: storetest.AnalyzeFromAttributes, RepeatWindow: 7 * 24 * time.Hour})
	if err != nil {
		tb.Fatalf("import %v: %v", files, err)
	}
	if len(rep.Problems) > 0 {
		tb.Fatalf("import %v: %v", files, rep.Problems)
	}
}

var (
	oct = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	nov = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	lon = mustZone("Europe/London")
)

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return z
}

func mustQuery(tb testing.TB, src metrics.Source, q metrics.Query) *metrics.Result {
	tb.Helper()
	if q.From.IsZero() {
		q.From, q.To = oct, nov
	}
	res, err := src.Query(context.Background(), q)
	if err != nil {
		tb.Fatalf("query %+v: %v", q, err)
	}
	return res
}

// cell finds the cell of metric in the row with keys ("" for no By).
func cell(tb testing.TB, res *metrics.Result, keys string, metric string) metrics.Cell {
	tb.Helper()
	for _, r := range res.Rows {
		if strings.Join(r.Keys, "/") != keys {
			continue
		}
		for _, c := range r.Cells {
			if c.Metric == metric {
				return c
			}
		}
	}
	tb.Fatalf("no cell %s for %q in %s", metric, keys, rowKeys(res))
	return metrics.Cell{}
}

func rowKeys(res *metrics.Result) string {
	var ks []string
	for _, r := range res.Rows {
		ks = append(ks, strings.Join(r.Keys, "/"))
	}
	return "[" + strings.Join(ks, " ") + "]"
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9*math.Max(1, math.Abs(b)) }

// want checks a cell's n and value (nil for no value).
func want(tb testing.TB, c metrics.Cell, n int64, v *float64) {
	tb.Helper()
	switch {
	case c.N != n:
		tb.Errorf("%s: n = %d, want %d", c.Metric, c.N, n)
	case v == nil && c.Value != nil:
		tb.Errorf("%s: value = %v, want none", c.Metric, *c.Value)
	case v != nil && c.Value == nil:
		tb.Errorf("%s: no value (low_n %v), want %v", c.Metric, c.LowN, *v)
	case v != nil && !near(*c.Value, *v):
		tb.Errorf("%s: value = %.12g, want %.12g", c.Metric, *c.Value, *v)
	}
}

func f(v float64) *float64 { return &v }
