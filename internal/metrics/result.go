package metrics

import "sort"

// Totals are what a source adds up for one metric in one slice; Finish
// turns them into the cell every source reports, so that how a value, its
// interval and its withholding follow from the totals is written once.
type Totals struct {
	N    int64   // denominator: values counted, customers (PerCustomer) or rows
	X    int64   // numerator of a proportion
	Sum  float64 // sum of values (Ratio, PerCustomer, Sum)
	Mean float64 // mean of values (Mean)
	SD   float64 // sample standard deviation (Mean); NaN below two values
}

// Slice is one row being built: its dimension values and one Totals per
// queried metric, in query order.
type Slice struct {
	Keys   []string
	Totals []Totals
}

// Assemble turns a source's slices, keyed by their keys joined with \x00,
// into the Result: rows sorted by that key, finished cells, and, when the
// query compares, each cell's previous period and whether it changed.
func Assemble(q Query, defs []Metric, cur, prev map[string]*Slice) *Result {
	by := q.By
	if by == nil {
		by = []string{}
	}
	res := &Result{Query: q, Metrics: q.Metrics, By: by, From: q.From, To: q.To, Rows: []Row{}}
	if len(q.By) == 0 && cur[""] == nil {
		cur[""] = &Slice{Keys: []string{}, Totals: make([]Totals, len(defs))}
	}
	keys := make([]string, 0, len(cur))
	for k := range cur {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sl := cur[k]
		row := Row{Keys: sl.Keys, Cells: make([]Cell, len(defs))}
		for i, m := range defs {
			c := Finish(m, sl.Totals[i], q.MinN)
			if q.Compare {
				var pt Totals
				if ps := prev[k]; ps != nil {
					pt = ps.Totals[i]
				}
				p := Finish(m, pt, q.MinN)
				c.Previous = &p
				c.Changed = c.Low != nil && p.Low != nil && (*c.Low > *p.High || *c.High < *p.Low)
			}
			row.Cells[i] = c
		}
		res.Rows = append(res.Rows, row)
	}
	return res
}

// Finish computes a cell's value and interval from its totals: nothing when
// n is 0, the count for Count metrics, LowN without a value below minN, and
// otherwise the value with a Wilson (Proportion) or t (Mean) interval.
func Finish(m Metric, t Totals, minN int) Cell {
	c := Cell{Metric: m.ID, N: t.N}
	if t.N == 0 {
		return c
	}
	if m.Kind == Count {
		v := float64(t.N)
		c.Value = &v
		return c
	}
	if t.N < int64(minN) {
		c.LowN = true
		return c
	}
	var v float64
	switch m.Kind {
	case Proportion:
		v = float64(t.X) / float64(t.N)
		lo, hi := Wilson(t.X, t.N)
		c.Low, c.High = &lo, &hi
	case Mean:
		v = t.Mean
		if lo, hi, ok := MeanInterval(t.Mean, t.SD, t.N); ok {
			c.Low, c.High = &lo, &hi
		}
	case Ratio, PerCustomer:
		v = t.Sum / float64(t.N)
	case Sum:
		v = t.Sum
	}
	c.Value = &v
	return c
}
