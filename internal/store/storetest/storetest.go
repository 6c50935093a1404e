// Package storetest gives tests fresh stores on every engine: an empty
// DuckDB file in the test's directory or an empty database on pgtest's
// throwaway PostgreSQL cluster, with the data key beside it. Packages that
// use it call pgtest.Main from their TestMain.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/pgtest"
	"github.com/northstar-cx/northstar/internal/store"
)

// Engines are the engines every store test runs on.
var Engines = []string{"duckdb", "postgres"}

// DSN returns a fresh, empty database of the engine and the test directory
// its data key belongs in.
func DSN(tb testing.TB, eng string) (dsn, dir string) {
	tb.Helper()
	dir = tb.TempDir()
	if eng == "postgres" {
		return pgtest.New(tb), dir
	}
	return "duckdb:" + filepath.Join(dir, "northstar.db"), dir
}

// Open opens a fresh store of the engine, with its data key in the test's
// directory and opts after that, and closes it when the test ends.
func Open(tb testing.TB, eng string, opts ...store.Option) *store.Store {
	tb.Helper()
	dsn, dir := DSN(tb, eng)
	st, err := store.Open(context.Background(), dsn, append([]store.Option{store.WithKeyFile(filepath.Join(dir, "data.key"))}, opts...)...)
	if err != nil {
		tb.Fatalf("open %s: %v", eng, err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// Each runs body as a subtest per engine.
func Each(t *testing.T, body func(t *testing.T, eng string)) {
	for _, eng := range Engines {
		t.Run(eng, func(t *testing.T) { body(t, eng) })
	}
}

// AnalyzeFromAttributes stands in for the analysis pipeline so fixtures
// state every analysed value exactly, in attributes: t_sentiment,
// t_sentiment_change, t_effort, t_qa, t_flags, t_vulnerable; t_raw leaves a
// contact unanalysed. Resolution is the source's.
func AnalyzeFromAttributes(in *cx.Interaction) {
	a := in.Attributes
	if a["t_raw"] == true {
		return
	}
	an := &cx.Analysis{Resolved: in.Resolved != nil && *in.Resolved, Vulnerable: a["t_vulnerable"] == true}
	if v, ok := a["t_sentiment"].(float64); ok {
		an.Sentiment = &v
	}
	if v, ok := a["t_sentiment_change"].(float64); ok {
		an.SentimentChange = &v
	}
	if v, ok := a["t_effort"].(float64); ok {
		an.Effort = v
	}
	if v, ok := a["t_qa"].(float64); ok {
		an.QA = &cx.QAResult{Score: v}
	}
	if fs, ok := a["t_flags"].([]any); ok {
		for _, f := range fs {
			an.Flags = append(an.Flags, cx.Flag{Kind: f.(string)})
		}
	}
	in.Analysis = an
}
