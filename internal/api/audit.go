package api

import (
	"net/http"
	"time"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/cx"
)

// auditList is GET /v1/audit?actor=&action=&since=&limit=: the newest
// entries that match (default 100, at most 10,000), oldest first. action
// may be a prefix ending in "." ("login.", "key."); since is RFC 3339 or a
// date. ?verify=true adds the result of verifying the whole chain, and
// &anchor=HASH checks that the entry with a head hash recorded earlier is
// still in it.
func (a *API) auditList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := intParam(r, "limit", 100, 1, 10000)
	if err != nil {
		a.error(w, r, err)
		return
	}
	f := audit.Filter{Actor: q.Get("actor"), Action: q.Get("action"), Limit: limit}
	if s := q.Get("since"); s != "" {
		if f.Since, err = parseSince(s); err != nil {
			a.error(w, r, err)
			return
		}
	}
	entries, err := a.Audit.List(r.Context(), f)
	if err != nil {
		a.error(w, r, err)
		return
	}
	out := map[string]any{"entries": entries}
	if q.Get("verify") == "true" {
		rep, err := a.Audit.VerifyAnchor(r.Context(), q.Get("anchor"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		out["verify"] = rep
	}
	writeJSON(w, http.StatusOK, out)
}

// parseSince reads an RFC 3339 time or a YYYY-MM-DD date (UTC midnight).
func parseSince(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, cx.Errorf(cx.EINVALID, "since: want a time like 2025-10-01 or 2025-10-01T09:00:00Z, got %q", s)
}
