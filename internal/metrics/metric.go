package metrics

// Metric is one entry of the registry: the single definition every source,
// the API, the CLI, the dashboard and docs/metrics.md derive from. Sources
// evaluate Base, Hit and Value; they never restate a formula.
type Metric struct {
	ID          string
	Label       string
	Description string
	Formula     string // for people, generated into docs/metrics.md
	Unit        Unit
	Better      Direction
	Term        Term
	Dims        []string // dimension ids it can be sliced by

	Kind  Kind
	Over  Facts
	Base  Pred  // the rows in the denominator (Proportion, Ratio) or averaged (Mean)
	Hit   Pred  // Proportion: the rows of Base in the numerator; Ratio: the rows counted in the denominator
	Value Value // Mean, Ratio, PerCustomer: the per-row value
}

// Unit says how a value reads.
type Unit string

const (
	Percent Unit = "percent" // a proportion 0…1, shown as %
	Score   Unit = "score"   // a mean on the metric's own scale (NPS −100…100, CSAT 1–5, sentiment −1…1)
	Seconds Unit = "seconds"
	Money   Unit = "money" // minor units of the configured currency
)

// Direction says which way is better.
type Direction int

const (
	HigherIsBetter Direction = iota
	LowerIsBetter
)

// Term is the horizon over which a metric moves and is judged.
type Term string

const (
	Short  Term = "short"
	Medium Term = "medium"
	Long   Term = "long"
)

// Kind is how a metric aggregates rows.
type Kind int

const (
	// Proportion is count(Base ∧ Hit) ÷ count(Base), with a Wilson interval.
	Proportion Kind = iota
	// Mean is the mean of Value over Base rows where Value is not null, with
	// a t interval.
	Mean
	// Ratio is sum(Value over Base) ÷ count(Base ∧ Hit), e.g. cost per
	// resolution; N is the denominator and there is no interval.
	Ratio
	// PerCustomer is sum(Value over Base) ÷ distinct customers in Base.
	PerCustomer
	// Customer metrics are computed over customers and their value events
	// (retention, churn, realised LTV, margin), not over contact rows. The
	// registry marks them Over: Customers and gives the aggregate they use as
	// their Kind (Proportion, Mean or Sum); Customer itself is not used by a
	// registry entry.
	Customer
	// Count is the number of Base rows; N is that count and Value equals N.
	// It has no interval and no minimum n (the count is the sample size).
	Count
	// Sum is sum(Value over Base rows), N the rows summed; no interval.
	Sum
)

// Facts names the rows a metric counts.
type Facts int

const (
	// Interactions are contact rows.
	Interactions Facts = iota
	// Responses are survey answers, inline on an interaction or imported as
	// separate survey records, sliced by the interaction they rate.
	Responses
	// Customers are surviving (not merged) customers, one row each, with
	// columns computed for the query's period: active_start, active_end,
	// ordered, served, realised_value, margin (see the registry's text).
	Customers
)

// Op is a predicate operator.
type Op int

const (
	All     Op = iota // every row
	Eq                // Col = Str
	IsTrue            // Col is true (null is not true)
	NotNull           // Col is not null
	Between           // Lo ≤ Col ≤ Hi (null is not between)
	And
	Or
	Not
)

// Pred is a condition on one fact row. Columns are the fact columns of the
// interactions table (handler, escalated, abandoned, resolved, repeated,
// first_contact, fcr, wait_seconds, handle_seconds, cost, sentiment, …) and,
// for Responses, csat, nps and ces.
type Pred struct {
	Op     Op
	Col    string
	Str    string
	Lo, Hi float64
	Args   []Pred
}

// Value is a per-row number: a column as it is, or mapped through Bands.
type Value struct {
	Col   string
	Bands []Band // when set, a value in [Lo, Hi] becomes To; others are null
}

// Band maps a closed range of a column to one value.
type Band struct{ Lo, Hi, To float64 }
