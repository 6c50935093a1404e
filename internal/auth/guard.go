package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

// Cookie names.
const (
	SessionCookie   = "ns_session"
	loginCSRFCookie = "ns_login_csrf"
	// CSRFField is the form field (and CSRFHeader the header) that carries
	// the session's CSRF token on state-changing requests.
	CSRFField  = "csrf_token"
	CSRFHeader = "X-CSRF-Token"
	// CSRFCookie holds the same token for scripts (not HttpOnly); the
	// server never trusts the cookie itself, only a header or field
	// that matches the session.
	CSRFCookie = "ns_csrf"
)

// Guard is the server's front door. Every endpoint is registered on it as a
// Route with the permission it needs; for each request it authenticates the
// caller (session cookie or "Authorization: Bearer ns_…" key), checks CSRF on
// cookie-authenticated state changes, checks the permission, records denials
// in the audit log, and hands the request on with the Principal in its
// context (auth.FromContext, auth.ScopeOf). Requests that match no route
// still need authentication before they learn so.
type Guard struct {
	Store *store.Store
	Audit audit.Log
	Log   *slog.Logger

	SessionTTL  time.Duration // lifetime of a session from sign-in
	MaxFailures int           // failed sign-ins in a row that lock a user
	LockFor     time.Duration // how long a lock lasts
	// AddrFailures failed sign-ins from one address within AddrWindow make
	// that address wait out the window.
	AddrFailures int
	AddrWindow   time.Duration

	mux     *http.ServeMux
	routes  []Route
	addrs   *failures
	touched sync.Map // key prefix → time of the last recorded use
}

// NewGuard returns a Guard with the default policy: 12-hour sessions, a
// 15-minute lock after 5 failed sign-ins for a user, and a 15-minute wait
// after 20 failures from one address.
func NewGuard(st *store.Store, log audit.Log, lg *slog.Logger) *Guard {
	if lg == nil {
		lg = slog.Default()
	}
	g := &Guard{Store: st, Audit: log, Log: lg, SessionTTL: 12 * time.Hour, MaxFailures: 5, LockFor: 15 * time.Minute,
		AddrFailures: 20, AddrWindow: 15 * time.Minute, mux: http.NewServeMux()}
	g.addrs = &failures{now: st.Now, m: map[string]*failWindow{}}
	g.Handle(g.routesOwn()...)
	return g
}

// Handle registers routes. A route with no permission is a programming
// error: it panics at start rather than serve an unguarded endpoint.
func (g *Guard) Handle(routes ...Route) {
	for _, rt := range routes {
		if rt.Perm == "" || rt.Handler == nil {
			panic(fmt.Sprintf("auth: route %q registered without a permission or handler", rt.Pattern))
		}
		if rt.Perm != Public && rt.Perm != Authenticated && !knownPermission(rt.Perm) {
			panic(fmt.Sprintf("auth: route %q needs permission %q, which no role has; add it to auth.Roles", rt.Pattern, rt.Perm))
		}
		g.routes = append(g.routes, rt)
		g.mux.Handle(rt.Pattern, g.wrap(rt))
	}
}

func knownPermission(p Permission) bool {
	for _, r := range Roles {
		if slices.Contains(r.Permissions, p) {
			return true
		}
	}
	return false
}

// Routes lists every registered route, in registration order.
func (g *Guard) Routes() []Route { return slices.Clone(g.routes) }

// ServeHTTP serves a request through the route table.
func (g *Guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := g.mux.Handler(r); pattern == "" {
		// No route (404, 405, path clean-up redirects): say so only to
		// principals, so the surface cannot be mapped anonymously.
		p, _, _ := g.authenticate(w, r)
		if p == nil {
			g.unauthenticated(w, r, Route{Page: !isAPI(r)})
			return
		}
	}
	g.mux.ServeHTTP(w, r)
}

type csrfKey struct{}

// CSRFToken is the token state-changing forms must carry in the field
// CSRFField (or fetch requests in the header CSRFHeader) for r's session;
// "" for requests not signed in with a session cookie.
func CSRFToken(ctx context.Context) string {
	s, _ := ctx.Value(csrfKey{}).(string)
	return s
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

func (g *Guard) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Perm == Public {
			rt.Handler.ServeHTTP(w, r)
			return
		}
		p, sessionID, err := g.authenticate(w, r)
		if p == nil {
			if err != nil && cx.ErrorCode(err) == cx.EINTERNAL {
				g.Log.Error("authentication failed", "path", r.URL.Path, "err", err)
				writeError(w, http.StatusServiceUnavailable, cx.EUNAVAILABLE, "cannot check credentials now; try again shortly")
				return
			}
			g.unauthenticated(w, r, rt)
			return
		}
		ctx := WithPrincipal(r.Context(), p)
		if sessionID != "" {
			tok := csrfToken(sessionID)
			ctx = context.WithValue(ctx, csrfKey{}, tok)
			if unsafeMethod(r.Method) && !g.csrfOK(r, tok) {
				g.record(r.Context(), p.ID, ActionCSRF, rt.Pattern, audit.Denied, map[string]string{"addr": addrOf(r)})
				g.deny(w, r, rt, "the form was stale or came from another site (missing or wrong CSRF token); reload the page and try again")
				return
			}
		}
		if !p.Can(rt.Perm) {
			g.record(r.Context(), p.ID, ActionDenied, rt.Pattern, audit.Denied, map[string]string{"permission": string(rt.Perm), "role": p.Role})
			g.deny(w, r, rt, fmt.Sprintf("role %s lacks the permission %s for %s", p.Role, rt.Perm, rt.Pattern))
			return
		}
		if sessionID == "" && unsafeMethod(r.Method) {
			// Writes with a key are accountable to that key.
			g.record(r.Context(), p.ID, ActionKeyUse, rt.Pattern, audit.Success, nil)
		}
		rt.Handler.ServeHTTP(w, r.WithContext(ctx))
	})
}

// csrfOK checks the synchronizer token, and that a browser-sent Origin is
// this server, for a cookie-authenticated state change.
func (g *Guard) csrfOK(r *http.Request, tok string) bool {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue(CSRFField)
	}
	return equalTokens(got, tok)
}

// authenticate finds the request's principal. A nil principal with a nil
// error means no credentials were sent; sessionID is set for cookie sign-ins.
func (g *Guard) authenticate(w http.ResponseWriter, r *http.Request) (*Principal, string, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, key, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return nil, "", cx.Errorf(cx.EUNAUTHORIZED, "use Authorization: Bearer ns_…")
		}
		p, err := g.keyPrincipal(r, strings.TrimSpace(key))
		return p, "", err
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, "", nil
	}
	se, err := g.Store.Session(r.Context(), sha256Hex(c.Value))
	if err != nil {
		return nil, "", err
	}
	u, err := g.Store.User(r.Context(), se.User)
	if err != nil || u.Disabled {
		return nil, "", cx.Errorf(cx.EUNAUTHORIZED, "user no longer active")
	}
	return &Principal{ID: "user:" + u.Name, Name: u.Name, Role: u.Role, Partner: u.Partner}, c.Value, nil
}

func (g *Guard) keyPrincipal(r *http.Request, key string) (*Principal, error) {
	prefix, ok := ParseKey(key)
	if !ok {
		return nil, cx.Errorf(cx.EUNAUTHORIZED, "not a Northstar API key")
	}
	k, err := g.Store.APIKeyByPrefix(r.Context(), prefix)
	if cx.ErrorCode(err) == cx.ENOTFOUND {
		return nil, cx.Errorf(cx.EUNAUTHORIZED, "unknown API key")
	}
	if err != nil {
		return nil, err
	}
	reason := ""
	now := g.Store.Now()
	switch {
	case !equalTokens(sha256Hex(key), k.Hash):
		reason = "wrong_secret"
	case k.RevokedAt != nil:
		reason = "revoked"
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		reason = "expired"
	}
	if reason != "" {
		g.record(r.Context(), "key:"+prefix, ActionKeyRejected, "key:"+prefix, audit.Denied, map[string]string{"reason": reason, "addr": addrOf(r)})
		return nil, cx.Errorf(cx.EUNAUTHORIZED, "API key %s", strings.ReplaceAll(reason, "_", " "))
	}
	// Record use at most once a minute per key: a busy importer should not
	// turn every request into a write.
	if last, ok := g.touched.Load(prefix); !ok || now.Sub(last.(time.Time)) > time.Minute {
		g.touched.Store(prefix, now)
		if err := g.Store.TouchAPIKey(r.Context(), prefix, now); err != nil {
			g.Log.Warn("could not record API key use", "key", prefix, "err", err)
		}
	}
	return &Principal{ID: "key:" + prefix, Name: k.Name, Role: k.Role, Partner: k.Partner}, nil
}

// record appends to the audit log; a failure to audit is logged loudly but
// does not turn a denial into a success or vice versa.
func (g *Guard) record(ctx context.Context, actor, action, target, outcome string, details map[string]string) {
	if _, err := g.Audit.Append(context.WithoutCancel(ctx), audit.Entry{Actor: actor, Action: action, Target: target, Outcome: outcome, Details: details}); err != nil {
		g.Log.Error("could not write the audit log", "action", action, "err", err)
	}
}

func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/v1/") || r.URL.Path == "/v1" || r.Header.Get("Authorization") != ""
}

// unauthenticated answers a request without valid credentials: pages
// redirect to the sign-in form, the API answers 401.
func (g *Guard) unauthenticated(w http.ResponseWriter, r *http.Request, rt Route) {
	if rt.Page && !isAPI(r) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="northstar"`)
	writeError(w, http.StatusUnauthorized, cx.EUNAUTHORIZED, "sign in at /login, or send an API key as Authorization: Bearer ns_… (create one with `northstar keys create`)")
}

func (g *Guard) deny(w http.ResponseWriter, r *http.Request, rt Route, msg string) {
	if rt.Page && !isAPI(r) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusForbidden)
		_ = pages.ExecuteTemplate(w, "forbidden", map[string]string{"Message": msg})
		return
	}
	writeError(w, http.StatusForbidden, cx.EFORBIDDEN, msg)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	b, _ := json.MarshalIndent(map[string]string{"code": code, "message": msg}, "", "  ")
	_, _ = w.Write(append(b, '\n'))
}

// addrOf is the client address without port. Behind a reverse proxy this
// is the proxy; Northstar does not trust X-Forwarded-For, which any client
// can set.
func addrOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// failures counts failed sign-ins per address in fixed windows.
type failures struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]*failWindow
}

type failWindow struct {
	start time.Time
	n     int
}

// blocked reports whether addr has used up its failures in the window.
func (f *failures) blocked(addr string, max int, window time.Duration) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	w := f.m[addr]
	return w != nil && f.now().Sub(w.start) < window && w.n >= max
}

func (f *failures) add(addr string, window time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	w := f.m[addr]
	if w == nil || now.Sub(w.start) >= window {
		if len(f.m) > 100_000 { // bounded memory under a spray from many addresses
			for k, v := range f.m {
				if now.Sub(v.start) >= window {
					delete(f.m, k)
				}
			}
		}
		w = &failWindow{start: now}
		f.m[addr] = w
	}
	w.n++
}
