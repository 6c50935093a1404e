package main

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/api"
	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/store"
)

func newEraseCmd(g *globals) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "erase REF --yes",
		Short: "Erase one customer's personal data (right to be forgotten)",
		Long: `Erase a customer's personal data from every table: identities and merge history are
deleted; the name, external id and attributes are cleared; transcripts, tags and attributes of
their contacts, survey comments and event attributes are removed. Anonymous facts stay (the
contacts' channel, times, scores, outcomes; orders' values), so every aggregate stays correct.
Customers merged into this one are erased with it. The database is then compacted so the
erased values do not linger in its files, and an audit entry records the erasure by internal
id and counts, without personal data. With DuckDB the database file is then rewritten (DuckDB
does not overwrite the blocks it frees), which takes about as long as copying it; an erasure
through the server (--server, or DELETE /v1/customers/{ref}) leaves that to the next
'northstar erase' or to a restart-time copy, see docs/security.md.

REF is an identity as in 'northstar customer': email:…, phone:…, handle:…, account:…, id:….
Importing the same source records again would bring the customer back: erase them at the
source too. This cannot be undone.`,
		Example: `  northstar erase email:ana@example.com --yes
  northstar erase id:C-10023 --yes --json
  northstar erase phone:+447700900123 --yes --server https://northstar.internal --api-key ns_…   # while a server holds the database`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !yes {
				return usageError{"erasure cannot be undone: add --yes to erase " + args[0]}
			}
			c, err := g.config()
			if err != nil {
				return err
			}
			ref, err := identity.Normalizer{Region: c.Region}.ParseRef(args[0])
			if err != nil {
				return err
			}
			var e *store.Erasure
			if c.Server != "" {
				// The server erases, compacts and audits (as the key's principal).
				e = &store.Erasure{}
				if _, err := newClient(c).do(cmd.Context(), http.MethodDelete, "/v1/customers/"+url.PathEscape(args[0]), nil, e); err != nil {
					return err
				}
				return printErasure(g, e)
			}
			st, err := g.openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			id, err := st.CustomerID(cmd.Context(), ref)
			if err != nil {
				return err
			}
			e, err = st.Erase(cmd.Context(), id)
			if e != nil {
				outcome := audit.Success
				if err != nil {
					outcome = audit.Failure
				}
				if _, aerr := audit.New(st).Append(cmd.Context(), api.ErasureEntry(cliActor(), outcome, e)); aerr != nil && err == nil {
					err = aerr
				}
			}
			if err != nil {
				return err
			}
			// DuckDB keeps freed blocks as they were: rewrite the file so the
			// erased values are gone from it, not only from its tables.
			if st.Engine() == "duckdb" {
				if err := st.Close(); err != nil {
					return err
				}
				if err := store.CompactFile(cmd.Context(), c.DB); err != nil {
					return fmt.Errorf("erased, but rewriting the database file failed (run the erasure again): %w", err)
				}
			}
			return printErasure(g, e)
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm: erasure cannot be undone")
	return cmd
}

func printErasure(g *globals, e *store.Erasure) error {
	if g.jsonOut {
		return writeJSON(g, e)
	}
	fmt.Fprintf(g.e.stdout, "Erased customer %d (and %d merged into it): %d identities, %d merge records, %d transcripts, %d survey comments, %d event attributes removed.\n",
		e.Customer, max(e.Customers-1, 0), e.Identities, e.Merges, e.Interactions, e.Surveys, e.Events)
	return nil
}
