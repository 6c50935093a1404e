package auth

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Permission is one thing a principal may do. Every route names exactly one.
type Permission string

// The permissions. A route needing Public is served to anyone (health
// checks, static assets, the login page); Authenticated to any signed-in
// principal (the API's 404 for unknown paths, logout); every other
// permission is granted by roles (see Roles).
const (
	Public        Permission = "public"
	Authenticated Permission = "authenticated"

	ViewDashboard    Permission = "dashboard:view"    // the dashboard pages
	ReadMetrics      Permission = "metrics:read"      // aggregated metrics (computed on the principal's slice)
	ReadInsights     Permission = "insights:read"     // insights and the portfolio view
	ReadInteractions Permission = "interactions:read" // single interactions, redacted transcripts
	ReadCustomers    Permission = "customers:read"    // customer profiles and timelines (personal data)
	ReadQA           Permission = "qa:read"           // QA scores and reviews
	ManageScorecards Permission = "scorecards:manage" // change QA scorecards
	Ingest           Permission = "ingest:write"      // POST /v1/ingest
	Export           Permission = "data:export"       // encrypted extracts
	Erase            Permission = "customers:erase"   // erasure of one customer
	ManageConfig     Permission = "config:manage"     // retention rules and other settings
	ManageUsers      Permission = "users:manage"      // create users, change roles, reset passwords
	ReadUsers        Permission = "users:read"        // list users and keys (access reviews)
	ManageKeys       Permission = "keys:manage"       // create and revoke API keys
	ReadAudit        Permission = "audit:read"        // the audit log
)

// Role names.
const (
	RoleAdmin          = "admin"
	RoleAnalyst        = "analyst"
	RoleQALead         = "qa_lead"
	RoleSupervisor     = "supervisor"
	RolePartnerManager = "partner_manager"
	RoleAuditor        = "auditor"
	RoleIngest         = "ingest"
)

// RoleInfo describes one role: what it is for and what it may do.
type RoleInfo struct {
	Name        string
	Description string
	Permissions []Permission
	// NeedsPartner is set for roles that only make sense bound to one
	// outsourcing partner; NoPartner for roles a binding cannot apply to
	// (the binding limits reads of contact data, which admin, auditor and
	// ingest do not scope: their work is the whole installation's).
	NeedsPartner, NoPartner bool
}

// Roles is the policy: each role and its permissions. docs/security.md's
// matrix is checked against this table by a test.
var Roles = []RoleInfo{
	{Name: RoleAdmin, Description: "runs the installation: everything, including users, keys, configuration and erasure",
		Permissions: []Permission{ViewDashboard, ReadMetrics, ReadInsights, ReadInteractions, ReadCustomers, ReadQA, ManageScorecards,
			Ingest, Export, Erase, ManageConfig, ManageUsers, ReadUsers, ManageKeys, ReadAudit}, NoPartner: true},
	{Name: RoleAnalyst, Description: "CX analyst: dashboards, metrics, insights, interactions and customer timelines, exports",
		Permissions: []Permission{ViewDashboard, ReadMetrics, ReadInsights, ReadInteractions, ReadCustomers, ReadQA, Export}},
	{Name: RoleQALead, Description: "quality lead: QA results, scorecards, the interactions behind them",
		Permissions: []Permission{ViewDashboard, ReadMetrics, ReadInsights, ReadInteractions, ReadQA, ManageScorecards}},
	{Name: RoleSupervisor, Description: "team supervisor: their teams' metrics, QA and interactions, customer timelines for coaching",
		Permissions: []Permission{ViewDashboard, ReadMetrics, ReadInteractions, ReadCustomers, ReadQA}},
	{Name: RolePartnerManager, Description: "outsourcing partner (BPO) manager: their own agents' contacts and metrics only",
		Permissions: []Permission{ViewDashboard, ReadMetrics, ReadInteractions, ReadQA}, NeedsPartner: true},
	{Name: RoleAuditor, Description: "security or compliance officer: the audit log and access reviews, no customer data",
		Permissions: []Permission{ReadAudit, ReadUsers}, NoPartner: true},
	{Name: RoleIngest, Description: "machine account that feeds data in: write-only",
		Permissions: []Permission{Ingest}, NoPartner: true},
}

// Role returns the named role.
func Role(name string) (RoleInfo, bool) {
	for _, r := range Roles {
		if r.Name == name {
			return r, true
		}
	}
	return RoleInfo{}, false
}

// RoleNames lists the roles in policy order.
func RoleNames() []string {
	var out []string
	for _, r := range Roles {
		out = append(out, r.Name)
	}
	return out
}

// CheckRole validates a role and partner binding for a new user or key.
func CheckRole(role, partner string) error {
	r, ok := Role(role)
	if !ok {
		return fmt.Errorf("role %q: want one of %s", role, strings.Join(RoleNames(), ", "))
	}
	if r.NeedsPartner && partner == "" {
		return fmt.Errorf("role %s must be bound to a partner: add --partner NAME", role)
	}
	if r.NoPartner && partner != "" {
		return fmt.Errorf("role %s cannot be bound to a partner (it is not about one partner's contacts): leave out --partner", role)
	}
	if partner != "" && (strings.ContainsAny(partner, "\x00\n\r") || len(partner) > 200) {
		return fmt.Errorf("partner %q: must be a plain name", partner)
	}
	return nil
}

// Can reports whether p holds perm.
func (p *Principal) Can(perm Permission) bool {
	switch perm {
	case Public:
		return true
	case Authenticated:
		return p != nil
	}
	if p == nil {
		return false
	}
	r, ok := Role(p.Role)
	return ok && slices.Contains(r.Permissions, perm)
}

// Route is one endpoint: a net/http ServeMux pattern ("GET /v1/metrics"),
// the permission a caller needs, and the handler. Every endpoint of the
// server is registered as a Route through Guard.Handle, so the permission
// test can list them all.
type Route struct {
	Pattern string
	Perm    Permission
	Handler http.Handler
	// Page marks a dashboard page: unauthenticated visitors are redirected
	// to /login instead of getting a 401 JSON answer.
	Page bool
}

// R is a Route from a handler function (API endpoints).
func R(pattern string, perm Permission, h http.HandlerFunc) Route {
	return Route{Pattern: pattern, Perm: perm, Handler: h}
}

// Page is a Route for a dashboard page.
func Page(pattern string, perm Permission, h http.HandlerFunc) Route {
	return Route{Pattern: pattern, Perm: perm, Handler: h, Page: true}
}

// Matrix is the permission matrix: for each permission (in policy order)
// the roles holding it.
func Matrix() [][2]string {
	var perms []Permission
	seen := map[Permission]bool{}
	for _, r := range Roles {
		for _, p := range r.Permissions {
			if !seen[p] {
				seen[p] = true
				perms = append(perms, p)
			}
		}
	}
	var out [][2]string
	for _, p := range perms {
		var rs []string
		for _, r := range Roles {
			if slices.Contains(r.Permissions, p) {
				rs = append(rs, r.Name)
			}
		}
		out = append(out, [2]string{string(p), strings.Join(rs, ", ")})
	}
	return out
}
