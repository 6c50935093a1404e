package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func connect(tb testing.TB, dsn string) *pgx.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connecting to %s: %v", dsn, err)
	}
	tb.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// userTables counts the tables a test created in its database.
func userTables(tb testing.TB, conn *pgx.Conn) int {
	tb.Helper()
	var n int
	err := conn.QueryRow(context.Background(),
		`SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`).Scan(&n)
	if err != nil {
		tb.Fatalf("counting tables: %v", err)
	}
	return n
}

func TestNewGivesEachTestAnEmptyDatabase(t *testing.T) {
	// Run in parallel, the two tests would collide on the table name if they
	// shared a database, whatever order they run in.
	for _, name := range []string{"first", "second"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			conn := connect(t, New(t))
			if n := userTables(t, conn); n != 0 {
				t.Fatalf("new database holds %d tables, want 0", n)
			}
			if _, err := conn.Exec(context.Background(), `CREATE TABLE marker (test text PRIMARY KEY)`); err != nil {
				t.Fatalf("creating a table: %v", err)
			}
			if _, err := conn.Exec(context.Background(), `INSERT INTO marker VALUES ($1)`, name); err != nil {
				t.Fatalf("inserting: %v", err)
			}
		})
	}
}

func TestNewIsolatesDatabases(t *testing.T) {
	a, b := New(t), New(t)
	if a == b {
		t.Fatalf("two calls returned the same DSN %s", a)
	}
	connA, connB := connect(t, a), connect(t, b)
	if _, err := connA.Exec(context.Background(), `CREATE TABLE marker (id int)`); err != nil {
		t.Fatalf("creating a table in A: %v", err)
	}
	tests := []struct {
		db   string
		conn *pgx.Conn
		want bool
	}{
		{"A", connA, true},
		{"B", connB, false},
	}
	for _, tt := range tests {
		var exists bool
		if err := tt.conn.QueryRow(context.Background(), `SELECT to_regclass('public.marker') IS NOT NULL`).Scan(&exists); err != nil {
			t.Fatalf("looking up the table in %s: %v", tt.db, err)
		}
		if exists != tt.want {
			t.Errorf("table marker exists in %s = %v, want %v", tt.db, exists, tt.want)
		}
	}
}

func TestNewDropsTheDatabaseAtCleanup(t *testing.T) {
	var dsn string
	t.Run("user", func(t *testing.T) {
		dsn = New(t)
		// A connection the test forgot to close must not block the drop.
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Fatalf("connecting: %v", err)
		}
		t.Cleanup(func() { _ = conn.Close(context.Background()) })
	})
	if dsn == "" {
		t.Fatal("the subtest got no database")
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("parsing %s: %v", dsn, err)
	}
	shared.mu.Lock()
	c := shared.c
	shared.mu.Unlock()
	conn := connect(t, c.dsn("postgres"))
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_database WHERE datname = $1`, cfg.Database).Scan(&n); err != nil {
		t.Fatalf("looking up %s: %v", cfg.Database, err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after its test ended", cfg.Database)
	}
}

func TestServerSettings(t *testing.T) {
	dsn := New(t)
	if !strings.HasPrefix(dsn, "postgres://") || !strings.Contains(dsn, "@127.0.0.1:") {
		t.Errorf("DSN %s, want postgres://...@127.0.0.1:port/...", dsn)
	}
	conn := connect(t, dsn)
	tests := []struct {
		setting string
		want    string
	}{
		{"fsync", "off"},
		{"synchronous_commit", "off"},
		{"full_page_writes", "off"},
		{"max_connections", "200"},
		{"shared_buffers", "128MB"},
		{"listen_addresses", "127.0.0.1"},
		{"server_encoding", "UTF8"},
		{"lc_collate", "C"},
	}
	for _, tt := range tests {
		var got string
		if err := conn.QueryRow(context.Background(), `SELECT current_setting($1)`, tt.setting).Scan(&got); err != nil {
			t.Fatalf("reading %s: %v", tt.setting, err)
		}
		if got != tt.want {
			t.Errorf("%s = %q, want %q", tt.setting, got, tt.want)
		}
	}
	var version string
	if err := conn.QueryRow(context.Background(), `SELECT current_setting('server_version_num')`).Scan(&version); err != nil {
		t.Fatalf("reading the version: %v", err)
	}
	if v, err := strconv.Atoi(version); err != nil || v < 150000 {
		t.Errorf("server_version_num = %s, want PostgreSQL 15 or later", version)
	}
}

func TestReserveNeedsMain(t *testing.T) {
	var r registry
	if _, _, err := r.reserve(); !errors.Is(err, errNoMain) {
		t.Fatalf("reserve without Main: err = %v, want errNoMain", err)
	}
}

// recordingTB captures how unavailable ends a test, without ending this one.
type recordingTB struct {
	testing.TB
	fatal, skip string
}

func (r *recordingTB) Helper()                           {}
func (r *recordingTB) Fatalf(format string, args ...any) { r.fatal = fmt.Sprintf(format, args...) }
func (r *recordingTB) Skipf(format string, args ...any)  { r.skip = fmt.Sprintf(format, args...) }

func TestUnavailable(t *testing.T) {
	noServer := errors.New("no PostgreSQL server binaries")
	tests := []struct {
		name      string
		ci        bool
		err       error
		wantFatal bool
	}{
		{"CI fails", true, noServer, true},
		{"developer skips", false, noServer, false},
		{"missing Main fails outside CI", false, errNoMain, true},
		{"missing Main fails in CI", true, errNoMain, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			unavailable(rec, tt.ci, tt.err)
			got := rec.skip
			if tt.wantFatal {
				got = rec.fatal
				if rec.skip != "" {
					t.Errorf("skipped (%q), want a failure", rec.skip)
				}
			} else if rec.fatal != "" {
				t.Errorf("failed (%q), want a skip", rec.fatal)
			}
			if !strings.Contains(got, tt.err.Error()) {
				t.Errorf("message %q does not give the reason %q", got, tt.err)
			}
			if !tt.wantFatal && !strings.Contains(got, "postgresql-15") {
				t.Errorf("skip message %q does not say what to install", got)
			}
		})
	}
}

// BenchmarkNew measures what each test pays for its database: a clone of the
// template and its drop.
func BenchmarkNew(b *testing.B) {
	New(b) // starts the cluster outside the timed loop
	shared.mu.Lock()
	c := shared.c
	shared.mu.Unlock()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		name := "bench" + strconv.Itoa(i)
		if _, err := c.createDB(ctx, name); err != nil {
			b.Fatal(err)
		}
		if err := c.dropDB(ctx, name); err != nil {
			b.Fatal(err)
		}
	}
}
