// Package ingest reads customers, value events, interactions and surveys in
// Northstar's import format (NDJSON, or CSV for customers and interactions),
// validates every record with errors that say file:line, field and why, and
// feeds the good ones — after analysis — to the store in atomic batches. The
// CLI's import command and the HTTP API's /v1/ingest share this one path.
package ingest
