package main

import (
	"context"
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/analysis"
	"github.com/northstar-cx/northstar/internal/api"
	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/metrics/memory"
	"github.com/northstar-cx/northstar/internal/server"
	"github.com/northstar-cx/northstar/internal/store"
	"github.com/northstar-cx/northstar/internal/web"
)

func newServeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run the HTTP API (and dashboard) over the database",
		Long: `Run Northstar's HTTP server. It holds the database while it runs; other commands can send
their work to it with --server URL. Stops gracefully on Ctrl-C or SIGTERM.

It serves the dashboard at / (overview, customers, interactions, intents & automation, quality,
value) and the JSON API under /v1/ (ingest, customers, interactions, metrics, insights, portfolio,
exports, erasure, users, keys, audit: docs/api.md). Metrics are answered from an in-memory copy of
the facts once it is read (from the database until then) and refreshed after every import.

Everything but /healthz and /readyz needs a signed-in user (the dashboard's /login) or an API key
(Authorization: Bearer ns_…). On the first start, with no users yet, serve creates the user admin and
prints its password once. Add people with 'northstar users add', keys with 'northstar keys create';
roles and partner scoping are in docs/security.md.`,
		Example: `  northstar serve
  northstar serve --db postgres://northstar@db/northstar --addr 0.0.0.0:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			st, err := g.openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			pipe, err := newPipeline(c)
			if err != nil {
				return err
			}
			return g.serve(cmd.Context(), c, st, pipe)
		},
	}
}

// serve runs the server on the configured address until ctx ends.
func (g *globals) serve(ctx context.Context, c *config.Config, st *store.Store, pipe *analysis.Pipeline) error {
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another server running there? choose another with --addr)", c.Addr, err)
	}
	// Metrics are answered from memory once the first snapshot is read, from
	// the database until then; imports and erasures refresh the snapshot.
	src := memory.Start(ctx, st, metrics.NewSQL(st), memory.WithLogger(g.logger()))
	guard, err := g.handler(c, st, pipe, src)
	if err != nil {
		ln.Close()
		return err
	}
	if err := g.firstAdmin(ctx, st); err != nil {
		ln.Close()
		return err
	}
	srv := &server.Server{Handler: guard, Log: g.logger(), MaxBody: int64(c.MaxBodyMiB) << 20, Limits: server.IngestLimiter(c.IngestRate)}
	scheme, err := g.serverTLS(c, srv)
	if err != nil {
		ln.Close()
		return err
	}
	go g.retentionDaily(ctx, c, st)
	if s := g.insights; s != nil {
		// Compute value linkage now and keep insight answers warm after
		// imports, so the dashboard's calls are answered from memory.
		s.Background, s.Log = ctx, g.logger()
		s.Warm()
	}
	fmt.Fprintf(g.e.stdout, "Northstar is serving %s (%s) at %s://%s/  — Ctrl-C to stop\n", st.Engine(), safeDSN(c), scheme, ln.Addr())
	return srv.Serve(ctx, ln)
}

// handler is every endpoint of the server behind the authentication guard:
// each package contributes its routes (pattern, permission, handler) and
// the guard enforces them; the permission test builds the same handler.
// src answers the metrics; nil means the SQL reference source.
func (g *globals) handler(c *config.Config, st *store.Store, pipe *analysis.Pipeline, src metrics.Source) (*auth.Guard, error) {
	log := audit.New(st)
	guard := auth.NewGuard(st, log, g.logger())
	a := &api.API{Store: st, Normalizer: identity.Normalizer{Region: c.Region}, Analyze: pipe.Analyze, MaxLine: c.MaxLineMiB << 20,
		Window: c.RepeatWindow, Log: g.logger(), Audit: log, Metrics: src, Zone: c.Location()}
	if r, ok := src.(interface{ RefreshLater() }); ok {
		a.Changed = r.RefreshLater
	}
	a.Insights = newInsights(c, st, a.Metrics) // after a.Metrics is set, so insights share the metrics source
	g.insights = a.Insights
	guard.Handle(a.Routes()...)
	// The dashboard shares the API's metrics source and insight cache.
	dash := &web.Handler{Store: st, Metrics: a.Insights.Source, Insights: a.Insights, Normalizer: a.Normalizer, Log: g.logger()}
	if err := dash.Check(); err != nil {
		return nil, err
	}
	guard.Handle(dash.Routes()...)
	return guard, nil
}

// firstAdmin creates the admin on the first start (no users yet) and
// prints its password, once: it is stored only as a hash.
func (g *globals) firstAdmin(ctx context.Context, st *store.Store) error {
	name, password, created, err := auth.EnsureAdmin(ctx, st, audit.New(st))
	if err != nil || !created {
		return err
	}
	fmt.Fprintf(g.e.stdout, "First start: created the admin user. Sign in with\n  user:     %s\n  password: %s\n"+
		"This password is shown once. Change it with `northstar users passwd %s`; add people with `northstar users add`.\n", name, password, name)
	return nil
}

// safeDSN shows which database is served without its password.
func safeDSN(c *config.Config) string {
	for _, kv := range c.Show() {
		if kv[0] == "db" {
			return kv[1]
		}
	}
	return ""
}
