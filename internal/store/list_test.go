package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/store"
)

func keys(p *store.ListPage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Key.ID)
	}
	return out
}

func TestListInteractionsFiltersPagesAndScopes(t *testing.T) {
	yes := true
	cases := []struct {
		name   string
		scope  cx.Scope
		filter store.ListFilter
		want   []string
	}{
		{"all, newest first", cx.Scope{}, store.ListFilter{}, []string{"L4", "L3", "L2", "L1"}},
		{"channel", cx.Scope{}, store.ListFilter{Channels: []string{"voice"}}, []string{"L4", "L1"}},
		{"handler and intent", cx.Scope{}, store.ListFilter{Handler: "human", Intents: []string{"refund"}}, []string{"L4", "L3"}},
		{"resolved", cx.Scope{}, store.ListFilter{Resolved: &yes}, []string{"L4", "L3", "L2"}},
		{"no partner", cx.Scope{}, store.ListFilter{Partners: []string{"(none)"}}, []string{"L2"}},
		{"dates", cx.Scope{}, store.ListFilter{From: time.Date(2025, 9, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 9, 4, 0, 0, 0, 0, time.UTC)}, []string{"L3", "L2"}},
		{"partner scope", cx.Scope{Partner: "acme"}, store.ListFilter{}, []string{"L4", "L1"}},
		{"scope wins over filter", cx.Scope{Partner: "acme"}, store.ListFilter{Partners: []string{"bravo"}}, nil},
	}
	engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		importFile(t, s, "testdata/list.ndjson")
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p, err := s.ListInteractions(ctx, c.scope, c.filter, 0, 10)
				if err != nil {
					t.Fatal(err)
				}
				if got := keys(p); !equalStrings(got, c.want) || p.Total != int64(len(c.want)) {
					t.Errorf("got %v (total %d), want %v", got, p.Total, c.want)
				}
			})
		}
		p, err := s.ListInteractions(ctx, cx.Scope{}, store.ListFilter{}, 1, 2)
		if err != nil || !equalStrings(keys(p), []string{"L3", "L2"}) || p.Total != 4 {
			t.Errorf("page 2 of 2: %v total %d (%v)", keys(p), p.Total, err)
		}

		latest, err := s.LatestInteractions(ctx, cx.Scope{Partner: "acme"}, store.ListFilter{Intents: []string{"refund"}}, 5)
		if err != nil || len(latest) != 1 || latest[0].Key.ID != "L4" {
			t.Errorf("acme's latest refund contacts: %+v, %v", latest, err)
		}

		// A partner cannot open, or learn of, another partner's contact.
		if _, err := s.ScopedInteraction(ctx, cx.Scope{Partner: "acme"}, cx.Key{Source: "desk", ID: "L3"}); cx.ErrorCode(err) != cx.ENOTFOUND {
			t.Errorf("bravo's contact seen by acme: %v", err)
		}
		v, err := s.ScopedInteraction(ctx, cx.Scope{}, cx.Key{Source: "desk", ID: "L1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.RepeatedBy) != 1 || v.RepeatedBy[0].Key.ID != "L2" || !v.Repeated {
			t.Errorf("L1 is repeated by L2 within the window: %+v", v.RepeatedBy)
		}
		// acme sees L1 but not the bot's repeat L2, which has no partner.
		v, err = s.ScopedInteraction(ctx, cx.Scope{Partner: "acme"}, cx.Key{Source: "desk", ID: "L1"})
		if err != nil || len(v.RepeatedBy) != 0 {
			t.Errorf("acme's view of L1 links to an unscoped contact: %+v, %v", v, err)
		}

		f, err := s.Facets(ctx, cx.Scope{Partner: "acme"})
		if err != nil {
			t.Fatal(err)
		}
		if !equalStrings(f.Partners, []string{"acme"}) || !equalStrings(f.Channels, []string{"voice"}) {
			t.Errorf("acme's facets: %+v", f)
		}
		qa, err := s.RecentQA(ctx, cx.Scope{}, store.ListFilter{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(qa.Contacts) != 0 {
			t.Errorf("no scorecard was applied, yet %d scored contacts", len(qa.Contacts))
		}
	})
}

// RecentQA reads criterion results out of the stored bodies, on both
// engines' JSON functions.
func TestRecentQAReadsCriteria(t *testing.T) {
	engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		scoreAll := func(in *cx.Interaction) {
			met := in.ID != "L3"
			in.Analysis = &cx.Analysis{QA: &cx.QAResult{Scorecard: "test", Score: 0.5, Criteria: []cx.QACriterion{
				{ID: "greeting", Weight: 1, Applies: true, Passed: met, Evidence: []cx.Span{{Turn: 0, Start: 0, End: 5}}},
				{ID: "empathy", Weight: 1, Applies: false},
			}}}
		}
		_, err := ingest.Import(ctx, s, []ingest.Source{ingest.FileSource("testdata/list.ndjson")},
			ingest.Options{Normalizer: identity.Normalizer{Region: "GB"}, Analyze: scoreAll})
		if err != nil {
			t.Fatal(err)
		}
		qa, err := s.RecentQA(ctx, cx.Scope{Partner: "bravo"}, store.ListFilter{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(qa.Contacts) != 1 || qa.Contacts[0].Key.ID != "L3" {
			t.Fatalf("bravo's scored contacts: %+v", qa.Contacts)
		}
		c := qa.Contacts[0].Criteria
		if len(c) != 2 || c[0].ID != "greeting" || c[0].Passed || !c[0].Applies || c[1].Applies {
			t.Errorf("criteria of L3: %+v", c)
		}
		all, err := s.RecentQA(ctx, cx.Scope{}, store.ListFilter{}, 2)
		if err != nil || len(all.Contacts) != 2 || all.Contacts[0].Key.ID != "L4" {
			t.Errorf("the last two scored contacts imported: %+v, %v", all, err)
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
