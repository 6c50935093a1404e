package memory

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// acc is one metric's running totals in one slice. Means keep their sums
// shifted by the slice's first value (k), so the variance of values far
// from zero does not cancel away in floating point.
type acc struct {
	n, x   int64
	sum    float64
	sq     float64
	k      float64
	kSet   bool
	custs  int64
	merged bool
}

// slice is one row of the result being built: its keys and one acc per
// queried metric (in query order).
type slice struct {
	keys []string
	accs []acc
}

type slices map[string]*slice

func (sn *snapshot) query(ctx context.Context, q metrics.Query) (*metrics.Result, error) {
	defs := make([]metrics.Metric, len(q.Metrics))
	for i, id := range q.Metrics {
		m, err := metrics.Lookup(id)
		if err != nil {
			return nil, err
		}
		defs[i] = m
	}
	cur, err := sn.period(ctx, q, defs, q.From, q.To)
	if err != nil {
		return nil, err
	}
	var prev slices
	if q.Compare {
		d := q.To.Sub(q.From)
		if prev, err = sn.period(ctx, q, defs, q.From.Add(-d), q.From); err != nil {
			return nil, err
		}
	}
	return metrics.Assemble(q, defs, cur.totals(defs), prev.totals(defs)), nil
}

// period computes the slices of [from, to): rows for the contact and
// response metrics, customers for the customer metrics.
func (sn *snapshot) period(ctx context.Context, q metrics.Query, defs []metrics.Metric, from, to time.Time) (slices, error) {
	out := slices{}
	var rowIdx, custIdx []int
	for i, m := range defs {
		if m.Over == metrics.Customers {
			custIdx = append(custIdx, i)
		} else {
			rowIdx = append(rowIdx, i)
		}
	}
	if len(rowIdx) > 0 {
		p, err := sn.planRows(q, defs, rowIdx, from, to)
		if err != nil {
			return nil, err
		}
		if err := p.run(ctx, out, len(defs)); err != nil {
			return nil, err
		}
	}
	if len(custIdx) > 0 {
		if err := sn.customers(ctx, q, defs, custIdx, from, to, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// totals converts the slices to the metrics package's totals, which
// metrics.Assemble finishes into cells exactly as for every source.
func (ss slices) totals(defs []metrics.Metric) map[string]*metrics.Slice {
	out := make(map[string]*metrics.Slice, len(ss))
	for k, sl := range ss {
		ts := make([]metrics.Totals, len(defs))
		for i, m := range defs {
			ts[i] = sl.accs[i].totals(m)
		}
		out[k] = &metrics.Slice{Keys: sl.keys, Totals: ts}
	}
	return out
}

// totals are a's sums as metrics.Finish reads them: PerCustomer counts
// customers, and a Mean's sums are of values shifted by k (for precision),
// from which its mean and sample standard deviation follow.
func (a acc) totals(m metrics.Metric) metrics.Totals {
	t := metrics.Totals{N: a.n, X: a.x, Sum: a.sum, SD: math.NaN()}
	switch {
	case m.Kind == metrics.PerCustomer:
		t.N = a.custs
	case m.Kind == metrics.Mean && a.n > 0:
		t.Mean = a.k + a.sum/float64(a.n)
		if a.n > 1 {
			t.SD = math.Sqrt(max(0, (a.sq-a.sum*a.sum/float64(a.n))/float64(a.n-1)))
		}
	}
	return t
}

// add merges b into a (same metric, same slice).
func (a *acc) add(b *acc) {
	a.n += b.n
	a.x += b.x
	a.custs += b.custs
	if !b.kSet {
		a.sum += b.sum
		return
	}
	if !a.kSet {
		a.k, a.kSet, a.sum, a.sq = b.k, true, a.sum+b.sum, b.sq
		return
	}
	// Re-shift b's sums to a's shift: Σ(v−ka) = Σ(v−kb) + n(kb−ka), and the
	// squares likewise.
	d := b.k - a.k
	nb := float64(b.n)
	a.sum += b.sum + nb*d
	a.sq += b.sq + 2*d*b.sum + nb*d*d
}

// The row plan: what one period of a query needs over contact rows.

type dimKind int

const (
	dText dimKind = iota
	dCust
	dFlag
	dVuln
	dTime
)

// dimPlan yields a dimension's label code for each row of a batch.
type dimPlan struct {
	kind   dimKind
	slot   int
	lut    []uint32
	cust   []uint32
	labels []string
	index  map[string]uint32
	tb     *timeBuckets
}

// timeBuckets cut the period's rows (sorted by start) into contiguous
// runs, one per hour, day, week or month in the query's zone.
type timeBuckets struct {
	starts []int
	codes  []uint32
}

func (d *dimPlan) fill(b *batch, out []uint32) {
	out = out[:b.n]
	switch d.kind {
	case dText, dFlag:
		codes, lut := b.cols[d.slot].codes[:b.n], d.lut
		for j, c := range codes {
			out[j] = lut[c]
		}
	case dCust:
		cust, codes := b.cust[:b.n], d.cust
		for j, c := range cust {
			out[j] = codes[c]
		}
	case dVuln:
		t, v := b.cols[d.slot].bt, b.cols[d.slot].bv
		for j := range out {
			w, m := j>>6, uint64(1)<<(uint(j)&63)
			switch {
			case v[w]&m == 0:
				out[j] = 0
			case t[w]&m != 0:
				out[j] = 2
			default:
				out[j] = 1
			}
		}
	case dTime:
		tb := d.tb
		if b.rows == nil {
			k := tb.segment(b.lo)
			next := tb.next(k)
			for j := range out {
				for b.lo+j >= next {
					k++
					next = tb.next(k)
				}
				out[j] = tb.codes[k]
			}
			return
		}
		k := tb.segment(int(b.rows[0]))
		next := tb.next(k)
		for j, r := range b.rows[:b.n] {
			for int(r) >= next {
				k++
				next = tb.next(k)
			}
			out[j] = tb.codes[k]
		}
	}
}

// segment is the run holding row r (the first run for rows before it).
func (tb *timeBuckets) segment(r int) int {
	k := sort.SearchInts(tb.starts, r+1) - 1
	return max(k, 0)
}

func (tb *timeBuckets) next(k int) int {
	if k+1 < len(tb.starts) {
		return tb.starts[k+1]
	}
	return math.MaxInt
}

type filterPlan struct {
	d       *dimPlan
	allowed []bool
}

type mplan struct {
	def       int
	kind      metrics.Kind
	resp      bool
	base, hit predFn
	val       valFn
	// On interaction rows: the registry's predicates evaluated once per
	// snapshot (bitsets over all rows), and the value column when it is
	// used as it is, read in place.
	preBase, preHit []uint64
	valI32          []int32
	valF64          []float64
	// blk and blkS are the metric's totals per block of interactions and
	// of survey records (nil when the plan cannot use them).
	blk, blkS []acc
}

type rowPlan struct {
	sn       *snapshot
	slots    []slotDef
	dims     []*dimPlan
	mults    []uint32
	card     uint64
	filters  []filterPlan
	scope    predFn
	ms       []mplan
	anyInter bool
	anyResp  bool
	respAny  predFn
	preResp  []uint64
	plo, phi int
	slo, shi int
	// blockable: whole blocks can be taken from the snapshot's per-block
	// totals (blocks, split by dimension blockDim when it is ≥ 0).
	blockable bool
	blocks    *blockSet
	blockDim  int
	// Customer rows (customer metrics) instead of interactions: their
	// per-period columns by name, the customers that count, and ids.
	custCols map[string]*colData
	eligible []uint64
	ids      []int32
}

const maxDense = 1 << 16

func (sn *snapshot) planRows(q metrics.Query, defs []metrics.Metric, idx []int, from, to time.Time) (*rowPlan, error) {
	f := sn.f
	c := &compiler{sn: sn, index: map[string]int{}}
	p := &rowPlan{sn: sn, card: 1}
	fromUS, toUS := from.UnixMicro(), to.UnixMicro()
	p.plo = sort.Search(f.Rows, func(i int) bool { return f.StartedAt[i] >= fromUS })
	p.phi = sort.Search(f.Rows, func(i int) bool { return f.StartedAt[i] >= toUS })
	p.slo = sort.Search(f.Surveys.Rows, func(i int) bool { return int(f.Surveys.Row[i]) >= p.plo })
	p.shi = sort.Search(f.Surveys.Rows, func(i int) bool { return int(f.Surveys.Row[i]) >= p.phi })
	for _, id := range q.By {
		d, err := sn.dim(c, id, q.Zone, from, to, p.plo, p.phi)
		if err != nil {
			return nil, err
		}
		p.dims = append(p.dims, d)
		p.mults = append(p.mults, uint32(p.card))
		p.card *= uint64(len(d.labels))
		if p.card >= 1<<32 {
			return nil, fmt.Errorf("metrics: too many slices (%s): slice by fewer or coarser dimensions", strings.Join(q.By, " × "))
		}
	}
	for _, fl := range q.Where {
		d, err := sn.dim(c, fl.Dim, q.Zone, from, to, p.plo, p.phi)
		if err != nil {
			return nil, err
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
	if q.Scope.Partner != "" {
		s, err := c.pred(metrics.Pred{Op: metrics.Eq, Col: "partner", Str: q.Scope.Partner})
		if err != nil {
			return nil, err
		}
		p.scope = s
	}
	for _, i := range idx {
		m := defs[i]
		mp := mplan{def: i, kind: m.Kind, resp: m.Over == metrics.Responses}
		var err error
		if mp.base, err = c.pred(m.Base); err != nil {
			return nil, fmt.Errorf("metric %s: %w", m.ID, err)
		}
		if m.Kind == metrics.Proportion || m.Kind == metrics.Ratio {
			if mp.hit, err = c.pred(m.Hit); err != nil {
				return nil, fmt.Errorf("metric %s: %w", m.ID, err)
			}
		}
		if m.Kind == metrics.Mean || m.Kind == metrics.Ratio || m.Kind == metrics.PerCustomer || m.Kind == metrics.Sum {
			if mp.val, err = c.value(m.Value); err != nil {
				return nil, fmt.Errorf("metric %s: %w", m.ID, err)
			}
		}
		mp.preBase = sn.pre[predKey(m.Base)]
		if mp.hit != nil {
			mp.preHit = sn.pre[predKey(m.Hit)]
		}
		if mp.val != nil && len(m.Value.Bands) == 0 {
			if col := sn.f.Num[m.Value.Col]; col != nil {
				mp.valI32, mp.valF64 = col.I32, col.F64
			}
		}
		p.anyResp = p.anyResp || mp.resp
		p.anyInter = p.anyInter || !mp.resp
		p.ms = append(p.ms, mp)
	}
	if p.anyResp {
		r, err := c.pred(respAnyPred)
		if err != nil {
			return nil, err
		}
		p.respAny = r
		p.preResp = sn.pre[predKey(respAnyPred)]
	}
	p.slots = c.slots
	// Block totals serve plans without filters or scope whose dimensions
	// are time and at most one of blockDims.
	p.blockable = sn.blk != nil && len(q.Where) == 0 && q.Scope.Partner == "" && p.card <= maxDense
	p.blockDim = -1
	split := ""
	for k, d := range p.dims {
		if d.kind == dTime {
			continue
		}
		if split != "" || !isBlockDim(q.By[k]) {
			p.blockable = false
			break
		}
		split, p.blockDim = q.By[k], k
	}
	if p.blockable {
		p.blocks = sn.blk[split]
		for i := range p.ms {
			mp := &p.ms[i]
			if t := p.blocks.totals[defs[mp.def].ID]; t != nil {
				mp.blk, mp.blkS = t.rows, t.surveys
			}
		}
	}
	return p, nil
}

// dim plans a dimension for one period.
func (sn *snapshot) dim(c *compiler, id string, zone *time.Location, from, to time.Time, plo, phi int) (*dimPlan, error) {
	d, err := metrics.LookupDim(id)
	if err != nil {
		return nil, err
	}
	switch d.Kind {
	case metrics.TimeDim:
		return sn.timeDim(id, zone, from, to, plo, phi)
	case metrics.FlagDim:
		slot, _, err := c.slot("flags")
		if err != nil {
			return nil, err
		}
		kind := strings.TrimPrefix(id, "flag:")
		lut := make([]uint32, len(sn.flagKinds))
		for code, kinds := range sn.flagKinds {
			for _, k := range kinds {
				if k == kind {
					lut[code] = 1
				}
			}
		}
		return &dimPlan{kind: dFlag, slot: slot, lut: lut, labels: []string{"no", "yes"}, index: map[string]uint32{"no": 0, "yes": 1}}, nil
	case metrics.CustomerDim:
		var cd *custDim
		switch id {
		case "segment":
			cd = sn.segment
		case "region":
			cd = sn.region
		case "cohort":
			cd = sn.cohort(zone)
		case "value_tier":
			cd = &custDim{labels: tierLabels, codes: sn.tier, index: map[string]uint32{"none": 0, "low": 1, "medium": 2, "high": 3}}
		default:
			return nil, fmt.Errorf("customer dimension %s is not in the metrics cache", id)
		}
		return &dimPlan{kind: dCust, cust: cd.codes, labels: cd.labels, index: cd.index}, nil
	}
	if id == "vulnerable" {
		slot, _, err := c.slot("vulnerable")
		if err != nil {
			return nil, err
		}
		return &dimPlan{kind: dVuln, slot: slot, labels: []string{metrics.None, "no", "yes"},
			index: map[string]uint32{metrics.None: 0, "no": 1, "yes": 2}}, nil
	}
	td := sn.textDims[id]
	if td == nil {
		return nil, fmt.Errorf("dimension %s is not in the metrics cache", id)
	}
	slot, _, err := c.slot(td.col)
	if err != nil {
		return nil, err
	}
	return &dimPlan{kind: dText, slot: slot, lut: td.lut, labels: td.labels, index: td.index}, nil
}

// timeDim cuts [from, to) into hours, days, weeks or months of zone and
// finds where each starts among the period's rows.
func (sn *snapshot) timeDim(unit string, zone *time.Location, from, to time.Time, plo, phi int) (*dimPlan, error) {
	lf := from.In(zone)
	var t time.Time
	var step func(time.Time) time.Time
	layout := "2006-01-02"
	switch unit {
	case "hour":
		t = time.Date(lf.Year(), lf.Month(), lf.Day(), lf.Hour(), 0, 0, 0, zone)
		if t.After(from) { // a wall-clock hour that repeats: keep the instant's own
			t = from.Truncate(time.Hour)
		}
		step = func(t time.Time) time.Time { return t.Add(time.Hour) }
		layout = "2006-01-02T15"
	case "day":
		t = time.Date(lf.Year(), lf.Month(), lf.Day(), 0, 0, 0, 0, zone)
		step = func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, zone) }
	case "week":
		back := (int(lf.Weekday()) + 6) % 7
		t = time.Date(lf.Year(), lf.Month(), lf.Day()-back, 0, 0, 0, 0, zone)
		step = func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day()+7, 0, 0, 0, 0, zone) }
	case "month":
		t = time.Date(lf.Year(), lf.Month(), 1, 0, 0, 0, 0, zone)
		step = func(t time.Time) time.Time { return time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, zone) }
		layout = "2006-01"
	}
	d := &dimPlan{kind: dTime, index: map[string]uint32{}, tb: &timeBuckets{}}
	at := sn.f.StartedAt
	for n := 0; t.Before(to); n++ {
		if n > 1_000_000 {
			return nil, fmt.Errorf("metrics: the period has more than a million %ss; choose a coarser time dimension", unit)
		}
		next := step(t)
		if !next.After(t) { // a zone whose midnight does not exist on some day
			next = t.Add(time.Hour)
		}
		label := t.In(zone).Format(layout)
		code, ok := d.index[label]
		if !ok {
			code = uint32(len(d.labels))
			d.labels = append(d.labels, label)
			d.index[label] = code
		}
		startUS := t.UnixMicro()
		if t.Before(from) {
			startUS = from.UnixMicro()
		}
		r := plo + sort.Search(phi-plo, func(i int) bool { return at[plo+i] >= startUS })
		d.tb.starts = append(d.tb.starts, r)
		d.tb.codes = append(d.tb.codes, code)
		t = next
	}
	if len(d.labels) == 0 {
		d.labels, d.index[""] = []string{""}, 0
		d.tb.starts, d.tb.codes = []int{plo}, []uint32{0}
	}
	return d, nil
}

// run evaluates the plan over its rows with one worker per CPU and merges
// the workers' totals into out.
func (p *rowPlan) run(ctx context.Context, out slices, nmetrics int) error {
	workers := runtime.GOMAXPROCS(0)
	iLo, iHi := p.plo&^63, p.phi
	sLo, sHi := p.slo, p.shi
	if !p.anyResp {
		sHi = sLo
	}
	// Small periods are not worth a goroutine each.
	if (iHi-iLo)+(sHi-sLo) < 2*batchRows {
		workers = 1
	}
	ws := make([]*worker, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		w := p.newWorker()
		ws[k] = w
		a := iLo + ((iHi-iLo)*k/workers)&^63
		b := iLo + ((iHi-iLo)*(k+1)/workers)&^63
		if k == workers-1 {
			b = iHi
		}
		if k == 0 {
			a = iLo
		}
		sa := sLo + (sHi-sLo)*k/workers
		sb := sLo + (sHi-sLo)*(k+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[k] = w.rows(ctx, a, b)
			if errs[k] == nil && sb > sa {
				errs[k] = w.surveys(ctx, sa, sb)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	p.merge(ws, out, nmetrics)
	return nil
}

// worker holds one goroutine's buffers and totals.
type worker struct {
	p      *rowPlan
	b      batch
	sc     scratch
	g, tmp []uint32
	base   []uint64
	hit    []uint64
	resp   []uint64
	mask   []uint64
	vals   []float64
	accs   [][]acc // by plan metric, by local slice
	seen   []bool
	// custs holds, per plan metric and local slice, the customers counted
	// (PerCustomer): a bitset over customer ids.
	custs [][][]uint64
	// Sparse grouping maps slice codes to local indexes when the
	// dimensions' product is too large for arrays.
	local map[uint32]uint32
	codes []uint32
	// gather buffers for survey batches, per slot.
	gather []colData
	// skipBlk: the batch's block totals were added for the metrics that
	// have them; evaluate only the others.
	skipBlk bool
}

func (p *rowPlan) newWorker() *worker {
	w := &worker{p: p, sc: scratch{words: batchRows / 64}}
	w.g = make([]uint32, batchRows)
	w.tmp = make([]uint32, batchRows)
	words := batchRows / 64
	w.base, w.hit, w.resp, w.mask = make([]uint64, words), make([]uint64, words), make([]uint64, words), make([]uint64, words)
	w.vals = make([]float64, batchRows)
	w.b.cols = make([]colData, len(p.slots))
	w.accs = make([][]acc, len(p.ms))
	w.custs = make([][][]uint64, len(p.ms))
	size := int(p.card)
	if p.card > maxDense {
		size = 0
		w.local = map[uint32]uint32{}
	}
	for i := range p.ms {
		w.accs[i] = make([]acc, size)
		if p.ms[i].kind == metrics.PerCustomer {
			w.custs[i] = make([][]uint64, size)
		}
	}
	w.seen = make([]bool, size)
	return w
}

// rows evaluates interactions [lo, hi) (lo 64-aligned).
func (w *worker) rows(ctx context.Context, lo, hi int) error {
	// Batches follow the snapshot's blocks, so that whole blocks can be
	// taken from their totals.
	for a := lo; a < hi; {
		if err := ctx.Err(); err != nil {
			return err
		}
		e := min((a/batchRows+1)*batchRows, hi)
		w.rowBatch(a, e)
		a = e
	}
	return nil
}

// rowBatch folds interactions [a, e) (a 64-aligned, at most batchRows).
func (w *worker) rowBatch(a, e int) {
	p := w.p
	if g, ok := p.blockGroup(a, e); ok && w.local == nil {
		// A whole block inside the period and inside one time slice: add
		// the snapshot's totals of the metrics that have them, per value of
		// the split dimension.
		k := a / batchRows
		bs := p.blocks
		rest := false
		for mi := range p.ms {
			mp := &p.ms[mi]
			if mp.blk == nil {
				rest = true
				continue
			}
			for c := range bs.card {
				w.accs[mi][g+p.splitCode(c)].add(&mp.blk[k*bs.card+c])
			}
		}
		if !rest {
			for c := range bs.card {
				if e := k*bs.card + c; p.anyInter && bs.inter[e] > 0 || p.anyResp && bs.resp[e] > 0 {
					w.seen[g+p.splitCode(c)] = true
				}
			}
			return
		}
		w.skipBlk = true
		defer func() { w.skipBlk = false }()
	}
	f := p.sn.f
	b := &w.b
	b.n, b.lo, b.rows = e-a, a, nil
	b.words = (b.n + 63) / 64
	w.sc.words = b.words
	fillBatch(b, f, p.slots, p.custCols, p.ids, a, e)
	// Live rows: inside the period (the first and last batches overlap
	// its edges).
	b.live = w.mask[:b.words]
	from, to := max(a, p.plo)-a, min(e, p.phi)-a
	for i := range b.live {
		b.live[i] = 0
	}
	for j := from; j < to; {
		if j&63 == 0 && j+64 <= to {
			b.live[j>>6] = ^uint64(0)
			j += 64
			continue
		}
		b.live[j>>6] |= 1 << (uint(j) & 63)
		j++
	}
	if el := p.eligible; el != nil {
		for i := range b.live {
			b.live[i] &= el[a/64+i]
		}
	}
	w.batch(false)
}

// blockGroup reports whether rows [a, e) are one whole summary block that
// lies inside the period and inside one slice of every (time) dimension,
// and that slice's code. Only plans without filters, scope or non-time
// dimensions use block totals.
func (p *rowPlan) blockGroup(a, e int) (uint32, bool) {
	if !p.blockable || a%batchRows != 0 || e-a != batchRows || a < p.plo || e > p.phi {
		return 0, false
	}
	var g uint32
	for k, d := range p.dims {
		if k == p.blockDim {
			continue
		}
		s0, s1 := d.tb.segment(a), d.tb.segment(e-1)
		if s0 != s1 {
			return 0, false
		}
		g += d.tb.codes[s0] * p.mults[k]
	}
	return g, true
}

// splitCode is the slice-code part of the split dimension's value c.
func (p *rowPlan) splitCode(c int) uint32 {
	if p.blockDim < 0 {
		return 0
	}
	return uint32(c) * p.mults[p.blockDim]
}

// fillBatch points b's columns at interactions (or customer rows when
// custCols is set) [a, e), a 64-aligned.
func fillBatch(b *batch, f *store.Facts, slots []slotDef, custCols map[string]*colData, ids []int32, a, e int) {
	for i, s := range slots {
		cd := &b.cols[i]
		if cc := custCols[s.name]; cc != nil {
			if cc.f64 != nil {
				cd.f64 = cc.f64[a:e]
			} else {
				cd.bt, cd.bv = cc.bt[a/64:a/64+b.words], cc.bv[a/64:a/64+b.words]
			}
			continue
		}
		switch s.kind {
		case kText:
			cd.codes = f.Text[s.name].Codes[a:e]
		case kBool:
			c := f.Bool[s.name]
			cd.bt, cd.bv = c.True[a/64:a/64+b.words], c.Valid[a/64:a/64+b.words]
		case kI32:
			cd.i32 = f.Num[s.name].I32[a:e]
		case kF64:
			cd.f64 = f.Num[s.name].F64[a:e]
		}
	}
	if ids != nil {
		b.cust = ids[a:e]
	} else {
		b.cust = f.Customer[a:e]
	}
}

// surveys evaluates survey records [lo, hi) for the response metrics.
func (w *worker) surveys(ctx context.Context, lo, hi int) error {
	f := w.p.sn.f
	sv := &f.Surveys
	if w.gather == nil {
		w.gather = make([]colData, len(w.p.slots))
	}
	cust := make([]int32, batchRows)
	for a := lo; a < hi; {
		if err := ctx.Err(); err != nil {
			return err
		}
		b := &w.b
		// Batches follow the summary blocks of survey records.
		e := min((a/batchRows+1)*batchRows, hi)
		if w.surveyBlock(a, e) {
			a = e
			continue
		}
		b.n, b.lo, b.rows = e-a, 0, sv.Row[a:e]
		b.words = (b.n + 63) / 64
		w.sc.words = b.words
		for i, s := range w.p.slots {
			cd, gd := &b.cols[i], &w.gather[i]
			if s.resp {
				c := sv.Num[s.name]
				if c.I32 != nil {
					cd.i32 = c.I32[a:e]
				} else {
					cd.f64 = c.F64[a:e]
				}
				continue
			}
			switch s.kind {
			case kText:
				if gd.codes == nil {
					gd.codes = make([]uint32, batchRows)
				}
				src := f.Text[s.name].Codes
				for j, r := range b.rows {
					gd.codes[j] = src[r]
				}
				cd.codes = gd.codes[:b.n]
			case kBool:
				if gd.bt == nil {
					gd.bt, gd.bv = make([]uint64, batchRows/64), make([]uint64, batchRows/64)
				}
				c := f.Bool[s.name]
				clear(gd.bt)
				clear(gd.bv)
				for j, r := range b.rows {
					m := uint64(1) << (uint(j) & 63)
					if c.Valid[r>>6]&(1<<(uint(r)&63)) != 0 {
						gd.bv[j>>6] |= m
					}
					if c.True[r>>6]&(1<<(uint(r)&63)) != 0 {
						gd.bt[j>>6] |= m
					}
				}
				cd.bt, cd.bv = gd.bt[:b.words], gd.bv[:b.words]
			case kI32:
				if gd.i32 == nil {
					gd.i32 = make([]int32, batchRows)
				}
				src := f.Num[s.name].I32
				for j, r := range b.rows {
					gd.i32[j] = src[r]
				}
				cd.i32 = gd.i32[:b.n]
			case kF64:
				if gd.f64 == nil {
					gd.f64 = make([]float64, batchRows)
				}
				src := f.Num[s.name].F64
				for j, r := range b.rows {
					gd.f64[j] = src[r]
				}
				cd.f64 = gd.f64[:b.n]
			}
		}
		for j, r := range b.rows {
			cust[j] = f.Customer[r]
		}
		b.cust = cust[:b.n]
		b.live = w.mask[:b.words]
		for i := range b.live {
			b.live[i] = ^uint64(0)
		}
		if r := b.n & 63; r != 0 {
			b.live[b.words-1] = 1<<uint(r) - 1
		}
		w.batch(true)
		a = e
	}
	return nil
}

// surveyBlock adds the snapshot's totals of survey records [a, e) when they
// are one whole block inside one slice and every response metric has
// totals; it reports whether it did.
func (w *worker) surveyBlock(a, e int) bool {
	p := w.p
	if !p.blockable || w.local != nil || a%batchRows != 0 || e-a != batchRows {
		return false
	}
	rows := p.sn.f.Surveys.Row
	var g uint32
	for k, d := range p.dims {
		if k == p.blockDim {
			continue
		}
		s0, s1 := d.tb.segment(int(rows[a])), d.tb.segment(int(rows[e-1]))
		if s0 != s1 {
			return false
		}
		g += d.tb.codes[s0] * p.mults[k]
	}
	for mi := range p.ms {
		if mp := &p.ms[mi]; mp.resp && mp.blkS == nil {
			return false
		}
	}
	k := a / batchRows
	bs := p.blocks
	for mi := range p.ms {
		if mp := &p.ms[mi]; mp.resp {
			for c := range bs.card {
				w.accs[mi][g+p.splitCode(c)].add(&mp.blkS[k*bs.card+c])
			}
		}
	}
	for c := range bs.card {
		if bs.surv[k*bs.card+c] > 0 {
			w.seen[g+p.splitCode(c)] = true
		}
	}
	return true
}

// batch folds the current batch into the totals. surveys says the batch
// holds survey records (only response metrics count them).
func (w *worker) batch(surveys bool) {
	p, b := w.p, &w.b
	words := b.words
	live := b.live
	t := w.sc.get()
	for _, fp := range p.filters {
		fp.d.fill(b, w.tmp)
		inCodes(w.tmp[:b.n], fp.allowed, t[:words])
		for i := range live {
			live[i] &= t[i]
		}
	}
	if p.scope != nil {
		p.scope(b, t[:words], &w.sc)
		for i := range live {
			live[i] &= t[i]
		}
	}
	w.sc.put(t)
	if popcount(live) == 0 {
		return
	}
	// Slice index per row.
	grouped := len(p.dims) > 0
	if grouped {
		g := w.g[:b.n]
		clear(g)
		for k, d := range p.dims {
			d.fill(b, w.tmp)
			m := p.mults[k]
			for j, c := range w.tmp[:b.n] {
				g[j] += c * m
			}
		}
		if w.local != nil {
			w.localize(live)
		}
	}
	// Responses on interaction rows are the inline answers: rows with at
	// least one score.
	resp := live
	if !surveys && p.anyResp {
		resp = w.resp[:words]
		if p.preResp != nil {
			copy(resp, p.preResp[b.lo/64:])
		} else {
			p.respAny(b, resp, &w.sc)
		}
		for i := range resp {
			resp[i] &= live[i]
		}
	}
	// Slices present in the data.
	if surveys {
		w.markSeen(live, grouped)
	} else {
		if p.anyInter {
			w.markSeen(live, grouped)
		}
		if p.anyResp {
			w.markSeen(resp, grouped)
		}
	}
	for mi := range p.ms {
		mp := &p.ms[mi]
		if surveys && !mp.resp || w.skipBlk && mp.blk != nil {
			continue
		}
		rows := live
		if mp.resp {
			rows = resp
		}
		base := w.base[:words]
		if pre := mp.preBase; pre != nil && !surveys {
			pre = pre[b.lo/64:]
			for i := range base {
				base[i] = pre[i] & rows[i]
			}
		} else {
			mp.base(b, base, &w.sc)
			for i := range base {
				base[i] &= rows[i]
			}
		}
		accs := w.accs[mi]
		switch mp.kind {
		case metrics.Count:
			if !grouped {
				accs[0].n += popcount(base)
				continue
			}
			eachBit(base, func(j int) { accs[w.g[j]].n++ })
		case metrics.Proportion:
			hit := w.hit[:words]
			w.hitOf(mp, surveys, hit)
			if !grouped {
				accs[0].n += popcount(base)
				for i := range hit {
					hit[i] &= base[i]
				}
				accs[0].x += popcount(hit)
				continue
			}
			g := w.g
			for wi, bw := range base {
				hw := hit[wi]
				for bw != 0 {
					j := bits.TrailingZeros64(bw)
					bw &= bw - 1
					a := &accs[g[wi<<6+j]]
					a.n++
					a.x += int64(hw >> uint(j) & 1)
				}
			}
		case metrics.Mean:
			if !surveys && (mp.valI32 != nil || mp.valF64 != nil) {
				w.meanInPlace(mp, accs, base, grouped)
				continue
			}
			vals := w.vals[:b.n]
			mp.val(b, vals)
			g := w.g
			for wi, bw := range base {
				for bw != 0 {
					j := wi<<6 + bits.TrailingZeros64(bw)
					bw &= bw - 1
					v := vals[j]
					if v != v {
						continue
					}
					var a *acc
					if grouped {
						a = &accs[g[j]]
					} else {
						a = &accs[0]
					}
					if !a.kSet {
						a.k, a.kSet = v, true
					}
					d := v - a.k
					a.n++
					a.sum += d
					a.sq += d * d
				}
			}
		case metrics.Ratio, metrics.Sum:
			vals := w.vals[:b.n]
			mp.val(b, vals)
			g := w.g
			for wi, bw := range base {
				for bw != 0 {
					j := wi<<6 + bits.TrailingZeros64(bw)
					bw &= bw - 1
					k := uint32(0)
					if grouped {
						k = g[j]
					}
					if v := vals[j]; v == v {
						accs[k].sum += v
					}
					if mp.kind == metrics.Sum {
						accs[k].n++
					}
				}
			}
			if mp.kind == metrics.Ratio {
				hit := w.hit[:words]
				w.hitOf(mp, surveys, hit)
				for i := range hit {
					hit[i] &= base[i]
				}
				if !grouped {
					accs[0].n += popcount(hit)
				} else {
					eachBit(hit, func(j int) { accs[w.g[j]].n++ })
				}
			}
		case metrics.PerCustomer:
			vals := w.vals[:b.n]
			mp.val(b, vals)
			g := w.g
			sets := w.custs[mi]
			nc := len(p.sn.f.Customers.SignupAt)
			for wi, bw := range base {
				for bw != 0 {
					j := wi<<6 + bits.TrailingZeros64(bw)
					bw &= bw - 1
					k := uint32(0)
					if grouped {
						k = g[j]
					}
					if v := vals[j]; v == v {
						accs[k].sum += v
					}
					set := sets[k]
					if set == nil {
						set = make([]uint64, (nc+63)/64)
						sets[k] = set
					}
					c := b.cust[j]
					set[c>>6] |= 1 << (uint(c) & 63)
				}
			}
		}
	}
}

// hitOf writes a metric's Hit rows into hit.
func (w *worker) hitOf(mp *mplan, surveys bool, hit []uint64) {
	if mp.preHit != nil && !surveys {
		copy(hit, mp.preHit[w.b.lo/64:])
		return
	}
	mp.hit(&w.b, hit, &w.sc)
}

// meanInPlace folds a mean over a value column read in place.
func (w *worker) meanInPlace(mp *mplan, accs []acc, base []uint64, grouped bool) {
	lo := w.b.lo
	g := w.g
	add := func(a *acc, v float64) {
		if !a.kSet {
			a.k, a.kSet = v, true
		}
		d := v - a.k
		a.n++
		a.sum += d
		a.sq += d * d
	}
	if col := mp.valI32; col != nil {
		col = col[lo:]
		for wi, bw := range base {
			for bw != 0 {
				j := wi<<6 + bits.TrailingZeros64(bw)
				bw &= bw - 1
				x := col[j]
				if x == store.NullI32 {
					continue
				}
				k := uint32(0)
				if grouped {
					k = g[j]
				}
				add(&accs[k], float64(x))
			}
		}
		return
	}
	col := mp.valF64[lo:]
	for wi, bw := range base {
		for bw != 0 {
			j := wi<<6 + bits.TrailingZeros64(bw)
			bw &= bw - 1
			v := col[j]
			if v != v {
				continue
			}
			k := uint32(0)
			if grouped {
				k = g[j]
			}
			add(&accs[k], v)
		}
	}
}

func eachBit(ws []uint64, fn func(int)) {
	for wi, w := range ws {
		for w != 0 {
			fn(wi<<6 + bits.TrailingZeros64(w))
			w &= w - 1
		}
	}
}

func (w *worker) markSeen(rows []uint64, grouped bool) {
	if !grouped {
		if popcount(rows) > 0 {
			w.seen[0] = true
		}
		return
	}
	g := w.g
	for wi, bw := range rows {
		for bw != 0 {
			w.seen[g[wi<<6+bits.TrailingZeros64(bw)]] = true
			bw &= bw - 1
		}
	}
}

// localize maps the live rows' slice codes to dense local indexes,
// growing the totals as new slices appear.
func (w *worker) localize(live []uint64) {
	g := w.g
	for wi, bw := range live {
		for bw != 0 {
			j := wi<<6 + bits.TrailingZeros64(bw)
			bw &= bw - 1
			k, ok := w.local[g[j]]
			if !ok {
				k = uint32(len(w.codes))
				w.local[g[j]] = k
				w.codes = append(w.codes, g[j])
				w.seen = append(w.seen, false)
				for i := range w.accs {
					w.accs[i] = append(w.accs[i], acc{})
					if w.custs[i] != nil || w.p.ms[i].kind == metrics.PerCustomer {
						w.custs[i] = append(w.custs[i], nil)
					}
				}
			}
			g[j] = k
		}
	}
}

// merge adds the workers' totals into out, keyed like the reference
// source's slices.
func (p *rowPlan) merge(ws []*worker, out slices, nmetrics int) {
	type gslice struct {
		sl    *slice
		custs [][]uint64
	}
	byCode := map[uint32]*gslice{}
	for _, w := range ws {
		for local, seen := range w.seen {
			if !seen {
				continue
			}
			code := uint32(local)
			if w.local != nil {
				code = w.codes[local]
			}
			gs := byCode[code]
			if gs == nil {
				keys := p.keys(code)
				key := strings.Join(keys, "\x00")
				sl := out[key]
				if sl == nil {
					sl = &slice{keys: keys, accs: make([]acc, nmetrics)}
					out[key] = sl
				}
				gs = &gslice{sl: sl, custs: make([][]uint64, len(p.ms))}
				byCode[code] = gs
			}
			for mi, mp := range p.ms {
				gs.sl.accs[mp.def].add(&w.accs[mi][local])
				if mp.kind == metrics.PerCustomer {
					set := w.custs[mi][local]
					switch {
					case set == nil:
					case gs.custs[mi] == nil:
						gs.custs[mi] = set
					default:
						for i, x := range set {
							gs.custs[mi][i] |= x
						}
					}
				}
			}
		}
	}
	for _, gs := range byCode {
		for mi, mp := range p.ms {
			if set := gs.custs[mi]; set != nil {
				gs.sl.accs[mp.def].custs = popcount(set)
			}
		}
	}
}

// keys decodes a slice code into its dimension labels.
func (p *rowPlan) keys(code uint32) []string {
	keys := make([]string, len(p.dims))
	for k := len(p.dims) - 1; k >= 0; k-- {
		m := p.mults[k]
		keys[k] = p.dims[k].labels[code/m]
		code %= m
	}
	return keys
}

func isBlockDim(id string) bool {
	for _, d := range blockDims {
		if d == id {
			return true
		}
	}
	return false
}
