package api

import (
	"net/http"
	"strconv"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

// erase is DELETE /v1/customers/{ref}: erases the customer's personal data
// everywhere (store.Erase) and records it in the audit log by internal id
// and counts — never by the identity the request named.
func (a *API) erase(w http.ResponseWriter, r *http.Request) {
	if auth.ScopeOf(r.Context()).Partner != "" {
		// Erasure reaches every partner's contacts with the customer.
		a.error(w, r, cx.Errorf(cx.EFORBIDDEN, "erasure is for principals not bound to a partner"))
		return
	}
	id, err := a.customerID(r)
	if err != nil {
		a.error(w, r, notFoundAsRef(r, err))
		return
	}
	e, err := a.Store.Erase(r.Context(), id)
	if e != nil {
		a.changed()
	}
	if e != nil && a.Audit != nil {
		actor := "unknown"
		if p, ok := auth.FromContext(r.Context()); ok {
			actor = p.ID
		}
		outcome := audit.Success
		if err != nil {
			outcome = audit.Failure
		}
		if _, aerr := a.Audit.Append(r.Context(), ErasureEntry(actor, outcome, e)); aerr != nil && err == nil {
			err = aerr
		}
	}
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// ErasureEntry is the audit entry of an erasure: the internal customer id
// (which names nobody once erased) and counts.
func ErasureEntry(actor, outcome string, e *store.Erasure) audit.Entry {
	d := map[string]string{}
	for k, n := range map[string]int{"customers": e.Customers, "identities": e.Identities, "merges": e.Merges,
		"interactions": e.Interactions, "surveys": e.Surveys, "events": e.Events} {
		d[k] = strconv.Itoa(n)
	}
	return audit.Entry{Actor: actor, Action: "customer.erase", Target: "customer:" + strconv.FormatInt(e.Customer, 10), Outcome: outcome, Details: d}
}
