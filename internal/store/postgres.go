package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

type pgEngine struct{}

// writerLockKey is the advisory lock that serialises Northstar writers
// sharing one PostgreSQL database ("NSTR" in ASCII).
const writerLockKey = 0x4E535452

func openPostgres(ctx context.Context, dsn string) (*sql.DB, engine, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres DSN: %w", err)
	}
	// Short analytical queries: planning with real parameters beats a generic
	// plan, and JIT compilation costs more than it saves.
	cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	cfg.RuntimeParams["jit"] = "off"
	cfg.RuntimeParams["timezone"] = "UTC"
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("connect to %s@%s:%d/%s: %w (is PostgreSQL running, and may this user connect?)", cfg.User, cfg.Host, cfg.Port, cfg.Database, err)
	}
	return db, pgEngine{}, nil
}

func (pgEngine) name() string { return "postgres" }

func (pgEngine) lockWriters(ctx context.Context, c *sql.Conn) error {
	_, err := c.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(writerLockKey))
	return err
}

func (pgEngine) bulkInsert(ctx context.Context, c *sql.Conn, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	return c.Raw(func(dc any) error {
		conn := dc.(*stdlib.Conn).Conn()
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		return nil
	})
}

func (pgEngine) keyLookup(table, cols string) string {
	if table == "events" || table == "qa_reviews" {
		return `SELECT ` + cols + ` FROM ` + table + ` WHERE ext_id = ANY($1)`
	}
	return `SELECT ` + cols + ` FROM ` + table + ` t JOIN unnest($1::text[], $2::text[]) AS k(s, e) ON t.source = k.s AND t.ext_id = k.e`
}

func (pgEngine) pairs() string { return `unnest($1::bigint[], $2::bigint[]) AS m(f, t)` }

func (pgEngine) secondsBetween(a, b string) string {
	return "EXTRACT(EPOCH FROM (" + b + " - " + a + "))"
}
