package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/analysis/qa"
	"github.com/northstar-cx/northstar/internal/cx"
)

func newQACmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "qa", Short: "Quality assurance: how the automatic scorecard compares with human reviewers"}
	var reviewer string
	agree := &cobra.Command{
		Use:   "agreement",
		Short: "Compare imported human QA reviews (qa_review records) with the automatic scores, per criterion",
		Long: `Compare human QA reviews, imported as {"type":"qa_review",…} records (docs/import-format.md), with
the automatic scorecard result of the same interactions: per criterion the number compared, the
percent agreement with a Wilson 95% interval and Cohen's kappa; and how the overall scores correlate.`,
		Example: `  northstar import reviews.ndjson
  northstar qa agreement
  northstar qa agreement --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			st, err := g.openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			reviews, auto, err := st.ReviewedQA(cmd.Context())
			if err != nil {
				return err
			}
			rep := agreement(byReviewer(reviews, reviewer), auto)
			if g.jsonOut {
				return writeJSON(g, rep)
			}
			printAgreement(g, rep)
			return nil
		},
	}
	agree.Flags().StringVar(&reviewer, "reviewer", "", `compare only this reviewer's reviews (default: every reviewer but language models, "llm:…")`)
	cmd.AddCommand(agree, newRubricCmd(g))
	return cmd
}

// byReviewer keeps one reviewer's reviews, or with an empty name the
// people's: a model's verdicts (reviewer "llm:…") are compared separately.
func byReviewer(reviews []cx.QAReview, name string) []cx.QAReview {
	var out []cx.QAReview
	for _, r := range reviews {
		if r.Reviewer == name || (name == "" && !strings.HasPrefix(r.Reviewer, "llm:")) {
			out = append(out, r)
		}
	}
	return out
}

// printAgreement prints an agreement report as a table.
func printAgreement(g *globals, rep qa.AgreementReport) {
	out := g.e.stdout
	fmt.Fprintf(out, "%d reviews, %d of them of interactions with an automatic QA result\n", rep.Reviews, rep.Matched)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "criterion\tn\tagreement\t95% interval\tkappa\t")
	for _, a := range rep.Criteria {
		kappa := "–"
		if a.Kappa != nil {
			kappa = fmt.Sprintf("%.2f", *a.Kappa)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%.1f–%.1f%%\t%s\t\n", a.ID, a.N, a.Percent, a.PercentLow, a.PercentHigh, kappa)
	}
	tw.Flush()
	if s := rep.Score; s.N > 0 {
		r := "–"
		if s.Pearson != nil {
			r = fmt.Sprintf("%.2f", *s.Pearson)
		}
		fmt.Fprintf(out, "overall score: n %d, mean automatic %.2f vs reviewers %.2f, mean |difference| %.2f, correlation %s\n",
			s.N, s.MeanAuto, s.MeanHuman, s.MeanAbsDiff, r)
	}
}

func agreement(reviews []cx.QAReview, auto map[string]*cx.QAResult) qa.AgreementReport {
	results := make(map[string]cx.QAResult, len(auto))
	for k, r := range auto {
		if r != nil {
			results[k] = *r
		}
	}
	rs := make([]qa.Review, len(reviews))
	for i, r := range reviews {
		rs[i] = qa.Review{Source: r.Interaction.Source, ID: r.Interaction.ID, Reviewer: r.Reviewer, Criteria: r.Criteria, Score: r.Score}
	}
	return qa.Agreement(results, rs)
}
