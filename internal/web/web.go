// Package web is Northstar's dashboard: server-rendered pages (html/template)
// over the store, the metrics sources and the insights, with charts drawn as
// SVG on the server and assets embedded in the binary, so it works on an
// air-gapped network and every view is usable before any script runs. URLs
// hold all state (filters, period, page), so any view can be bookmarked and
// shared, and every number links to the interactions behind it.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// CSP is the Content-Security-Policy of every page: nothing inline, nothing
// from elsewhere.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Handler serves the dashboard. Mount it at "/" beside the API.
type Handler struct {
	Store *store.Store
	// Metrics answers every metric number a page shows; the store is read
	// directly only for lists and single records.
	Metrics    metrics.Source
	Normalizer identity.Normalizer
	// Insights answers automation fit, value linkage and the strategy
	// portfolio; nil builds one over Store and Metrics. Share the server's
	// so the API and the pages use one cache.
	Insights *insight.Service
	Log      *slog.Logger
	// Now is the clock (tests); periods are anchored at the latest data, not
	// at Now, so a demo world from the past still shows its last 30 days.
	Now func() time.Time

	once  sync.Once
	pages map[string]*template.Template
	mux   *http.ServeMux
	err   error

	facetMu sync.Mutex
	facets  map[string]facetEntry
	qaMu    sync.Mutex
	qaCache map[string]qaEntry
}

type facetEntry struct {
	f          *store.Facets
	at         time.Time
	refreshing bool
}

func (h *Handler) init() {
	h.pages = map[string]*template.Template{}
	base, err := template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html")
	if err != nil {
		h.err = fmt.Errorf("web templates: %w", err)
		return
	}
	names, _ := fs.Glob(templateFS, "templates/page-*.html")
	for _, n := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			h.err = fmt.Errorf("web template %s: %w", n, err)
			return
		}
		h.pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/page-"), ".html")] = t
	}
	if h.Log == nil {
		h.Log = slog.Default()
	}
	if h.Now == nil {
		h.Now = time.Now
	}
	if h.Insights == nil && h.Store != nil {
		h.Insights = insight.NewService(h.Store.DB(), h.Metrics)
		h.Insights.Log = h.Log
	}
	h.facets = map[string]facetEntry{}
	h.qaCache = map[string]qaEntry{}
	h.mux = http.NewServeMux()
	for _, rt := range h.routes() {
		h.mux.Handle(rt.Pattern, rt.Handler)
	}
}

// routes is the dashboard's route table: pattern, the permission a
// principal needs (enforced by auth.Guard when mounted through Routes), and
// the handler.
func (h *Handler) routes() []auth.Route {
	static, _ := fs.Sub(staticFS, "static")
	fileServer := http.StripPrefix("/static/", http.FileServer(http.FS(static)))
	page := func(pattern string, perm auth.Permission, f http.HandlerFunc) auth.Route {
		return auth.Route{Pattern: pattern, Perm: perm, Handler: h.wrap(f), Page: true}
	}
	return []auth.Route{
		{Pattern: "GET /static/", Perm: auth.Public, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "public, max-age=3600")
			fileServer.ServeHTTP(w, r)
		})},
		{Pattern: "GET /favicon.ico", Perm: auth.Public, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
		})},
		page("GET /{$}", auth.ViewDashboard, h.overview),
		page("GET /customers", auth.ReadCustomers, h.customers),
		page("GET /customers/{id}", auth.ReadCustomers, h.customer),
		page("GET /interactions", auth.ReadInteractions, h.interactions),
		page("GET /interactions/{source}/{id...}", auth.ReadInteractions, h.interaction),
		page("GET /intents", auth.ReadInsights, h.intents),
		page("GET /quality", auth.ReadQA, h.quality),
		page("GET /value", auth.ReadInsights, h.value),
		page("/", auth.Authenticated, func(w http.ResponseWriter, r *http.Request) {
			h.fail(w, r, cx.Errorf(cx.ENOTFOUND, "no page at %s", r.URL.Path))
		}),
	}
}

// Routes lists the dashboard's routes for auth.Guard, which checks each
// route's permission before the page runs.
func (h *Handler) Routes() []auth.Route {
	h.once.Do(h.init)
	return h.routes()
}

// wrap adds the security headers every page carries.
func (h *Handler) wrap(f http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.once.Do(h.init)
		if h.err != nil {
			http.Error(w, h.err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Security-Policy", CSP)
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("X-Frame-Options", "DENY")
		f(w, r)
	})
}

// ServeHTTP serves the dashboard without authentication (tests, and any
// mount without auth.Guard); pages then show everything (see scopeOf).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.once.Do(h.init)
	if h.err != nil {
		http.Error(w, h.err.Error(), http.StatusInternalServerError)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// Check parses the templates now, so a broken build fails at start, not on
// the first request.
func (h *Handler) Check() error {
	h.once.Do(h.init)
	return h.err
}

// page is what every template gets.
type page struct {
	Title   string
	Nav     string // overview, customers, interactions, intents, quality, value
	Scope   cx.Scope
	Path    string
	Query   map[string][]string
	Period  *period
	Notices []string
	Data    any
	User    string // the signed-in principal's name, when there is one
	CSRF    string // for the sign-out form
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, name string, p *page) {
	t := h.pages[name]
	if t == nil {
		h.fail(w, r, fmt.Errorf("no template %q", name))
		return
	}
	p.Scope = auth.ScopeOf(r.Context())
	if pr, ok := auth.FromContext(r.Context()); ok {
		p.User, p.CSRF = pr.Name, auth.CSRFToken(r.Context())
	}
	p.Path = r.URL.Path
	p.Query = r.URL.Query()
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		h.fail(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

var statusOf = map[string]int{
	cx.EINVALID: http.StatusBadRequest, cx.ENOTFOUND: http.StatusNotFound, cx.EFORBIDDEN: http.StatusForbidden,
	cx.EUNAUTHORIZED: http.StatusUnauthorized, cx.EUNAVAILABLE: http.StatusServiceUnavailable, cx.ELOCKED: http.StatusServiceUnavailable,
}

// fail renders an error page; internal errors are logged and shown only as
// "internal error".
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	code := cx.ErrorCode(err)
	status, ok := statusOf[code]
	msg := cx.ErrorMessage(err)
	if !ok {
		status = http.StatusInternalServerError
		h.Log.Error("dashboard request failed", "path", r.URL.Path, "err", err)
		msg = "Something went wrong on the server; the log has the details."
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	t := h.pages["error"]
	if t == nil {
		fmt.Fprintf(w, "<!doctype html><title>Error</title><p>%s</p>", template.HTMLEscapeString(msg))
		return
	}
	_ = t.ExecuteTemplate(w, "layout", &page{Title: http.StatusText(status), Scope: auth.ScopeOf(r.Context()), Path: r.URL.Path, Data: map[string]any{"Status": status, "Message": msg}})
}

// facetsFor returns the filter values and time range for scope. They need
// scans of the whole table and change only with imports, so they are
// cached: fresh for a minute, and after that served while a background
// read replaces them, so only the first request of a scope waits.
func (h *Handler) facetsFor(ctx context.Context, scope cx.Scope) (*store.Facets, error) {
	h.facetMu.Lock()
	e, ok := h.facets[scope.Partner]
	stale := ok && h.Now().Sub(e.at) >= time.Minute
	if stale && !e.refreshing {
		e.refreshing = true
		h.facets[scope.Partner] = e
		go func() {
			f, err := h.Store.Facets(context.Background(), scope)
			h.facetMu.Lock()
			defer h.facetMu.Unlock()
			if err != nil {
				h.Log.Warn("refresh dashboard filters", "err", err)
				e.refreshing = false
				h.facets[scope.Partner] = e
				return
			}
			h.facets[scope.Partner] = facetEntry{f: f, at: h.Now()}
		}()
	}
	h.facetMu.Unlock()
	if ok {
		return e.f, nil
	}
	f, err := h.Store.Facets(ctx, scope)
	if err != nil {
		return nil, err
	}
	h.facetMu.Lock()
	h.facets[scope.Partner] = facetEntry{f: f, at: h.Now()}
	h.facetMu.Unlock()
	return f, nil
}
