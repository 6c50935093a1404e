package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/export"
	"github.com/northstar-cx/northstar/internal/metrics"
)

func newExportCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Encrypted extracts: metric tables or interaction lists, for one recipient's key",
		Long: `Extracts leave Northstar encrypted to a recipient's public key with HPKE over the ML-KEM-768 +
X25519 hybrid KEM, HKDF-SHA256 and AES-256-GCM (post-quantum: what is recorded today stays secret
from a future quantum computer). The recipient makes a key pair with 'export keygen', sends you
NAME.pub, and opens extracts with 'export decrypt --key NAME.key'. Every export is recorded in the
audit log (kind, recipient key id, rows — not the data). The file format is in docs/security.md.`,
		Example: `  northstar export keygen --out analyst
  northstar export interactions --to analyst.pub --out q3.nsx --from 2025-07-01 --until 2025-10-01 --where channel:chat
  northstar export metrics --to analyst.pub --out kpis.nsx --metric csat,fcr --by week
  northstar export decrypt --key analyst.key q3.nsx > q3.ndjson`,
	}
	cmd.AddCommand(newExportKeygenCmd(g), newExportDataCmd(g, "interactions"), newExportDataCmd(g, "metrics"), newExportDecryptCmd(g))
	return cmd
}

func newExportKeygenCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:     "keygen --out NAME",
		Short:   "Make a recipient key pair: NAME.pub (send it) and NAME.key (mode 0600, keep it)",
		Example: `  northstar export keygen --out analyst`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{"give the key pair's name with --out NAME"}
			}
			id, err := export.GenerateKeys(out)
			if err != nil {
				return err
			}
			if g.jsonOut {
				return writeJSON(g, map[string]string{"public": out + ".pub", "private": out + ".key", "key_id": id})
			}
			fmt.Fprintf(g.e.stdout, "Wrote %s.pub (share it with whoever exports to you) and %s.key (mode 0600; keep it secret). Key id %s.\n", out, out, id)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "name of the key pair files")
	return cmd
}

func newExportDataCmd(g *globals, kind string) *cobra.Command {
	var to, out, from, until, where, metricIDs, by, partner string
	cmd := &cobra.Command{
		Use: kind + " --to RECIPIENT.pub --out FILE [--from DATE] [--until DATE] [--where dim:v1|v2,…]",
		Short: map[string]string{"interactions": "Export interactions (one JSON object a line, no transcripts or identities) encrypted",
			"metrics": "Export a metric table (as GET /v1/metrics returns it) encrypted"}[kind],
		Long: `The period is --from (inclusive) to --until (exclusive), dates or RFC 3339 times; the default is
the last days of data. --where takes the metrics filter syntax (channel:chat|voice,partner:Northwind;
metric exports also take exclusions such as intent!:billing). --partner limits the extract to one partner's contacts, as that partner's users
would see them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" || out == "" {
				return usageError{"give the recipient's public key with --to NAME.pub and the file to write with --out FILE"}
			}
			if err := export.ValidName(out); err != nil {
				return usageError{err.Error()}
			}
			c, err := g.config()
			if err != nil {
				return err
			}
			pub, err := export.ReadPublicKey(to)
			if err != nil {
				return err
			}
			st, err := g.openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			scope := cx.Scope{Partner: partner}
			zone := c.Location()
			fromT, untilT, err := metrics.DefaultPeriod(cmd.Context(), st, scope, zone)
			if err != nil {
				return err
			}
			if from != "" {
				if fromT, err = metrics.ParseTime(from, zone); err != nil {
					return err
				}
			}
			if until != "" {
				if untilT, err = metrics.ParseTime(until, zone); err != nil {
					return err
				}
			}
			filters, err := metrics.ParseWhere(where)
			if err != nil {
				return err
			}
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return fmt.Errorf("export: %w (choose another --out; exports never overwrite)", err)
			}
			ok := false
			defer func() {
				f.Close()
				if !ok {
					os.Remove(out)
				}
			}()
			bw := bufio.NewWriterSize(f, 256<<10)
			format := "ndjson"
			if kind == "metrics" {
				format = "json"
			}
			xw, err := export.NewWriter(bw, pub, export.Header{Kind: kind, Format: format})
			if err != nil {
				return err
			}
			var rows int
			switch kind {
			case "interactions":
				rows, err = export.Interactions(cmd.Context(), st, scope, filters, fromT, untilT, xw)
			case "metrics":
				ids, perr := metrics.ParseMetrics(metricIDs)
				if perr != nil {
					return perr
				}
				dims, perr := metrics.ParseBy(by)
				if perr != nil {
					return perr
				}
				rows, err = export.Metrics(cmd.Context(), metrics.NewSQL(st), metrics.Query{Metrics: ids, By: dims, From: fromT, To: untilT, Where: filters, Scope: scope, Zone: zone}, xw)
			}
			if err == nil {
				err = xw.Close()
			}
			if err == nil {
				err = bw.Flush()
			}
			if err == nil {
				err = f.Sync()
			}
			details := map[string]string{"recipient": export.KeyID(pub), "rows": strconv.Itoa(rows), "file": filepath.Base(out),
				"from": fromT.Format(time.RFC3339), "until": untilT.Format(time.RFC3339)}
			if where != "" {
				details["where"] = where
			}
			if partner != "" {
				details["partner"] = partner
			}
			outcome := audit.Success
			if err != nil {
				outcome = audit.Failure
			}
			if _, aerr := audit.New(st).Append(cmd.Context(), audit.Entry{Actor: cliActor(), Action: "data.export", Target: kind, Outcome: outcome, Details: details}); aerr != nil && err == nil {
				err = fmt.Errorf("export written but not audited: %w", aerr)
			}
			if err != nil {
				return err
			}
			ok = true
			if g.jsonOut {
				return writeJSON(g, map[string]any{"file": out, "kind": kind, "rows": rows, "recipient": export.KeyID(pub)})
			}
			fmt.Fprintf(g.e.stdout, "Exported %s %s to %s, encrypted to key %s (%s).\n", num(rows), kind, out, export.KeyID(pub), export.Suite)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&to, "to", "", "recipient's public key file (NAME.pub from export keygen)")
	fl.StringVar(&out, "out", "", "file to write (never overwritten)")
	fl.StringVar(&from, "from", "", "start of the period (inclusive): date or RFC 3339 time")
	fl.StringVar(&until, "until", "", "end of the period (exclusive)")
	fl.StringVar(&where, "where", "", "filters, e.g. channel:chat|voice,partner:Northwind")
	fl.StringVar(&partner, "partner", "", "only this partner's contacts")
	if kind == "metrics" {
		fl.StringVar(&metricIDs, "metric", "", "metrics to export, e.g. csat,fcr,aht")
		fl.StringVar(&by, "by", "", "dimensions to slice by, e.g. day,channel")
	}
	return cmd
}

func newExportDecryptCmd(g *globals) *cobra.Command {
	var key, out string
	cmd := &cobra.Command{
		Use:   "decrypt --key NAME.key FILE",
		Short: "Decrypt an extract to standard output (or --out FILE)",
		Long: `Decrypt and authenticate an extract. Output is written only as each 64 KiB frame
authenticates; a file that was altered or cut short fails with an error (exit status 1) — with
--out the partial output is removed, so only a complete, authentic extract is left.`,
		Example: `  northstar export decrypt --key analyst.key q3.nsx > q3.ndjson
  northstar export decrypt --key analyst.key --out kpis.json kpis.nsx`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if key == "" {
				return usageError{"give your private key with --key NAME.key"}
			}
			priv, err := export.ReadPrivateKey(key)
			if err != nil {
				return err
			}
			in, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("decrypt: %w", err)
			}
			defer in.Close()
			r, err := export.NewReader(in, priv)
			if err != nil {
				return fmt.Errorf("decrypt %s: %w", args[0], err)
			}
			var w io.Writer = g.e.stdout
			var f *os.File
			if out != "" {
				if err := export.ValidName(out); err != nil {
					return usageError{err.Error()}
				}
				if f, err = os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
					return fmt.Errorf("decrypt: %w", err)
				}
				w = f
			}
			_, err = io.Copy(w, r)
			if f != nil {
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					os.Remove(out)
				}
			}
			if errors.Is(err, export.ErrTampered) {
				return fmt.Errorf("decrypt %s: %w", args[0], err)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&key, "key", "", "your private key (NAME.key)")
	cmd.Flags().StringVar(&out, "out", "", "write here instead of standard output")
	return cmd
}
