// Package memory is the fast metrics source: an immutable, in-memory,
// columnar copy of the store's fact columns (dictionary-encoded dimensions,
// typed facts, interactions sorted by start time) that answers
// metrics.Query with the registry's definitions compiled to tight loops over
// bitsets and arrays, split over GOMAXPROCS goroutines. At load it also
// evaluates the registry's predicates into bitsets and totals every block of
// 4,096 rows per metric, so long periods without filters read mostly
// totals. It returns the same results as the reference SQL source
// (metrics.NewSQL), which property tests check on random worlds on both
// engines.
//
// The copy is refreshed after imports: Refresh (or RefreshLater) reads a new
// snapshot in the background and swaps it in atomically; queries keep using
// the previous snapshot until then and never wait for a load.
package memory

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// Source answers metric queries from an in-memory snapshot of the store.
type Source struct {
	st  *store.Store
	log *slog.Logger
	cur atomic.Pointer[snapshot]
	// fallback answers until the first snapshot is in (Start); nil with Load.
	fallback metrics.Source

	// load serialises snapshot reads; gen counts loads started, so a
	// Refresh can tell whether a finished load began after it was called.
	load    sync.Mutex
	started atomic.Int64
	done    atomic.Int64
	pending atomic.Bool
}

// Option configures Load.
type Option func(*Source)

// WithLogger sets where background refreshes report (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(s *Source) { s.log = l } }

// Load reads the first snapshot from st and returns a Source over it.
func Load(ctx context.Context, st *store.Store, opts ...Option) (*Source, error) {
	s := &Source{st: st, log: slog.Default()}
	for _, o := range opts {
		o(s)
	}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Start returns a Source that answers from fallback (the reference SQL
// source: equal results, slower) while it reads its first snapshot in the
// background, and from memory once that is in. A server starts this way so
// it serves at once, even when the first read of a large PostgreSQL store
// takes minutes. A failed first read is logged and retried by the next
// RefreshLater; until then fallback answers.
func Start(ctx context.Context, st *store.Store, fallback metrics.Source, opts ...Option) *Source {
	s := &Source{st: st, log: slog.Default(), fallback: fallback}
	for _, o := range opts {
		o(s)
	}
	go func() {
		start := time.Now()
		if err := s.Refresh(ctx); err != nil {
			if ctx.Err() == nil {
				s.log.Error("metrics cache not loaded; answering from the database", "err", err)
			}
			return
		}
		st := s.Stats()
		s.log.Info("metrics cache loaded", "rows", st.Rows, "took", time.Since(start).Round(time.Millisecond), "bytes", st.Bytes)
	}()
	return s
}

// Refresh reads a new snapshot and swaps it in, returning once a snapshot
// read after the call is in use. Concurrent calls share loads. Queries keep
// answering from the previous snapshot meanwhile.
func (s *Source) Refresh(ctx context.Context) error {
	want := s.started.Load() + 1 // a load starting after now
	s.load.Lock()
	defer s.load.Unlock()
	if s.done.Load() >= want && s.cur.Load() != nil {
		return nil // another caller's load began after ours was asked for
	}
	gen := s.started.Add(1)
	snap, err := build(ctx, s.st)
	if err != nil {
		return fmt.Errorf("metrics cache: %w", err)
	}
	if err := snap.warm(ctx, s.cur.Load()); err != nil {
		return fmt.Errorf("metrics cache: %w", err)
	}
	s.cur.Store(snap)
	s.done.Store(gen)
	return nil
}

// RefreshLater schedules a refresh in the background and returns at once:
// what the server calls after each import. Calls while a refresh is
// waiting to start are merged into it, so a burst of imports costs one or
// two loads, not one each.
func (s *Source) RefreshLater() {
	if !s.pending.CompareAndSwap(false, true) {
		return
	}
	go func() {
		s.load.Lock() // wait for a running load: it may predate the import
		s.pending.Store(false)
		s.load.Unlock()
		start := time.Now()
		if err := s.Refresh(context.Background()); err != nil {
			s.log.Error("metrics cache refresh failed; answering from the previous snapshot", "err", err)
			return
		}
		st := s.Stats()
		s.log.Info("metrics cache refreshed", "rows", st.Rows, "took", time.Since(start).Round(time.Millisecond), "bytes", st.Bytes)
	}()
}

// Stats describes the snapshot in use.
type Stats struct {
	Rows        int           `json:"rows"`
	Surveys     int           `json:"surveys"`
	Customers   int           `json:"customers"`
	Events      int           `json:"events"`
	Bytes       int64         `json:"bytes"`
	BytesPerRow float64       `json:"bytes_per_row"`
	LoadTime    time.Duration `json:"load_time"`
	ReadAt      time.Time     `json:"read_at"`
}

// Stats reports the size of the snapshot in use (zero before the first).
func (s *Source) Stats() Stats {
	sn := s.cur.Load()
	if sn == nil {
		return Stats{}
	}
	st := Stats{Rows: sn.f.Rows, Surveys: sn.f.Surveys.Rows, Customers: len(sn.f.Customers.SignupAt), Events: sn.f.Events.Rows,
		Bytes: sn.bytes, LoadTime: sn.took, ReadAt: sn.f.ReadAt}
	if st.Rows > 0 {
		st.BytesPerRow = float64(st.Bytes) / float64(st.Rows)
	}
	return st
}

// Latest is the start of the latest contact in the snapshot.
func (s *Source) Latest() (time.Time, bool) {
	sn := s.cur.Load()
	if sn == nil || sn.f.Rows == 0 {
		return time.Time{}, false
	}
	return time.UnixMicro(sn.f.StartedAt[sn.f.Rows-1]).UTC(), true
}

// Query answers q from the current snapshot.
func (s *Source) Query(ctx context.Context, q metrics.Query) (*metrics.Result, error) {
	if err := metrics.Validate(&q); err != nil {
		return nil, err
	}
	sn := s.cur.Load()
	if sn == nil {
		if s.fallback == nil {
			return nil, errors.New("metrics cache: not loaded yet")
		}
		return s.fallback.Query(ctx, q)
	}
	return sn.query(ctx, q)
}

// registryColumns lists the interactions columns the registry's definitions
// and the dimensions read.
func registryColumns() []string {
	set := map[string]bool{"channel": true, "queue": true, "journey_stage": true, "intent": true, "handler": true,
		"partner": true, "team": true, "agent_id": true, "flags": true, "vulnerable": true, "cost": true}
	var walk func(p metrics.Pred)
	walk = func(p metrics.Pred) {
		if p.Col != "" && store.FactColumns[p.Col] != "" {
			set[p.Col] = true
		}
		for _, a := range p.Args {
			walk(a)
		}
	}
	for _, m := range metrics.Registry() {
		if m.Over == metrics.Customers {
			continue
		}
		walk(m.Base)
		walk(m.Hit)
		if m.Value.Col != "" && store.FactColumns[m.Value.Col] != "" {
			set[m.Value.Col] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
