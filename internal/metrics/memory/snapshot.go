package memory

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// snapshot is one immutable copy of the facts plus what is derived from
// them once (dimension label tables, value tiers). Queries only read it.
type snapshot struct {
	f     *store.Facts
	bytes int64
	took  time.Duration

	// textDims maps an interaction dimension id to its column and the
	// table from dictionary code to label code (null and "" → "(none)").
	textDims map[string]*textDim
	// tier is each customer's value tier as a label code of tierLabels.
	tier []uint32
	// segment and region as customer label codes.
	segment, region *custDim
	// flagKinds lists, per flags dictionary code, the kinds it holds.
	flagKinds [][]string

	// pre holds the registry's contact and response predicates evaluated
	// over every interaction row, by predKey.
	pre map[string][]uint64

	// blk holds, per registry metric that adds up (all but PerCustomer
	// and customer metrics), its totals per block of batchRows
	// interactions and of survey records, unsplit ("") and split by each
	// of blockDims.
	blk map[string]*blockSet

	mu       sync.Mutex
	cohorts  map[string]*custDim // by zone name
	custMemo []custMemoEntry
}

// respAnyPred marks the interactions that carry an inline survey answer.
var respAnyPred = metrics.Pred{Op: metrics.Or, Args: []metrics.Pred{
	{Op: metrics.NotNull, Col: "csat"}, {Op: metrics.NotNull, Col: "nps"}, {Op: metrics.NotNull, Col: "ces"}}}

func predKey(p metrics.Pred) string { return fmt.Sprintf("%+v", p) }

// precompute evaluates every predicate the registry's contact and response
// metrics use over all interaction rows, once per snapshot: queries then
// AND bitset words instead of comparing column values.
func (sn *snapshot) precompute() error {
	sn.pre = map[string][]uint64{}
	preds := []metrics.Pred{respAnyPred}
	for _, m := range metrics.Registry() {
		if m.Over != metrics.Customers {
			preds = append(preds, m.Base, m.Hit)
		}
	}
	c := &compiler{sn: sn, index: map[string]int{}}
	fns := map[string]predFn{}
	for _, p := range preds {
		k := predKey(p)
		if _, ok := fns[k]; ok {
			continue
		}
		fn, err := c.pred(p)
		if err != nil {
			return err
		}
		fns[k] = fn
	}
	n := sn.f.Rows
	b := &batch{cols: make([]colData, len(c.slots))}
	sc := &scratch{}
	for k, fn := range fns {
		out := make([]uint64, (n+63)/64)
		for a := 0; a < n; a += batchRows {
			e := min(a+batchRows, n)
			b.n, b.lo, b.words = e-a, a, (e-a+63)/64
			sc.words = b.words
			fillBatch(b, sn.f, c.slots, nil, nil, a, e)
			fn(b, out[a/64:a/64+b.words], sc)
		}
		// Bits past the last row must be clear: Not sets them.
		if r := n & 63; r != 0 {
			out[len(out)-1] &= 1<<uint(r) - 1
		}
		sn.pre[k] = out
	}
	return nil
}

// textDim is an interaction text column seen as a dimension.
type textDim struct {
	col    string
	labels []string
	lut    []uint32 // dictionary code → label code
	index  map[string]uint32
}

// custDim is a per-customer label code.
type custDim struct {
	labels []string
	codes  []uint32 // by customer id
	index  map[string]uint32
}

var tierLabels = []string{"none", "low", "medium", "high"}

// dimColumns maps interaction dimension ids to their column.
var dimColumns = map[string]string{"channel": "channel", "queue": "queue", "journey_stage": "journey_stage",
	"intent": "intent", "handler": "handler", "partner": "partner", "team": "team", "agent": "agent_id"}

func build(ctx context.Context, st *store.Store) (*snapshot, error) {
	start := time.Now()
	f, err := st.ReadFacts(ctx, registryColumns())
	if err != nil {
		return nil, err
	}
	sn := &snapshot{f: f, textDims: map[string]*textDim{}, cohorts: map[string]*custDim{}}
	for id, col := range dimColumns {
		sn.textDims[id] = newTextDim(col, f.Text[col])
	}
	cf := &f.Customers
	sn.segment = dictDim(&cf.Segment)
	sn.region = dictDim(&cf.Region)
	sn.tier = make([]uint32, len(cf.Realised))
	for id, v := range cf.Realised {
		switch {
		case v <= 0:
			sn.tier[id] = 0
		case v < metrics.TierLowBelow:
			sn.tier[id] = 1
		case v < metrics.TierMediumBelow:
			sn.tier[id] = 2
		default:
			sn.tier[id] = 3
		}
	}
	if fl := f.Text["flags"]; fl != nil {
		sn.flagKinds = make([][]string, len(fl.Dict))
		for code, v := range fl.Dict {
			for _, k := range strings.Split(v, ",") {
				if k != "" {
					sn.flagKinds[code] = append(sn.flagKinds[code], k)
				}
			}
		}
	}
	if err := sn.precompute(); err != nil {
		return nil, err
	}
	if err := sn.blockTotals(ctx); err != nil {
		return nil, err
	}
	sn.bytes = sn.size()
	sn.took = time.Since(start)
	return sn, nil
}

func newTextDim(col string, c *store.TextColumn) *textDim {
	d := &textDim{col: col, labels: []string{metrics.None}, index: map[string]uint32{metrics.None: 0}}
	if c == nil {
		return d
	}
	d.lut = make([]uint32, len(c.Dict))
	for code, v := range c.Dict {
		if code == 0 || v == "" {
			continue
		}
		d.lut[code] = d.label(v)
	}
	return d
}

func (d *textDim) label(v string) uint32 {
	if k, ok := d.index[v]; ok {
		return k
	}
	k := uint32(len(d.labels))
	d.labels = append(d.labels, v)
	d.index[v] = k
	return k
}

// dictDim turns a customer text column into label codes.
func dictDim(c *store.TextColumn) *custDim {
	td := newTextDim("", c)
	d := &custDim{labels: td.labels, index: td.index, codes: make([]uint32, len(c.Codes))}
	for id, code := range c.Codes {
		d.codes[id] = td.lut[code]
	}
	return d
}

// cohort returns the signup-month dimension cut in zone, computed once per
// zone and snapshot.
func (sn *snapshot) cohort(zone *time.Location) *custDim {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if d := sn.cohorts[zone.String()]; d != nil {
		return d
	}
	signup := sn.f.Customers.SignupAt
	d := &custDim{labels: []string{metrics.None}, index: map[string]uint32{metrics.None: 0}, codes: make([]uint32, len(signup))}
	// Months change rarely: remember the current month's bounds and only
	// format a label when a signup falls outside them.
	var lo, hi int64 = 1, 0
	var cur uint32
	for id, us := range signup {
		if us == noTime {
			continue
		}
		if us < lo || us >= hi {
			t := time.UnixMicro(us).In(zone)
			m0 := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, zone)
			lo, hi = m0.UnixMicro(), m0.AddDate(0, 1, 0).UnixMicro()
			label := t.Format("2006-01")
			k, ok := d.index[label]
			if !ok {
				k = uint32(len(d.labels))
				d.labels = append(d.labels, label)
				d.index[label] = k
			}
			cur = k
		}
		d.codes[id] = cur
	}
	sn.cohorts[zone.String()] = d
	return d
}

const noTime = -1 << 63

// size estimates the bytes the snapshot holds.
func (sn *snapshot) size() int64 {
	f := sn.f
	n := int64(len(f.StartedAt))*8 + int64(len(f.Customer))*4
	for _, c := range f.Text {
		n += int64(len(c.Codes)) * 4
		for _, v := range c.Dict {
			n += int64(len(v)) + 16
		}
	}
	for _, c := range f.Bool {
		n += int64(len(c.True)+len(c.Valid)) * 8
	}
	for _, c := range f.Num {
		n += int64(len(c.I32))*4 + int64(len(c.F64))*8
	}
	sv := &f.Surveys
	n += int64(len(sv.Row))*4 + int64(len(sv.AnsweredAt))*8
	for _, c := range sv.Num {
		n += int64(len(c.I32))*4 + int64(len(c.F64))*8
	}
	cf := &f.Customers
	n += int64(len(cf.Segment.Codes)+len(cf.Region.Codes))*4 + int64(len(cf.SignupAt)+len(cf.Realised))*8 + int64(len(cf.Survivor))*8
	n += int64(len(sn.tier))*4 + int64(len(sn.segment.codes)+len(sn.region.codes))*4
	for _, b := range sn.pre {
		n += int64(len(b)) * 8
	}
	for _, bs := range sn.blk {
		for _, t := range bs.totals {
			n += int64(len(t.rows)+len(t.surveys)) * int64(unsafe.Sizeof(acc{}))
		}
		n += int64(len(bs.inter)+len(bs.resp)+len(bs.surv)) * 4
	}
	ev := &f.Events
	n += int64(len(ev.Customer))*4 + int64(len(ev.At))*8 + int64(len(ev.Name.Codes))*4 + int64(len(ev.Value))*8
	return n
}

type blockTotals struct{ rows, surveys []acc }

// blockSet is every block's totals, split by the codes of one dimension
// (none: one code): entry [block*card + code].
type blockSet struct {
	card   int
	totals map[string]*blockTotals // by metric id
	// inter, resp and surv count each entry's interactions, interactions
	// with an inline answer and survey records: which slices are present.
	inter, resp, surv []int32
}

// blockDims are the dimensions blocks are also split by: few values, and
// the dashboard slices by them with time.
var blockDims = []string{"handler", "partner", "channel"}

func (sn *snapshot) blockTotals(ctx context.Context) error {
	sets := map[string]*blockSet{}
	for _, by := range append([]string{""}, blockDims...) {
		bs, err := sn.blockSet(ctx, by)
		if err != nil {
			return err
		}
		sets[by] = bs
	}
	sn.blk = sets
	return nil
}

// blockSet folds every block of interactions and of survey records once
// per snapshot, for each metric that adds up, split by dimension by: a
// query over a long period then reads most of its rows as a few hundred
// totals.
func (sn *snapshot) blockSet(ctx context.Context, by string) (*blockSet, error) {
	var ids []string
	for _, m := range metrics.Registry() {
		if m.Over != metrics.Customers && m.Kind != metrics.PerCustomer {
			ids = append(ids, m.ID)
		}
	}
	f := sn.f
	q := metrics.Query{Metrics: ids, From: time.UnixMicro(math.MinInt64 / 2), To: time.UnixMicro(math.MaxInt64 / 2), Zone: time.UTC}
	if by != "" {
		q.By = []string{by}
	}
	defs := make([]metrics.Metric, len(ids))
	idx := make([]int, len(ids))
	for i, id := range ids {
		defs[i], _ = metrics.Lookup(id)
		idx[i] = i
	}
	p, err := sn.planRows(q, defs, idx, q.From, q.To)
	if err != nil {
		return nil, err
	}
	p.plo, p.phi, p.slo, p.shi = 0, f.Rows, 0, f.Surveys.Rows
	card := int(p.card)
	bs := &blockSet{card: card, totals: make(map[string]*blockTotals, len(ids))}
	nb, nbs := (f.Rows+batchRows-1)/batchRows, (f.Surveys.Rows+batchRows-1)/batchRows
	for _, id := range ids {
		bs.totals[id] = &blockTotals{rows: make([]acc, nb*card), surveys: make([]acc, nbs*card)}
	}
	bs.inter, bs.resp, bs.surv = make([]int32, nb*card), make([]int32, nb*card), make([]int32, nbs*card)
	respAll := sn.pre[predKey(respAnyPred)]
	var lut []uint32
	var codes []uint32
	if by != "" {
		td := sn.textDims[by]
		lut, codes = td.lut, f.Text[td.col].Codes
	}
	code := func(r int) int {
		if lut == nil {
			return 0
		}
		return int(lut[codes[r]])
	}
	// Blocks are independent: each worker takes every other one.
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := p.newWorker()
			take := func(dst func(id string) []acc, blk int) {
				for mi := range p.ms {
					for c := range card {
						dst(ids[p.ms[mi].def])[blk*card+c] = w.accs[mi][c]
						w.accs[mi][c] = acc{}
					}
				}
			}
			for blk := k; blk < nb; blk += workers {
				if blk%64 == 0 && ctx.Err() != nil {
					errs[k] = ctx.Err()
					return
				}
				a, e := blk*batchRows, min((blk+1)*batchRows, f.Rows)
				w.rowBatch(a, e)
				take(func(id string) []acc { return bs.totals[id].rows }, blk)
				for r := a; r < e; r++ {
					c := blk*card + code(r)
					bs.inter[c]++
					if respAll[r>>6]&(1<<(uint(r)&63)) != 0 {
						bs.resp[c]++
					}
				}
			}
			for blk := k; blk < nbs; blk += workers {
				a, e := blk*batchRows, min((blk+1)*batchRows, f.Surveys.Rows)
				if err := w.surveys(ctx, a, e); err != nil {
					errs[k] = err
					return
				}
				take(func(id string) []acc { return bs.totals[id].surveys }, blk)
				for i := a; i < e; i++ {
					bs.surv[blk*card+code(int(f.Surveys.Row[i]))]++
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return bs, nil
}
