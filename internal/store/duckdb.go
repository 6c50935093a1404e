package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"regexp"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/northstar-cx/northstar/internal/cx"
)

type duckEngine struct{}

func openDuckDB(path string, bulkLoad bool) (*sql.DB, engine, error) {
	var db *sql.DB
	if bulkLoad {
		// The write-ahead log can only be turned off for an attached
		// database: open an in-memory instance (with the DSN's settings),
		// attach the file, and make it every connection's default.
		file, settings, _ := strings.Cut(path, "?")
		attach := `ATTACH IF NOT EXISTS ` + sqlString(file) + ` AS northstar (RECOVERY_MODE no_wal_writes)`
		c, err := duckdb.NewConnector("?"+settings, func(e driver.ExecerContext) error {
			for _, q := range []string{attach, `USE northstar`} {
				if _, err := e.ExecContext(context.Background(), q, nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, nil, duckOpenError(path, err)
		}
		db = sql.OpenDB(c)
	} else {
		var err error
		if db, err = sql.Open("duckdb", path); err != nil {
			return nil, nil, duckOpenError(path, err)
		}
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, nil, duckOpenError(path, err)
	}
	// Bulk imports append gigabytes: checkpointing every 16 MB of WAL (the
	// default) rewrites compressed row groups over and over. Commits stay
	// durable through the WAL either way.
	if _, err := db.Exec(`SET checkpoint_threshold = '512MB'`); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("open duckdb:%s: %w", path, err)
	}
	return db, duckEngine{}, nil
}

// rowGroupRows is DuckDB's row group size, where a bulk load checkpoints
// (Store.Apply). A file created with another size only costs rewrites.
const rowGroupRows = 122_880

// bulkCheckpointCap bounds the stored bodies a bulk load holds in memory
// before it checkpoints anyway: a row group of 16 KB contacts.
const bulkCheckpointCap = 2 << 30

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// BulkWork readies the store for a process that imports or re-analyses in
// bulk. On DuckDB that is one thread for DuckDB itself: the Go workers that
// decode and analyse already keep every core busy, and DuckDB's own workers
// only contend with them for the small appends and lookups of each batch
// (an import used 5% less CPU and finished 2–3% sooner). The returned function
// restores the default, for a process that goes on to serve queries. Work
// that runs after the workers are done (Relink, the import's last
// Checkpoint) has every thread back meanwhile: see allThreads.
func (s *Store) BulkWork(ctx context.Context) (restore func(), err error) {
	if _, ok := s.eng.(duckEngine); !ok {
		return func() {}, nil
	}
	if _, err := s.db.ExecContext(ctx, `SET threads = 1`); err != nil {
		return nil, fmt.Errorf("tune the database for bulk work: %w", err)
	}
	s.oneThread.Store(true)
	return func() {
		s.oneThread.Store(false)
		_, _ = s.db.ExecContext(context.Background(), `RESET threads`)
	}, nil
}

// allThreads lifts BulkWork's limit until restore is called, for work that
// runs after the workers are done and that DuckDB can spread over cores. It
// ignores ctx's cancellation, as the last checkpoint of a cancelled import
// must still run, and a failure only costs speed.
func (s *Store) allThreads(ctx context.Context) (restore func()) {
	if !s.oneThread.Load() {
		return func() {}
	}
	ctx = context.WithoutCancel(ctx)
	if _, err := s.db.ExecContext(ctx, `RESET threads`); err != nil {
		return func() {}
	}
	return func() { _, _ = s.db.ExecContext(ctx, `SET threads = 1`) }
}

var lockPID = regexp.MustCompile(`PID (\d+)`)

// duckOpenError turns DuckDB's file-lock error into advice: DuckDB lets one
// process hold a database file, so a running server owns it.
func duckOpenError(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock") {
		holder := "another process"
		if m := lockPID.FindStringSubmatch(msg); m != nil {
			holder = "process " + m[1]
		}
		return &cx.Error{Code: cx.ELOCKED, Message: fmt.Sprintf(
			"database %s is in use by %s (probably `northstar serve` or `northstar demo`). "+
				"DuckDB lets one process open a database file: send this work to the running server with --server URL "+
				"(e.g. --server http://127.0.0.1:8080), or stop it and try again", path, holder)}
	}
	return fmt.Errorf("open duckdb:%s: %w", path, err)
}

func (duckEngine) name() string { return "duckdb" }

// One process holds a DuckDB file, and Store.mu serialises its writers.
func (duckEngine) lockWriters(context.Context, *sql.Conn) error { return nil }

func (duckEngine) bulkInsert(ctx context.Context, c *sql.Conn, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	return c.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		if err != nil {
			return fmt.Errorf("append %s: %w", table, err)
		}
		vals := make([]driver.Value, len(cols))
		for _, r := range rows {
			for i, v := range r {
				vals[i] = v
			}
			if err := a.AppendRow(vals...); err != nil {
				a.Close()
				return fmt.Errorf("append %s: %w", table, err)
			}
		}
		if err := a.Close(); err != nil {
			return fmt.Errorf("append %s: %w", table, err)
		}
		return nil
	})
}

func (duckEngine) keyLookup(table, cols string) string {
	if table == "events" || table == "qa_reviews" {
		return `SELECT ` + cols + ` FROM ` + table + ` WHERE ext_id IN (SELECT unnest($1::VARCHAR[]))`
	}
	return `SELECT ` + cols + ` FROM ` + table + ` t JOIN (SELECT unnest($1::VARCHAR[]) AS s, unnest($2::VARCHAR[]) AS e) k ON t.source = k.s AND t.ext_id = k.e`
}

func (duckEngine) pairs() string {
	return `(SELECT unnest($1::BIGINT[]) AS f, unnest($2::BIGINT[]) AS t) m`
}

func (duckEngine) secondsBetween(a, b string) string {
	return "date_diff('second', " + a + ", " + b + ")"
}
