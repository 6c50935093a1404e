package web_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/demo"
	"github.com/northstar-cx/northstar/internal/store"
)

// benchWorld is the world the page benchmarks run on: the shared test world,
// or a bigger one when NORTHSTAR_WEB_BENCH_CUSTOMERS is set (about 5.3
// contacts per customer over 60 days).
func benchWorld(b *testing.B) *world {
	n, _ := strconv.Atoi(os.Getenv("NORTHSTAR_WEB_BENCH_CUSTOMERS"))
	if n == 0 {
		return demoWorld(b)
	}
	// NORTHSTAR_WEB_BENCH_DIR keeps the big world between runs: it is
	// built there once and reopened after.
	dir := os.Getenv("NORTHSTAR_WEB_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	} else if _, err := os.Stat(filepath.Join(dir, "northstar.db")); err == nil {
		st, err := store.Open(b.Context(), "duckdb:"+filepath.Join(dir, "northstar.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return &world{dir: dir, st: st}
	}
	w, err := buildWorld(dir, demo.Config{Seed: 42, Customers: n, Days: 60})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { w.st.Close() })
	return w
}

// benchPages are the pages as a person opens them, default state first.
var benchPages = []struct{ name, path string }{
	{"overview", "/"},
	{"overview-90d-compare", "/?period=90d&compare=on&focus=turnaround"},
	{"interactions", "/interactions"},
	{"interactions-filtered", "/interactions?channel=voice&resolved=no&sent_max=-0.2"},
	{"interaction", ""}, // filled from the list
	{"customer", ""},
	{"intents", "/intents"},
	{"quality", "/quality"},
	{"value", "/value"},
}

// BenchmarkPages measures each page's server time (no browser): the whole
// handler, queries and rendering, after one warm-up request (facets and
// value linkage are cached across requests, as in a running server).
// It reports the p95 of the iterations as p95-ms.
func BenchmarkPages(b *testing.B) {
	w := benchWorld(b)
	h := w.handler()
	pages := append([]struct{ name, path string }(nil), benchPages...)
	list, err := w.st.ListInteractions(b.Context(), scopeAll, listAll, 0, 1)
	if err != nil || len(list.Items) == 0 {
		b.Fatalf("no interaction to open: %v", err)
	}
	it := list.Items[0]
	for i := range pages {
		switch pages[i].name {
		case "interaction":
			pages[i].path = "/interactions/" + it.Key.Source + "/" + it.Key.ID
		case "customer":
			pages[i].path = "/customers/" + strconv.FormatInt(it.Customer, 10)
		}
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			if code := serve(h, p.path); code != http.StatusOK {
				b.Fatalf("%s: status %d", p.path, code)
			}
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				serve(h, p.path)
				times = append(times, time.Since(start))
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			p95 := times[min(len(times)-1, len(times)*95/100)]
			b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
		})
	}
}

func serve(h http.Handler, path string) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}
