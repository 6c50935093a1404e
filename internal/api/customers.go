package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

func readAll(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, cx.Errorf(cx.ETOOLARGE, "request body over %d bytes; split the import into several requests", tooBig.Limit)
	}
	return b, err
}

// CustomerView is a customer with the first page of their timeline.
type CustomerView struct {
	*cx.Customer
	Timeline *store.Timeline `json:"timeline"`
}

func (a *API) customerID(r *http.Request) (int64, error) {
	ref, err := a.Normalizer.ParseRef(r.PathValue("ref"))
	if err != nil {
		return 0, err
	}
	return a.Store.CustomerID(r.Context(), ref)
}

// notFoundAsRef gives every "not found" about a customer the same message,
// so a partner-bound caller cannot tell a customer outside their scope
// (or its internal id) from one that does not exist.
func notFoundAsRef(r *http.Request, err error) error {
	if cx.ErrorCode(err) == cx.ENOTFOUND {
		return cx.Errorf(cx.ENOTFOUND, "no customer %s", r.PathValue("ref"))
	}
	return err
}

// outOfScope records a partner-bound principal asking for something that
// exists outside its scope (probing, or a link shared across partners).
// The answer stays "not found"; the audit entry names the internal id and
// the route, never the reference asked for (it may be an email address).
func (a *API) outOfScope(r *http.Request, target string) {
	p, ok := auth.FromContext(r.Context())
	if !ok || p.Partner == "" || a.Audit == nil {
		return
	}
	if _, err := a.Audit.Append(r.Context(), audit.Entry{Actor: p.ID, Action: "scope.denied", Target: target, Outcome: audit.Denied,
		Details: map[string]string{"partner": p.Partner, "route": r.Pattern}}); err != nil {
		a.Log.Error("could not write the audit log", "action", "scope.denied", "err", err)
	}
}

func (a *API) customer(w http.ResponseWriter, r *http.Request) {
	id, err := a.customerID(r)
	if err != nil {
		a.error(w, r, notFoundAsRef(r, err))
		return
	}
	sc := auth.ScopeOf(r.Context())
	c, err := a.Store.Customer(r.Context(), sc, id)
	if err != nil {
		if cx.ErrorCode(err) == cx.ENOTFOUND {
			a.outOfScope(r, "customer:"+strconv.FormatInt(id, 10)) // the id resolved, so the customer exists
		}
		a.error(w, r, notFoundAsRef(r, err))
		return
	}
	tl, err := a.Store.Timeline(r.Context(), sc, id, 0, 50)
	if err != nil {
		a.error(w, r, notFoundAsRef(r, err))
		return
	}
	writeJSON(w, http.StatusOK, CustomerView{Customer: c, Timeline: tl})
}

func (a *API) timeline(w http.ResponseWriter, r *http.Request) {
	id, err := a.customerID(r)
	if err != nil {
		a.error(w, r, notFoundAsRef(r, err))
		return
	}
	offset, err := intParam(r, "offset", 0, 0, 1<<30)
	if err != nil {
		a.error(w, r, err)
		return
	}
	limit, err := intParam(r, "limit", 50, 1, 1000)
	if err != nil {
		a.error(w, r, err)
		return
	}
	tl, err := a.Store.Timeline(r.Context(), auth.ScopeOf(r.Context()), id, offset, limit)
	if err != nil {
		if cx.ErrorCode(err) == cx.ENOTFOUND {
			a.outOfScope(r, "customer:"+strconv.FormatInt(id, 10))
		}
		a.error(w, r, notFoundAsRef(r, err))
		return
	}
	writeJSON(w, http.StatusOK, tl)
}

func (a *API) interaction(w http.ResponseWriter, r *http.Request) {
	k := cx.Key{Source: r.PathValue("source"), ID: r.PathValue("id")}
	sc := auth.ScopeOf(r.Context())
	in, err := a.Store.Interaction(r.Context(), sc, k)
	if err != nil {
		if cx.ErrorCode(err) == cx.ENOTFOUND && sc.Partner != "" {
			// Only to decide whether to audit; the caller gets "not found" either way.
			if _, uerr := a.Store.Interaction(r.Context(), cx.Scope{}, k); uerr == nil {
				a.outOfScope(r, "interaction:"+k.String())
			}
		}
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, cx.Errorf(cx.EINVALID, "%s: want a whole number from %d to %d, got %q", name, lo, hi, v)
	}
	return n, nil
}
