package insight_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/demo"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/pgtest"
	"github.com/northstar-cx/northstar/internal/store"
)

// TestSameInsightsOnBothEngines imports one small world into DuckDB and
// into PostgreSQL and checks value linkage and automation fit agree: the
// customer-level SQL is written once for both engines.
func TestSameInsightsOnBothEngines(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pipe, _, err := writeWorld(dir, demo.Config{Seed: 5, Customers: 500, Days: 60})
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		value *insight.ValueReport
		fits  []insight.IntentFit
	}
	var got [2]answer
	for i, dsn := range []string{"duckdb:" + filepath.Join(dir, "n.db"), pgtest.New(t)} {
		st, err := store.Open(ctx, dsn, store.WithKeyFile(filepath.Join(dir, "data.key")))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := importWorld(ctx, st, dir, pipe); err != nil {
			t.Fatalf("import into %s: %v", st.Engine(), err)
		}
		svc := insight.NewService(st.DB(), metrics.NewSQL(st))
		svc.Log = nil
		for _, scope := range []cx.Scope{{}, {Partner: "Northwind BPO"}} {
			v, err := svc.Value(ctx, insight.Period{}, scope)
			if err != nil {
				t.Fatalf("%s value (scope %q): %v", st.Engine(), scope.Partner, err)
			}
			if scope.Partner == "" {
				got[i].value = v
			}
		}
		if got[i].fits, _, err = svc.Automation(ctx, insight.Period{}, cx.Scope{}); err != nil {
			t.Fatalf("%s automation: %v", st.Engine(), err)
		}
	}
	d, p := got[0].value, got[1].value
	if d.Customers == 0 || d.Customers != p.Customers || d.Excluded != p.Excluded || len(d.Groups) != len(p.Groups) {
		t.Fatalf("customers %d/%d, excluded %d/%d, groups %d/%d (duckdb/postgres)", d.Customers, p.Customers, d.Excluded, p.Excluded, len(d.Groups), len(p.Groups))
	}
	for i := range d.Groups {
		a, b := d.Groups[i], p.Groups[i]
		if a.Dimension != b.Dimension || a.Group != b.Group || a.Customers != b.Customers || a.Churned != b.Churned ||
			abs(a.Revenue30.V()-b.Revenue30.V()) > 1e-6 {
			t.Errorf("group %d: duckdb %+v, postgres %+v", i, a, b)
		}
	}
	if d.CostOfFailure.Total != p.CostOfFailure.Total || d.CostOfFailure.Repeats != p.CostOfFailure.Repeats {
		t.Errorf("cost of failure: duckdb %+v, postgres %+v", d.CostOfFailure, p.CostOfFailure)
	}
	if len(d.Segments) != len(p.Segments) {
		t.Fatalf("segments %d/%d", len(d.Segments), len(p.Segments))
	}
	for i := range d.Segments {
		if d.Segments[i].Margin != p.Segments[i].Margin || d.Segments[i].Losing != p.Segments[i].Losing {
			t.Errorf("segment %s: duckdb %+v, postgres %+v", d.Segments[i].Segment, d.Segments[i], p.Segments[i])
		}
	}
	if len(got[0].fits) != len(got[1].fits) {
		t.Fatalf("automation: %d/%d intents", len(got[0].fits), len(got[1].fits))
	}
	for i := range got[0].fits {
		if a, b := got[0].fits[i], got[1].fits[i]; a.Intent != b.Intent || a.Recommendation != b.Recommendation {
			t.Errorf("automation %s: duckdb %s, postgres %s %s", a.Intent, a.Recommendation, b.Intent, b.Recommendation)
		}
	}
}
