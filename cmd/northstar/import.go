package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/store"
)

func newImportCmd(g *globals) *cobra.Command {
	var strict bool
	cmd := &cobra.Command{
		Use:   "import [flags] FILE...",
		Short: "Import customers, events, interactions and surveys (NDJSON or CSV, optionally gzipped)",
		Long: `Import records in Northstar's import format (docs/import-format.md): NDJSON with one record
per line, or CSV with a header row for interactions and customers. Gzipped files are read
transparently; "-" reads standard input.

Every interaction is analysed (redaction first) before it is stored. Importing the same data
again changes nothing; a record whose content changed replaces the stored one.

Bad records are reported as FILE:LINE: field: problem and skipped; the rest are stored.
Exit status: 0 all accepted, 3 some rejected (the rest stored), 1 fatal error.`,
		Example: `  northstar import world/customers.ndjson world/interactions.ndjson
  northstar import --strict --json tickets.csv
  zcat export.ndjson.gz | northstar import -
  northstar import --server http://127.0.0.1:8080 new.ndjson   # while a server holds the database`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			var rep *ingest.Report
			if c.Server != "" {
				rep, err = importRemote(cmd, c, args, strict)
			} else {
				rep, err = importLocal(cmd, g, c, args, strict)
			}
			if err != nil {
				return err
			}
			if err := printReport(g, rep); err != nil {
				return err
			}
			if rep.Total().Rejected > 0 {
				return &exitError{code: exitRejected}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&strict, "strict", false, "store nothing if any record is rejected")
	return cmd
}

func importLocal(cmd *cobra.Command, g *globals, c *config.Config, args []string, strict bool) (*ingest.Report, error) {
	ctx := cmd.Context()
	sources := make([]ingest.Source, 0, len(args))
	for _, a := range args {
		if a == "-" && strict {
			// Strict mode reads its input twice: keep stdin in a temporary file.
			tmp, err := spool(g.e.stdin)
			if err != nil {
				return nil, err
			}
			defer os.Remove(tmp)
			s := ingest.FileSource(tmp)
			s.Name = "-"
			sources = append(sources, s)
			continue
		}
		if a != "-" {
			if _, err := os.Stat(a); err != nil {
				return nil, fmt.Errorf("import: %w", err)
			}
		}
		sources = append(sources, ingest.FileSource(a))
	}
	// The import is this process's only writer and ends with it: its
	// batches skip the write-ahead log, and ingest.Import checkpoints before
	// it returns, so what the report counts is on disk.
	st, err := g.openStore(ctx, c, store.BulkLoad())
	if err != nil {
		return nil, err
	}
	defer st.Close()
	pipe, err := newPipeline(c)
	if err != nil {
		return nil, err
	}
	opts := ingest.Options{
		Normalizer: identity.Normalizer{Region: c.Region},
		Analyze:    pipe.Analyze,
		MaxLine:    c.MaxLineMiB << 20,
		Strict:     strict,

		RepeatWindow: c.RepeatWindow,
	}
	restore, err := startBulkWork(ctx, st, &opts)
	if err != nil {
		return nil, err
	}
	defer restore()
	var total int64
	for _, s := range sources {
		total += s.Size
	}
	if bar := progressFor(g, total); bar != nil {
		opts.Progress = func(p ingest.Progress) { _ = bar.Set64(p.Bytes) }
		defer bar.Finish()
	}
	return ingest.Import(ctx, st, sources, opts)
}

// progressFor returns a progress bar on a terminal for inputs over a few MB.
func progressFor(g *globals, total int64) *progressbar.ProgressBar {
	f, ok := g.e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || total < 4<<20 || g.jsonOut {
		return nil
	}
	return progressbar.NewOptions64(total, progressbar.OptionSetWriter(f), progressbar.OptionShowBytes(true),
		progressbar.OptionSetDescription("importing"), progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100_000_000))
}

func spool(r io.Reader) (string, error) {
	f, err := os.CreateTemp("", "northstar-stdin-*.ndjson")
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(f, r); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("read stdin: %w", err)
	}
	return f.Name(), nil
}

func printReport(g *globals, rep *ingest.Report) error {
	out := g.e.stdout
	if g.jsonOut {
		return writeJSON(g, rep)
	}
	tot := rep.Total()
	verb := "Imported"
	if !rep.Stored {
		verb = "Checked (nothing stored: --strict and some records were rejected)"
	}
	rate := 0.0
	if rep.Seconds > 0 {
		rate = float64(tot.Read) / rep.Seconds
	}
	fmt.Fprintf(out, "%s %s records from %d source(s) in %.1fs (%s records/s)\n", verb, num(tot.Read), len(rep.Sources), rep.Seconds, num(int(rate)))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "type\tread\tinserted\tupdated\tunchanged\trejected\t")
	types := append([]cx.RecordType{}, cx.RecordTypes...)
	for t := range rep.Counts {
		if !contains(types, t) {
			types = append(types, t)
		}
	}
	for _, t := range types {
		if c, ok := rep.Counts[t]; ok {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", t, num(c.Read), num(c.Inserted), num(c.Updated), num(c.Unchanged), num(c.Rejected))
		}
	}
	tw.Flush()
	if tot.Read > 0 && tot.Read == tot.Unchanged {
		fmt.Fprintln(out, "Nothing changed: every record was already stored with the same content.")
	}
	if n := len(rep.Problems); n > 0 {
		fmt.Fprintf(g.e.stderr, "%d record(s) rejected:\n", tot.Rejected)
		for _, p := range rep.Problems {
			fmt.Fprintln(g.e.stderr, "  "+p.String())
		}
		if rep.ProblemsDropped > 0 {
			fmt.Fprintf(g.e.stderr, "  … and %d more problems (use --json for the full count)\n", rep.ProblemsDropped)
		}
	}
	return nil
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// num formats an integer with thousands separators.
func num(n int) string {
	if n < 0 {
		return "-" + num(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
