package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
)

// The attack tests run against the real server on loopback. Each attack
// must fail safely (no data, no state change, no 500) and leave an audit
// entry where one is due.

func TestAttackCrossPartnerIDGuessing(t *testing.T) {
	engines(t, func(t *testing.T, s *authServer) {
		nw := s.browser(t, "nw-super", auth.RoleSupervisor, "northwind")
		nwKey := s.apiKey(t, "nw-bi", auth.RolePartnerManager, "northwind", time.Hour)
		// Everything that is not northwind's, by every kind of reference, and
		// references that do not exist at all: the answers must be identical
		// in status and shape, so existence leaks no more than content.
		for _, path := range []string{
			"/v1/customers/C2", "/v1/customers/C4", "/v1/customers/email:carl@coast.example", "/v1/customers/email:bo@bot.example",
			"/v1/customers/C2/timeline", "/v1/customers/C4/timeline?limit=1000", "/v1/customers/C99", "/v1/customers/email:nobody@example.com",
		} {
			status, body := s.do(t, nw, "GET", path, "")
			if status != 404 || !strings.Contains(body, `"not_found"`) || len(leaks(nw, path, body)) > 0 {
				t.Errorf("%s as northwind supervisor: %d %s", path, status, body)
			}
			ref := strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(path, "?", 2)[0], "/v1/customers/"), "/timeline")
			if !strings.Contains(body, `"no customer `+ref+`"`) {
				t.Errorf("%s: message should name only the reference asked for: %s", path, body)
			}
		}
		for _, id := range []string{"K1", "K2", "B1", "N404", "K1' OR '1'='1", "N1%00"} {
			for _, p := range []*principal{nw, nwKey} {
				status, body := s.do(t, p, "GET", "/v1/interactions/desk/"+url.PathEscape(id), "")
				if status != 404 || len(leaks(p, id, body)) > 0 {
					t.Errorf("interaction %q as %s: %d %s", id, p, status, body)
				}
			}
		}
		// Reaching for something that exists elsewhere is audited (by internal
		// id, never the email asked for); asking for nothing is not.
		var customers, interactions int
		for _, e := range s.entries(t, "scope.denied") {
			switch {
			case strings.Contains(e.Target+strings.Join(mapValues(e.Details), " "), "@"):
				t.Errorf("an identity reached the audit log: %+v", e)
			case strings.HasPrefix(e.Target, "customer:"):
				customers++
			case strings.HasPrefix(e.Target, "interaction:desk/N404"):
				t.Errorf("a missing interaction was audited as out of scope: %+v", e)
			case strings.HasPrefix(e.Target, "interaction:"):
				interactions++
			}
			if e.Details["partner"] != "northwind" || e.Outcome != audit.Denied || e.Details["route"] == "" {
				t.Errorf("scope.denied entry %+v", e)
			}
		}
		if customers != 6 || interactions != 6 {
			t.Errorf("scope.denied entries: %d for customers (want 6), %d for interactions (want 6)", customers, interactions)
		}
		// Its own data stays readable.
		if status, body := s.do(t, nw, "GET", "/v1/customers/C3/timeline", ""); status != 200 || !strings.Contains(body, "desk/N2") || strings.Contains(body, "desk/K2") {
			t.Errorf("shared customer's timeline as northwind: %d %s", status, body)
		}
		if status, _ := s.do(t, nwKey, "GET", "/v1/interactions/desk/N1", ""); status != 200 {
			t.Errorf("own interaction by key: %d", status)
		}
	})
}

func TestAttackMetricSlicingByAgent(t *testing.T) {
	engines(t, func(t *testing.T, s *authServer) {
		if !hasRoute(s, "GET /v1/metrics") {
			t.Skip("no metrics endpoint registered")
		}
		for _, partner := range []string{"northwind", "coastline"} {
			p := s.apiKey(t, "pm-"+partner, auth.RolePartnerManager, partner, time.Hour)
			for _, q := range []string{
				"m=contacts&by=agent&min_n=1&from=2025-09-01&to=2025-10-01",
				"m=contacts,aht&by=agent,queue&min_n=1&from=2025-09-01&to=2025-10-01",
				"m=contacts&by=partner&min_n=1&from=2025-09-01&to=2025-10-01",
				"m=contacts&by=agent&min_n=1&from=2025-09-01&to=2025-10-01&where=" + url.QueryEscape("partner:coastline"),
				"m=contacts&by=agent&min_n=1&from=2025-09-01&to=2025-10-01&where=" + url.QueryEscape("partner:northwind"),
				"m=contacts&by=agent&min_n=1&from=2025-09-01&to=2025-10-01&where=" + url.QueryEscape("agent:CL-B1"),
				"m=contacts&by=agent&min_n=1&from=2025-09-01&to=2025-10-01&where=" + url.QueryEscape("agent:NW-A1"),
			} {
				status, body := s.do(t, p, "GET", "/v1/metrics?"+q, "")
				if status >= 500 {
					t.Errorf("%s as %s: %d %s", q, partner, status, body)
				}
				if l := leaks(p, q, body); len(l) > 0 {
					t.Errorf("%s as %s reveals another partner's agents: %v\n%s", q, partner, l, body)
				}
			}
			// The dashboard's pages sliced the same way, signed in as a browser.
			b := s.browser(t, "pm-web-"+partner, auth.RolePartnerManager, partner)
			for _, rt := range s.guard.Routes() {
				if !rt.Page || !strings.HasPrefix(rt.Pattern, "GET /") || strings.Contains(rt.Pattern, "{") && !strings.HasSuffix(rt.Pattern, "{$}") {
					continue
				}
				path := strings.TrimSuffix(strings.TrimPrefix(rt.Pattern, "GET "), "{$}")
				// Filters naming one of the other partner's agents: an echo of
				// the filter is harmless, but its other agent or customers must
				// not appear.
				other := map[string]string{"northwind": "CL-B1", "coastline": "NW-A1"}[partner]
				for _, q := range []string{"by=agent&min_n=1", "by=agent&min_n=1&where=" + url.QueryEscape("agent:"+other), "agent=" + other + "&by=agent"} {
					status, body := s.do(t, b, "GET", path+"?"+q, "")
					if status >= 500 {
						t.Errorf("%s?%s as %s: %d", path, q, partner, status)
					}
					if l := leaks(b, path+"?"+q, body); len(l) > 0 {
						t.Errorf("page %s?%s as %s reveals another partner's agents: %v", path, q, partner, l)
					}
				}
			}
			// The partner still sees its own agents.
			_, body := s.do(t, p, "GET", "/v1/metrics?m=contacts&by=agent&min_n=1&from=2025-09-01&to=2025-10-01", "")
			if own := partnerMarkers[partner][0]; !strings.Contains(body, own) {
				t.Errorf("%s does not see its own agent %s:\n%s", partner, own, body)
			}
		}
	})
}

func hasRoute(s *authServer, pattern string) bool {
	for _, rt := range s.guard.Routes() {
		if rt.Pattern == pattern {
			return true
		}
	}
	return false
}

func TestAttackCSRF(t *testing.T) {
	s := startAuthServer(t)
	admin := s.browser(t, "root", auth.RoleAdmin, "")
	body := `{"type":"customer","id":"C8","identities":{"email":"csrf@example.com"}}` + "\n"
	for _, tc := range []struct {
		name string
		hdr  []string
	}{
		{"no token", []string{auth.CSRFHeader, ""}},
		{"wrong token", []string{auth.CSRFHeader, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},
		{"token from another site's page", []string{"Origin", "https://evil.example"}},
	} {
		status, resp := s.do(t, admin, "POST", "/v1/ingest", body, tc.hdr...)
		if status != http.StatusForbidden || !strings.Contains(resp, "CSRF") {
			t.Errorf("%s: %d %s", tc.name, status, resp)
		}
	}
	if _, err := s.st.CustomerID(context.Background(), mustRef(t, "email:csrf@example.com")); err == nil {
		t.Error("a forged request stored data")
	}
	if n := len(s.entries(t, auth.ActionCSRF)); n != 3 {
		t.Errorf("%d csrf.rejected entries, want 3", n)
	}
	// Sign-out is state-changing too: without the token the session lives on.
	if status, _ := s.do(t, admin, "POST", "/logout", "", auth.CSRFHeader, ""); status != http.StatusForbidden {
		t.Errorf("forged sign-out: %d", status)
	}
	if status, _ := s.do(t, admin, "GET", "/v1/audit", ""); status != 200 {
		t.Errorf("session ended by a forged sign-out: %d", status)
	}
	// The sign-in form is protected as well (login CSRF).
	c := newBrowser()
	resp, err := c.PostForm(s.base+"/login", url.Values{"user": {"root"}, "password": {"whatever"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without the form's token: %d", resp.StatusCode)
	}
	// With the token, the same request works.
	if status, resp := s.do(t, admin, "POST", "/v1/ingest", body); status != 200 {
		t.Errorf("genuine request: %d %s", status, resp)
	}
}

func TestAttackSessionFixation(t *testing.T) {
	s := startAuthServer(t)
	pw, err := s.admin.AddUser(context.Background(), "victim", auth.RoleAnalyst, "", "")
	if err != nil {
		t.Fatal(err)
	}
	// The attacker plants a session id of their choosing in the victim's browser.
	planted := "attacker-chosen-session-id-0123456789abcdef"
	c := newBrowser()
	u, _ := url.Parse(s.base)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: planted, Path: "/"}})
	resp := s.postLogin(t, c, "victim", pw)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	var issued *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == auth.SessionCookie {
			issued = ck
		}
	}
	if issued == nil || issued.Value == planted || len(issued.Value) < 40 {
		t.Fatalf("sign-in kept or did not replace the planted session id: %+v", issued)
	}
	if !issued.HttpOnly || issued.SameSite != http.SameSiteLaxMode || issued.Path != "/" {
		t.Errorf("session cookie attributes: %+v", issued)
	}
	// The attacker's copy of the planted id is worth nothing.
	attacker := newBrowser()
	attacker.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: planted, Path: "/"}})
	if status, _ := s.do(t, &principal{http: attacker}, "GET", "/v1/customers/C1", ""); status != http.StatusUnauthorized {
		t.Errorf("planted session id after the victim signed in: %d", status)
	}
	// And the victim's new session works.
	if status, _ := s.do(t, &principal{http: c}, "GET", "/v1/customers/C1", ""); status != 200 {
		t.Errorf("victim's new session: %d", status)
	}
	// Signing out ends the session server-side: a copied cookie stops working.
	stolen := issued.Value
	csrf := ""
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == auth.CSRFCookie {
			csrf = ck.Value
		}
	}
	if status, _ := s.do(t, &principal{http: c, csrf: csrf}, "POST", "/logout", ""); status != http.StatusSeeOther {
		t.Errorf("sign out: %d", status)
	}
	thief := newBrowser()
	thief.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: stolen, Path: "/"}})
	if status, _ := s.do(t, &principal{http: thief}, "GET", "/v1/customers/C1", ""); status != http.StatusUnauthorized {
		t.Errorf("session cookie after sign-out: %d", status)
	}
}

// sqlPayloads are classic injections; with bound parameters they are just
// odd strings.
var sqlPayloads = []string{
	`' OR '1'='1`, `'; DROP TABLE interactions; --`, `" OR ""="`, `1 OR 1=1`, `1; DELETE FROM users`,
	`northwind' OR partner <> '`, `%' OR partner LIKE '%`, `\'; SELECT pg_sleep(5); --`, "x\x00y", `) UNION SELECT * FROM users --`,
}

// filterParams are the query parameters any route may take as a filter.
var filterParams = []string{"m", "by", "where", "from", "to", "zone", "compare", "min_n", "actor", "action", "since", "limit", "offset",
	"q", "channel", "queue", "intent", "team", "agent", "partner", "handler", "sort", "page", "period", "verify", "name", "strict"}

func TestAttackSQLInjectionThroughEveryParameter(t *testing.T) {
	engines(t, func(t *testing.T, s *authServer) {
		ctx := context.Background()
		before, err := s.st.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		users, _ := s.st.Users(ctx)
		nw := s.browser(t, "nw-analyst", auth.RoleAnalyst, "northwind")
		admin := s.apiKey(t, "root", auth.RoleAdmin, "", time.Hour)
		calls := 0
		for _, rt := range s.guard.Routes() {
			smp := samples[rt.Pattern]
			if smp.method != http.MethodGet {
				continue // writes are covered by their own tests; here: every read filter
			}
			base, _, _ := strings.Cut(smp.path, "?")
			for _, payload := range sqlPayloads {
				// Every filter parameter at once; then each alone, since a
				// handler may reject unknown ones before reaching the one it
				// would splice; then the path's own parameters.
				all := url.Values{}
				for _, name := range filterParams {
					all.Set(name, payload)
				}
				paths := []string{base + "?" + all.Encode()}
				if payload == sqlPayloads[0] || payload == sqlPayloads[1] {
					for _, name := range filterParams {
						paths = append(paths, base+"?"+url.Values{name: {payload}}.Encode())
					}
				}
				if strings.Contains(rt.Pattern, "{") {
					segs := strings.Split(base, "/")
					segs[len(segs)-1] = url.PathEscape(payload)
					paths = append(paths, strings.Join(segs, "/"))
				}
				if rt.Pattern == "GET /v1/customers/{ref}/timeline" {
					paths = append(paths, "/v1/customers/"+url.PathEscape(payload)+"/timeline")
				}
				for _, path := range paths {
					for _, p := range []*principal{nw, admin} {
						status, body := s.do(t, p, "GET", path, "")
						calls++
						if status >= 500 {
							t.Errorf("%s as %s: %d %.300s", path, p, status, body)
						}
						if l := leaks(p, path, body); len(l) > 0 {
							t.Errorf("%s as %s leaks %v", path, p, l)
						}
					}
				}
			}
		}
		after, err := s.st.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for k, n := range before {
			if after[k] != n {
				t.Errorf("%s: %d rows before the attack, %d after", k, n, after[k])
			}
		}
		if us, _ := s.st.Users(ctx); len(us) != len(users)+1 {
			t.Errorf("users changed: %d → %d", len(users)+1, len(us))
		}
		t.Logf("%d injection requests", calls)
	})
}

func mustRef(t *testing.T, ref string) cx.Identity {
	t.Helper()
	id, err := identity.Normalizer{Region: "GB"}.ParseRef(ref)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAttackPasswordGuessing(t *testing.T) {
	s := startAuthServer(t)
	pw, err := s.admin.AddUser(context.Background(), "target", auth.RoleAnalyst, "", "")
	if err != nil {
		t.Fatal(err)
	}
	c := newBrowser()
	for i := 1; i <= 5; i++ {
		if resp := s.postLogin(t, c, "target", "guess-"+string(rune('a'+i))); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("guess %d: %d", i, resp.StatusCode)
		}
	}
	// Locked: even the right password is refused now, so guessing on is useless.
	if resp := s.postLogin(t, c, "target", pw); resp.StatusCode != http.StatusLocked {
		t.Errorf("right password on a locked account: %d, want 423", resp.StatusCode)
	}
	var failures, lockedOut int
	for _, e := range s.entries(t, auth.ActionLogin) {
		if e.Target == "user:target" && e.Outcome == audit.Failure && e.Details["reason"] == "bad_password" {
			failures++
		}
		if e.Target == "user:target" && e.Outcome == audit.Denied && e.Details["reason"] == "locked" {
			lockedOut++
		}
		if strings.Contains(e.Details["reason"]+e.Target+e.Actor, "guess-") {
			t.Errorf("a typed password reached the audit log: %+v", e)
		}
	}
	locks := s.entries(t, auth.ActionUserLocked)
	if failures != 5 || lockedOut != 1 || len(locks) != 1 || locks[0].Target != "user:target" {
		t.Errorf("audit: %d failures, %d locked-out attempts, locks %+v", failures, lockedOut, locks)
	}
	// An admin unlocks; the right password works again.
	if err := s.admin.Unlock(context.Background(), "target"); err != nil {
		t.Fatal(err)
	}
	if resp := s.postLogin(t, newBrowser(), "target", pw); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after unlock: %d", resp.StatusCode)
	}

	// Spraying many names from one address: the address waits.
	var last int
	for i := 0; i < 25; i++ {
		last = s.postLogin(t, c, "nobody"+string(rune('a'+i)), "x").StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("after 25 failures from one address: %d, want 429", last)
	}
	throttled := 0
	for _, e := range s.entries(t, auth.ActionLogin) {
		if e.Details["reason"] == "address_throttled" {
			throttled++
		}
		if strings.Contains(e.Target, "nobody") {
			t.Errorf("an unknown user name reached the audit log: %+v", e)
		}
	}
	if throttled == 0 {
		t.Error("throttled attempts are not audited")
	}
}

func TestAttackReplayedExpiredRevokedKeys(t *testing.T) {
	s := startAuthServer(t)
	ctx := context.Background()
	live := s.apiKey(t, "live", auth.RoleIngest, "", time.Hour)
	revoked := s.apiKey(t, "leaked", auth.RoleIngest, "", time.Hour)
	expired := s.apiKey(t, "old", auth.RoleIngest, "", time.Millisecond)
	body := `{"type":"customer","id":"K9","identities":{"email":"key@example.com"}}` + "\n"
	if status, b := s.do(t, revoked, "POST", "/v1/ingest", body); status != 200 {
		t.Fatalf("key before revocation: %d %s", status, b)
	}
	prefix, _ := auth.ParseKey(revoked.key)
	if err := s.admin.RevokeKey(ctx, prefix); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	forged := &principal{label: "forged", key: live.key[:len(live.key)-4] + "abcd", http: newBrowser()}
	junk := &principal{label: "junk", key: "ns_nonsense", http: newBrowser()}
	for _, p := range []*principal{revoked, expired, forged, junk} {
		status, b := s.do(t, p, "POST", "/v1/ingest", body)
		if status != http.StatusUnauthorized || !strings.Contains(b, `"unauthorized"`) {
			t.Errorf("%s key: %d %s", p, status, b)
		}
	}
	reasons := map[string]bool{}
	for _, e := range s.entries(t, auth.ActionKeyRejected) {
		reasons[e.Details["reason"]] = true
		if strings.Contains(e.Details["reason"]+e.Target, "_") && strings.HasPrefix(e.Target, "key:ns_") {
			t.Errorf("a key secret reached the audit log: %+v", e)
		}
	}
	for _, r := range []string{"revoked", "expired", "wrong_secret"} {
		if !reasons[r] {
			t.Errorf("no key.rejected entry with reason %s (got %v)", r, reasons)
		}
	}
	// Writes with a good key are accountable: key.use names the key and route.
	if status, _ := s.do(t, live, "POST", "/v1/ingest", body); status != 200 {
		t.Errorf("live key: %d", status)
	}
	livePrefix, _ := auth.ParseKey(live.key)
	var used bool
	for _, e := range s.entries(t, auth.ActionKeyUse) {
		used = used || (e.Actor == "key:"+livePrefix && e.Target == "POST /v1/ingest")
	}
	if !used {
		t.Error("no key.use entry for the live key's write")
	}
	k, err := s.st.APIKeyByPrefix(ctx, livePrefix)
	if err != nil || k.LastUsedAt == nil {
		t.Errorf("last use not recorded: %+v %v", k, err)
	}
	// Nothing in the log or the database holds a whole key.
	for _, e := range s.entries(t, "") {
		for _, p := range []*principal{live, revoked, expired} {
			if strings.Contains(e.Target+e.Actor+strings.Join(mapValues(e.Details), " "), p.key) {
				t.Errorf("a key reached the audit log: %+v", e)
			}
		}
	}
	if strings.Contains(s.logs.String(), live.key) {
		t.Error("a key reached the server log")
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestAttackTamperedAuditLog(t *testing.T) {
	s := startAuthServer(t)
	// Some history: sign-ins, a denial, a key.
	s.browser(t, "ana", auth.RoleAnalyst, "")
	p := s.apiKey(t, "imp", auth.RoleIngest, "", time.Hour)
	s.do(t, p, "GET", "/v1/customers/C1", "")
	s.apiKey(t, "later", auth.RoleAnalyst, "", time.Hour)
	code, out, errs := s.cli(t, "audit", "verify", "--json")
	var clean audit.Report
	if code != 0 || json.Unmarshal([]byte(out), &clean) != nil || !clean.OK || len(clean.Head) != 64 {
		t.Fatalf("clean log: exit %d\n%s%s", code, out, errs)
	}
	// Cutting off the newest entry leaves a valid chain; the recorded head
	// (the anchor) shows it.
	if _, err := s.st.DB().Exec(`DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := s.cli(t, "audit", "verify"); code != 0 {
		t.Errorf("a cut tail without an anchor: exit %d %s", code, out)
	}
	if code, out, _ := s.cli(t, "audit", "verify", "--anchor", clean.Head); code != 1 || !strings.Contains(out, "anchor") {
		t.Errorf("a cut tail with the anchor: exit %d %s", code, out)
	}
	// Someone with database access hides the denial.
	if _, err := s.st.DB().Exec(`UPDATE audit_log SET outcome = 'success', action = 'login' WHERE action = 'access.denied'`); err != nil {
		t.Fatal(err)
	}
	code, out, errs = s.cli(t, "audit", "verify")
	if code != 1 || !strings.Contains(out, "TAMPERED") || !strings.Contains(out, "content does not match its hash") {
		t.Errorf("altered entry: exit %d\n%s%s", code, out, errs)
	}
	// The API reports it too (to auditors).
	auditor := s.apiKey(t, "aud", auth.RoleAuditor, "", time.Hour)
	status, body := s.do(t, auditor, "GET", "/v1/audit?verify=true&limit=5", "")
	if status != 200 || !strings.Contains(body, `"ok": false`) {
		t.Errorf("GET /v1/audit?verify=true: %d %s", status, body)
	}
	code, out, _ = s.cli(t, "audit", "list", "--action", "key.", "--json")
	if code != 0 || !strings.Contains(out, `"key.create"`) {
		t.Errorf("audit list --action key.: exit %d %s", code, out)
	}
}

// TestSessionCookiesAreSecureOverTLS: over TLS every cookie is Secure, so a
// downgrade to plain HTTP cannot carry the session.
func TestSessionCookiesAreSecureOverTLS(t *testing.T) {
	s := startAuthServer(t)
	pw, err := s.admin.AddUser(context.Background(), "tls-user", auth.RoleAnalyst, "", "")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(s.guard)
	ts.StartTLS()
	defer ts.Close()
	c := ts.Client()
	c.Jar, _ = cookiejar.New(nil)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	tls := &authServer{base: ts.URL}
	resp := tls.postLogin(t, c, "tls-user", pw)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in over TLS: %d", resp.StatusCode)
	}
	names := map[string]bool{}
	for _, ck := range resp.Cookies() {
		names[ck.Name] = true
		if !ck.Secure {
			t.Errorf("cookie %s is not Secure over TLS", ck.Name)
		}
	}
	if !names[auth.SessionCookie] || !names[auth.CSRFCookie] {
		t.Errorf("cookies set at sign-in: %v", names)
	}
}
