package qa

import (
	"math"
	"strconv"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestAgreementHandComputed checks kappa, the interval and the score
// correlation against values worked out by hand:
//
//	greeting, 10 reviews: both pass 5, auto only 1, human only 2, both fail 2
//	po = 7/10 = 0.7; auto passes 0.6, human 0.7
//	pe = 0.6×0.7 + 0.4×0.3 = 0.54; kappa = (0.7 − 0.54) ÷ 0.46 = 0.347826…
//	Wilson 95% for 7/10: 0.39678 … 0.89221
//	scores (auto, human): (1, .9) (.5, .6) (0, .1) (.75, .7)
//	means .5625 and .575; mean |diff| .0875; Pearson r = 0.98925…
func TestAgreementHandComputed(t *testing.T) {
	table := []struct{ auto, human bool }{
		{true, true}, {true, true}, {true, true}, {true, true}, {true, true},
		{true, false},
		{false, true}, {false, true},
		{false, false}, {false, false},
	}
	scores := [][2]float64{{1, .9}, {.5, .6}, {0, .1}, {.75, .7}}
	auto := map[string]cx.QAResult{}
	var reviews []Review
	for i, row := range table {
		id := strconv.Itoa(i + 1)
		res := cx.QAResult{Criteria: []cx.QACriterion{
			{ID: "greeting", Applies: true, Passed: row.auto},
			{ID: "notice", Applies: i < 3, Passed: i < 3},
		}}
		rv := Review{Source: "zendesk", ID: id, Reviewer: "ann", Criteria: map[string]bool{"greeting": row.human, "notice": true}}
		if i < len(scores) {
			res.Score = scores[i][0]
			rv.Score = &scores[i][1]
		}
		auto["zendesk/"+id] = res
		reviews = append(reviews, rv)
	}
	// A review of an unscored interaction, one naming a criterion the card
	// lacks, and one keyed by ID alone.
	reviews = append(reviews,
		Review{Source: "zendesk", ID: "99", Criteria: map[string]bool{"greeting": true}},
		Review{Source: "zendesk", ID: "1", Criteria: map[string]bool{"nosuch": true}},
		Review{ID: "web-7", Criteria: map[string]bool{"notice": false}},
	)
	auto["web-7"] = cx.QAResult{Criteria: []cx.QACriterion{{ID: "notice", Applies: true, Passed: false}}}

	rep := Agreement(auto, reviews)
	if rep.Reviews != 13 || rep.Matched != 12 || len(rep.Unmatched) != 1 || rep.Unmatched[0] != "zendesk/99" {
		t.Fatalf("reviews %d matched %d unmatched %v", rep.Reviews, rep.Matched, rep.Unmatched)
	}
	if len(rep.Criteria) != 3 || rep.Criteria[0].ID != "greeting" || rep.Criteria[1].ID != "nosuch" || rep.Criteria[2].ID != "notice" {
		t.Fatalf("criteria %+v", rep.Criteria)
	}
	g := rep.Criteria[0]
	if g.N != 10 || g.Agree != 7 || g.BothPass != 5 || g.AutoOnly != 1 || g.HumanOnly != 2 || g.BothFail != 2 ||
		!near(g.Percent, 70) || g.Kappa == nil || !near(*g.Kappa, 0.16/0.46) {
		t.Fatalf("greeting %+v", g)
	}
	if math.Abs(g.PercentLow-39.678) > 0.001 || math.Abs(g.PercentHigh-89.221) > 0.001 {
		t.Errorf("interval %.3f … %.3f, want 39.678 … 89.221", g.PercentLow, g.PercentHigh)
	}
	if u := rep.Criteria[1]; u.Unknown != 1 || u.N != 0 || u.Kappa != nil {
		t.Errorf("unknown criterion %+v", u)
	}
	// notice: applied to 3 (all agreed: pass), not to 7; the ID-only review
	// agrees on a fail.
	if n := rep.Criteria[2]; n.N != 4 || n.NotApplicable != 7 || n.BothPass != 3 || n.BothFail != 1 || n.Kappa == nil || !near(*n.Kappa, 1) {
		t.Errorf("notice %+v", n)
	}
	s := rep.Score
	if s.N != 4 || !near(s.MeanAuto, .5625) || !near(s.MeanHuman, .575) || !near(s.MeanAbsDiff, .0875) ||
		s.Pearson == nil || math.Abs(*s.Pearson-0.98925366617) > 1e-9 {
		t.Errorf("score agreement %+v (pearson %v)", s, deref64(s.Pearson))
	}
}

func deref64(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestKappaEdgeCases(t *testing.T) {
	tests := []struct {
		name        string
		tp, a, h, f int
		want        *float64
	}{
		{"no verdicts", 0, 0, 0, 0, nil},
		{"both always pass: undefined", 9, 0, 0, 0, nil},
		{"perfect with variation", 4, 0, 0, 6, ptr(1)},
		{"chance level", 1, 1, 1, 1, ptr(0)},
		{"always disagree", 0, 5, 5, 0, ptr(-1)},
	}
	for _, tt := range tests {
		got := kappa(tt.tp, tt.a, tt.h, tt.f)
		if (got == nil) != (tt.want == nil) || got != nil && !near(*got, *tt.want) {
			t.Errorf("%s: kappa %v, want %v", tt.name, deref64(got), deref64(tt.want))
		}
	}
	if s := scoreAgreement([]float64{1, 1}, []float64{0, 1}); s.Pearson != nil || s.N != 2 {
		t.Errorf("constant auto scores: %+v", s)
	}
}

func ptr(v float64) *float64 { return &v }
