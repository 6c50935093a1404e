package metrics

import (
	"context"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Query asks for metrics over a period, sliced by dimensions and filtered.
// It is what GET /v1/metrics and `northstar metrics` parse their parameters
// into, and what the dashboard and the insights build.
type Query struct {
	Metrics []string  // metric ids from the registry, e.g. "csat", "fcr"
	By      []string  // dimension ids, e.g. "intent", "handler", "day"
	From    time.Time // inclusive, on the interaction's started_at
	To      time.Time // exclusive
	Where   []Filter
	// Compare adds, for every cell, the same cell over the previous period of
	// equal length, and marks changes whose 95% intervals do not overlap.
	Compare bool
	// MinN is the smallest n shown; cells below it carry LowN and no value.
	// Zero means DefaultMinN.
	MinN int
	// Scope restricts every row read to what a principal may see. It is set
	// by the server from the authenticated user or key, never from the
	// request's parameters, and every Source must apply it.
	Scope cx.Scope
	// Zone is the time zone that days, weeks and months are cut in.
	Zone *time.Location
}

// DefaultMinN is the default minimum sample size below which a cell's value
// is withheld.
const DefaultMinN = 10

// Filter keeps rows whose dimension Dim has one of Values (or none of them
// when Not). The text form is "dim:v1|v2" or "dim!:v1".
type Filter struct {
	Dim    string
	Values []string
	Not    bool
}

// Result is a table: one row per combination of the By dimensions present in
// the data, with one cell per requested metric, in the order asked.
type Result struct {
	Query   Query     `json:"-"`
	Metrics []string  `json:"metrics"`
	By      []string  `json:"by"`
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Rows    []Row     `json:"rows"`
}

// Row is one slice: its dimension values and a cell per metric.
type Row struct {
	Keys  []string `json:"keys"`
	Cells []Cell   `json:"cells"`
}

// Cell is one metric's value in one slice.
type Cell struct {
	Metric string `json:"metric"`
	// N is the sample size: the denominator of a proportion, the count of
	// values of a mean, the customers of a customer metric.
	N int64 `json:"n"`
	// Value is nil when N is 0 or below the minimum n (then LowN is set).
	Value *float64 `json:"value"`
	// Low and High bound the 95% interval: Wilson for proportions, Student's
	// t for means; nil where no interval is defined.
	Low  *float64 `json:"low,omitempty"`
	High *float64 `json:"high,omitempty"`
	LowN bool     `json:"low_n,omitempty"`
	// Previous is the same cell over the previous period of equal length,
	// when the query asked for a comparison.
	Previous *Cell `json:"previous,omitempty"`
	// Changed is set when both periods have intervals and they do not overlap.
	Changed bool `json:"changed,omitempty"`
}

// Source answers queries. The SQL source is the reference; any faster source
// must return equal results for the same store contents.
type Source interface {
	Query(ctx context.Context, q Query) (*Result, error)
}
