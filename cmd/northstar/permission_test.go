package main

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/auth"
)

// sample is how the permission test calls one route, and what a principal
// allowed to call it gets: status for unscoped principals, byPartner for
// principals bound to a partner (default status). The fixture's data:
// customer C1 and interaction desk/N1 are northwind's, C2 and desk/K1
// coastline's, C3 is shared, C4 and desk/B1 the bot's alone.
type sample struct {
	method, path, body string
	status             int
	byPartner          map[string]int
}

// samples holds one request for EVERY registered route. A route without a
// sample fails TestEveryRouteEnforcesItsPermission: add it here with the
// answers a permitted caller should get, unscoped and per partner.
var samples = map[string]sample{
	"GET /healthz":  {method: "GET", path: "/healthz", status: 200},
	"GET /readyz":   {method: "GET", path: "/readyz", status: 200},
	"GET /login":    {method: "GET", path: "/login", status: 200},
	"POST /login":   {method: "POST", path: "/login", status: 403}, // no sign-in form token
	"POST /logout":  {method: "POST", path: "/logout", status: 303},
	"/v1/":          {method: "GET", path: "/v1/no-such-endpoint", status: 404},
	"GET /v1/audit": {method: "GET", path: "/v1/audit?action=login", status: 200},
	// Access management: requests that pass the permission check and then
	// change nothing (unknown user or key, invalid body), so every principal
	// meets the same state.
	"GET /v1/users":                  {method: "GET", path: "/v1/users", status: 200},
	"POST /v1/users":                 {method: "POST", path: "/v1/users", body: `{"name":"x","role":"root"}`, status: 400},
	"PUT /v1/users/{name}/role":      {method: "PUT", path: "/v1/users/nobody/role", body: `{"role":"analyst"}`, status: 404},
	"POST /v1/users/{name}/password": {method: "POST", path: "/v1/users/nobody/password", body: `{}`, status: 404},
	"POST /v1/users/{name}/unlock":   {method: "POST", path: "/v1/users/nobody/unlock", body: `{}`, status: 404},
	"DELETE /v1/users/{name}":        {method: "DELETE", path: "/v1/users/nobody", status: 404},
	"GET /v1/keys":                   {method: "GET", path: "/v1/keys", status: 200},
	"POST /v1/keys":                  {method: "POST", path: "/v1/keys", body: `{"name":"x","role":"ingest","expires":"soon"}`, status: 400},
	"DELETE /v1/keys/{prefix}":       {method: "DELETE", path: "/v1/keys/nosuchkey0", status: 404},
	"POST /v1/ingest": {method: "POST", path: "/v1/ingest?name=perm-test", status: 200,
		body: `{"type":"customer","id":"C9","identities":{"email":"new@example.com"}}` + "\n"},
	"GET /v1/customers/{ref}":            {method: "GET", path: "/v1/customers/C1", status: 200, byPartner: map[string]int{"coastline": 404}},
	"GET /v1/customers/{ref}/timeline":   {method: "GET", path: "/v1/customers/C3/timeline", status: 200},
	"GET /v1/interactions/{source}/{id}": {method: "GET", path: "/v1/interactions/desk/K1", status: 200, byPartner: map[string]int{"northwind": 404}},
	// Erasing a customer nobody has keeps the fixture whole; the status
	// still tells 403 from a permitted call.
	"DELETE /v1/customers/{ref}": {method: "DELETE", path: "/v1/customers/C404", status: 404},
	// An export with no usable recipient key passes the permission check and writes nothing.
	"POST /v1/exports/{kind}": {method: "POST", path: "/v1/exports/interactions", body: `{"recipient":"not a key"}`, status: 400},
	// by=agent with groups of one: the leak check sees any other partner's agent.
	"GET /v1/metrics":             {method: "GET", path: "/v1/metrics?m=contacts&by=agent&min_n=1&from=2025-09-01&to=2025-10-01", status: 200},
	"GET /v1/metrics/registry":    {method: "GET", path: "/v1/metrics/registry", status: 200},
	"GET /v1/insights/automation": {method: "GET", path: "/v1/insights/automation?from=2025-09-01&to=2025-10-01", status: 200},
	"GET /v1/insights/value":      {method: "GET", path: "/v1/insights/value?from=2025-09-01&to=2025-10-01", status: 200},
	"GET /v1/portfolio":           {method: "GET", path: "/v1/portfolio?focus=growth&from=2025-09-01&to=2025-10-01", status: 200},
	// The dashboard (internal/web).
	"GET /static/":                       {method: "GET", path: "/static/app.css", status: 200},
	"GET /favicon.ico":                   {method: "GET", path: "/favicon.ico", status: 301},
	"GET /{$}":                           {method: "GET", path: "/?focus=growth", status: 200},
	"GET /customers":                     {method: "GET", path: "/customers", status: 200},
	"GET /customers/{id}":                {method: "GET", path: "/customers/C1", status: 200, byPartner: map[string]int{"coastline": 404}},
	"GET /interactions":                  {method: "GET", path: "/interactions?from=2025-09-01&to=2025-10-01", status: 200},
	"GET /interactions/{source}/{id...}": {method: "GET", path: "/interactions/desk/K1", status: 200, byPartner: map[string]int{"northwind": 404}},
	"GET /intents":                       {method: "GET", path: "/intents?from=2025-09-01&to=2025-09-30", status: 200},
	"GET /quality":                       {method: "GET", path: "/quality?from=2025-09-01&to=2025-09-30", status: 200},
	"GET /value":                         {method: "GET", path: "/value?from=2025-09-01&to=2025-09-30", status: 200},
	"/":                                  {method: "GET", path: "/no-such-page", status: 404},
}

// principals is every role, signed in with a session and with a key, once
// unbound and once bound to each partner where the role allows it.
func principals(t *testing.T, s *authServer) []*principal {
	var out []*principal
	for _, r := range auth.Roles {
		partners := []string{"", "northwind", "coastline"}
		if r.NeedsPartner {
			partners = partners[1:]
		}
		if r.NoPartner {
			partners = partners[:1]
		}
		for _, partner := range partners {
			name := strings.ReplaceAll(r.Name, "_", "-")
			if partner != "" {
				name += "-" + partner
			}
			out = append(out, s.browser(t, name, r.Name, partner), s.apiKey(t, name, r.Name, partner, time.Hour))
		}
	}
	return out
}

// TestEveryRouteEnforcesItsPermission calls every registered route as
// every principal and anonymously, and checks each answer: public routes
// answer everyone; anonymous callers get 401 (API) or a redirect to the
// sign-in page (pages); principals lacking the route's permission get 403;
// the rest get the sample's answer, partner-bound ones never seeing another
// partner's data in any answer.
func TestEveryRouteEnforcesItsPermission(t *testing.T) {
	engines(t, func(t *testing.T, s *authServer) {
		routes := s.guard.Routes()
		registered := map[string]bool{}
		for _, rt := range routes {
			registered[rt.Pattern] = true
			if _, ok := samples[rt.Pattern]; !ok {
				t.Errorf("route %q (permission %s) has no sample in the permission test: add one to samples in permission_test.go", rt.Pattern, rt.Perm)
			}
		}
		for p := range samples {
			if !registered[p] {
				t.Errorf("sample for %q, which is not a registered route: remove it or register the route", p)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
		// Sign-out ends the session: call it last.
		sort.SliceStable(routes, func(i, j int) bool { return routes[j].Pattern == "POST /logout" && routes[i].Pattern != "POST /logout" })

		ps := principals(t, s)
		calls := 0
		for _, p := range append([]*principal{nil}, ps...) {
			for _, rt := range routes {
				smp := samples[rt.Pattern]
				want := smp.status
				switch {
				case rt.Perm == auth.Public:
				case p == nil && rt.Page && smp.method == http.MethodGet:
					want = http.StatusSeeOther
				case p == nil:
					want = http.StatusUnauthorized
				case !(&auth.Principal{Role: p.role}).Can(rt.Perm):
					want = http.StatusForbidden
				case p.partner != "":
					if w, ok := smp.byPartner[p.partner]; ok {
						want = w
					}
				}
				status, body := s.do(t, p, smp.method, smp.path, smp.body)
				calls++
				who := "anonymous"
				if p != nil {
					who = p.label
				}
				if status != want {
					t.Errorf("%s %s as %s: %d, want %d\n%.300s", smp.method, smp.path, who, status, want, body)
				}
				if l := leaks(p, smp.path, body); len(l) > 0 {
					t.Errorf("%s %s as %s leaks another partner's data: %v", smp.method, smp.path, who, l)
				}
				if status == http.StatusUnauthorized && !strings.Contains(body, `"unauthorized"`) {
					t.Errorf("%s %s as %s: 401 without a JSON error: %.200s", smp.method, smp.path, who, body)
				}
			}
		}
		t.Logf("%d routes × %d principals (+ anonymous): %d calls", len(routes), len(ps), calls)

		// Every denial is in the audit log, with the route and permission.
		denied := s.entries(t, auth.ActionDenied)
		if len(denied) == 0 {
			t.Fatal("no access.denied entries")
		}
		for _, e := range denied {
			if !registered[e.Target] || e.Details["permission"] == "" || e.Outcome != "denied" {
				t.Errorf("denial entry %+v", e)
			}
		}
	})
}

// TestPolicyFacts pins the decisions the permission matrix must keep,
// whatever else changes in auth.Roles.
func TestPolicyFacts(t *testing.T) {
	for _, tc := range []struct {
		role string
		perm auth.Permission
		can  bool
	}{
		{auth.RoleIngest, auth.Ingest, true},
		{auth.RoleIngest, auth.ReadCustomers, false},
		{auth.RoleIngest, auth.ReadInteractions, false},
		{auth.RoleIngest, auth.ViewDashboard, false},
		{auth.RoleAuditor, auth.ReadAudit, true},
		{auth.RoleAuditor, auth.ReadCustomers, false},
		{auth.RoleAuditor, auth.ReadInteractions, false},
		{auth.RolePartnerManager, auth.ReadCustomers, false},
		{auth.RolePartnerManager, auth.ReadAudit, false},
		{auth.RolePartnerManager, auth.Export, false},
		{auth.RoleAnalyst, auth.ManageUsers, false},
		{auth.RoleAnalyst, auth.Erase, false},
		{auth.RoleQALead, auth.ManageScorecards, true},
		{auth.RoleSupervisor, auth.ManageScorecards, false},
		{auth.RoleAdmin, auth.Erase, true},
		{"no-such-role", auth.ViewDashboard, false},
	} {
		if got := (&auth.Principal{Role: tc.role}).Can(tc.perm); got != tc.can {
			t.Errorf("%s %s: %v, want %v", tc.role, tc.perm, got, tc.can)
		}
	}
	if r, _ := auth.Role(auth.RolePartnerManager); !r.NeedsPartner {
		t.Error("partner_manager must be bound to a partner")
	}
	if err := auth.CheckRole(auth.RoleIngest, "northwind"); err == nil {
		t.Error("an ingest key bound to a partner was accepted")
	}
}

// TestSecurityDocMatchesPolicy checks docs/security.md's permission matrix
// against auth.Roles, so the document cannot drift from the code.
func TestSecurityDocMatchesPolicy(t *testing.T) {
	doc := readFile(t, "../../docs/security.md")
	want := permissionMatrix()
	if !strings.Contains(doc, want) {
		t.Errorf("docs/security.md lacks the current permission matrix; replace it with:\n\n%s", want)
	}
}

// permissionMatrix renders the policy as the Markdown table in docs/security.md.
func permissionMatrix() string {
	var b strings.Builder
	b.WriteString("| permission |")
	for _, r := range auth.Roles {
		fmt.Fprintf(&b, " %s |", r.Name)
	}
	b.WriteString("\n|---|")
	for range auth.Roles {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, row := range auth.Matrix() {
		fmt.Fprintf(&b, "| `%s` |", row[0])
		holders := strings.Split(row[1], ", ")
		for _, r := range auth.Roles {
			mark := " "
			if slices.Contains(holders, r.Name) {
				mark = "✔"
			}
			fmt.Fprintf(&b, " %s |", mark)
		}
		b.WriteString("\n")
	}
	return b.String()
}
