package memory_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/metrics/memory"
	"github.com/northstar-cx/northstar/internal/store/storetest"
)

// TestRefreshLaterSwapsInTheNewSnapshot: queries answer from the snapshot
// they started with until a background refresh swaps in the new one.
func TestRefreshLaterSwapsInTheNewSnapshot(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, "duckdb")
	w := newWorld(5)
	dir := t.TempDir()
	mustImport(t, st, w.write(t, dir, "first.ndjson", w.first()))
	src, err := memory.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	before := src.Stats().Rows
	q := metrics.Query{Metrics: []string{"contacts"}, From: w.start.AddDate(-1, 0, 0), To: w.start.AddDate(1, 0, 0)}
	count := func() float64 {
		res, err := src.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return *res.Rows[0].Cells[0].Value
	}
	if got := count(); got != float64(before) {
		t.Fatalf("contacts = %v, want %d", got, before)
	}
	mustImport(t, st, w.write(t, dir, "later.ndjson", w.later()))
	if got := count(); got != float64(before) {
		t.Fatalf("before the refresh: contacts = %v, want the old snapshot's %d", got, before)
	}
	src.RefreshLater()
	src.RefreshLater() // merged into the first
	deadline := time.Now().Add(20 * time.Second)
	for src.Stats().Rows == before {
		if time.Now().After(deadline) {
			t.Fatal("the background refresh did not swap in a new snapshot within 20 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	after := src.Stats().Rows
	if after <= before || count() != float64(after) {
		t.Fatalf("after the refresh: %d rows cached (was %d), contacts %v", after, before, count())
	}
	if st := src.Stats(); st.BytesPerRow <= 0 || st.LoadTime <= 0 {
		t.Errorf("stats: %+v", st)
	}
}

// TestStartAnswersFromTheFallbackUntilLoaded starts a source whose first
// load fails (its context is already over): it answers from the reference
// source, with the same result, until a refresh brings the snapshot in.
func TestStartAnswersFromTheFallbackUntilLoaded(t *testing.T) {
	st := storetest.Open(t, "duckdb")
	w := newWorld(7)
	mustImport(t, st, w.write(t, t.TempDir(), "first.ndjson", w.first()))
	over, cancel := context.WithCancel(context.Background())
	cancel()
	ref := metrics.NewSQL(st)
	src := memory.Start(over, st, ref)
	q := metrics.Query{Metrics: []string{"contacts", "csat"}, By: []string{"channel"}, From: w.start.AddDate(-1, 0, 0), To: w.start.AddDate(1, 0, 0)}
	want, err := ref.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the failed first load has run
	if src.Stats().Rows != 0 {
		t.Fatal("a snapshot was loaded under a cancelled context")
	}
	got, err := src.Query(context.Background(), q)
	if err != nil || !reflect.DeepEqual(got.Rows, want.Rows) {
		t.Fatalf("before loading: %v, %+v; want the reference's %+v", err, got, want)
	}
	if err := src.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if src.Stats().Rows == 0 {
		t.Fatal("no snapshot after Refresh")
	}
	got, err = src.Query(context.Background(), q)
	if err != nil || !reflect.DeepEqual(got.Rows, want.Rows) {
		t.Fatalf("after loading: %v, %+v; want the reference's %+v", err, got, want)
	}
}
