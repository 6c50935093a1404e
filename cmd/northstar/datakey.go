package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/store"
)

// pgKeyFile is where a PostgreSQL database's data key file lives when
// data-key-file is not configured: the working directory, where
// northstar.yaml usually is (a PostgreSQL database has no file to sit beside).
const pgKeyFile = "northstar-data.key"

// dataKeyOptions tells store.Open where the data key comes from: the
// data-key option (NORTHSTAR_DATA_KEY), else data-key-file, else the
// default file (beside a DuckDB database; ./northstar-data.key for
// PostgreSQL), which Open creates for a new database.
func dataKeyOptions(c *config.Config) ([]store.Option, error) {
	switch {
	case c.DataKey != "":
		ring, err := store.ParseKeyring(c.DataKey)
		if err != nil {
			return nil, fmt.Errorf("NORTHSTAR_DATA_KEY (data-key): %w", err)
		}
		return []store.Option{store.WithDataKey(ring)}, nil
	case c.DataKeyFile != "":
		return []store.Option{store.WithKeyFile(c.DataKeyFile)}, nil
	case strings.HasPrefix(c.DB, "postgres://"), strings.HasPrefix(c.DB, "postgresql://"):
		return []store.Option{store.WithKeyFile(pgKeyFile)}, nil
	}
	return nil, nil // the store's default: DB.key beside the DuckDB file
}

// noteKeyFile tells the user about a data key file Open just created: it
// is the one thing that must be backed up apart from the database.
func (g *globals) noteKeyFile(st *store.Store) {
	if f := st.KeyFileCreated(); f != "" {
		fmt.Fprintf(g.e.stderr, "Created the data key file %s (mode 0600, key %s): it encrypts the customers' identities in this database.\n"+
			"Back it up apart from the database: without it they cannot be read. Set data-key-file to use another place.\n", f, st.DataKeyID())
	}
}

// newRotateDataKeyCmd is `northstar keys rotate-data-key`; the keys command
// (API keys, internal/auth) parents it.
func newRotateDataKeyCmd(g *globals) *cobra.Command {
	var newFile string
	var batch int
	cmd := &cobra.Command{
		Use:   "rotate-data-key --new-key-file FILE",
		Short: "Re-encrypt every customer identity under a new data key",
		Long: `Re-encrypt the customers' identities, names and external ids, and recompute their blind
indexes, under the data key in FILE (make one with 'northstar keys new-data-key --out FILE').

It works in batches, each its own short transaction, so imports and reads go on meanwhile; on
PostgreSQL, other Northstar processes follow the rotation if they hold both keys (a key file
may list several, one a line; the first seals new data). If it is interrupted, run it again
with the same keys: it continues where it stopped. The old key is needed until it finishes;
then point data-key-file at FILE and destroy the old key.

With DuckDB, stop the server first (one process holds the database file).`,
		Example: `  northstar keys new-data-key --out /etc/northstar/data-2026.key
  northstar keys rotate-data-key --new-key-file /etc/northstar/data-2026.key
  northstar config show   # then set data-key-file to the new file`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if newFile == "" {
				return usageError{"give the new key with --new-key-file FILE (make one with: northstar keys new-data-key --out FILE)"}
			}
			c, err := g.config()
			if err != nil {
				return err
			}
			next, err := store.ReadKeyFile(newFile)
			if err != nil {
				return err
			}
			opts, err := dataKeyOptions(c)
			if err != nil {
				return err
			}
			// A resumed rotation needs the new key to open the database too.
			st, err := store.Open(cmd.Context(), c.DB, append(opts, store.WithExtraKeys(next))...)
			if err != nil {
				return err
			}
			defer st.Close()
			from := st.DataKeyID()
			rep, err := st.RotateDataKey(cmd.Context(), next, batch, func(r store.ResealReport) {
				if g.verbose {
					fmt.Fprintf(g.e.stderr, "  re-encrypted %d identities, %d merges, %d customers\n", r.Identities, r.Merges, r.Customers)
				}
			})
			if err != nil {
				return err
			}
			if g.jsonOut {
				return writeJSON(g, rep)
			}
			fmt.Fprintf(g.e.stdout, "Data key rotated %s → %s: re-encrypted %d identities, %d merge records, %d customer profiles.\n",
				from, rep.To, rep.Identities, rep.Merges, rep.Customers)
			fmt.Fprintf(g.e.stdout, "Now set data-key-file to %s (and restart servers); the old key is no longer needed.\n", newFile)
			return nil
		},
	}
	cmd.Flags().StringVar(&newFile, "new-key-file", "", "key file with the new data key")
	cmd.Flags().IntVar(&batch, "batch", 2000, "rows re-encrypted per transaction")
	return cmd
}

// newNewDataKeyCmd is `northstar keys new-data-key --out FILE`.
func newNewDataKeyCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "new-data-key --out FILE",
		Short: "Write a new random data key to FILE (mode 0600)",
		Long: `Write a new random 256-bit data key to FILE with mode 0600; it never overwrites a file.
Use it for a new database (data-key-file) or as the target of 'northstar keys rotate-data-key'.`,
		Example: `  northstar keys new-data-key --out /etc/northstar/data.key`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{"give the file to write with --out FILE"}
			}
			ring, err := store.CreateKeyFile(out)
			if err != nil {
				return err
			}
			if g.jsonOut {
				return writeJSON(g, map[string]string{"file": out, "key_id": ring.Primary().ID})
			}
			fmt.Fprintf(g.e.stdout, "Wrote data key %s to %s (mode 0600). Keep a backup apart from the database.\n", ring.Primary().ID, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "file to write")
	return cmd
}
