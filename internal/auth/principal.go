// Package auth is who is asking: users with passwords, sessions, API keys,
// roles and the permissions each role has, and the partner a principal is
// bound to.
package auth

import (
	"context"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Principal is an authenticated user or API key.
type Principal struct {
	ID      string // "user:NAME" or "key:PREFIX"
	Name    string
	Role    string
	Partner string // set when bound to one outsourcing partner
}

// Scope is the data the principal may see.
func (p *Principal) Scope() cx.Scope { return cx.Scope{Partner: p.Partner} }

type ctxKey struct{}

// WithPrincipal returns ctx carrying p; the server's authentication
// middleware sets it on every request it lets through.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the request's principal, if any.
func FromContext(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(*Principal)
	return p, ok
}

// ScopeOf is the scope of ctx's principal. A request without a principal
// gets a scope that matches no partner's data, so a handler mounted without
// authentication fails closed rather than open.
func ScopeOf(ctx context.Context) cx.Scope {
	if p, ok := FromContext(ctx); ok {
		return p.Scope()
	}
	return cx.Scope{Partner: NoAccess}
}

// NoAccess is a partner name no interaction carries.
const NoAccess = "\x00no-access"
