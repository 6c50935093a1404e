package main

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/audit"
)

func newAuditCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read and verify the tamper-evident audit log",
		Long: `The audit log records sign-ins (success and failure), API key use for writes, exports,
erasures, user, role and key changes, configuration and scorecard changes, and every permission
denial. Each entry carries the SHA-256 of the one before it: 'audit verify' recomputes the chain and
names any entry that was altered, removed or reordered. Entries hold no personal data or secrets.`,
		Example: `  northstar audit verify
  northstar audit list --action login --since 2025-10-01
  northstar audit list --actor user:ana --json`,
	}
	cmd.AddCommand(newAuditVerifyCmd(g), newAuditListCmd(g))
	return cmd
}

func newAuditVerifyCmd(g *globals) *cobra.Command {
	var anchor string
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check the hash chain of the whole audit log (exit 1 on any tampering)",
		Long: `Recompute every entry's hash and check each links to the one before, with sequence numbers
running 1, 2, 3… without gaps. Exits 0 when the log is intact and 1 when any entry was altered,
removed or reordered, listing what is wrong. The printed head hash identifies the log's current
state: keep a copy elsewhere (a ticket, a notebook) and pass it later as --anchor, which fails when
that entry is gone (the newest entries cut off, or the whole log replaced).`,
		Example: `  northstar audit verify
  northstar audit verify --anchor 3f9a…   # the head printed last month
  northstar audit verify --json --server http://127.0.0.1:8080 --api-key "$AUDITOR_KEY"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := g.access(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			rep, err := a.AuditVerify(cmd.Context(), anchor)
			if err != nil {
				return err
			}
			if g.jsonOut {
				if err := writeJSON(g, rep); err != nil {
					return err
				}
			} else if rep.OK {
				fmt.Fprintf(g.e.stdout, "Audit log intact: %d entries, head %s\n", rep.Entries, rep.Head)
			} else {
				fmt.Fprintf(g.e.stdout, "Audit log TAMPERED: %d entries checked, %d problems:\n", rep.Entries, len(rep.Problems))
				for _, p := range rep.Problems {
					fmt.Fprintf(g.e.stdout, "  %s\n", p)
				}
			}
			if !rep.OK {
				return &exitError{code: 1, err: fmt.Errorf("the audit log failed verification: restore it from a backup and investigate who had write access to the database")}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&anchor, "anchor", "", "a head hash printed by an earlier verify: fail if that entry is gone")
	return cmd
}

func newAuditListCmd(g *globals) *cobra.Command {
	var actor, action, since string
	var limit int
	cmd := &cobra.Command{
		Use:   "list [--actor A] [--action X] [--since DATE] [--limit N]",
		Short: "List audit entries, oldest first",
		Example: `  northstar audit list
  northstar audit list --action login --since 2025-10-01
  northstar audit list --action key. --json   # every key action`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := audit.Filter{Actor: actor, Action: action, Limit: limit}
			if since != "" {
				t, err := parseSinceFlag(since)
				if err != nil {
					return usageError{"audit list: --since: " + err.Error()}
				}
				f.Since = t
			}
			a, err := g.access(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			es, err := a.AuditList(cmd.Context(), f)
			if err != nil {
				return err
			}
			if g.jsonOut {
				return writeJSON(g, es)
			}
			tw := tabwriter.NewWriter(g.e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SEQ\tTIME\tACTOR\tACTION\tTARGET\tOUTCOME\tDETAILS")
			for _, e := range es {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.At.Format(time.RFC3339), e.Actor, e.Action, dash(e.Target), e.Outcome, details(e.Details))
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&actor, "actor", "", `only this actor, e.g. user:ana or key:k7x2m9q4ab`)
	f.StringVar(&action, "action", "", `only this action (login, access.denied, …) or prefix ending in "." (key.)`)
	f.StringVar(&since, "since", "", "only entries at or after this date or RFC 3339 time")
	f.IntVar(&limit, "limit", 0, "only the newest N entries (0: all)")
	return cmd
}

func details(d map[string]string) string {
	if len(d) == 0 {
		return "-"
	}
	var parts []string
	for k, v := range d {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func parseSinceFlag(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("want a date like 2025-10-01 or a time like 2025-10-01T09:00:00Z, got %q", s)
}
