package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// API serves the JSON endpoints over one store.
type API struct {
	Store      *store.Store
	Normalizer identity.Normalizer
	Analyze    func(*cx.Interaction)
	MaxLine    int
	Window     time.Duration // repeat-contact window
	Log        *slog.Logger
	Audit      audit.Log // the audit log GET /v1/audit reads
	// Metrics answers GET /v1/metrics; nil means the SQL reference source
	// over Store (metrics.NewSQL). The server may pass a faster source.
	Metrics metrics.Source
	Zone    *time.Location // zone metrics cut days in when a request names none; nil = UTC
	// Insights answers /v1/insights/* and /v1/portfolio and keeps value
	// linkage in memory; ingest invalidates it. nil means a fresh service
	// per request (no cache).
	Insights *insight.Service
	// Changed, when set, is called after a request changed stored data
	// (ingest, erasure): the server refreshes its metrics cache.
	Changed func()
}

// changed tells the caches that stored data changed.
func (a *API) changed() {
	if a.Insights != nil {
		a.Insights.Invalidate()
	}
	if a.Changed != nil {
		a.Changed()
	}
}

// Routes is the whole API: each endpoint's pattern, the permission it needs
// (see auth.Roles for who holds which) and its handler. The server mounts
// them on an auth.Guard, which authenticates every request and checks the
// permission before the handler runs; handlers read the caller's data scope
// with auth.ScopeOf(r.Context()) and pass it to the store. A new endpoint is
// one line here, plus a sample request in the permission test
// (cmd/northstar/permission_test.go), which fails for any route it lacks.
func (a *API) Routes() []auth.Route {
	return []auth.Route{
		auth.R("GET /healthz", auth.Public, a.health),
		auth.R("GET /readyz", auth.Public, a.ready),
		auth.R("POST /v1/ingest", auth.Ingest, a.ingest),
		auth.R("GET /v1/customers/{ref}", auth.ReadCustomers, a.customer),
		auth.R("GET /v1/customers/{ref}/timeline", auth.ReadCustomers, a.timeline),
		auth.R("DELETE /v1/customers/{ref}", auth.Erase, a.erase),
		auth.R("POST /v1/exports/{kind}", auth.Export, a.exportData),
		auth.R("GET /v1/interactions/{source}/{id}", auth.ReadInteractions, a.interaction),
		auth.R("GET /v1/audit", auth.ReadAudit, a.auditList),
		auth.R("GET /v1/users", auth.ReadUsers, a.usersList),
		auth.R("POST /v1/users", auth.ManageUsers, a.usersAdd),
		auth.R("PUT /v1/users/{name}/role", auth.ManageUsers, a.usersSetRole),
		auth.R("POST /v1/users/{name}/password", auth.ManageUsers, a.usersPassword),
		auth.R("POST /v1/users/{name}/unlock", auth.ManageUsers, a.usersUnlock),
		auth.R("DELETE /v1/users/{name}", auth.ManageUsers, a.usersRemove),
		auth.R("GET /v1/keys", auth.ReadUsers, a.keysList),
		auth.R("POST /v1/keys", auth.ManageKeys, a.keysCreate),
		auth.R("DELETE /v1/keys/{prefix}", auth.ManageKeys, a.keysRevoke),
		auth.R("GET /v1/metrics", auth.ReadMetrics, a.metrics),
		auth.R("GET /v1/metrics/registry", auth.ReadMetrics, a.metricsRegistry),
		auth.R("GET /v1/insights/automation", auth.ReadInsights, a.insightsAutomation),
		auth.R("GET /v1/insights/value", auth.ReadInsights, a.insightsValue),
		auth.R("GET /v1/portfolio", auth.ReadInsights, a.portfolio),
		auth.R("/v1/", auth.Authenticated, func(w http.ResponseWriter, r *http.Request) {
			a.error(w, r, cx.Errorf(cx.ENOTFOUND, "no endpoint %s %s (see docs/api.md)", r.Method, r.URL.Path))
		}),
	}
}

func (a *API) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *API) ready(w http.ResponseWriter, r *http.Request) {
	if err := a.Store.Ping(r.Context()); err != nil {
		a.error(w, r, &cx.Error{Code: cx.EUNAVAILABLE, Message: "database not reachable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "engine": a.Store.Engine()})
}

// ingest takes an NDJSON body through the same path as `northstar import`.
func (a *API) ingest(w http.ResponseWriter, r *http.Request) {
	strict := r.URL.Query().Get("strict") == "true"
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "request"
	}
	var src ingest.Source
	if strict {
		// Strict mode reads the body twice; request bodies are bounded by the server.
		body, err := readAll(r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		src = ingest.Source{Name: name, Size: int64(len(body)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }}
	} else {
		src = ingest.Source{Name: name, Open: func() (io.ReadCloser, error) { return r.Body, nil }}
	}
	rep, err := ingest.Import(r.Context(), a.Store, []ingest.Source{src}, ingest.Options{
		Normalizer: a.Normalizer, Analyze: a.Analyze, MaxLine: a.MaxLine, Strict: strict, RepeatWindow: a.Window,
	})
	a.changed() // even a failed import may have stored batches
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) && rep != nil {
		// The rest of the body is unread on the connection: close it, or the
		// client's next request on it would be read after those bytes.
		w.Header().Set("Connection", "close")
		// Batches before the limit are stored; say how far the import got.
		t := rep.Total()
		a.error(w, r, &cx.Error{Code: cx.ETOOLARGE, Details: rep, Message: fmt.Sprintf(
			"request body over the %d-byte limit: %d records were read (%d stored or unchanged, %d rejected) before it; "+
				"send the rest in another request (importing is idempotent, so resending all of it is safe)",
			tooBig.Limit, t.Read, t.Inserted+t.Updated+t.Unchanged, t.Rejected)})
		return
	}
	if err != nil {
		a.error(w, r, err)
		return
	}
	status := http.StatusOK
	if strict && !rep.Stored {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, rep)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// errorBody is every error response: {"code", "message", "details"}.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details any    `json:"details,omitempty"`
}

var statusOf = map[string]int{
	cx.EINVALID: http.StatusBadRequest, cx.ENOTFOUND: http.StatusNotFound, cx.ECONFLICT: http.StatusConflict,
	cx.EUNAUTHORIZED: http.StatusUnauthorized, cx.EFORBIDDEN: http.StatusForbidden, cx.ETOOLARGE: http.StatusRequestEntityTooLarge,
	cx.EUNAVAILABLE: http.StatusServiceUnavailable, cx.ELOCKED: http.StatusServiceUnavailable, cx.EINTERNAL: http.StatusInternalServerError,
}

// error writes err as JSON; internal errors are logged once here and shown
// to the client only as "internal error".
func (a *API) error(w http.ResponseWriter, r *http.Request, err error) {
	code := cx.ErrorCode(err)
	if code == cx.EINTERNAL {
		if r.Context().Err() == context.Canceled {
			return
		}
		a.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	body := errorBody{Code: code, Message: cx.ErrorMessage(err)}
	if e, ok := err.(*cx.Error); ok {
		body.Details = e.Details
	}
	writeJSON(w, statusOf[code], body)
}
