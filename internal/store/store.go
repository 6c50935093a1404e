package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DefaultDSN is where the embedded store lives unless told otherwise.
const DefaultDSN = "duckdb:./northstar.db"

// Store is one open database. Reads may run concurrently; writes (Apply) are
// serialised, across processes too on PostgreSQL.
type Store struct {
	db  *sql.DB
	eng engine
	dsn string
	now func() time.Time
	// effort prices the journey part of the effort index in Relink.
	effort EffortTerms
	// bulkLoad: DuckDB commits skip the write-ahead log (see BulkLoad).
	// Guarded by mu, unsaved counts the bytes of the bodies stored since the
	// last checkpoint and rows the interactions table's rows in storage (-1:
	// not read yet).
	bulkLoad      bool
	unsaved, rows int64
	file          string // the DuckDB database file, for checkpoint's write-behind
	// known holds a hash of every key a bulk load stored in each keyed
	// table that was empty when it began; lookups ask the database only
	// about keys found here, so a first load never scans the tables it
	// fills. Tables not in it are looked up as usual. Guarded by mu; nil
	// until a bulk Apply reads which tables are empty.
	known   map[string]map[uint64]struct{}
	keySeed maphash.Seed
	// oneThread: BulkWork holds DuckDB to one thread.
	oneThread atomic.Bool

	mu       sync.Mutex // serialises writers in this process
	index    *identity.Index
	identSeq int64 // highest identities.seq loaded into index
	mergeSeq int64 // highest merges.seq loaded into index

	// Personal data at rest (vault.go).
	ring       *Keyring              // keys given to Open
	extra      *Keyring              // more keys to open older values with (rotation)
	keyFile    string                // where to read (or, for a new database, create) the key
	keyCreated string                // the key file Open created, to tell the user
	vaultp     atomic.Pointer[vault] // swapped when a rotation changes the primary key; see vault()
}

// engine is what differs between DuckDB and PostgreSQL.
type engine interface {
	name() string
	// lockWriters takes the cross-process writer lock inside the open transaction.
	lockWriters(ctx context.Context, c *sql.Conn) error
	// bulkInsert appends rows to a table inside the open transaction on c.
	bulkInsert(ctx context.Context, c *sql.Conn, table string, cols []string, rows [][]any) error
	// keyLookup is the SELECT that finds existing rows of table by (source, ext_id) pairs
	// given as two parallel arrays $1, $2 (surveys, interactions) or by ext_id $1 (events, qa_reviews).
	keyLookup(table string, cols string) string
	// pairs is a FROM item "m" with columns f and t zipped from the BIGINT
	// arrays $1 and $2 (merged customer → survivor).
	pairs() string
	// secondsBetween is the SQL expression for the seconds from timestamp a to b.
	secondsBetween(a, b string) string
}

// Option configures Open.
type Option func(*Store)

// EffortTerms price what a customer's earlier contacts add to a contact's
// effort index, as parts of 100: Switch·(1 − e^(−switches/SwitchScale)) +
// Repeat·(1 − e^(−prior/RepeatScale)). The analysis layer derives them from
// its effort weights, so the stored index equals the one it defines; the
// zero value adds nothing.
type EffortTerms struct {
	Switch, SwitchScale, Repeat, RepeatScale float64
}

// WithEffortTerms sets how Relink prices the journey part of effort.
func WithEffortTerms(t EffortTerms) Option { return func(s *Store) { s.effort = t } }

// BulkLoad opens the store for a process that loads in bulk and then exits,
// such as the CLI import. On DuckDB, commits then skip the write-ahead log:
// committed rows reach the database file at checkpoints, which Apply runs
// whenever a row group of interactions is full and Checkpoint on demand,
// instead of being written twice, to the log and later to the file
// (docs/BENCHMARKS.md has the measurements). The price is what a crash
// loses: everything committed since the last checkpoint. The file stays
// consistent at that checkpoint and imports are idempotent, so running the
// import again completes it; but a process that acknowledges writes one at a
// time (the server) must not use it. A log left by an earlier process is
// replayed as usual. On PostgreSQL it changes nothing.
func BulkLoad() Option { return func(s *Store) { s.bulkLoad = true } }

// WithNow injects the clock (tests).
func WithNow(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open connects to the store named by dsn, creating and migrating it if needed.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	if dsn == "" {
		dsn = DefaultDSN
	}
	s := &Store{dsn: dsn, now: time.Now, rows: -1, keySeed: maphash.MakeSeed()}
	for _, o := range opts {
		o(s)
	}
	var err error
	switch {
	case strings.HasPrefix(dsn, "duckdb:"):
		path := strings.TrimPrefix(dsn, "duckdb:")
		if path == "" {
			return nil, cx.Errorf(cx.EINVALID, "database %q: give a file path after duckdb:, e.g. duckdb:./northstar.db", dsn)
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("open %s: %w", dsn, err)
			}
		}
		if err := CompactPending(ctx, dsn); err != nil { // erase.go
			return nil, err
		}
		s.file, _, _ = strings.Cut(path, "?")
		s.db, s.eng, err = openDuckDB(path, s.bulkLoad)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s.db, s.eng, err = openPostgres(ctx, dsn)
	default:
		return nil, cx.Errorf(cx.EINVALID, "database %q: use duckdb:PATH or postgres://USER@HOST/DB", dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	if err := s.openKeys(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	if _, ok := s.eng.(duckEngine); !ok {
		s.bulkLoad = false
	}
	// A new database's schema and key check must not wait for the end of a
	// bulk load to reach the file.
	if err := s.Checkpoint(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// Checkpoint makes everything committed so far survive a crash. Only a
// BulkLoad store on DuckDB has anything to do: it writes the rows committed
// since the last checkpoint to the database file. Every other store is
// durable at each commit.
func (s *Store) Checkpoint(ctx context.Context) error {
	if !s.bulkLoad {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// The last checkpoint of an import comes after its workers are done:
	// DuckDB may write its row groups on every core.
	defer s.allThreads(ctx)()
	return s.checkpoint(ctx)
}

// checkpoint runs a bulk load's checkpoint. The caller holds s.mu: a
// checkpoint cannot run beside a writing transaction. It is not cancelled
// with ctx: what it saves is committed already, and an import stopped with
// Ctrl-C keeps it.
func (s *Store) checkpoint(ctx context.Context) error {
	defer writeBehind(s.file)()
	if _, err := s.db.ExecContext(context.WithoutCancel(ctx), `CHECKPOINT`); err != nil {
		return fmt.Errorf("checkpoint %s: %w", s.dsn, err)
	}
	s.unsaved = 0
	return nil
}

// Engine names the engine: "duckdb" or "postgres".
func (s *Store) Engine() string { return s.eng.name() }

// DB exposes the connection pool to packages that run their own read queries
// (metrics); they must not write.
func (s *Store) DB() *sql.DB { return s.db }

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

type migration struct {
	version int
	name    string
	sql     string
}

func (s *Store) migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*."+s.eng.name()+".sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, n := range names {
		base := filepath.Base(n)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", base)
		}
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate applies pending migrations, each in its own transaction, so an
// interrupted migration leaves the database at the previous version.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	ms, err := s.migrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range ms {
		err := s.tx(ctx, func(c *sql.Conn) error {
			if err := s.eng.lockWriters(ctx, c); err != nil {
				return err
			}
			var n int
			if err := c.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range splitSQL(m.sql) {
				if _, err := c.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", m.name, err)
				}
			}
			_, err := c.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, m.version, m.name, s.now().UTC())
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// splitSQL splits a migration on semicolons at line ends; our migrations keep
// one statement per semicolon and no semicolons inside strings.
func splitSQL(script string) []string {
	var out []string
	var b strings.Builder
	for _, line := range strings.Split(script, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") || t == "" {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, b.String())
			b.Reset()
		}
	}
	if strings.TrimSpace(b.String()) != "" {
		out = append(out, b.String())
	}
	return out
}

// tx runs fn on one connection inside a transaction. Transactions are opened
// with BEGIN on the connection itself so bulk loaders (DuckDB's appender,
// PostgreSQL's COPY), which work on the raw connection, join them.
func (s *Store) tx(ctx context.Context, fn func(c *sql.Conn) error) (err error) {
	c, err := s.db.Conn(ctx)
	if err != nil {
		return s.connError(err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "BEGIN"); err != nil {
		return s.connError(err)
	}
	defer func() {
		if err != nil {
			// A fresh context: the caller's may be cancelled, and the rollback must still run.
			_, _ = c.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if err := fn(c); err != nil {
		return err
	}
	if _, err := c.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (s *Store) connError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("database %s: %w", s.dsn, err)
}
