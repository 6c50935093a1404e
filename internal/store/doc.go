// Package store is Northstar's system of record and analytical store. Open
// picks the engine from the DSN — embedded DuckDB ("duckdb:PATH", the default)
// or PostgreSQL ("postgres://…") for shared deployments — and migrates it.
// Both engines run the same Go code; only bulk loading, writer locking and a
// few queries differ, and those live beside each engine (duckdb.go,
// postgres.go). Migrations are per-engine SQL twins in migrations/.
package store
