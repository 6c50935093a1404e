package main

import (
	"context"
	"fmt"
	"net"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/analysis"
	"github.com/northstar-cx/northstar/internal/api"
	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/server"
	"github.com/northstar-cx/northstar/internal/store"
)

func newServeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run the HTTP API (and dashboard) over the database",
		Long: `Run Northstar's HTTP server. It holds the database while it runs; other commands can send
their work to it with --server URL. Stops gracefully on Ctrl-C or SIGTERM.

Endpoints: /healthz, /readyz, POST /v1/ingest, GET /v1/customers/{ref},
GET /v1/customers/{ref}/timeline, GET /v1/interactions/{source}/{id} (see docs/api.md).`,
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
	mux := http.NewServeMux()
	a := &api.API{Store: st, Normalizer: identity.Normalizer{Region: c.Region}, Analyze: pipe.Analyze, MaxLine: c.MaxLineMiB << 20, Window: c.RepeatWindow, Log: g.logger()}
	a.Register(mux)
	srv := &server.Server{Handler: mux, Log: g.logger(), MaxBody: int64(c.MaxBodyMiB) << 20}
	fmt.Fprintf(g.e.stdout, "Northstar is serving %s (%s) at http://%s/  — Ctrl-C to stop\n", st.Engine(), safeDSN(c), ln.Addr())
	return srv.Serve(ctx, ln)
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
