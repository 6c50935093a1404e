// Package api is Northstar's JSON HTTP API. routes.go lists the whole
// surface; each resource has its own file. Errors are JSON objects with a
// stable code (documented in docs/api.md) and a human message.
package api
