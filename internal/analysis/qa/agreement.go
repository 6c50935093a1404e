package qa

import (
	"math"
	"sort"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Review is a human QA review of one interaction: the reviewer's verdict
// per criterion id (true = met) and, optionally, their overall score on the
// same 0–1 scale as cx.QAResult.Score. A criterion the reviewer left out is
// not compared.
type Review struct {
	Source, ID, Reviewer string
	Criteria             map[string]bool
	Score                *float64
}

// AgreementReport compares automatic results with human reviews: how far
// the 100% automatic scoring can be trusted where people checked it.
type AgreementReport struct {
	Reviews   int                  `json:"reviews"`   // reviews given
	Matched   int                  `json:"matched"`   // reviews of an interaction with an automatic result
	Criteria  []CriterionAgreement `json:"criteria"`  // by criterion id
	Score     ScoreAgreement       `json:"score"`     // overall scores
	Unmatched []string             `json:"unmatched"` // keys of reviews without an automatic result, at most 20
}

// CriterionAgreement is the agreement on one criterion. The 2×2 table counts
// verdicts where the reviewer judged the criterion and it applied
// automatically; NotApplicable counts those the reviewer judged but the
// scorecard did not apply (a missed condition, or a reviewer scoring an
// item that does not apply).
type CriterionAgreement struct {
	ID            string   `json:"id"`
	N             int      `json:"n"`
	Agree         int      `json:"agree"`
	Percent       float64  `json:"percent"`        // Agree ÷ N × 100
	PercentLow    float64  `json:"percent_low"`    // Wilson 95% interval
	PercentHigh   float64  `json:"percent_high"`   //
	Kappa         *float64 `json:"kappa"`          // Cohen's kappa; nil when undefined (no variation in either rater's verdicts, or N = 0)
	BothPass      int      `json:"both_pass"`      // auto and reviewer: met
	AutoOnly      int      `json:"auto_only"`      // auto met, reviewer not
	HumanOnly     int      `json:"human_only"`     // reviewer met, auto not
	BothFail      int      `json:"both_fail"`      // neither
	NotApplicable int      `json:"not_applicable"` // reviewer judged, scorecard did not apply
	Unknown       int      `json:"unknown"`        // reviewer judged an id the scorecard does not have
}

// ScoreAgreement compares overall scores where both exist and the
// automatic score means something (some criterion applied).
type ScoreAgreement struct {
	N           int      `json:"n"`
	MeanAuto    float64  `json:"mean_auto"`
	MeanHuman   float64  `json:"mean_human"`
	MeanAbsDiff float64  `json:"mean_abs_diff"`
	Pearson     *float64 `json:"pearson"` // nil when N < 2 or either side does not vary
}

// maxUnmatched bounds the keys listed in AgreementReport.Unmatched.
const maxUnmatched = 20

// Agreement compares automatic results, keyed by interaction as
// cx.Key.String() gives it ("source/id"), with human reviews. A review
// without a Source is looked up by its ID alone. Several reviews of one
// interaction (several reviewers) each count.
func Agreement(auto map[string]cx.QAResult, reviews []Review) AgreementReport {
	rep := AgreementReport{Reviews: len(reviews), Unmatched: []string{}}
	byID := map[string]*CriterionAgreement{}
	get := func(id string) *CriterionAgreement {
		a := byID[id]
		if a == nil {
			a = &CriterionAgreement{ID: id}
			byID[id] = a
		}
		return a
	}
	var autoScores, humanScores []float64
	for _, rv := range reviews {
		key := rv.ID
		if rv.Source != "" {
			key = cx.Key{Source: rv.Source, ID: rv.ID}.String()
		}
		res, ok := auto[key]
		if !ok {
			if len(rep.Unmatched) < maxUnmatched {
				rep.Unmatched = append(rep.Unmatched, key)
			}
			continue
		}
		rep.Matched++
		for id, human := range rv.Criteria {
			a := get(id)
			c := findCriterion(res, id)
			switch {
			case c == nil:
				a.Unknown++
				continue
			case !c.Applies:
				a.NotApplicable++
				continue
			}
			switch {
			case c.Passed && human:
				a.BothPass++
			case c.Passed:
				a.AutoOnly++
			case human:
				a.HumanOnly++
			default:
				a.BothFail++
			}
		}
		if rv.Score != nil && finite(*rv.Score) && Applicable(res) {
			autoScores = append(autoScores, res.Score)
			humanScores = append(humanScores, *rv.Score)
		}
	}
	for _, a := range byID {
		a.N = a.BothPass + a.AutoOnly + a.HumanOnly + a.BothFail
		a.Agree = a.BothPass + a.BothFail
		if a.N > 0 {
			a.Percent = 100 * float64(a.Agree) / float64(a.N)
			lo, hi := wilson(a.Agree, a.N)
			a.PercentLow, a.PercentHigh = 100*lo, 100*hi
		}
		a.Kappa = kappa(a.BothPass, a.AutoOnly, a.HumanOnly, a.BothFail)
		rep.Criteria = append(rep.Criteria, *a)
	}
	sort.Slice(rep.Criteria, func(i, j int) bool { return rep.Criteria[i].ID < rep.Criteria[j].ID })
	rep.Score = scoreAgreement(autoScores, humanScores)
	return rep
}

func findCriterion(r cx.QAResult, id string) *cx.QACriterion {
	for i := range r.Criteria {
		if r.Criteria[i].ID == id {
			return &r.Criteria[i]
		}
	}
	return nil
}

// kappa is Cohen's kappa for two raters and two categories:
// (po − pe) ÷ (1 − pe), with pe the agreement expected by chance from each
// rater's own pass rate. It is undefined when pe = 1.
func kappa(bothPass, autoOnly, humanOnly, bothFail int) *float64 {
	n := float64(bothPass + autoOnly + humanOnly + bothFail)
	if n == 0 {
		return nil
	}
	po := float64(bothPass+bothFail) / n
	autoPass := float64(bothPass+autoOnly) / n
	humanPass := float64(bothPass+humanOnly) / n
	pe := autoPass*humanPass + (1-autoPass)*(1-humanPass)
	if pe >= 1 {
		return nil
	}
	k := (po - pe) / (1 - pe)
	return &k
}

// wilson is the Wilson score 95% interval of k successes in n.
func wilson(k, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	const z = 1.959963984540054
	p := float64(k) / float64(n)
	nn := float64(n)
	den := 1 + z*z/nn
	mid := (p + z*z/(2*nn)) / den
	half := z * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn)) / den
	return math.Max(0, mid-half), math.Min(1, mid+half)
}

func scoreAgreement(a, h []float64) ScoreAgreement {
	s := ScoreAgreement{N: len(a)}
	if s.N == 0 {
		return s
	}
	var diff float64
	for i := range a {
		s.MeanAuto += a[i]
		s.MeanHuman += h[i]
		diff += math.Abs(a[i] - h[i])
	}
	n := float64(s.N)
	s.MeanAuto /= n
	s.MeanHuman /= n
	s.MeanAbsDiff = diff / n
	if s.N < 2 {
		return s
	}
	var sab, saa, shh float64
	for i := range a {
		da, dh := a[i]-s.MeanAuto, h[i]-s.MeanHuman
		sab += da * dh
		saa += da * da
		shh += dh * dh
	}
	if saa == 0 || shh == 0 {
		return s
	}
	r := sab / math.Sqrt(saa*shh)
	s.Pearson = &r
	return s
}
