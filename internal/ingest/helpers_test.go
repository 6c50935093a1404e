package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/store"
)

// mustStore opens a fresh embedded store in a temporary directory.
func mustStore(tb testing.TB) *store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), "duckdb:"+filepath.Join(tb.TempDir(), "n.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// writeTemp writes data to a file called name in a fresh temporary directory.
func writeTemp(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// testOptions are the options the CLI uses by default, minus analysis.
func testOptions() Options {
	return Options{Normalizer: identity.Normalizer{Region: "GB"}}
}

// mustImport imports files into st and fails the test on a fatal error.
func mustImport(tb testing.TB, st Store, o Options, paths ...string) *Report {
	tb.Helper()
	srcs := make([]Source, len(paths))
	for i, p := range paths {
		srcs[i] = FileSource(p)
	}
	rep, err := Import(context.Background(), st, srcs, o)
	if err != nil {
		tb.Fatalf("import %s: %v", strings.Join(paths, ", "), err)
	}
	return rep
}

// storedKeys lists the stored interactions' source/id keys.
func storedKeys(tb testing.TB, st *store.Store) []string {
	tb.Helper()
	rows, err := st.DB().QueryContext(context.Background(), `SELECT source || '/' || ext_id FROM interactions ORDER BY 1`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			tb.Fatal(err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// counts returns the store's row counts by table.
func counts(tb testing.TB, st *store.Store) map[string]int64 {
	tb.Helper()
	n, err := st.Counts(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// problemStrings renders a report's problems as the CLI prints them.
func problemStrings(rep *Report) []string {
	out := make([]string, len(rep.Problems))
	for i, p := range rep.Problems {
		out[i] = p.String()
	}
	return out
}

// countsOf returns the counts of one record type, zero when absent.
func countsOf(rep *Report, t cx.RecordType) Counts {
	if c, ok := rep.Counts[t]; ok {
		return *c
	}
	return Counts{}
}
