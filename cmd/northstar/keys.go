package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/store"
)

// keysSubcommands are the `northstar keys` subcommands; data-key rotation
// (encryption at rest) adds its own here.
var keysSubcommands = []func(*globals) *cobra.Command{newKeysCreateCmd, newKeysListCmd, newKeysRevokeCmd, newNewDataKeyCmd, newRotateDataKeyCmd}

func newKeysCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage API keys (create, list, revoke) and the data encryption key (new-data-key, rotate-data-key)",
		Long: `Manage API keys for machines: importers (role ingest), BI tools, scripts. A key looks like
ns_PREFIX_SECRET; it is printed once and stored only as a SHA-256 hash. The prefix names it in
lists and in the audit log. Keys carry a role, optionally a partner binding, and an expiry;
revoked and expired keys are refused (and the attempt audited). Send a key as
"Authorization: Bearer ns_…", or give it to the CLI with --api-key / NORTHSTAR_API_KEY.
While a server holds the database (DuckDB), manage keys through it with --server URL --api-key KEY.

new-data-key and rotate-data-key manage the key that encrypts customer identities at rest (see
docs/security.md).`,
		Example: `  northstar keys create --name nightly-import --role ingest
  northstar keys create --name nw-bi --role partner_manager --partner Northwind --expires 30d
  northstar keys list
  northstar keys revoke k7x2m9q4ab`,
	}
	for _, f := range keysSubcommands {
		cmd.AddCommand(f(g))
	}
	return cmd
}

func newKeysCreateCmd(g *globals) *cobra.Command {
	var name, role, partner, expires string
	cmd := &cobra.Command{
		Use:   "create --name NAME --role ROLE [--partner NAME] [--expires 90d|never]",
		Short: "Create an API key and print it (shown once)",
		Example: `  northstar keys create --name nightly-import --role ingest
  northstar keys create --name auditor-export --role auditor --expires 7d --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if name == "" || role == "" {
				return usageError{"keys create: give --name (what the key is for) and --role (one of " + strings.Join(auth.RoleNames(), ", ") + ")"}
			}
			if _, err := auth.ParseLifetime(expires); err != nil {
				return usageError{"keys create: --expires: " + err.Error()}
			}
			a, err := g.access(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			key, k, err := a.CreateKey(cmd.Context(), name, role, partner, expires)
			if err != nil {
				return err
			}
			if g.jsonOut {
				return writeJSON(g, struct {
					Key string `json:"key"`
					*store.APIKey
				}{key, k})
			}
			fmt.Fprintf(g.e.stdout, "Created key %s (%s, role %s%s, expires %s).\n", k.Prefix, name, role, partnerSuffix(partner), timeOrNever(k.ExpiresAt))
			fmt.Fprintf(g.e.stdout, "Key (shown once; store it in your secret manager):\n%s\n", key)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "what the key is for, e.g. nightly-import")
	f.StringVar(&role, "role", "", "role: "+strings.Join(auth.RoleNames(), ", "))
	f.StringVar(&partner, "partner", "", "bind the key to one outsourcing partner's data")
	f.StringVar(&expires, "expires", "90d", "lifetime, e.g. 30d or 12h, or never")
	return cmd
}

func newKeysListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   "List API keys (never their secrets) with state and last use",
		Example: `  northstar keys list --json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := g.access(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			ks, err := a.APIKeys(cmd.Context())
			if err != nil {
				return err
			}
			if g.jsonOut {
				return writeJSON(g, ks)
			}
			now := a.Now()
			tw := tabwriter.NewWriter(g.e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "PREFIX\tNAME\tROLE\tPARTNER\tSTATE\tEXPIRES\tLAST USED")
			for _, k := range ks {
				state := "active"
				switch {
				case k.RevokedAt != nil:
					state = "revoked"
				case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
					state = "expired"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.Prefix, k.Name, k.Role, dash(k.Partner), state, timeOrNever(k.ExpiresAt), timeOrNever(k.LastUsedAt))
			}
			return tw.Flush()
		},
	}
}
