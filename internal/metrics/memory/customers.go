package memory

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/northstar-cx/northstar/internal/metrics"
)

// Customer metrics count surviving customers, with columns computed for
// the period from their events and contacts, exactly as the reference
// source defines them (see the registry's retention, churn, ltv, margin):
//
//	active_start  an event or a (scoped) contact in the 90 days before From, and
//	              the latest subscription event before From is not a cancellation
//	active_end    the same at To
//	ordered       an order_placed event before To
//	served        an order or refund event, or a (scoped) contact, in [From, To)
//	realised_value  Σ order_placed − Σ refund_issued values before To
//	margin        the same in [From, To) − the cost of the (scoped) contacts in it
//
// A customer is a row when active_start, ordered or served holds; with a
// partner scope, only customers with a contact of that partner before To.
var customerColumns = map[string]colKind{"active_start": kBool, "active_end": kBool, "ordered": kBool, "served": kBool,
	"realised_value": kF64, "margin": kF64}

const (
	evOther = iota
	evOrder
	evRefund
	evSub // a subscription event other than a cancellation
	evCancel
)

const day = 24 * time.Hour

func (sn *snapshot) customers(ctx context.Context, q metrics.Query, defs []metrics.Metric, idx []int, from, to time.Time, out slices) error {
	cr, err := sn.custPeriod(ctx, from, to, q.Scope.Partner)
	if err != nil {
		return err
	}
	nc := len(sn.f.Customers.SignupAt)
	p := &rowPlan{sn: sn, card: 1, plo: 0, phi: nc, eligible: cr.eligible, ids: cr.ids, custCols: cr.cols}
	c := &compiler{sn: sn, index: map[string]int{}, custom: customerColumns}
	for _, id := range q.By {
		d, err := sn.dim(c, id, q.Zone, from, to, 0, 0)
		if err != nil {
			return err
		}
		if d.kind != dCust {
			return fmt.Errorf("customer metrics cannot be sliced by %s", id)
		}
		p.dims = append(p.dims, d)
		p.mults = append(p.mults, uint32(p.card))
		p.card *= uint64(len(d.labels))
	}
	for _, fl := range q.Where {
		d, err := sn.dim(c, fl.Dim, q.Zone, from, to, 0, 0)
		if err != nil {
			return err
		}
		if d.kind != dCust {
			return fmt.Errorf("customer metrics cannot be filtered by %s", fl.Dim)
		}
		fp := filterPlan{d: d, allowed: make([]bool, len(d.labels))}
		for _, v := range fl.Values {
			if k, ok := d.index[v]; ok {
				fp.allowed[k] = true
			}
		}
		if fl.Not {
			for i := range fp.allowed {
				fp.allowed[i] = !fp.allowed[i]
			}
		}
		p.filters = append(p.filters, fp)
	}
	for _, i := range idx {
		m := defs[i]
		mp := mplan{def: i, kind: m.Kind}
		var err error
		if mp.base, err = c.pred(m.Base); err != nil {
			return fmt.Errorf("metric %s: %w", m.ID, err)
		}
		if m.Kind == metrics.Proportion || m.Kind == metrics.Ratio {
			if mp.hit, err = c.pred(m.Hit); err != nil {
				return fmt.Errorf("metric %s: %w", m.ID, err)
			}
		}
		if m.Kind == metrics.Mean || m.Kind == metrics.Ratio || m.Kind == metrics.PerCustomer || m.Kind == metrics.Sum {
			if mp.val, err = c.value(m.Value); err != nil {
				return fmt.Errorf("metric %s: %w", m.ID, err)
			}
		}
		p.anyInter = true
		p.ms = append(p.ms, mp)
	}
	p.slots = c.slots
	return p.run(ctx, out, len(defs))
}

// parallel runs fn(0…n−1) on n goroutines and waits.
func parallel(n int, fn func(k int)) {
	if n == 1 {
		fn(0)
		return
	}
	var wg sync.WaitGroup
	for k := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(k)
		}()
	}
	wg.Wait()
}

func lowerBound32(xs []int32, v int32) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if xs[m] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func lowerBound(xs []int64, v int64) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if xs[m] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// custRows are the customer rows of one period: their columns, which of
// them count, and their ids.
type custRows struct {
	cols     map[string]*colData
	eligible []uint64
	ids      []int32
}

// custMemoSize is how many periods' customer rows a snapshot keeps: the
// dashboard asks for the same few periods again and again, and the
// snapshot never changes under them.
const custMemoSize = 4

func (sn *snapshot) custPeriod(ctx context.Context, from, to time.Time, partnerName string) (*custRows, error) {
	key := fmt.Sprintf("%d/%d/%s", from.UnixMicro(), to.UnixMicro(), partnerName)
	sn.mu.Lock()
	for _, e := range sn.custMemo {
		if e.key == key {
			sn.mu.Unlock()
			return e.rows, nil
		}
	}
	sn.mu.Unlock()
	r, err := sn.computeCustPeriod(ctx, from, to, partnerName)
	if err != nil {
		return nil, err
	}
	sn.mu.Lock()
	sn.custMemo = append(sn.custMemo, custMemoEntry{key: key, rows: r, from: from, to: to, partner: partnerName})
	if len(sn.custMemo) > custMemoSize {
		sn.custMemo = sn.custMemo[1:]
	}
	sn.mu.Unlock()
	return r, nil
}

type custMemoEntry struct {
	key      string
	rows     *custRows
	from, to time.Time
	partner  string
}

// warm computes, on sn, the customer periods old had memoised: a reload
// then comes in with the dashboard's periods ready, instead of making the
// first call after each import pay for them.
func (sn *snapshot) warm(ctx context.Context, old *snapshot) error {
	if old == nil {
		return nil
	}
	old.mu.Lock()
	entries := append([]custMemoEntry(nil), old.custMemo...)
	old.mu.Unlock()
	for _, e := range entries {
		if _, err := sn.custPeriod(ctx, e.from, e.to, e.partner); err != nil {
			return err
		}
	}
	return nil
}

func (sn *snapshot) computeCustPeriod(ctx context.Context, from, to time.Time, partnerName string) (*custRows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f := sn.f
	nc := len(f.Customers.SignupAt)
	words := (nc + 63) / 64
	fromUS, toUS := from.UnixMicro(), to.UnixMicro()
	f90, t90 := from.Add(-90*day).UnixMicro(), to.Add(-90*day).UnixMicro()

	actF, actT := make([]uint64, words), make([]uint64, words)
	cancelF, cancelT := make([]uint64, words), make([]uint64, words)
	ordered, served := make([]uint64, words), make([]uint64, words)
	realised, margin := make([]float64, nc), make([]float64, nc)
	set := func(b []uint64, c int32) { b[c>>6] |= 1 << (uint(c) & 63) }
	ev := &f.Events
	kinds := make([]uint8, len(ev.Name.Dict))
	for code, name := range ev.Name.Dict {
		switch name {
		case "order_placed":
			kinds[code] = evOrder
		case "refund_issued":
			kinds[code] = evRefund
		case "subscription_started", "subscription_paused", "subscription_resumed":
			kinds[code] = evSub
		case "subscription_cancelled":
			kinds[code] = evCancel
		}
	}

	// Contacts before To (scoped when a partner scope is set): all of them
	// under a scope (a customer counts only with one of the partner's
	// contacts), else from 90 days before From. Each worker marks its own
	// copy; the event pass below folds them in.
	lo := lowerBound(f.StartedAt, f90)
	hi := lowerBound(f.StartedAt, toUS)
	partner := uint32(0)
	scope := partnerName != ""
	if scope {
		lo = 0
		partner = math.MaxUint32
		for code, v := range f.Text["partner"].Dict {
			if code > 0 && v == partnerName {
				partner = uint32(code)
			}
		}
	}
	workers := runtime.GOMAXPROCS(0)
	if hi-lo < 1<<15 && ev.Rows < 1<<15 {
		workers = 1
	}
	type part struct {
		actF, actT, served, scoped []uint64
		cost                       []float64
	}
	parts := make([]part, workers)
	cost := f.Num["cost"].F64
	partners := f.Text["partner"].Codes
	parallel(workers, func(k int) {
		pt := &parts[k]
		pt.actF, pt.actT, pt.served, pt.cost = make([]uint64, words), make([]uint64, words), make([]uint64, words), make([]float64, nc)
		if scope {
			pt.scoped = make([]uint64, words)
		}
		a, b := lo+(hi-lo)*k/workers, lo+(hi-lo)*(k+1)/workers
		for r := a; r < b; r++ {
			c := f.Customer[r]
			if scope {
				if partners[r] != partner {
					continue
				}
				set(pt.scoped, c)
			}
			at := f.StartedAt[r]
			if at < f90 {
				continue
			}
			if at < fromUS {
				set(pt.actF, c)
			}
			if at >= t90 {
				set(pt.actT, c)
			}
			if at >= fromUS {
				set(pt.served, c)
				if v := cost[r]; v == v {
					pt.cost[c] += v
				}
			}
		}
	})
	var scoped []uint64
	if scope {
		scoped = make([]uint64, words)
	}

	// Events, grouped by customer and in time order; each worker takes a
	// range of customer ids starting on a word boundary, so no two write
	// the same bitset word.
	parallel(workers, func(k int) {
		c0, c1 := (nc*k/workers)&^63, (nc*(k+1)/workers)&^63
		if k == workers-1 {
			c1 = nc
		}
		i := lowerBound32(ev.Customer, int32(c0))
		end := lowerBound32(ev.Customer, int32(c1))
		for i < end {
			c := ev.Customer[i]
			var subF, canF, subT, canT int64 = math.MinInt64, math.MinInt64, math.MinInt64, math.MinInt64
			var ltv, net float64
			for ; i < end && ev.Customer[i] == c; i++ {
				at := ev.At[i]
				if at >= toUS {
					continue
				}
				if at >= f90 && at < fromUS {
					set(actF, c)
				}
				if at >= t90 {
					set(actT, c)
				}
				kd := kinds[ev.Name.Codes[i]]
				v := ev.Value[i]
				switch kd {
				case evSub, evCancel:
					subT = max(subT, at)
					if at < fromUS {
						subF = max(subF, at)
					}
					if kd == evCancel {
						canT = max(canT, at)
						if at < fromUS {
							canF = max(canF, at)
						}
					}
				case evOrder, evRefund:
					if kd == evOrder {
						set(ordered, c)
					} else {
						v = -v
					}
					if v == v {
						ltv += v
					}
					if at >= fromUS {
						set(served, c)
						if v == v {
							net += v
						}
					}
				}
			}
			if canF != math.MinInt64 && canF == subF {
				set(cancelF, c)
			}
			if canT != math.MinInt64 && canT == subT {
				set(cancelT, c)
			}
			realised[c], margin[c] = ltv, net
		}
		for w := c0 / 64; w < (c1+63)/64; w++ {
			for _, pt := range parts {
				actF[w] |= pt.actF[w]
				actT[w] |= pt.actT[w]
				served[w] |= pt.served[w]
				if scope {
					scoped[w] |= pt.scoped[w]
				}
			}
		}
		for c := c0; c < c1; c++ {
			for _, pt := range parts {
				margin[c] -= pt.cost[c]
			}
		}
	})

	activeStart, activeEnd := make([]uint64, words), make([]uint64, words)
	eligible := make([]uint64, words)
	for w := range words {
		activeStart[w] = actF[w] &^ cancelF[w]
		activeEnd[w] = actT[w] &^ cancelT[w]
		eligible[w] = f.Customers.Survivor[w] & (activeStart[w] | ordered[w] | served[w])
		if scoped != nil {
			eligible[w] &= scoped[w]
		}
	}
	all := make([]uint64, words)
	for w := range all {
		all[w] = ^uint64(0)
	}
	ids := make([]int32, nc)
	for i := range ids {
		ids[i] = int32(i)
	}
	return &custRows{eligible: eligible, ids: ids, cols: map[string]*colData{
		"active_start": {bt: activeStart, bv: all}, "active_end": {bt: activeEnd, bv: all},
		"ordered": {bt: ordered, bv: all}, "served": {bt: served, bv: all},
		"realised_value": {f64: realised}, "margin": {f64: margin},
	}}, nil
}
