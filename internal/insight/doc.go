// Package insight turns the metric layer and the store into the answers a CX
// leader takes to a board: which intents to automate, keep human or fix in
// the bot (Automation), what service failures cost in churn, revenue and
// rework (Value), and which metrics lead for a strategy and how they moved
// (Portfolio). Every finding carries its numbers, their sample sizes and
// intervals, one plain sentence, and the query behind it.
//
// Per-slice figures come from a metrics.Source, so a fast source makes the
// automation and portfolio answers fast for free; value linkage is
// customer-level and computed from the store once per period, scope and data
// version, then served from memory (see Service).
//
// docs/insights.md explains how each insight is computed and how to read it.
package insight
