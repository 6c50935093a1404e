package memory

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"

	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// The evaluation model: a query walks its rows in batches of up to
// batchRows (a multiple of 64). For each batch, predicates are evaluated
// column-at-a-time into bitsets (one bit per row), values into float64
// slices with NaN for null, and dimension codes into a group index per row;
// then each metric folds its rows into per-group accumulators. Every loop
// is over plain slices: no per-row interface or closure calls.
const batchRows = 4096

type colKind int

const (
	kText colKind = iota
	kBool
	kI32
	kF64
)

// colData is one column's values for the rows of a batch.
type colData struct {
	codes  []uint32
	bt, bv []uint64
	i32    []int32
	f64    []float64
}

// slotDef is a column a query reads.
type slotDef struct {
	name string
	kind colKind
	// resp marks csat, nps and ces: on survey batches they are the survey
	// record's own answers, not the interaction's inline ones.
	resp bool
}

// batch is the rows a worker evaluates at once: either a contiguous,
// 64-aligned range of interactions starting at lo, or survey records whose
// interactions are rows.
type batch struct {
	n, words int
	lo       int
	rows     []int32
	cols     []colData
	cust     []int32
	live     []uint64
}

// scratch hands out temporary bitsets for nested predicates.
type scratch struct {
	free  [][]uint64
	words int
}

func (s *scratch) get() []uint64 {
	if n := len(s.free); n > 0 {
		b := s.free[n-1]
		s.free = s.free[:n-1]
		return b[:s.words]
	}
	return make([]uint64, s.words, batchRows/64)
}

func (s *scratch) put(b []uint64) { s.free = append(s.free, b) }

// predFn writes the rows of b that satisfy a predicate into out (b.words
// words). Bits past b.n may hold anything: callers mask with b.live.
type predFn func(b *batch, out []uint64, sc *scratch)

// valFn writes a per-row value into out (b.n entries), NaN for null.
type valFn func(b *batch, out []float64)

// compiler resolves column names to slots of a query.
type compiler struct {
	sn    *snapshot
	slots []slotDef
	index map[string]int
	// custom, when set, replaces the interactions columns (customer rows).
	custom map[string]colKind
}

func (c *compiler) slot(name string) (int, slotDef, error) {
	if i, ok := c.index[name]; ok {
		return i, c.slots[i], nil
	}
	if c.custom != nil {
		k, ok := c.custom[name]
		if !ok {
			return 0, slotDef{}, fmt.Errorf("metric definition names column %q, which customer rows do not have", name)
		}
		c.index[name] = len(c.slots)
		c.slots = append(c.slots, slotDef{name: name, kind: k})
		return len(c.slots) - 1, c.slots[len(c.slots)-1], nil
	}
	var k colKind
	switch store.FactColumns[name] {
	case "text":
		k = kText
	case "bool":
		k = kBool
	case "num":
		col := c.sn.f.Num[name]
		if col == nil {
			return 0, slotDef{}, fmt.Errorf("column %s is not in the metrics cache", name)
		}
		k = kF64
		if col.I32 != nil {
			k = kI32
		}
	default:
		return 0, slotDef{}, fmt.Errorf("metric definition names column %q, which the metrics cache does not know", name)
	}
	if k == kText && c.sn.f.Text[name] == nil || k == kBool && c.sn.f.Bool[name] == nil {
		return 0, slotDef{}, fmt.Errorf("column %s is not in the metrics cache", name)
	}
	d := slotDef{name: name, kind: k, resp: name == "csat" || name == "nps" || name == "ces"}
	c.index[name] = len(c.slots)
	c.slots = append(c.slots, d)
	return len(c.slots) - 1, d, nil
}

func (c *compiler) pred(p metrics.Pred) (predFn, error) {
	switch p.Op {
	case metrics.All:
		return func(b *batch, out []uint64, _ *scratch) {
			for w := range out {
				out[w] = ^uint64(0)
			}
		}, nil
	case metrics.And, metrics.Or:
		args := make([]predFn, len(p.Args))
		for i, a := range p.Args {
			f, err := c.pred(a)
			if err != nil {
				return nil, err
			}
			args[i] = f
		}
		if len(args) == 0 {
			return nil, fmt.Errorf("%v with no arguments", p.Op)
		}
		and := p.Op == metrics.And
		return func(b *batch, out []uint64, sc *scratch) {
			args[0](b, out, sc)
			t := sc.get()
			for _, f := range args[1:] {
				f(b, t, sc)
				if and {
					for w := range out {
						out[w] &= t[w]
					}
				} else {
					for w := range out {
						out[w] |= t[w]
					}
				}
			}
			sc.put(t)
		}, nil
	case metrics.Not:
		if len(p.Args) != 1 {
			return nil, fmt.Errorf("not takes one argument, got %d", len(p.Args))
		}
		f, err := c.pred(p.Args[0])
		if err != nil {
			return nil, err
		}
		return func(b *batch, out []uint64, sc *scratch) {
			f(b, out, sc)
			for w := range out {
				out[w] = ^out[w]
			}
		}, nil
	}
	i, d, err := c.slot(p.Col)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Op == metrics.Eq && d.kind == kText:
		col := c.sn.f.Text[p.Col]
		target, found := uint32(0), false
		for code, v := range col.Dict {
			if code > 0 && v == p.Str {
				target, found = uint32(code), true
			}
		}
		if !found { // no row has the value
			return zeroPred, nil
		}
		return func(b *batch, out []uint64, _ *scratch) { eqCodes(b.cols[i].codes[:b.n], target, out) }, nil
	case p.Op == metrics.Eq && d.kind == kBool:
		want, err := strconv.ParseBool(p.Str)
		if err != nil {
			return nil, fmt.Errorf("%s = %q: not a boolean", p.Col, p.Str)
		}
		return func(b *batch, out []uint64, _ *scratch) {
			t, v := b.cols[i].bt, b.cols[i].bv
			for w := range out {
				if want {
					out[w] = t[w] & v[w]
				} else {
					out[w] = ^t[w] & v[w]
				}
			}
		}, nil
	case p.Op == metrics.Eq: // number
		x, err := strconv.ParseFloat(p.Str, 64)
		if err != nil {
			return nil, fmt.Errorf("%s = %q: not a number", p.Col, p.Str)
		}
		return c.between(i, d, x, x), nil
	case p.Op == metrics.IsTrue && d.kind == kBool:
		return func(b *batch, out []uint64, _ *scratch) {
			t, v := b.cols[i].bt, b.cols[i].bv
			for w := range out {
				out[w] = t[w] & v[w]
			}
		}, nil
	case p.Op == metrics.NotNull:
		switch d.kind {
		case kBool:
			return func(b *batch, out []uint64, _ *scratch) { copy(out, b.cols[i].bv) }, nil
		case kText:
			return func(b *batch, out []uint64, _ *scratch) { neCodes(b.cols[i].codes[:b.n], 0, out) }, nil
		case kI32:
			return func(b *batch, out []uint64, _ *scratch) { notNullI32(b.cols[i].i32[:b.n], out) }, nil
		default:
			return func(b *batch, out []uint64, _ *scratch) { notNullF64(b.cols[i].f64[:b.n], out) }, nil
		}
	case p.Op == metrics.Between && (d.kind == kI32 || d.kind == kF64):
		return c.between(i, d, p.Lo, p.Hi), nil
	}
	return nil, fmt.Errorf("predicate op %d on column %s is not supported by the metrics cache", p.Op, p.Col)
}

func zeroPred(b *batch, out []uint64, _ *scratch) { clear(out) }

func (c *compiler) between(i int, d slotDef, lo, hi float64) predFn {
	if d.kind == kI32 {
		// Integers in [lo, hi] are those in [ceil(lo), floor(hi)]; the null
		// sentinel is below any int32 bound we accept.
		l, h := math.Ceil(lo), math.Floor(hi)
		if l > h || h < math.MinInt32+1 || l > math.MaxInt32 {
			return zeroPred
		}
		li, hi32 := int32(max(l, math.MinInt32+1)), int32(min(h, math.MaxInt32))
		return func(b *batch, out []uint64, _ *scratch) { betweenI32(b.cols[i].i32[:b.n], li, hi32, out) }
	}
	return func(b *batch, out []uint64, _ *scratch) { betweenF64(b.cols[i].f64[:b.n], lo, hi, out) }
}

func (c *compiler) value(v metrics.Value) (valFn, error) {
	i, d, err := c.slot(v.Col)
	if err != nil {
		return nil, err
	}
	if d.kind != kI32 && d.kind != kF64 {
		return nil, fmt.Errorf("value column %s is not a number", v.Col)
	}
	bands := v.Bands
	if d.kind == kI32 {
		return func(b *batch, out []float64) {
			src := b.cols[i].i32[:b.n]
			for j, x := range src {
				if x == store.NullI32 {
					out[j] = math.NaN()
				} else {
					out[j] = float64(x)
				}
			}
			applyBands(out[:b.n], bands)
		}, nil
	}
	return func(b *batch, out []float64) {
		copy(out, b.cols[i].f64[:b.n])
		applyBands(out[:b.n], bands)
	}, nil
}

func applyBands(vals []float64, bands []metrics.Band) {
	if len(bands) == 0 {
		return
	}
	for j, x := range vals {
		y := math.NaN()
		for _, bd := range bands {
			if x >= bd.Lo && x <= bd.Hi {
				y = bd.To
				break
			}
		}
		vals[j] = y
	}
}

// The kernels: one comparison per row, 64 rows to a word.

func eqCodes(codes []uint32, t uint32, out []uint64) {
	for w := range out {
		lo := w * 64
		hi := min(lo+64, len(codes))
		var m uint64
		for j := lo; j < hi; j++ {
			if codes[j] == t {
				m |= 1 << uint(j-lo)
			}
		}
		out[w] = m
	}
}

func neCodes(codes []uint32, t uint32, out []uint64) {
	for w := range out {
		lo := w * 64
		hi := min(lo+64, len(codes))
		var m uint64
		for j := lo; j < hi; j++ {
			if codes[j] != t {
				m |= 1 << uint(j-lo)
			}
		}
		out[w] = m
	}
}

func notNullI32(v []int32, out []uint64) {
	for w := range out {
		lo := w * 64
		hi := min(lo+64, len(v))
		var m uint64
		for j := lo; j < hi; j++ {
			if v[j] != store.NullI32 {
				m |= 1 << uint(j-lo)
			}
		}
		out[w] = m
	}
}

func notNullF64(v []float64, out []uint64) {
	for w := range out {
		lo := w * 64
		hi := min(lo+64, len(v))
		var m uint64
		for j := lo; j < hi; j++ {
			if v[j] == v[j] {
				m |= 1 << uint(j-lo)
			}
		}
		out[w] = m
	}
}

func betweenI32(v []int32, lo, hi int32, out []uint64) {
	for w := range out {
		a := w * 64
		b := min(a+64, len(v))
		var m uint64
		for j := a; j < b; j++ {
			if x := v[j]; x >= lo && x <= hi {
				m |= 1 << uint(j-a)
			}
		}
		out[w] = m
	}
}

func betweenF64(v []float64, lo, hi float64, out []uint64) {
	for w := range out {
		a := w * 64
		b := min(a+64, len(v))
		var m uint64
		for j := a; j < b; j++ {
			if x := v[j]; x >= lo && x <= hi {
				m |= 1 << uint(j-a)
			}
		}
		out[w] = m
	}
}

// inCodes sets the rows whose code is allowed.
func inCodes(codes []uint32, allowed []bool, out []uint64) {
	for w := range out {
		lo := w * 64
		hi := min(lo+64, len(codes))
		var m uint64
		for j := lo; j < hi; j++ {
			if allowed[codes[j]] {
				m |= 1 << uint(j-lo)
			}
		}
		out[w] = m
	}
}

func popcount(ws []uint64) int64 {
	var n int
	for _, w := range ws {
		n += bits.OnesCount64(w)
	}
	return int64(n)
}
