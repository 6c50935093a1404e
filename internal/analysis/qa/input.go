package qa

import "github.com/northstar-cx/northstar/internal/cx"

// InputFrom builds the input for an interaction the earlier stages have
// analysed (in.Analysis set; without it, sentiment, flags and an inferred
// resolution are unknown). Texts are shared, not copied.
func InputFrom(in *cx.Interaction) Input {
	q := Input{
		Channel:   string(in.Channel),
		Handler:   string(in.Handler),
		Intent:    in.Intent,
		Escalated: in.Escalated,
		Abandoned: in.Abandoned,
		Transfers: in.Transfers,
		Turns:     make([]Turn, len(in.Turns)),
	}
	for i, t := range in.Turns {
		q.Turns[i] = Turn{Speaker: t.Speaker, Text: t.Text, Sentiment: t.Sentiment}
	}
	if in.Resolved != nil {
		q.Resolved = *in.Resolved
	}
	if a := in.Analysis; a != nil {
		q.Sentiment = a.Sentiment
		q.Resolved = a.Resolved
		if a.Intent != "" {
			q.Intent = a.Intent
		}
		if len(a.Flags) > 0 {
			q.Flags = make([]string, len(a.Flags))
			for i, fl := range a.Flags {
				q.Flags[i] = fl.Kind
			}
		}
	}
	return q
}
