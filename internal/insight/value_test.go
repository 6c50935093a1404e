package insight_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/demo"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
)

func truthGroup(t *testing.T, w *world, name string) demo.ExperienceGroup {
	t.Helper()
	for _, g := range w.truth.Effects.ChurnByExperience {
		if g.Group == name {
			return g
		}
	}
	t.Fatalf("truth.json has no %s group", name)
	return demo.ExperienceGroup{}
}

// TestValueFindsTheBuiltInEffects checks value linkage finds the effects the
// demo world was built with (truth.json effects.churn_by_experience):
// customers with an unresolved or repeated contact churn more and spend
// less, clearly and by a size of the same order.
func TestValueFindsTheBuiltInEffects(t *testing.T) {
	w := demoWorld(t)
	svc := insight.NewService(w.st.DB(), metrics.NewSQL(w.st))
	rep, err := svc.Value(context.Background(), insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Currency != "GBP" || rep.ChurnRule != insight.ChurnCancellation {
		t.Errorf("currency %q, churn rule %q; want GBP and cancellation", rep.Currency, rep.ChurnRule)
	}
	if rep.Customers < demoCustomers/2 {
		t.Errorf("followed %d customers of %d", rep.Customers, demoCustomers)
	}
	resolved, unresolved := truthGroup(t, w, "all_contacts_resolved"), truthGroup(t, w, "some_contact_unresolved")
	truthRatio := unresolved.ChurnRate / resolved.ChurnRate
	find := func(id string) insight.Finding {
		for _, f := range rep.Findings {
			if f.ID == id {
				return f
			}
		}
		t.Fatalf("no finding %s", id)
		return insight.Finding{}
	}
	for _, tc := range []struct {
		id             string
		truthRatio     float64
		revenueFinding string
	}{
		{"churn_by_resolution", truthRatio, "revenue_by_resolution"},
		{"churn_by_repeat_contacts", truthGroup(t, w, "had_repeat_contact").ChurnRate / resolved.ChurnRate, "revenue_by_repeat_contacts"},
	} {
		f := find(tc.id)
		if !f.Diff.Clear || f.Diff.Value <= 0 || f.Diff.Ratio == nil {
			t.Errorf("%s: %+v; want clearly more churn in %s", tc.id, f.Diff, f.Group)
			continue
		}
		// Our follow-up starts at the customer's contacts and truth's at the
		// window start, so sizes differ; the direction and the order of
		// magnitude must agree.
		if r := *f.Diff.Ratio; r < 1.1 || r < tc.truthRatio/2 || r > tc.truthRatio*2.5 {
			t.Errorf("%s: churn ratio %.2f, truth's %.2f", tc.id, r, tc.truthRatio)
		}
		if f.AnnualRevenue <= 0 || !strings.Contains(f.Sentence, "£") || !strings.Contains(f.Sentence, "×") {
			t.Errorf("%s: sentence %q, annual revenue %.0f", tc.id, f.Sentence, f.AnnualRevenue)
		}
		rf := find(tc.revenueFinding)
		if !rf.Diff.Clear || rf.Diff.Value >= 0 {
			t.Errorf("%s: %+v; want clearly less revenue", tc.revenueFinding, rf.Diff)
		}
	}
	// Truth agrees on the revenue direction.
	if unresolved.NetRevenuePerCust >= resolved.NetRevenuePerCust {
		t.Errorf("truth: unresolved customers spent %.2f ≥ resolved %.2f: the world changed", unresolved.NetRevenuePerCust, resolved.NetRevenuePerCust)
	}
	c := rep.CostOfFailure
	if c.Repeats == 0 || c.Escalations == 0 || c.Total <= 0 || c.Total > c.ServiceCost || c.Sentence == "" {
		t.Errorf("cost of failure %+v", c)
	}
	if len(rep.Segments) != 5 {
		t.Errorf("segments %d, want the demo's five", len(rep.Segments))
	}
	if len(rep.Statements) < 3 {
		t.Errorf("statements: %q", rep.Statements)
	}
	t.Logf("statements:\n  %s", strings.Join(rep.Statements, "\n  "))
}

// TestValueQueryIsTheEvidence reruns the SQL a finding shows and checks it
// gives the finding's numbers: the query behind a sentence is the one that
// produced it.
func TestValueQueryIsTheEvidence(t *testing.T) {
	w := demoWorld(t)
	svc := insight.NewService(w.st.DB(), metrics.NewSQL(w.st))
	rep, err := svc.Value(context.Background(), insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Findings[0]
	rows, err := w.st.DB().Query(f.Query)
	if err != nil {
		t.Fatalf("the finding's query does not run: %v\n%s", err, f.Query)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var part string
		var d [6]sql.NullString
		var n, churned int64
		var sum, sumsq sql.NullFloat64
		if err := rows.Scan(&part, &d[5], &d[0], &d[1], &d[2], &d[3], &d[4], &n, &churned, &sum, &sumsq); err != nil {
			t.Fatal(err)
		}
		if part == "experience" && d[0].String == f.Group {
			found = true
			if n != f.GroupEst.N || float64(churned)/float64(n) != f.GroupEst.V() {
				t.Errorf("query gives %d customers, %d churned; finding says n=%d, churn %.4f", n, churned, f.GroupEst.N, f.GroupEst.V())
			}
		}
	}
	if !found {
		t.Errorf("query has no %s row", f.Group)
	}
}

// TestValueScopeAndCache checks a partner scope restricts the customers
// followed, and that the service answers a repeated call from memory until
// it is invalidated.
func TestValueScopeAndCache(t *testing.T) {
	w := demoWorld(t)
	svc := insight.NewService(w.st.DB(), metrics.NewSQL(w.st))
	ctx := context.Background()
	all, err := svc.Value(ctx, insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := svc.Value(ctx, insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if again != all {
		t.Error("second call recomputed the report; want it from memory")
	}
	scoped, err := svc.Value(ctx, insight.Period{}, cx.Scope{Partner: "Coastline Contact"})
	if err != nil {
		t.Fatal(err)
	}
	if scoped.Customers == 0 || scoped.Customers >= all.Customers {
		t.Errorf("Coastline scope follows %d customers, all %d", scoped.Customers, all.Customers)
	}
	if !strings.Contains(scoped.Queries["experience"], "'Coastline Contact'") {
		t.Error("scoped query does not restrict to the partner")
	}
	svc.Invalidate()
	fresh, err := svc.Value(ctx, insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if fresh == all || fresh.Customers != all.Customers {
		t.Errorf("after Invalidate: same report %v, customers %d vs %d", fresh == all, fresh.Customers, all.Customers)
	}
}

// TestValueConcurrentCallersShareOneComputation checks that callers asking
// for the same report at once wait for one computation and get the same
// report.
func TestValueConcurrentCallersShareOneComputation(t *testing.T) {
	w := demoWorld(t)
	svc := insight.NewService(w.st.DB(), metrics.NewSQL(w.st))
	svc.Log = nil
	const n = 8
	reps := make(chan *insight.ValueReport, n)
	for range n {
		go func() {
			rep, err := svc.Value(context.Background(), insight.Period{}, cx.Scope{})
			if err != nil {
				t.Error(err)
			}
			reps <- rep
		}()
	}
	first := <-reps
	for range n - 1 {
		if r := <-reps; r != first {
			t.Fatal("concurrent callers got different reports: computed more than once")
		}
	}
}

// TestInvalidateRewarmsInTheBackground checks that with Background set, an
// invalidation recomputes the value report the dashboard last used, so its
// next call is answered from memory.
func TestInvalidateRewarmsInTheBackground(t *testing.T) {
	w := demoWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	svc := insight.NewService(w.st.DB(), metrics.NewSQL(w.st))
	svc.Log, svc.Background = nil, ctx
	before, err := svc.Value(ctx, insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Invalidate()
	deadline := time.Now().Add(30 * time.Second)
	for len(svc.CachedKeys()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no value report recomputed 30 s after Invalidate")
		}
		time.Sleep(20 * time.Millisecond)
	}
	after, err := svc.Value(ctx, insight.Period{}, cx.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if after == before || after.Customers != before.Customers {
		t.Errorf("after the rewarm: same report %v, customers %d vs %d", after == before, after.Customers, before.Customers)
	}
	if keys := svc.CachedKeys(); len(keys) != 1 || !strings.HasPrefix(keys[0], "value|") {
		t.Errorf("cached %q, want the one value report", keys)
	}
}
