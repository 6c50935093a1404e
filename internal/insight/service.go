package insight

import (
	"container/list"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/metrics/memory"
)

// Service answers the insight calls the API, the CLI and the dashboard
// make, and keeps every answer in memory per period, scope and data version
// (answers are shared between callers: read them, never modify them):
// value linkage reads the store customer by customer, and automation fit
// and the portfolio run several metric queries, so a dashboard refresh must
// not recompute them. Call Invalidate after new data is stored.
type Service struct {
	DB      *sql.DB
	Source  metrics.Source
	Rules   Rules
	Options ValueOptions
	Log     *slog.Logger
	// CacheSize bounds the answers kept (default 64).
	CacheSize int
	// Currency is used in sentences when the data names none.
	Currency string
	// Background, when set (the server sets its lifetime context), lets
	// Invalidate recompute the most recently used value reports in the
	// background, and Warm keep the answers warm, so that the dashboard's
	// next call is answered from memory rather than waiting for the scans.
	Background context.Context

	// The data version is the latest import's id, read at most once a
	// second: an import by another process (PostgreSQL is shared) then
	// invalidates the cache too, without the server having to be told.
	seenImport int64
	checkedAt  time.Time

	mu      sync.Mutex
	span    *spanInfo
	lru     *list.List // of *memoEntry, most recent first
	entries map[string]*list.Element
}

type spanInfo struct {
	period   Period
	currency string
}

// memoEntry is one cached answer, or one being computed (done open).
type memoEntry struct {
	key     string
	done    chan struct{}
	val     any
	err     error
	compute func(context.Context) (any, error)
}

// NewService returns a service over the store's connection pool and a
// metrics source, with the default rules and options.
func NewService(db *sql.DB, src metrics.Source) *Service {
	return &Service{DB: db, Source: src, Rules: DefaultRules(), Options: DefaultValueOptions(), Log: slog.Default()}
}

// Invalidate forgets everything computed from the data: call it after an
// import. Answers being computed finish for their callers but are not kept.
// With Background set, the most recently used value reports are recomputed
// at once (answers from the metrics source are recomputed by Warm's loop
// when the source has caught up with the import).
func (s *Service) Invalidate() {
	s.mu.Lock()
	var recent []*memoEntry
	if s.lru != nil {
		for el := s.lru.Front(); el != nil && len(recent) < warmKeys; el = el.Next() {
			if e := el.Value.(*memoEntry); strings.HasPrefix(e.key, "value|") {
				recent = append(recent, e)
			}
		}
	}
	s.span = nil
	s.lru, s.entries = nil, nil
	s.mu.Unlock()
	if s.Background != nil && len(recent) > 0 {
		go s.rewarm(recent)
	}
}

// warmKeys is how many of the most recently used answers are recomputed.
const warmKeys = 4

func (s *Service) rewarm(es []*memoEntry) {
	for _, e := range es {
		if s.Background.Err() != nil {
			return
		}
		if _, err := s.memo(s.Background, e.key, e.compute); err != nil && s.Log != nil && s.Background.Err() == nil {
			s.Log.Warn("insight warm-up failed", "key", e.key, "err", err)
		}
	}
}

// Warm computes the default value report in the background, so that the
// first dashboard call after the server starts is answered from memory, and
// then, every few seconds until Background ends, recomputes the most recent
// answers when the metrics source has loaded newer data (the in-memory
// source refreshes in the background after imports). It needs Background.
func (s *Service) Warm() {
	if s.Background == nil {
		return
	}
	go func() {
		ctx := s.Background
		if _, err := s.Value(ctx, Period{}, cx.Scope{}); err != nil && s.Log != nil && ctx.Err() == nil {
			s.Log.Info("value linkage not warmed", "err", err)
		}
		seen := s.sourceVersion()
		tick := time.NewTicker(2 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if err := s.checkVersion(ctx); err != nil {
				continue
			}
			v := s.sourceVersion()
			if v == seen {
				continue
			}
			seen = v
			s.mu.Lock()
			var recent []*memoEntry
			if s.lru != nil {
				for el := s.lru.Front(); el != nil && len(recent) < warmKeys; el = el.Next() {
					if e := el.Value.(*memoEntry); !strings.HasPrefix(e.key, "value|") {
						recent = append(recent, e)
					}
				}
			}
			s.mu.Unlock()
			for _, e := range recent {
				// The key names the old snapshot: recompute under the new one.
				k := e.key[:strings.LastIndex(e.key, "@")+1] + v
				if _, err := s.memo(ctx, k, e.compute); err != nil && s.Log != nil && ctx.Err() == nil {
					s.Log.Warn("insight warm-up failed", "key", k, "err", err)
				}
			}
		}
	}()
}

// sourceVersion names the data the metrics source answers from: the
// in-memory source's snapshot, which refreshes in the background after
// imports, so answers computed from an older snapshot are not reused.
func (s *Service) sourceVersion() string {
	if v, ok := s.Source.(interface{ Stats() memory.Stats }); ok {
		return v.Stats().ReadAt.UTC().Format(time.RFC3339Nano)
	}
	return "store"
}

// memo returns the answer cached under key, or computes it once: concurrent
// callers of the same key wait for one computation. Failures are not kept.
func (s *Service) memo(ctx context.Context, key string, compute func(context.Context) (any, error)) (any, error) {
	s.mu.Lock()
	if s.entries == nil {
		s.lru, s.entries = list.New(), map[string]*list.Element{}
	}
	if el, ok := s.entries[key]; ok {
		s.lru.MoveToFront(el)
		e := el.Value.(*memoEntry)
		s.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err == nil {
			return e.val, nil
		}
		s.mu.Lock()
		if cur, ok := s.entries[key]; ok && cur == el {
			s.lru.Remove(el)
			delete(s.entries, key)
		}
		s.mu.Unlock()
		return nil, e.err
	}
	e := &memoEntry{key: key, done: make(chan struct{}), compute: compute}
	s.entries[key] = s.lru.PushFront(e)
	max := s.CacheSize
	if max <= 0 {
		max = 64
	}
	for s.lru.Len() > max {
		last := s.lru.Back()
		s.lru.Remove(last)
		delete(s.entries, last.Value.(*memoEntry).key)
	}
	s.mu.Unlock()
	// The computation outlives a cancelled first caller, so that the others
	// waiting on it still get an answer.
	e.val, e.err = compute(context.WithoutCancel(ctx))
	close(e.done)
	if e.err != nil {
		s.mu.Lock()
		if cur, ok := s.entries[key]; ok && cur.Value == e {
			s.lru.Remove(cur)
			delete(s.entries, key)
		}
		s.mu.Unlock()
	}
	return e.val, e.err
}

func scopeKey(p Period, scope cx.Scope) string {
	return p.From.UTC().Format(time.RFC3339Nano) + "|" + p.To.UTC().Format(time.RFC3339Nano) + "|" + scope.Partner
}

// checkVersion invalidates the cache when an import happened since the
// last check.
func (s *Service) checkVersion(ctx context.Context) error {
	s.mu.Lock()
	if time.Since(s.checkedAt) < time.Second {
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	var id int64
	if err := s.DB.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM imports`).Scan(&id); err != nil {
		return fmt.Errorf("insights: read the data version: %w", err)
	}
	s.mu.Lock()
	changed := id != s.seenImport
	s.seenImport, s.checkedAt = id, time.Now()
	s.mu.Unlock()
	if changed {
		s.Invalidate()
	}
	return nil
}

// Span is the period the data covers: from the day of the first contact to
// the day after the last (UTC), and the data's currency.
func (s *Service) Span(ctx context.Context) (Period, string, error) {
	if err := s.checkVersion(ctx); err != nil {
		return Period{}, "", err
	}
	s.mu.Lock()
	if sp := s.span; sp != nil {
		s.mu.Unlock()
		return sp.period, sp.currency, nil
	}
	s.mu.Unlock()
	var lo, hi sql.NullTime
	if err := s.DB.QueryRowContext(ctx, `SELECT min(started_at), max(started_at) FROM interactions`).Scan(&lo, &hi); err != nil {
		return Period{}, "", fmt.Errorf("insights: find the period the data covers: %w", err)
	}
	if !lo.Valid {
		return Period{}, "", cx.Errorf(cx.ENOTFOUND, "no contacts stored yet: import some first (northstar import FILE, or northstar demo)")
	}
	cur, err := currency(ctx, s.DB)
	if err != nil {
		return Period{}, "", err
	}
	if cur == "" {
		cur = s.Currency
	}
	p := Period{From: lo.Time.UTC().Truncate(24 * time.Hour), To: hi.Time.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)}
	s.mu.Lock()
	s.span = &spanInfo{period: p, currency: cur}
	s.mu.Unlock()
	return p, cur, nil
}

// rules are the configured rules with the data's currency.
func (s *Service) rules(cur string) Rules {
	r := s.Rules
	if r.MinContacts == 0 {
		r = DefaultRules()
	}
	if r.Currency == "" {
		r.Currency = cur
	}
	return r
}

// Automation is automation fit over p (zero: the whole span of the data),
// computed once per period, scope and data version.
func (s *Service) Automation(ctx context.Context, p Period, scope cx.Scope) ([]IntentFit, Period, error) {
	span, cur, err := s.Span(ctx)
	if err != nil {
		return nil, p, err
	}
	if p.IsZero() {
		p = span
	}
	if err := p.Valid(); err != nil {
		return nil, p, err
	}
	v, err := s.memo(ctx, "automation|"+scopeKey(p, scope)+"@"+s.sourceVersion(), func(ctx context.Context) (any, error) {
		return AutomationWith(ctx, s.Source, p, scope, s.rules(cur))
	})
	if err != nil {
		return nil, p, err
	}
	return v.([]IntentFit), p, nil
}

// DefaultValuePeriod is the experience period value linkage uses when none
// is given: the data's span less the minimum follow-up at its end, so that
// every customer in it can be followed.
func (s *Service) DefaultValuePeriod(ctx context.Context) (Period, error) {
	span, _, err := s.Span(ctx)
	if err != nil {
		return Period{}, err
	}
	o := s.options()
	to := span.To.Add(-o.MinFollowUp)
	if !to.After(span.From) {
		return Period{}, cx.Errorf(cx.ENOTFOUND, "the data covers %s, too short to follow customers for %d days after their contacts: import more history",
			span, int(o.MinFollowUp.Hours()/24))
	}
	return Period{From: span.From, To: to}, nil
}

func (s *Service) options() ValueOptions {
	o := s.Options
	if o.FollowUp <= 0 {
		o = DefaultValueOptions()
	}
	if o.Currency == "" {
		o.Currency = s.Currency
	}
	return o
}

// Value is value linkage over p (zero: DefaultValuePeriod), computed once
// per period, scope and data version; concurrent callers of the same report
// wait for one computation.
func (s *Service) Value(ctx context.Context, p Period, scope cx.Scope) (*ValueReport, error) {
	if p.IsZero() {
		var err error
		if p, err = s.DefaultValuePeriod(ctx); err != nil {
			return nil, err
		}
	}
	if err := p.Valid(); err != nil {
		return nil, err
	}
	if err := s.checkVersion(ctx); err != nil {
		return nil, err
	}
	v, err := s.memo(ctx, "value|"+scopeKey(p, scope)+"@store", func(ctx context.Context) (any, error) {
		start := time.Now()
		rep, err := Value(ctx, s.DB, p, scope, s.options())
		if err == nil && s.Log != nil {
			s.Log.Info("value linkage computed", "from", day(p.From), "to", day(p.To), "partner", scope.Partner,
				"customers", rep.Customers, "ms", time.Since(start).Milliseconds())
		}
		return rep, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*ValueReport), nil
}

// Portfolio is the focus's portfolio over p (zero: the last 30 days of the
// data) with the statements from value linkage and automation fit that
// matter for it.
func (s *Service) Portfolio(ctx context.Context, focus string, p Period, scope cx.Scope) (*PortfolioReport, error) {
	if _, err := LookupPreset(focus); err != nil {
		return nil, err
	}
	span, cur, err := s.Span(ctx)
	if err != nil {
		return nil, err
	}
	if p.IsZero() {
		p = Period{From: span.To.Add(-30 * 24 * time.Hour), To: span.To}
		if p.From.Before(span.From) {
			p.From = span.From
		}
	}
	v, err := s.memo(ctx, "portfolio|"+focus+"|"+scopeKey(p, scope)+"@"+s.sourceVersion(), func(ctx context.Context) (any, error) {
		return s.portfolio(ctx, focus, p, scope, cur)
	})
	if err != nil {
		return nil, err
	}
	return v.(*PortfolioReport), nil
}

func (s *Service) portfolio(ctx context.Context, focus string, p Period, scope cx.Scope, cur string) (*PortfolioReport, error) {
	rep, err := Portfolio(ctx, s.Source, focus, p, scope, cur)
	if err != nil {
		return nil, err
	}
	// Value statements are about the default experience period; a
	// portfolio without them is still useful, so a failure is only logged.
	v, err := s.Value(ctx, Period{}, scope)
	if err != nil {
		if s.Log != nil {
			s.Log.Warn("portfolio without value statements", "err", err)
		}
		v = nil
	}
	// Automation statements judge intents over all the data (a month is
	// too few survey answers to tell bot from human CSAT on small intents),
	// the same answer the dashboard's automation page shows by default.
	var fits []IntentFit
	if focus == ProfitProtection || focus == ExitPreparation {
		if fits, _, err = s.Automation(ctx, Period{}, scope); err != nil {
			return nil, err
		}
	}
	rep.Statements = append(rep.Statements, focusStatements(focus, v, fits, cur)...)
	return rep, nil
}
