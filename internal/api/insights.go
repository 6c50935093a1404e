package api

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// AutomationView is GET /v1/insights/automation.
type AutomationView struct {
	Period  insight.Period      `json:"period"`
	Intents []insight.IntentFit `json:"intents"`
}

// insightService is the configured service, or a fresh one per request
// (correct, but it recomputes value linkage every time) when none is set.
func (a *API) insightService() *insight.Service {
	if a.Insights != nil {
		return a.Insights
	}
	return insight.NewService(a.Store.DB(), a.metricsSource())
}

// insightPeriod reads from and to (both or neither; dates are midnight in
// the zone parameter or the server's zone) after checking that only the
// allowed parameters are present.
func (a *API) insightPeriod(v url.Values, allowed ...string) (insight.Period, error) {
	allowed = append(allowed, "from", "to", "zone")
	for name := range v {
		ok := false
		for _, x := range allowed {
			ok = ok || name == x
		}
		if !ok {
			return insight.Period{}, cx.Errorf(cx.EINVALID, "%s: unknown parameter (use %s; see docs/api.md)", name, strings.Join(allowed, ", "))
		}
	}
	zone := a.Zone
	if zone == nil {
		zone = time.UTC
	}
	if z := v.Get("zone"); z != "" {
		loc, err := time.LoadLocation(z)
		if err != nil {
			return insight.Period{}, cx.Errorf(cx.EINVALID, "zone: unknown time zone %q (use an IANA name like Europe/London)", z)
		}
		zone = loc
	}
	from, to := v.Get("from"), v.Get("to")
	if (from == "") != (to == "") {
		return insight.Period{}, cx.Errorf(cx.EINVALID, "give both from and to, or neither for the default period")
	}
	if from == "" {
		return insight.Period{}, nil
	}
	var p insight.Period
	var err error
	if p.From, err = metrics.ParseTime(from, zone); err != nil {
		return p, cx.Errorf(cx.EINVALID, "from: %s", cx.ErrorMessage(err))
	}
	if p.To, err = metrics.ParseTime(to, zone); err != nil {
		return p, cx.Errorf(cx.EINVALID, "to: %s", cx.ErrorMessage(err))
	}
	return p, p.Valid()
}

// insightsAutomation answers GET /v1/insights/automation?from=&to=.
func (a *API) insightsAutomation(w http.ResponseWriter, r *http.Request) {
	p, err := a.insightPeriod(r.URL.Query())
	if err != nil {
		a.error(w, r, err)
		return
	}
	fits, p, err := a.insightService().Automation(r.Context(), p, auth.ScopeOf(r.Context()))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, AutomationView{Period: p, Intents: fits})
}

// insightsValue answers GET /v1/insights/value?from=&to=.
func (a *API) insightsValue(w http.ResponseWriter, r *http.Request) {
	p, err := a.insightPeriod(r.URL.Query())
	if err != nil {
		a.error(w, r, err)
		return
	}
	rep, err := a.insightService().Value(r.Context(), p, auth.ScopeOf(r.Context()))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// portfolio answers GET /v1/portfolio?focus=growth&from=&to=.
func (a *API) portfolio(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	p, err := a.insightPeriod(v, "focus")
	if err != nil {
		a.error(w, r, err)
		return
	}
	focus := v.Get("focus")
	if focus == "" {
		a.error(w, r, cx.Errorf(cx.EINVALID, "focus: required, one of growth, profit_protection, exit_preparation, turnaround"))
		return
	}
	rep, err := a.insightService().Portfolio(r.Context(), focus, p, auth.ScopeOf(r.Context()))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
