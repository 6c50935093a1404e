package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/store"
)

// admin opens the store and an auth.Admin acting as the local operator:
// whoever can run the CLI against the database file (or its PostgreSQL
// credentials) administers it, and the audit log says who did.
func (g *globals) admin(ctx context.Context) (*auth.Admin, *store.Store, error) {
	c, err := g.config()
	if err != nil {
		return nil, nil, err
	}
	st, err := g.openStore(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	return &auth.Admin{Store: st, Audit: audit.New(st), Actor: cliActor()}, st, nil
}

// cliActor names the operator in audit entries: "cli:" and the OS user.
func cliActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli:unknown"
}

// readPassword takes a password from the first line of stdin (for scripts:
// --password-stdin), never from a flag, which would land in shell history.
func readPassword(in io.Reader) (string, error) {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func roleHelp() string {
	var b strings.Builder
	for _, r := range auth.Roles {
		fmt.Fprintf(&b, "  %-16s %s\n", r.Name, r.Description)
	}
	return b.String()
}

func newUsersCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Manage the people who sign in: add, list, change role, reset password, unlock, remove",
		Long: `Manage users. Passwords are stored as argon2id hashes; a generated password is printed once.
A user bound to a partner (--partner) sees only contacts handled by that partner's agents.
Every change is recorded in the audit log. While a server holds the database (DuckDB), manage
users through it: --server URL --api-key KEY (an admin's key). Roles:
` + roleHelp(),
		Example: `  northstar users add ana --role analyst
  northstar users add ops-lead --role partner_manager --partner Northwind
  northstar users list --server http://127.0.0.1:8080 --api-key "$ADMIN_KEY"
  echo 'a long passphrase' | northstar users passwd ana --password-stdin
  northstar users list --json`,
	}
	cmd.AddCommand(newUsersAddCmd(g), newUsersListCmd(g), newUsersSetRoleCmd(g), newUsersPasswdCmd(g), newUsersUnlockCmd(g), newUsersRemoveCmd(g))
	return cmd
}

func newUsersAddCmd(g *globals) *cobra.Command {
	var role, partner string
	var stdinPW bool
	cmd := &cobra.Command{
		Use:   "add NAME --role ROLE [--partner NAME]",
		Short: "Add a user and print their password (shown once)",
		Example: `  northstar users add ana --role analyst
  northstar users add nw-manager --role partner_manager --partner Northwind`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if role == "" {
				return usageError{"users add: say which role with --role (one of " + strings.Join(auth.RoleNames(), ", ") + ")"}
			}
			pw := ""
			if stdinPW {
				var err error
				if pw, err = readPassword(cmd.InOrStdin()); err != nil {
					return err
				}
			}
			a, err := g.access(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			pw, err = a.AddUser(cmd.Context(), args[0], role, partner, pw)
			if err != nil {
				return err
			}
			out := map[string]string{"name": args[0], "role": role, "partner": partner}
			if !stdinPW {
				out["password"] = pw
			}
			if g.jsonOut {
				return writeJSON(g, out)
			}
			fmt.Fprintf(g.e.stdout, "Added %s (%s%s).\n", args[0], role, partnerSuffix(partner))
			if !stdinPW {
				fmt.Fprintf(g.e.stdout, "Password (shown once): %s\n", pw)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "role: "+strings.Join(auth.RoleNames(), ", "))
	cmd.Flags().StringVar(&partner, "partner", "", "bind the user to one outsourcing partner's data")
	cmd.Flags().BoolVar(&stdinPW, "password-stdin", false, "read the password from stdin instead of generating one")
	return cmd
}

func partnerSuffix(p string) string {
	if p == "" {
		return ""
	}
	return ", partner " + p
}

func newUsersListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   "List users with role, partner, lock and last sign-in",
		Example: `  northstar users list`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := g.access(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			us, err := a.Users(cmd.Context())
			if err != nil {
				return err
			}
			if g.jsonOut {
				return writeJSON(g, us)
			}
			tw := tabwriter.NewWriter(g.e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tPARTNER\tLAST SIGN-IN\tSTATE")
			now := a.Now()
			for _, u := range us {
				state := "active"
				switch {
				case u.Disabled:
					state = "disabled"
				case u.LockedUntil != nil && now.Before(*u.LockedUntil):
					state = "locked until " + u.LockedUntil.Format(time.RFC3339)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, dash(u.Partner), timeOrNever(u.LastLoginAt), state)
			}
			return tw.Flush()
		},
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func timeOrNever(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.Format(time.RFC3339)
}

func newUsersSetRoleCmd(g *globals) *cobra.Command {
	var role, partner string
	cmd := &cobra.Command{
		Use:     "set-role NAME --role ROLE [--partner NAME]",
		Short:   "Change a user's role and partner binding (ends their sessions)",
		Example: `  northstar users set-role ana --role qa_lead`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if role == "" {
				return usageError{"users set-role: say which role with --role"}
			}
			a, err := g.access(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			if err := a.SetRole(cmd.Context(), args[0], role, partner); err != nil {
				return err
			}
			if g.jsonOut {
				return writeJSON(g, map[string]string{"name": args[0], "role": role, "partner": partner})
			}
			fmt.Fprintf(g.e.stdout, "%s is now %s%s; their sessions have ended.\n", args[0], role, partnerSuffix(partner))
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "new role: "+strings.Join(auth.RoleNames(), ", "))
	cmd.Flags().StringVar(&partner, "partner", "", "partner the user is bound to (empty: none)")
	return cmd
}

func newUsersPasswdCmd(g *globals) *cobra.Command {
	var stdinPW bool
	cmd := &cobra.Command{
		Use:   "passwd NAME",
		Short: "Reset a user's password (generated unless --password-stdin); unlocks them and ends their sessions",
		Example: `  northstar users passwd admin
  echo 'correct horse battery staple' | northstar users passwd ana --password-stdin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw := ""
			if stdinPW {
				var err error
				if pw, err = readPassword(cmd.InOrStdin()); err != nil {
					return err
				}
			}
			a, err := g.access(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			pw, err = a.SetPassword(cmd.Context(), args[0], pw)
			if err != nil {
				return err
			}
			out := map[string]string{"name": args[0]}
			if !stdinPW {
				out["password"] = pw
			}
			if g.jsonOut {
				return writeJSON(g, out)
			}
			fmt.Fprintf(g.e.stdout, "Password of %s changed; their sessions have ended.\n", args[0])
			if !stdinPW {
				fmt.Fprintf(g.e.stdout, "New password (shown once): %s\n", pw)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&stdinPW, "password-stdin", false, "read the new password from stdin")
	return cmd
}
