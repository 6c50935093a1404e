package main

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/cx"
)

func newInteractionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "interaction [flags] SOURCE/ID",
		Short: "Show one interaction whole: redacted transcript and its analysis",
		Example: `  northstar interaction zendesk/I1
  northstar interaction --json hearth-chat/CH-000123`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			source, id, ok := strings.Cut(args[0], "/")
			if !ok || source == "" || id == "" {
				return usageError{fmt.Sprintf("interaction %q: give SOURCE/ID, e.g. zendesk/I1", args[0])}
			}
			c, err := g.config()
			if err != nil {
				return err
			}
			var in *cx.Interaction
			if c.Server != "" {
				in = &cx.Interaction{}
				if _, err := newClient(c).do(cmd.Context(), http.MethodGet, "/v1/interactions/"+url.PathEscape(source)+"/"+url.PathEscape(id), nil, in); err != nil {
					return err
				}
			} else {
				st, err := g.openStore(cmd.Context(), c)
				if err != nil {
					return err
				}
				defer st.Close()
				if in, err = st.Interaction(cmd.Context(), cx.Scope{}, cx.Key{Source: source, ID: id}); err != nil {
					return err
				}
			}
			if g.jsonOut {
				return writeJSON(g, in)
			}
			printInteraction(g, in)
			return nil
		},
	}
}

func printInteraction(g *globals, in *cx.Interaction) {
	out := g.e.stdout
	fmt.Fprintf(out, "Interaction %s/%s · customer %d · %s · %s", in.Source, in.ID, in.CustomerID, in.Channel, in.Handler)
	if in.Escalated {
		fmt.Fprint(out, " → escalated to human")
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "  started %s", in.StartedAt.Format("2006-01-02 15:04:05"))
	if in.Agent.ID != "" {
		fmt.Fprintf(out, " · agent %s (%s, %s)", in.Agent.ID, in.Agent.Team, in.Agent.Partner)
	}
	fmt.Fprintf(out, " · wait %ds · handle %ds · transfers %d\n", in.WaitSeconds, in.HandleSeconds, in.Transfers)
	if a := in.Analysis; a != nil {
		if a.Intent != "" {
			fmt.Fprintf(out, "  intent %s (%.0f%%, %s)", a.Intent, a.IntentConfidence*100, a.IntentSource)
		}
		fmt.Fprintf(out, " · %s (%s) · effort %.0f/100", map[bool]string{true: "resolved", false: "unresolved"}[a.Resolved], a.ResolvedSource, a.Effort)
		if a.Sentiment != nil {
			fmt.Fprintf(out, " · sentiment %+.2f (start %+.2f → end %+.2f)", *a.Sentiment, *a.SentimentStart, *a.SentimentEnd)
		}
		fmt.Fprintln(out)
		for _, f := range a.Flags {
			var ev []string
			for _, e := range f.Evidence {
				if e.Turn < len(in.Turns) && e.End <= len(in.Turns[e.Turn].Text) {
					ev = append(ev, fmt.Sprintf("turn %d %q", e.Turn+1, in.Turns[e.Turn].Text[e.Start:e.End]))
				}
			}
			fmt.Fprintf(out, "  flag %s: %s\n", f.Kind, strings.Join(ev, ", "))
		}
		if len(a.Redactions) > 0 {
			var kinds []string
			for k, n := range a.Redactions {
				kinds = append(kinds, fmt.Sprintf("%s×%d", k, n))
			}
			sort.Strings(kinds)
			fmt.Fprintf(out, "  redacted: %s\n", strings.Join(kinds, ", "))
		}
		if a.QA != nil {
			fmt.Fprintf(out, "  QA %s: %.0f%%%s\n", a.QA.Scorecard, a.QA.Score*100, map[bool]string{true: " (auto-fail)", false: ""}[a.QA.AutoFail])
			for _, c := range a.QA.Criteria {
				if !c.Applies {
					continue
				}
				mark := "✗"
				if c.Passed {
					mark = "✓"
				}
				fmt.Fprintf(out, "    %s %s %s\n", mark, c.ID, c.Note)
			}
		}
	}
	if s := in.Survey; s != nil {
		fmt.Fprintf(out, "  survey:%s%s%s %s\n", score(" CSAT", s.CSAT), score(" NPS", s.NPS), score(" CES", s.CES), s.Comment)
	}
	fmt.Fprintln(out, "Transcript:")
	for i, t := range in.Turns {
		sent := ""
		if t.Sentiment != nil {
			sent = fmt.Sprintf(" (%+.2f)", *t.Sentiment)
		}
		fmt.Fprintf(out, "  %2d %-8s%s %s\n", i+1, t.Speaker+":", sent, t.Text)
	}
}

func score(label string, v *int) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf("%s %d", label, *v)
}
