package export

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// What goes into an extract. Both kinds read through the scoped store and
// metrics layers, so a partner-bound principal exports only its slice.

// listFilter maps metric filters onto the interaction list's filter, which
// has the dimensions that are columns of the interaction.
func listFilter(fs []metrics.Filter, from, until time.Time) (store.ListFilter, error) {
	lf := store.ListFilter{From: from, To: until}
	for _, f := range fs {
		if f.Not {
			return lf, cx.Errorf(cx.EINVALID, "interaction exports take positive filters only (dim:value), not %s!:", f.Dim)
		}
		switch f.Dim {
		case "channel":
			lf.Channels = f.Values
		case "intent":
			lf.Intents = f.Values
		case "partner":
			lf.Partners = f.Values
		case "team":
			lf.Teams = f.Values
		case "agent":
			lf.Agents = f.Values
		case "queue":
			lf.Queues = f.Values
		case "journey_stage":
			lf.Stages = f.Values
		case "handler":
			if len(f.Values) != 1 {
				return lf, cx.Errorf(cx.EINVALID, "handler takes one value: bot or human")
			}
			lf.Handler = f.Values[0]
		default:
			return lf, cx.Errorf(cx.EINVALID, "interaction exports filter on channel, intent, partner, team, agent, queue, journey_stage and handler, not %s", f.Dim)
		}
	}
	return lf, nil
}

// Interactions writes every interaction scope sees that matches the filters
// and started in [from, until), one JSON object a line: the list view, with
// facts and no transcript or identity. It returns the rows written.
func Interactions(ctx context.Context, st *store.Store, scope cx.Scope, fs []metrics.Filter, from, until time.Time, w io.Writer) (int, error) {
	lf, err := listFilter(fs, from, until)
	if err != nil {
		return 0, err
	}
	enc := json.NewEncoder(w)
	n := 0
	const page = 500
	for offset := 0; ; offset += page {
		p, err := st.ListInteractions(ctx, scope, lf, offset, page)
		if err != nil {
			return n, err
		}
		for _, it := range p.Items {
			if err := enc.Encode(it); err != nil {
				return n, err
			}
			n++
		}
		if len(p.Items) < page {
			return n, nil
		}
	}
}

// Metrics writes the result of q (which carries the scope) as JSON, as
// GET /v1/metrics returns it, and returns its number of rows.
func Metrics(ctx context.Context, src metrics.Source, q metrics.Query, w io.Writer) (int, error) {
	res, err := src.Query(ctx, q)
	if err != nil {
		return 0, err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return len(res.Rows), enc.Encode(res)
}
