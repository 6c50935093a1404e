package metrics

import (
	"bytes"
	"fmt"
	"strings"
)

// KindName is how a kind of aggregate reads in docs and listings.
func KindName(k Kind) string {
	return map[Kind]string{Proportion: "proportion", Mean: "mean", Ratio: "ratio", PerCustomer: "per customer",
		Customer: "customer", Count: "count", Sum: "sum"}[k]
}

// FactsName is how a kind of fact row reads in docs and listings.
func FactsName(f Facts) string {
	return map[Facts]string{Interactions: "contacts", Responses: "survey responses", Customers: "customers"}[f]
}

// BetterName is how a direction reads.
func BetterName(d Direction) string {
	if d == LowerIsBetter {
		return "lower"
	}
	return "higher"
}

func intervalName(m Metric) string {
	switch m.Kind {
	case Proportion:
		return "Wilson 95%"
	case Mean:
		return "Student t 95%"
	}
	return "none"
}

// Docs renders docs/metrics.md from the registry, so the documentation
// cannot drift from the definitions sources evaluate.
func Docs() []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# Metrics\n\n")
	p("<!-- Generated from internal/metrics/registry.go and dims.go; do not edit.\n")
	p("     Regenerate with: go test ./internal/metrics -run TestDocs -update -->\n\n")
	p("Every metric Northstar reports is defined once, in the registry (`internal/metrics/registry.go`). The API\n")
	p("(`GET /v1/metrics`, `GET /v1/metrics/registry`), the CLI (`northstar metrics`, `northstar metrics list`), the\n")
	p("dashboard and this page are all derived from it.\n\n")
	p("Every value comes with **n**, its sample size: the denominator of a proportion, the number of values of a mean,\n")
	p("the customers of a customer metric. Proportions carry a **Wilson 95%% interval**, means a **Student t 95%%\n")
	p("interval**; ratios, sums and counts carry none. A cell whose n is below the minimum (default %d, `min_n`) is\n", DefaultMinN)
	p("marked low-n and shows no value, never a misleading 0%% or 100%%; counts are never withheld. A cell with n = 0\n")
	p("has no value. With a comparison, every cell also carries the same cell over the previous period of equal\n")
	p("length, and is flagged *changed* when both periods have intervals and they do not overlap.\n\n")
	p("Periods are half-open, `[from, to)`, on the contact's start time; survey responses belong to the period and the\n")
	p("slices of the contact they rate. Money is in minor units (pence, cents) of the configured currency. The repeat\n")
	p("window (configuration `repeat-window`, default 7 days) is applied when contacts are imported.\n\n")
	p("| id | metric | unit | better | term | aggregate | over | interval |\n|---|---|---|---|---|---|---|---|\n")
	for _, m := range Registry() {
		p("| [`%s`](#%s) | %s | %s | %s | %s | %s | %s | %s |\n", m.ID, m.ID, m.Label, m.Unit, BetterName(m.Better), m.Term,
			KindName(m.Kind), FactsName(m.Over), intervalName(m))
	}
	p("\n## Definitions\n")
	for _, m := range Registry() {
		p("\n### %s\n\n", m.ID)
		p("**%s**. %s\n\n", m.Label, m.Description)
		p("- Formula: %s\n", m.Formula)
		p("- Unit: %s; %s is better; %s term\n", m.Unit, BetterName(m.Better), m.Term)
		p("- Aggregate: %s over %s; interval: %s\n", KindName(m.Kind), FactsName(m.Over), intervalName(m))
		p("- Sliced and filtered by: %s\n", "`"+strings.Join(m.Dims, "`, `")+"`")
	}
	p("\n## Dimensions\n\n")
	p("Slice with `by` (`--by`), filter with `where` (`--where`). A missing or empty value is the key `%s`.\n\n", None)
	p("| id | what |\n|---|---|\n")
	for _, d := range Dims() {
		p("| `%s` | %s |\n", d.ID, d.Description)
	}
	p("| `flag:<kind>` | `yes` when analysis flagged the contact with that kind (e.g. `flag:anger`), else `no` |\n")
	p("\nCustomer metrics (%s) count customers, so only the customer's own attributes (%s) slice and filter them.\n",
		customerMetricIDs(), "`"+strings.Join(customerDimIDs(), "`, `")+"`")
	p("\n### Filters\n\n")
	p("`dim:v1|v2` keeps rows whose dimension is one of the values; `dim!:v1|v2` keeps the others; several filters are\n")
	p("joined by commas and must all hold: `channel:chat|voice,handler!:bot,flag:anger:yes`. Dimensions and metrics are\n")
	p("checked against this page; values are passed to the database as parameters.\n\n")
	p("### Time\n\n")
	p("`hour`, `day`, `week` and `month` are cut in the query's time zone (configuration `time-zone`, or `zone` in the\n")
	p("API). Weeks start on Monday and are keyed by that Monday's date.\n\n")
	p("### Partner scope\n\n")
	p("A principal bound to an outsourcing partner sees only contacts handled by that partner's agents (and the\n")
	p("responses about them). Customer metrics then cover only the customers with at least one such contact before\n")
	p("the end of the period, and count only those contacts for their activity and service cost.\n")
	return b.Bytes()
}

func customerMetricIDs() string {
	var ids []string
	for _, m := range registry {
		if m.Over == Customers {
			ids = append(ids, "`"+m.ID+"`")
		}
	}
	return strings.Join(ids, ", ")
}
