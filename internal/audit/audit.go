// Package audit is Northstar's tamper-evident audit log: every security-
// relevant action (sign-ins, key use for writes, exports, erasures, user,
// role, key, configuration and scorecard changes, permission denials) is
// appended as an entry that carries the SHA-256 of the entry before it, so
// altering, removing or reordering any entry breaks the chain and Verify
// finds where. Entries carry no personal data and no secrets: actors are
// "user:NAME", "key:PREFIX" or "cli:NAME", details are small codes.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/store"
)

// Outcomes.
const (
	Success = "success"
	Failure = "failure"
	Denied  = "denied"
)

// Entry is one audit record. Seq, PrevHash and Hash are set by Append.
type Entry struct {
	Seq      int64             `json:"seq"`
	At       time.Time         `json:"at"`
	Actor    string            `json:"actor"`
	Action   string            `json:"action"`
	Target   string            `json:"target"`
	Outcome  string            `json:"outcome"`
	Details  map[string]string `json:"details,omitempty"`
	PrevHash string            `json:"prev_hash"`
	Hash     string            `json:"hash"`
}

// Filter selects entries for List; zero fields select everything.
type Filter = store.AuditFilter

// Log is the audit log. Other packages (erasure, exports) append to it
// through this interface.
type Log interface {
	Append(ctx context.Context, e Entry) (Entry, error)
	List(ctx context.Context, f Filter) ([]Entry, error)
	Verify(ctx context.Context) (Report, error)
	// VerifyAnchor also checks the entry with hash anchor is still there.
	VerifyAnchor(ctx context.Context, anchor string) (Report, error)
}

// Report is the outcome of Verify.
type Report struct {
	Entries  int64    `json:"entries"`
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
	Head     string   `json:"head"` // hash of the last entry: record it elsewhere to detect truncation
}

// StoreLog is the Log kept in the store's audit_log table.
type StoreLog struct {
	Store *store.Store
	Now   func() time.Time
}

// New returns the log kept in st.
func New(st *store.Store) *StoreLog { return &StoreLog{Store: st, Now: st.Now} }

// Append seals e onto the end of the chain.
func (l *StoreLog) Append(ctx context.Context, e Entry) (Entry, error) {
	if e.At.IsZero() {
		e.At = l.Now()
	}
	if e.Outcome == "" {
		e.Outcome = Success
	}
	details, err := canonicalDetails(e.Details)
	if err != nil {
		return e, err
	}
	row, err := l.Store.AppendAudit(ctx, store.AuditEntry{At: e.At, Actor: e.Actor, Action: e.Action, Target: e.Target, Outcome: e.Outcome, Details: details},
		func(r *store.AuditEntry) { r.Hash = Hash(*r) })
	if err != nil {
		return e, err
	}
	return fromRow(row), nil
}

// List returns the entries f selects, in sequence order.
func (l *StoreLog) List(ctx context.Context, f Filter) ([]Entry, error) {
	rows, err := l.Store.ListAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(rows))
	for _, r := range rows {
		out = append(out, fromRow(r))
	}
	return out, nil
}

// Verify walks the whole chain: sequence numbers must run 1, 2, 3… without
// gaps (a removed entry), each entry's prev_hash must be the hash of the
// one before (a removed or reordered entry), and each hash must match the
// entry's content (an altered entry).
func (l *StoreLog) Verify(ctx context.Context) (Report, error) { return l.VerifyAnchor(ctx, "") }

// VerifyAnchor is Verify, and also checks that the entry whose hash is
// anchor (a head recorded earlier, outside the database) is still in the
// chain: the chain alone cannot show that its newest entries were cut off.
func (l *StoreLog) VerifyAnchor(ctx context.Context, anchor string) (Report, error) {
	rep := Report{OK: true, Problems: []string{}}
	anchorSeen := anchor == ""
	var prev string
	var want int64 = 1
	const maxProblems = 50
	problem := func(format string, args ...any) {
		rep.OK = false
		if len(rep.Problems) < maxProblems {
			rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...))
		}
	}
	err := l.Store.EachAudit(ctx, func(r store.AuditEntry) error {
		rep.Entries++
		if r.Seq != want {
			if r.Seq > want {
				problem("entry %d: expected entry %d next; entries %d to %d are missing (removed)", r.Seq, want, want, r.Seq-1)
			} else {
				problem("entry %d: out of order after entry %d (duplicated or reordered)", r.Seq, want-1)
			}
		}
		if r.PrevHash != prev {
			problem("entry %d: prev_hash %s does not match the hash of the entry before it %s (an entry before it was removed, reordered or altered)", r.Seq, short(r.PrevHash), short(prev))
		}
		if h := Hash(r); h != r.Hash {
			problem("entry %d: content does not match its hash (altered: %s %s)", r.Seq, r.Action, r.Target)
		}
		if r.Hash == anchor {
			anchorSeen = true
		}
		prev, want = r.Hash, r.Seq+1
		return nil
	})
	rep.Head = prev
	if err == nil && !anchorSeen {
		problem("no entry has the anchor hash %s: entries up to and after it were removed, or the log was replaced", short(anchor))
	}
	return rep, err
}

func short(h string) string {
	if h == "" {
		return "(none)"
	}
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Hash is the SHA-256, in hex, of the entry's canonical form followed by
// the previous entry's hash. The canonical form is one field per line, each
// a JSON string (so no field can spill into the next), in a fixed order.
func Hash(r store.AuditEntry) string {
	var b strings.Builder
	b.WriteString("northstar-audit-v1\n")
	b.WriteString(strconv.FormatInt(r.Seq, 10))
	b.WriteByte('\n')
	for _, f := range []string{r.At.UTC().Format(time.RFC3339Nano), r.Actor, r.Action, r.Target, r.Outcome, r.Details, r.PrevHash} {
		q, _ := json.Marshal(f)
		b.Write(q)
		b.WriteByte('\n')
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// canonicalDetails is details without empty values as JSON with sorted keys
// (encoding/json sorts map keys), so the same details always hash the same.
func canonicalDetails(d map[string]string) (string, error) {
	clean := map[string]string{}
	for k, v := range d {
		if v != "" {
			clean[k] = v
		}
	}
	if len(clean) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(clean)
	if err != nil {
		return "", fmt.Errorf("audit details: %w", err)
	}
	return string(b), nil
}

func fromRow(r store.AuditEntry) Entry {
	e := Entry{Seq: r.Seq, At: r.At, Actor: r.Actor, Action: r.Action, Target: r.Target, Outcome: r.Outcome, PrevHash: r.PrevHash, Hash: r.Hash}
	if r.Details != "" && r.Details != "{}" {
		_ = json.Unmarshal([]byte(r.Details), &e.Details)
	}
	return e
}
