package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/metrics"
)

// metricsDB imports the metrics fixtures through `northstar import`.
func metricsDB(t *testing.T) string {
	t.Helper()
	db := "duckdb:" + filepath.Join(t.TempDir(), "n.db")
	fix := filepath.Join("..", "..", "internal", "metrics", "testdata")
	// Two imports: the second updates a contact and merges a customer.
	for _, f := range []string{"base.ndjson", "later.ndjson"} {
		code, out, errs := northstar(t, "", "import", "--db", db, filepath.Join(fix, f))
		if code != 0 {
			t.Fatalf("import %s: exit %d\n%s\n%s", f, code, out, errs)
		}
	}
	return db
}

func TestMetricsList(t *testing.T) {
	code, out, errs := northstar(t, "", "metrics", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"METRIC", "csat", "CSAT %", "resolved_containment", "customers", "flag:<kind>", "value_tier", "docs/metrics.md"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = northstar(t, "", "metrics", "list", "--json")
	var rv struct {
		Metrics []struct{ ID, Formula string }
	}
	if err := json.Unmarshal([]byte(out), &rv); code != 0 || err != nil || len(rv.Metrics) != len(metrics.Registry()) || rv.Metrics[1].Formula == "" {
		t.Errorf("list --json: exit %d, %v\n%s", code, err, out)
	}
}

func TestMetricsQuery(t *testing.T) {
	db := metricsDB(t)
	period := []string{"--db", db, "--from", "2026-10-01", "--to", "2026-11-01", "--zone", "UTC"}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"table", []string{"--m", "contacts,csat,aht", "--by", "handler"},
			[]string{"Contacts, CSAT %, Average handle time · 2026-10-01 00:00 → 2026-11-01 00:00 (UTC)", "HANDLER", "bot", "human", "n<10 (n=", "– (n=0)"}},
		{"min n and where", []string{"--m", "csat,cost_per_contact", "--where", "handler:human", "--min-n", "1"},
			[]string{"where handler:human", "50.0% [15.0–85.0] n=4", "£4.00 n=5"}},
		{"compare", []string{"--m", "contacts", "--by", "intent", "--compare"},
			[]string{"billing   4 (was 1)", "cancel    2 (was 0)", "Compared with 2026-08-31 00:00 → 2026-10-01 00:00"}},
		{"csv", []string{"--m", "contacts,fcr", "--by", "channel", "--csv", "--min-n", "1"},
			[]string{"channel,contacts,contacts_low,contacts_high,contacts_n,contacts_low_n,fcr,fcr_low,fcr_high,fcr_n,fcr_low_n\n", "chat,3,,,3,false,0,0,"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := northstar(t, "", append(append([]string{"metrics"}, tc.args...), period...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	code, out, errs := northstar(t, "", append([]string{"metrics", "--m", "retention,ltv", "--by", "segment", "--json", "--min-n", "1"}, period...)...)
	var res metrics.Result
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil {
		t.Fatalf("--json: exit %d %v %s", code, err, errs)
	}
	if len(res.Rows) != 2 || res.Rows[0].Keys[0] != "family" || res.Rows[0].Cells[0].N != 2 || *res.Rows[0].Cells[0].Value != 1 {
		t.Errorf("--json: %s", out)
	}
	// Without a period: the last 28 days of data.
	code, out, _ = northstar(t, "", "metrics", "--db", db, "--m", "contacts", "--zone", "UTC")
	if code != 0 || !strings.Contains(out, "2026-09-28 00:00 → 2026-10-26 00:00") {
		t.Errorf("default period: exit %d\n%s", code, out)
	}
}

func TestMetricsUsageErrors(t *testing.T) {
	db := metricsDB(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--m", "csta"}, `m: unknown metric "csta" (valid: contacts, csat`},
		{[]string{"--m", "csat", "--by", "colour"}, `unknown dimension "colour"`},
		{[]string{"--m", "csat", "--where", "channel=chat"}, "write dim:value"},
		{[]string{"--m", "retention", "--by", "channel"}, "cannot be sliced by channel"},
		{[]string{"--m", "csat", "--from", "01/10/2026"}, "from: want a date like 2026-10-01"},
	} {
		code, _, errs := northstar(t, "", append([]string{"metrics", "--db", db}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}
