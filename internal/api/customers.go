package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"

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

func (a *API) customer(w http.ResponseWriter, r *http.Request) {
	id, err := a.customerID(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	c, err := a.Store.Customer(r.Context(), id)
	if err != nil {
		a.error(w, r, err)
		return
	}
	tl, err := a.Store.Timeline(r.Context(), id, 0, 50)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, CustomerView{Customer: c, Timeline: tl})
}

func (a *API) timeline(w http.ResponseWriter, r *http.Request) {
	id, err := a.customerID(r)
	if err != nil {
		a.error(w, r, err)
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
	tl, err := a.Store.Timeline(r.Context(), id, offset, limit)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tl)
}

func (a *API) interaction(w http.ResponseWriter, r *http.Request) {
	in, err := a.Store.Interaction(r.Context(), cx.Key{Source: r.PathValue("source"), ID: r.PathValue("id")})
	if err != nil {
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
