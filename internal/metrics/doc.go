// Package metrics is Northstar's semantic layer: the registry that defines
// every metric once (registry.go), the dimensions metrics are sliced and
// filtered by (dims.go), the statistics every value carries (stats.go) and
// the reference Source that answers a Query with plain SQL generated from
// the definitions (sql.go). Faster sources must answer the same queries with
// the same results; docs/metrics.md is generated from the registry.
package metrics
