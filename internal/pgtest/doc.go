// Package pgtest gives tests a real, throwaway PostgreSQL server without
// Docker: one cluster per `go test` process (initdb into a temp dir, durability
// switched off because the data is thrown away), and a fresh database per test
// cloned from a template, so tests stay isolated and fast.
//
// Use it from a package's TestMain and ask for a database in each test:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
//	func TestSomething(t *testing.T) {
//		dsn := pgtest.New(t) // postgres://..., dropped when the test ends
//		...
//	}
//
// The cluster starts on the first call to New, so test runs that select no
// PostgreSQL test (and fuzzing runs) never pay for initdb. Binaries are found
// through NORTHSTAR_PG_BIN, /usr/lib/postgresql/15/bin, `pg_config --bindir`
// or PATH. When no server can be started, New fails the test if CI=true and
// skips it with the reason otherwise.
package pgtest
