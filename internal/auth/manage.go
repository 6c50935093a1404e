package auth

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

// Audit actions written by this package. Other packages use their own
// ("customer.erase", "export", "config.change", "scorecard.change").
const (
	ActionLogin        = "login"
	ActionLogout       = "logout"
	ActionDenied       = "access.denied"
	ActionCSRF         = "csrf.rejected"
	ActionKeyUse       = "key.use"
	ActionKeyRejected  = "key.rejected"
	ActionUserCreate   = "user.create"
	ActionUserRole     = "user.role"
	ActionUserPassword = "user.password"
	ActionUserUnlock   = "user.unlock"
	ActionUserLocked   = "user.locked"
	ActionUserDelete   = "user.delete"
	ActionKeyCreate    = "key.create"
	ActionKeyRevoke    = "key.revoke"
)

// Admin manages users and keys on behalf of Actor ("cli:NAME" or a
// principal's ID) and records every change in the audit log.
type Admin struct {
	Store *store.Store
	Audit audit.Log
	Actor string
}

var userName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

func (a *Admin) record(ctx context.Context, action, target, outcome string, details map[string]string) error {
	_, err := a.Audit.Append(ctx, audit.Entry{Actor: a.Actor, Action: action, Target: target, Outcome: outcome, Details: details})
	return err
}

// AddUser creates a user; an empty password gets a generated one, which is
// returned so it can be shown once.
func (a *Admin) AddUser(ctx context.Context, name, role, partner, password string) (string, error) {
	if !userName.MatchString(name) {
		return "", cx.Errorf(cx.EINVALID, "user name %q: use 2–64 lower-case letters, digits, dots, dashes or underscores", name)
	}
	if err := CheckRole(role, partner); err != nil {
		return "", cx.Errorf(cx.EINVALID, "%v", err)
	}
	if password == "" {
		password = GeneratePassword()
	} else if len(password) < MinPasswordLength {
		return "", cx.Errorf(cx.EINVALID, "password: use at least %d characters (or leave it out to get a generated one)", MinPasswordLength)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	if err := a.Store.CreateUser(ctx, store.User{Name: name, Role: role, Partner: partner, PasswordHash: hash}); err != nil {
		return "", err
	}
	return password, a.record(ctx, ActionUserCreate, "user:"+name, audit.Success, map[string]string{"role": role, "partner": partner})
}

// SetRole changes a user's role and partner binding and ends their
// sessions, so the change applies at once.
func (a *Admin) SetRole(ctx context.Context, name, role, partner string) error {
	if err := CheckRole(role, partner); err != nil {
		return cx.Errorf(cx.EINVALID, "%v", err)
	}
	old, err := a.Store.User(ctx, name)
	if err != nil {
		return err
	}
	if err := a.Store.UpdateUser(ctx, name, store.UserChange{Role: &role, Partner: &partner}); err != nil {
		return err
	}
	if err := a.Store.DeleteSessions(ctx, name); err != nil {
		return err
	}
	return a.record(ctx, ActionUserRole, "user:"+name, audit.Success, map[string]string{
		"from_role": old.Role, "from_partner": old.Partner, "role": role, "partner": partner})
}

// SetPassword replaces a user's password (generated when empty), unlocks
// them and ends their sessions.
func (a *Admin) SetPassword(ctx context.Context, name, password string) (string, error) {
	if password == "" {
		password = GeneratePassword()
	} else if len(password) < MinPasswordLength {
		return "", cx.Errorf(cx.EINVALID, "password: use at least %d characters (or leave it out to get a generated one)", MinPasswordLength)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	if err := a.Store.UpdateUser(ctx, name, store.UserChange{PasswordHash: &hash}); err != nil {
		return "", err
	}
	if err := a.Store.DeleteSessions(ctx, name); err != nil {
		return "", err
	}
	return password, a.record(ctx, ActionUserPassword, "user:"+name, audit.Success, nil)
}

// Unlock clears a user's lockout after failed sign-ins.
func (a *Admin) Unlock(ctx context.Context, name string) error {
	if err := a.Store.UpdateUser(ctx, name, store.UserChange{Unlock: true}); err != nil {
		return err
	}
	return a.record(ctx, ActionUserUnlock, "user:"+name, audit.Success, nil)
}

// RemoveUser deletes a user and their sessions.
func (a *Admin) RemoveUser(ctx context.Context, name string) error {
	if err := a.Store.DeleteUser(ctx, name); err != nil {
		return err
	}
	return a.record(ctx, ActionUserDelete, "user:"+name, audit.Success, nil)
}

// CreateKey makes an API key with a role, an optional partner binding and
// an expiry (0 = never). The key is returned once and stored only hashed.
func (a *Admin) CreateKey(ctx context.Context, name, role, partner string, ttl time.Duration) (string, *store.APIKey, error) {
	if name == "" {
		return "", nil, cx.Errorf(cx.EINVALID, "key name: say what the key is for, e.g. --name nightly-import")
	}
	if err := CheckRole(role, partner); err != nil {
		return "", nil, cx.Errorf(cx.EINVALID, "%v", err)
	}
	key, prefix := NewKey()
	k := store.APIKey{Prefix: prefix, Hash: sha256Hex(key), Name: name, Role: role, Partner: partner, CreatedBy: a.Actor}
	if ttl > 0 {
		t := a.Store.Now().UTC().Add(ttl)
		k.ExpiresAt = &t
	}
	if err := a.Store.CreateAPIKey(ctx, k); err != nil {
		return "", nil, err
	}
	details := map[string]string{"role": role, "partner": partner, "name": name}
	if k.ExpiresAt != nil {
		details["expires"] = k.ExpiresAt.Format(time.RFC3339)
	}
	return key, &k, a.record(ctx, ActionKeyCreate, "key:"+prefix, audit.Success, details)
}

// RevokeKey revokes a key by prefix (or by the whole key).
func (a *Admin) RevokeKey(ctx context.Context, prefixOrKey string) error {
	prefix := prefixOrKey
	if p, ok := ParseKey(prefixOrKey); ok {
		prefix = p
	}
	if err := a.Store.RevokeAPIKey(ctx, prefix); err != nil {
		return err
	}
	return a.record(ctx, ActionKeyRevoke, "key:"+prefix, audit.Success, nil)
}

// EnsureAdmin creates the first admin when there are no users at all and
// returns its generated password (shown once); created is false otherwise.
func EnsureAdmin(ctx context.Context, st *store.Store, log audit.Log) (name, password string, created bool, err error) {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", "", false, err
	}
	a := &Admin{Store: st, Audit: log, Actor: "system:first-start"}
	password, err = a.AddUser(ctx, "admin", RoleAdmin, "", "")
	if cx.ErrorCode(err) == cx.ECONFLICT {
		return "", "", false, nil // another server sharing the database made it first
	}
	if err != nil {
		return "", "", false, fmt.Errorf("create the first admin: %w", err)
	}
	return "admin", password, true, nil
}

// DefaultKeyLifetime is how long a key lives unless told otherwise.
const DefaultKeyLifetime = 90 * 24 * time.Hour

// ParseLifetime reads a key lifetime: whole days ("90d"), a Go duration
// ("12h"), "never" (0), or "" for DefaultKeyLifetime.
func ParseLifetime(v string) (time.Duration, error) {
	switch v {
	case "":
		return DefaultKeyLifetime, nil
	case "never":
		return 0, nil
	}
	if d, ok := strings.CutSuffix(v, "d"); ok {
		if n, err := strconv.Atoi(d); err == nil && n > 0 && n < 100*365 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want a lifetime like 90d or 12h, or never; got %q", v)
	}
	return d, nil
}
