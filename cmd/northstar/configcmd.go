package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/config"
)

func newConfigCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Inspect the configuration"}
	cmd.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration (secrets masked) and where each key can be set",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			if g.jsonOut {
				m := map[string]string{}
				for _, kv := range c.Show() {
					m[kv[0]] = kv[1]
				}
				return writeJSON(g, m)
			}
			tw := tabwriter.NewWriter(g.e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "key\tvalue\tenvironment\tdescription")
			for _, kv := range c.Show() {
				o, _ := config.Lookup(kv[0])
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", kv[0], kv[1], o.Env(), o.Help)
			}
			return tw.Flush()
		},
	})
	return cmd
}
