package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one row of the audit log. The chain itself (what Hash
// covers, how it is verified) is package audit's; the store keeps the rows
// and hands out sequence numbers.
type AuditEntry struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Target   string    `json:"target"`
	Outcome  string    `json:"outcome"`
	Details  string    `json:"-"` // JSON object
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// auditLockKey is the PostgreSQL advisory lock that orders audit appends
// across servers sharing one database.
const auditLockKey = 0x6e7341756469 // "nsAudi"

// AppendAudit appends e as the next entry: it takes the next sequence
// number and the previous entry's hash, lets seal fill in e.Hash, and
// inserts the row, all under one lock so the chain has no forks or gaps.
func (s *Store) AppendAudit(ctx context.Context, e AuditEntry, seal func(e *AuditEntry)) (AuditEntry, error) {
	authMu.Lock()
	defer authMu.Unlock()
	err := s.tx(ctx, func(c *sql.Conn) error {
		if s.eng.name() == "postgres" {
			if _, err := c.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(auditLockKey)); err != nil {
				return err
			}
		}
		var seq sql.NullInt64
		var prev sql.NullString
		err := c.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		e.Seq, e.PrevHash = seq.Int64+1, prev.String
		// The database keeps microseconds; hash what will be read back.
		e.At = e.At.UTC().Truncate(time.Microsecond)
		seal(&e)
		_, err = c.ExecContext(ctx, `INSERT INTO audit_log (seq, logged_at, actor, action, target, outcome, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			e.Seq, e.At, e.Actor, e.Action, e.Target, e.Outcome, e.Details, e.PrevHash, e.Hash)
		return err
	})
	if err != nil {
		return e, fmt.Errorf("append to the audit log: %w", err)
	}
	return e, nil
}

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	Actor  string
	Action string // exact, or a prefix ending in "." ("login.")
	Since  time.Time
	Limit  int // newest Limit entries; 0 = all
}

// ListAudit returns the matching entries in sequence order.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.Actor != "" {
		add("actor = $%d", f.Actor)
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			add("starts_with(action, $%d)", f.Action)
		} else {
			add("action = $%d", f.Action)
		}
	}
	if !f.Since.IsZero() {
		add("logged_at >= $%d", f.Since.UTC())
	}
	q := `SELECT seq, logged_at, actor, action, target, outcome, details, prev_hash, hash FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if f.Limit > 0 {
		q = `SELECT * FROM (` + q + fmt.Sprintf(` ORDER BY seq DESC LIMIT %d) t`, f.Limit)
	}
	q += ` ORDER BY seq`
	out := []AuditEntry{}
	err := s.scanAudit(ctx, q, args, func(e AuditEntry) error { out = append(out, e); return nil })
	return out, err
}

// EachAudit calls fn for every entry in sequence order (verification).
func (s *Store) EachAudit(ctx context.Context, fn func(AuditEntry) error) error {
	return s.scanAudit(ctx, `SELECT seq, logged_at, actor, action, target, outcome, details, prev_hash, hash FROM audit_log ORDER BY seq`, nil, fn)
}

func (s *Store) scanAudit(ctx context.Context, q string, args []any, fn func(AuditEntry) error) error {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read the audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Target, &e.Outcome, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			return fmt.Errorf("read the audit log: %w", err)
		}
		e.At = e.At.UTC()
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
