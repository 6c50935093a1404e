package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/api"
	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/store"
)

// access is what `users`, `keys` and `audit` do, on the database directly
// or, with --server, through a running server's API (which a DuckDB file
// needs, since the server holds it). Both paths audit every change.
type access interface {
	AddUser(ctx context.Context, name, role, partner, password string) (string, error)
	Users(ctx context.Context) ([]store.User, error)
	SetRole(ctx context.Context, name, role, partner string) error
	SetPassword(ctx context.Context, name, password string) (string, error)
	Unlock(ctx context.Context, name string) error
	RemoveUser(ctx context.Context, name string) error
	CreateKey(ctx context.Context, name, role, partner, expires string) (string, *store.APIKey, error)
	APIKeys(ctx context.Context) ([]store.APIKey, error)
	RevokeKey(ctx context.Context, prefix string) error
	AuditList(ctx context.Context, f audit.Filter) ([]audit.Entry, error)
	AuditVerify(ctx context.Context, anchor string) (audit.Report, error)
	Now() time.Time
	Close() error
}

// access opens the local database, or the server named by --server.
func (g *globals) access(cmd *cobra.Command) (access, error) {
	c, err := g.config()
	if err != nil {
		return nil, err
	}
	if c.Server != "" {
		return &remoteAccess{cl: newClient(c)}, nil
	}
	a, st, err := g.admin(cmd.Context())
	if err != nil {
		return nil, err
	}
	return &localAccess{Admin: a, st: st, log: audit.New(st)}, nil
}

type localAccess struct {
	*auth.Admin
	st  *store.Store
	log *audit.StoreLog
}

func (l *localAccess) Users(ctx context.Context) ([]store.User, error)     { return l.st.Users(ctx) }
func (l *localAccess) APIKeys(ctx context.Context) ([]store.APIKey, error) { return l.st.APIKeys(ctx) }
func (l *localAccess) Now() time.Time                                      { return l.st.Now() }
func (l *localAccess) Close() error                                        { return l.st.Close() }

func (l *localAccess) CreateKey(ctx context.Context, name, role, partner, expires string) (string, *store.APIKey, error) {
	ttl, err := auth.ParseLifetime(expires)
	if err != nil {
		return "", nil, usageError{"--expires: " + err.Error()}
	}
	return l.Admin.CreateKey(ctx, name, role, partner, ttl)
}

func (l *localAccess) AuditList(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	return l.log.List(ctx, f)
}

func (l *localAccess) AuditVerify(ctx context.Context, anchor string) (audit.Report, error) {
	return l.log.VerifyAnchor(ctx, anchor)
}

type remoteAccess struct{ cl *client }

func (r *remoteAccess) Now() time.Time { return time.Now() }
func (r *remoteAccess) Close() error   { return nil }

func (r *remoteAccess) send(ctx context.Context, method, path string, body, out any) error {
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	var err error
	if rd != nil {
		_, err = r.cl.do(ctx, method, path, rd, out)
	} else {
		_, err = r.cl.do(ctx, method, path, nil, out)
	}
	return err
}

func (r *remoteAccess) AddUser(ctx context.Context, name, role, partner, password string) (string, error) {
	var resp api.UserResponse
	err := r.send(ctx, http.MethodPost, "/v1/users", api.UserRequest{Name: name, Role: role, Partner: partner, Password: password}, &resp)
	if resp.Password == "" {
		resp.Password = password
	}
	return resp.Password, err
}

func (r *remoteAccess) Users(ctx context.Context) ([]store.User, error) {
	var us []store.User
	return us, r.send(ctx, http.MethodGet, "/v1/users", nil, &us)
}

func (r *remoteAccess) SetRole(ctx context.Context, name, role, partner string) error {
	return r.send(ctx, http.MethodPut, "/v1/users/"+url.PathEscape(name)+"/role", api.UserRequest{Role: role, Partner: partner}, nil)
}

func (r *remoteAccess) SetPassword(ctx context.Context, name, password string) (string, error) {
	var resp api.UserResponse
	err := r.send(ctx, http.MethodPost, "/v1/users/"+url.PathEscape(name)+"/password", api.UserRequest{Password: password}, &resp)
	if resp.Password == "" {
		resp.Password = password
	}
	return resp.Password, err
}

func (r *remoteAccess) Unlock(ctx context.Context, name string) error {
	return r.send(ctx, http.MethodPost, "/v1/users/"+url.PathEscape(name)+"/unlock", struct{}{}, nil)
}

func (r *remoteAccess) RemoveUser(ctx context.Context, name string) error {
	return r.send(ctx, http.MethodDelete, "/v1/users/"+url.PathEscape(name), nil, nil)
}

func (r *remoteAccess) CreateKey(ctx context.Context, name, role, partner, expires string) (string, *store.APIKey, error) {
	var resp api.KeyResponse
	if err := r.send(ctx, http.MethodPost, "/v1/keys", api.KeyRequest{Name: name, Role: role, Partner: partner, Expires: expires}, &resp); err != nil {
		return "", nil, err
	}
	return resp.Key, &store.APIKey{Prefix: resp.Prefix, Name: resp.Name, Role: resp.Role, Partner: resp.Partner, ExpiresAt: resp.ExpiresAt}, nil
}

func (r *remoteAccess) APIKeys(ctx context.Context) ([]store.APIKey, error) {
	var ks []store.APIKey
	return ks, r.send(ctx, http.MethodGet, "/v1/keys", nil, &ks)
}

func (r *remoteAccess) RevokeKey(ctx context.Context, prefix string) error {
	if p, ok := auth.ParseKey(prefix); ok {
		prefix = p // never send a whole key in a URL, where logs keep it
	}
	return r.send(ctx, http.MethodDelete, "/v1/keys/"+url.PathEscape(prefix), nil, nil)
}

func (r *remoteAccess) AuditList(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	q := url.Values{"limit": {"10000"}}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	if f.Actor != "" {
		q.Set("actor", f.Actor)
	}
	if f.Action != "" {
		q.Set("action", f.Action)
	}
	if !f.Since.IsZero() {
		q.Set("since", f.Since.Format(time.RFC3339))
	}
	var out struct{ Entries []audit.Entry }
	return out.Entries, r.send(ctx, http.MethodGet, "/v1/audit?"+q.Encode(), nil, &out)
}

func (r *remoteAccess) AuditVerify(ctx context.Context, anchor string) (audit.Report, error) {
	var out struct{ Verify audit.Report }
	q := url.Values{"verify": {"true"}, "limit": {"1"}}
	if anchor != "" {
		q.Set("anchor", anchor)
	}
	return out.Verify, r.send(ctx, http.MethodGet, "/v1/audit?"+q.Encode(), nil, &out)
}

// accessAction is a command that does one thing to one user or key named by
// its argument, and reports it as "done" (with %s for the name) or, with
// --json, as {field: name, "state": state}.
func accessAction(g *globals, use, short, example, field, state, done string, do func(a access, ctx context.Context, name string) error) *cobra.Command {
	return &cobra.Command{
		Use:     use,
		Short:   short,
		Example: example,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := g.access(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			if err := do(a, cmd.Context(), args[0]); err != nil {
				return err
			}
			if g.jsonOut {
				return writeJSON(g, map[string]string{field: args[0], "state": state})
			}
			fmt.Fprintf(g.e.stdout, done+"\n", args[0])
			return nil
		},
	}
}

func newUsersUnlockCmd(g *globals) *cobra.Command {
	return accessAction(g, "unlock NAME", "Lift the lock after repeated failed sign-ins", "  northstar users unlock ana",
		"name", "active", "%s is unlocked.", access.Unlock)
}

func newUsersRemoveCmd(g *globals) *cobra.Command {
	return accessAction(g, "remove NAME", "Remove a user and end their sessions", "  northstar users remove ana",
		"name", "removed", "Removed %s.", access.RemoveUser)
}

func newKeysRevokeCmd(g *globals) *cobra.Command {
	return accessAction(g, "revoke PREFIX", "Revoke an API key at once", "  northstar keys revoke k7x2m9q4ab",
		"key", "revoked", "Revoked key %s.", access.RevokeKey)
}
