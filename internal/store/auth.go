package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// authMu serialises the read-modify-write steps of access control in this
// process (user changes, the audit chain). They are rare and small, so one
// lock for every open store is enough; PostgreSQL adds an advisory lock for
// other processes where order matters (the audit log).
var authMu sync.Mutex

// User is one person who signs in. PasswordHash is an argon2id hash in PHC
// form; the password itself is never stored.
type User struct {
	Name         string     `json:"name"`
	Role         string     `json:"role"`
	Partner      string     `json:"partner,omitempty"`
	PasswordHash string     `json:"-"`
	FailedLogins int        `json:"failed_logins"`
	LockedUntil  *time.Time `json:"locked_until,omitempty"`
	Disabled     bool       `json:"disabled"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	LastLoginAt  *time.Time `json:"last_login_at,omitempty"`
}

// Session is a signed-in browser. Only the SHA-256 of its id is stored, so
// a copy of the database does not hand out live sessions.
type Session struct {
	IDHash    string
	User      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// APIKey is a machine credential. Hash is the SHA-256 of the whole key; the
// prefix identifies it in lists and logs.
type APIKey struct {
	Prefix     string     `json:"prefix"`
	Hash       string     `json:"-"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	Partner    string     `json:"partner,omitempty"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func isUnique(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "duplicate key") || strings.Contains(msg, "unique") || strings.Contains(msg, "primary key")
}

// CreateUser adds a user; a user of that name already existing is a conflict.
func (s *Store) CreateUser(ctx context.Context, u User) error {
	authMu.Lock()
	defer authMu.Unlock()
	now := s.now().UTC()
	_, err := s.db.ExecContext(ctx, `INSERT INTO users (name, role, partner, password_hash, failed_logins, locked_until, disabled, created_at, updated_at, last_login_at)
		VALUES ($1, $2, $3, $4, 0, NULL, FALSE, $5, $5, NULL)`, u.Name, u.Role, nullStr(u.Partner), u.PasswordHash, now)
	if err != nil {
		if isUnique(err) {
			return cx.Errorf(cx.ECONFLICT, "user %q exists already; change it with `northstar users set-role` or `users passwd`", u.Name)
		}
		return fmt.Errorf("create user %s: %w", u.Name, err)
	}
	return nil
}

const userCols = `name, role, partner, password_hash, failed_logins, locked_until, disabled, created_at, updated_at, last_login_at`

func scanUser(sc interface{ Scan(...any) error }) (*User, error) {
	var u User
	var partner sql.NullString
	var locked, last sql.NullTime
	if err := sc.Scan(&u.Name, &u.Role, &partner, &u.PasswordHash, &u.FailedLogins, &locked, &u.Disabled, &u.CreatedAt, &u.UpdatedAt, &last); err != nil {
		return nil, err
	}
	u.Partner = partner.String
	u.LockedUntil, u.LastLoginAt = timePtr(locked), timePtr(last)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// User returns the named user.
func (s *Store) User(ctx context.Context, name string) (*User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cx.Errorf(cx.ENOTFOUND, "no user %q (list them with `northstar users list`)", name)
	}
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", name, err)
	}
	return u, nil
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// CountUsers is the number of users (zero on first start).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// UserChange is a change to a user; nil fields stay as they are.
type UserChange struct {
	Role         *string
	Partner      *string // "" unbinds
	PasswordHash *string // also clears failures and the lock
	Disabled     *bool
	Unlock       bool
}

// UpdateUser applies ch to the named user.
func (s *Store) UpdateUser(ctx context.Context, name string, ch UserChange) error {
	authMu.Lock()
	defer authMu.Unlock()
	u, err := s.User(ctx, name)
	if err != nil {
		return err
	}
	if ch.Role != nil {
		u.Role = *ch.Role
	}
	if ch.Partner != nil {
		u.Partner = *ch.Partner
	}
	if ch.PasswordHash != nil {
		u.PasswordHash = *ch.PasswordHash
		ch.Unlock = true
	}
	if ch.Disabled != nil {
		u.Disabled = *ch.Disabled
	}
	if ch.Unlock {
		u.FailedLogins, u.LockedUntil = 0, nil
	}
	_, err = s.db.ExecContext(ctx, `UPDATE users SET role = $2, partner = $3, password_hash = $4, failed_logins = $5, locked_until = $6, disabled = $7, updated_at = $8 WHERE name = $1`,
		name, u.Role, nullStr(u.Partner), u.PasswordHash, u.FailedLogins, nullTime(u.LockedUntil), u.Disabled, s.now().UTC())
	if err != nil {
		return fmt.Errorf("update user %s: %w", name, err)
	}
	return nil
}

// DeleteUser removes a user and their sessions.
func (s *Store) DeleteUser(ctx context.Context, name string) error {
	authMu.Lock()
	defer authMu.Unlock()
	res, err := s.db.ExecContext(ctx, `DELETE FROM users WHERE name = $1`, name)
	if err != nil {
		return fmt.Errorf("delete user %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cx.Errorf(cx.ENOTFOUND, "no user %q (list them with `northstar users list`)", name)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = $1`, name); err != nil {
		return fmt.Errorf("delete sessions of %s: %w", name, err)
	}
	return nil
}

// LoginFailed counts a failed sign-in; at maxFailures in a row the user is
// locked until now+lockFor and the count starts again. It reports the lock.
func (s *Store) LoginFailed(ctx context.Context, name string, maxFailures int, lockFor time.Duration) (*time.Time, error) {
	authMu.Lock()
	defer authMu.Unlock()
	u, err := s.User(ctx, name)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	n := u.FailedLogins + 1
	var locked *time.Time
	if n >= maxFailures {
		t := now.Add(lockFor)
		locked, n = &t, 0
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE users SET failed_logins = $2, locked_until = coalesce($3, locked_until) WHERE name = $1`, name, n, nullTime(locked)); err != nil {
		return nil, fmt.Errorf("record failed login of %s: %w", name, err)
	}
	return locked, nil
}

// LoginSucceeded clears the user's failures and records the time.
func (s *Store) LoginSucceeded(ctx context.Context, name string) error {
	authMu.Lock()
	defer authMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $2 WHERE name = $1`, name, s.now().UTC()); err != nil {
		return fmt.Errorf("record login of %s: %w", name, err)
	}
	return nil
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, se Session) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_name, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		se.IDHash, se.User, se.CreatedAt.UTC(), se.ExpiresAt.UTC()); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session finds a session by the hash of its id; expired sessions are not found.
func (s *Store) Session(ctx context.Context, idHash string) (*Session, error) {
	se := &Session{IDHash: idHash}
	err := s.db.QueryRowContext(ctx, `SELECT user_name, created_at, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2`, idHash, s.now().UTC()).
		Scan(&se.User, &se.CreatedAt, &se.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cx.Errorf(cx.EUNAUTHORIZED, "session expired or signed out; sign in again")
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	se.CreatedAt, se.ExpiresAt = se.CreatedAt.UTC(), se.ExpiresAt.UTC()
	return se, nil
}

// DeleteSession ends one session (logout).
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessions ends every session of a user (password or role change)
// and every expired session.
func (s *Store) DeleteSessions(ctx context.Context, user string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = $1 OR expires_at <= $2`, user, s.now().UTC()); err != nil {
		return fmt.Errorf("delete sessions of %s: %w", user, err)
	}
	return nil
}

// PurgeSessions deletes expired sessions.
func (s *Store) PurgeSessions(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, s.now().UTC()); err != nil {
		return fmt.Errorf("purge expired sessions: %w", err)
	}
	return nil
}

// CreateAPIKey stores a new key.
func (s *Store) CreateAPIKey(ctx context.Context, k APIKey) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO api_keys (prefix, hash, name, role, partner, created_by, created_at, expires_at, revoked_at, last_used_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)`, k.Prefix, k.Hash, k.Name, k.Role, nullStr(k.Partner), k.CreatedBy, s.now().UTC(), nullTime(k.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create API key %s: %w", k.Name, err)
	}
	return nil
}

const keyCols = `prefix, hash, name, role, partner, created_by, created_at, expires_at, revoked_at, last_used_at`

func scanKey(sc interface{ Scan(...any) error }) (*APIKey, error) {
	var k APIKey
	var partner sql.NullString
	var exp, rev, used sql.NullTime
	if err := sc.Scan(&k.Prefix, &k.Hash, &k.Name, &k.Role, &partner, &k.CreatedBy, &k.CreatedAt, &exp, &rev, &used); err != nil {
		return nil, err
	}
	k.Partner, k.CreatedAt = partner.String, k.CreatedAt.UTC()
	k.ExpiresAt, k.RevokedAt, k.LastUsedAt = timePtr(exp), timePtr(rev), timePtr(used)
	return &k, nil
}

// APIKeyByPrefix returns the key with that prefix.
func (s *Store) APIKeyByPrefix(ctx context.Context, prefix string) (*APIKey, error) {
	k, err := scanKey(s.db.QueryRowContext(ctx, `SELECT `+keyCols+` FROM api_keys WHERE prefix = $1`, prefix))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cx.Errorf(cx.ENOTFOUND, "no API key %q (list them with `northstar keys list`)", prefix)
	}
	if err != nil {
		return nil, fmt.Errorf("API key %s: %w", prefix, err)
	}
	return k, nil
}

// APIKeys lists every key, newest first.
func (s *Store) APIKeys(ctx context.Context) ([]APIKey, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+keyCols+` FROM api_keys ORDER BY created_at DESC, prefix`)
	if err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	defer rows.Close()
	out := []APIKey{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("list API keys: %w", err)
		}
		out = append(out, *k)
	}
	return out, rows.Err()
}

// RevokeAPIKey revokes a key now; revoking twice keeps the first time.
func (s *Store) RevokeAPIKey(ctx context.Context, prefix string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE prefix = $1`, prefix, s.now().UTC())
	if err != nil {
		return fmt.Errorf("revoke API key %s: %w", prefix, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cx.Errorf(cx.ENOTFOUND, "no API key %q (list them with `northstar keys list`)", prefix)
	}
	return nil
}

// TouchAPIKey records the key's last use.
func (s *Store) TouchAPIKey(ctx context.Context, prefix string, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE api_keys SET last_used_at = $2 WHERE prefix = $1`, prefix, at.UTC()); err != nil {
		return fmt.Errorf("record use of API key %s: %w", prefix, err)
	}
	return nil
}

// Now is the store's clock (injected in tests), for packages that must
// agree with it on expiry times.
func (s *Store) Now() time.Time { return s.now() }
