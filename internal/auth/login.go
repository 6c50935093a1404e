package auth

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// routesOwn are the sign-in and sign-out endpoints.
func (g *Guard) routesOwn() []Route {
	return []Route{
		{Pattern: "GET /login", Perm: Public, Handler: http.HandlerFunc(g.loginForm), Page: true},
		{Pattern: "POST /login", Perm: Public, Handler: http.HandlerFunc(g.login), Page: true},
		{Pattern: "POST /logout", Perm: Authenticated, Handler: http.HandlerFunc(g.logout), Page: true},
	}
}

type loginView struct {
	Title, Message, CSRF, Next, User string
}

// secureCookies is whether cookies must only travel over TLS: when this
// request came over TLS (directly; a TLS-terminating proxy should be
// configured to forward to a TLS listener for the same effect).
func secureCookies(r *http.Request) bool { return r.TLS != nil }

// loginForm shows the sign-in form with a fresh double-submit CSRF token:
// one copy in a cookie, one in the form. A cross-site page can make a
// browser send the cookie but cannot read it to fill in the form.
func (g *Guard) loginForm(w http.ResponseWriter, r *http.Request) {
	g.renderLogin(w, r, http.StatusOK, loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

func (g *Guard) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	v.Title = "Sign in"
	v.CSRF = token(20)
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: v.CSRF, Path: "/login", HttpOnly: true, Secure: secureCookies(r),
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, "login", v); err != nil {
		g.Log.Error("render sign-in page", "err", err)
	}
}

// safeNext keeps a post-sign-in redirect on this site: a path, not
// "//evil.example" or "/\evil.example", which browsers treat as hosts.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

const badCredentials = "User name or password is wrong."

// login checks the credentials. Every outcome is audited; the answer to a
// wrong name and to a wrong password is the same, and takes as long.
func (g *Guard) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	addr := addrOf(r)
	name := strings.TrimSpace(r.PostFormValue("user"))
	v := loginView{Next: safeNext(r.PostFormValue("next")), User: name}
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || !equalTokens(r.PostFormValue(CSRFField), c.Value) {
		g.record(ctx, "anonymous", ActionCSRF, "POST /login", audit.Denied, map[string]string{"addr": addr})
		v.Message = "The sign-in form expired or came from another site. Please try again."
		g.renderLogin(w, r, http.StatusForbidden, v)
		return
	}
	if g.addrs.blocked(addr, g.AddrFailures, g.AddrWindow) {
		g.record(ctx, "anonymous", ActionLogin, "", audit.Denied, map[string]string{"reason": "address_throttled", "addr": addr})
		v.Message = "Too many failed sign-ins from your address. Wait 15 minutes and try again."
		g.renderLogin(w, r, http.StatusTooManyRequests, v)
		return
	}
	password := r.PostFormValue("password")
	u, err := g.Store.User(ctx, name)
	if err != nil && cx.ErrorCode(err) != cx.ENOTFOUND {
		g.Log.Error("sign-in: read user", "err", err)
		v.Message = "Sign-in is unavailable right now; try again shortly."
		g.renderLogin(w, r, http.StatusServiceUnavailable, v)
		return
	}
	now := g.Store.Now()
	switch {
	case u == nil:
		_, _ = CheckPassword(dummyHash(), password)
		g.addrs.add(addr, g.AddrWindow)
		// The typed name is not recorded: it might be a mistyped password.
		g.record(ctx, "anonymous", ActionLogin, "", audit.Failure, map[string]string{"reason": "unknown_user", "addr": addr})
		v.Message = badCredentials
		g.renderLogin(w, r, http.StatusUnauthorized, v)
		return
	case u.LockedUntil != nil && now.Before(*u.LockedUntil):
		// Locked: the password is not even checked, so guessing gains nothing.
		g.addrs.add(addr, g.AddrWindow)
		g.record(ctx, "anonymous", ActionLogin, "user:"+u.Name, audit.Denied, map[string]string{"reason": "locked", "addr": addr})
		v.Message = "This account is locked after repeated failed sign-ins until " + u.LockedUntil.UTC().Format("15:04 MST") +
			". An admin can unlock it sooner with `northstar users unlock NAME`."
		g.renderLogin(w, r, http.StatusLocked, v)
		return
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil {
		g.Log.Error("sign-in: stored password hash unusable", "user", u.Name, "err", err)
	}
	if !ok || u.Disabled {
		g.addrs.add(addr, g.AddrWindow)
		reason := "bad_password"
		if ok {
			reason = "disabled"
		}
		g.record(ctx, "anonymous", ActionLogin, "user:"+u.Name, audit.Failure, map[string]string{"reason": reason, "addr": addr})
		if !ok {
			locked, err := g.Store.LoginFailed(ctx, u.Name, g.MaxFailures, g.LockFor)
			if err != nil {
				g.Log.Error("sign-in: record failure", "err", err)
			}
			if locked != nil {
				g.record(ctx, "system", ActionUserLocked, "user:"+u.Name, audit.Success, map[string]string{"until": locked.Format(time.RFC3339), "failures": strconv.Itoa(g.MaxFailures)})
			}
		}
		v.Message = badCredentials
		g.renderLogin(w, r, http.StatusUnauthorized, v)
		return
	}
	// A new session id on every sign-in, and any session the browser
	// brought along ends: an id planted before sign-in (fixation) never
	// becomes authenticated.
	if old, err := r.Cookie(SessionCookie); err == nil && old.Value != "" {
		_ = g.Store.DeleteSession(ctx, sha256Hex(old.Value))
	}
	id := token(32)
	if err := g.Store.CreateSession(ctx, store.Session{IDHash: sha256Hex(id), User: u.Name, CreatedAt: now, ExpiresAt: now.Add(g.SessionTTL)}); err != nil {
		g.Log.Error("sign-in: create session", "err", err)
		v.Message = "Sign-in is unavailable right now; try again shortly."
		g.renderLogin(w, r, http.StatusServiceUnavailable, v)
		return
	}
	if err := g.Store.LoginSucceeded(ctx, u.Name); err != nil {
		g.Log.Error("sign-in: record success", "err", err)
	}
	// Sign-ins are rare enough to sweep expired sessions on.
	if err := g.Store.PurgeSessions(ctx); err != nil {
		g.Log.Warn("sign-in: purge expired sessions", "err", err)
	}
	g.record(ctx, "user:"+u.Name, ActionLogin, "user:"+u.Name, audit.Success, map[string]string{"addr": addr})
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: secureCookies(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(g.SessionTTL.Seconds())})
	// The session's CSRF token, readable by this site's scripts for fetch
	// requests (X-CSRF-Token); another site can neither read nor compute it.
	http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: csrfToken(id), Path: "/", Secure: secureCookies(r),
		SameSite: http.SameSiteStrictMode, MaxAge: int(g.SessionTTL.Seconds())})
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true, Secure: secureCookies(r)})
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// logout ends the session (the guard has checked its CSRF token).
func (g *Guard) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := g.Store.DeleteSession(r.Context(), sha256Hex(c.Value)); err != nil {
			g.Log.Error("sign-out", "err", err)
		}
	}
	p, _ := FromContext(r.Context())
	if p != nil {
		g.record(r.Context(), p.ID, ActionLogout, p.ID, audit.Success, nil)
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secureCookies(r), SameSite: http.SameSiteLaxMode})
	http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: "", Path: "/", MaxAge: -1, Secure: secureCookies(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
