package api

import (
	"net/http"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// metricsSource is the configured Source, or the SQL reference over the store.
func (a *API) metricsSource() metrics.Source {
	if a.Metrics != nil {
		return a.Metrics
	}
	return metrics.NewSQL(a.Store)
}

// metrics answers GET /v1/metrics?m=csat,fcr&by=intent&from=2026-10-01&to=2026-11-01
// &where=channel:chat&compare=true&min_n=10&zone=Europe/London with a Result.
func (a *API) metrics(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	for name := range v {
		switch name {
		case "m", "by", "where", "from", "to", "zone", "compare", "min_n":
		default:
			a.error(w, r, cx.Errorf(cx.EINVALID, "%s: unknown parameter (use m, by, where, from, to, zone, compare, min_n; see docs/api.md)", name))
			return
		}
	}
	p := metrics.Params{Metrics: v.Get("m"), By: v.Get("by"), Where: v.Get("where"), From: v.Get("from"), To: v.Get("to"),
		Zone: v.Get("zone"), MinN: v.Get("min_n")}
	switch v.Get("compare") {
	case "", "false":
	case "true":
		p.Compare = true
	default:
		a.error(w, r, cx.Errorf(cx.EINVALID, "compare: want true or false, got %q", v.Get("compare")))
		return
	}
	q, err := p.Parse(r.Context(), a.Store, auth.ScopeOf(r.Context()), a.Zone)
	if err != nil {
		a.error(w, r, err)
		return
	}
	res, err := a.metricsSource().Query(r.Context(), q)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// RegistryView is GET /v1/metrics/registry: every metric's definition and
// every dimension.
type RegistryView struct {
	Metrics    []MetricView   `json:"metrics"`
	Dimensions []metrics.Dim  `json:"dimensions"`
	Defaults   map[string]int `json:"defaults"`
}

// MetricView is one definition as clients read it.
type MetricView struct {
	ID          string   `json:"id"`
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Formula     string   `json:"formula"`
	Unit        string   `json:"unit"`
	Better      string   `json:"better"` // higher or lower
	Term        string   `json:"term"`
	Aggregate   string   `json:"aggregate"`
	Over        string   `json:"over"`
	Dims        []string `json:"dims"`
}

// Registry is the registry as clients read it (the API and `northstar
// metrics list --json` print the same).
func Registry() RegistryView {
	rv := RegistryView{Dimensions: metrics.Dims(), Defaults: map[string]int{"min_n": metrics.DefaultMinN, "days": metrics.DefaultDays}}
	for _, m := range metrics.Registry() {
		rv.Metrics = append(rv.Metrics, MetricView{ID: m.ID, Label: m.Label, Description: m.Description, Formula: m.Formula,
			Unit: string(m.Unit), Better: metrics.BetterName(m.Better), Term: string(m.Term), Aggregate: metrics.KindName(m.Kind),
			Over: metrics.FactsName(m.Over), Dims: m.Dims})
	}
	return rv
}

func (a *API) metricsRegistry(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, Registry())
}
