package analysis

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/northstar-cx/northstar/internal/analysis/cues"
	"github.com/northstar-cx/northstar/internal/analysis/intent"
	"github.com/northstar-cx/northstar/internal/analysis/outcome"
	"github.com/northstar-cx/northstar/internal/analysis/qa"
	"github.com/northstar-cx/northstar/internal/analysis/redact"
	"github.com/northstar-cx/northstar/internal/analysis/sentiment"
	"github.com/northstar-cx/northstar/internal/cx"
)

// Options choose the models and rules of a pipeline.
type Options struct {
	Redact          bool   // off only by explicit configuration
	Region          string // for phone numbers
	SentimentModel  string // file; empty = built-in lexicon
	IntentModel     string // file; empty = intents only from the source
	IntentThreshold float64
	Scorecard       string // QA scorecard YAML file; empty = no QA scoring
}

// Pipeline analyses interactions. It is safe for concurrent use.
type Pipeline struct {
	redactor  *redact.Redactor
	sentiment *sentiment.Model
	intent    *intent.Model
	effort    outcome.EffortWeights
	scorecard *qa.Scorecard
	versions  map[string]string
}

// New loads the models the options name.
func New(o Options) (*Pipeline, error) {
	p := &Pipeline{sentiment: sentiment.Default(), effort: outcome.DefaultEffortWeights()}
	if o.Redact {
		p.redactor = redact.New(redact.Options{DefaultRegion: o.Region})
	}
	if o.SentimentModel != "" {
		m, err := loadModel(o.SentimentModel, sentiment.Load)
		if err != nil {
			return nil, fmt.Errorf("sentiment model: %w", err)
		}
		p.sentiment = m
	}
	if o.IntentModel != "" {
		m, err := loadModel(o.IntentModel, intent.Load)
		if err != nil {
			return nil, fmt.Errorf("intent model: %w (train one with `northstar intents train`)", err)
		}
		if o.IntentThreshold > 0 {
			m.SetThreshold(o.IntentThreshold)
		}
		p.intent = m
	}
	if o.Scorecard != "" {
		data, err := os.ReadFile(o.Scorecard)
		if err != nil {
			return nil, fmt.Errorf("scorecard: %w", err)
		}
		if p.scorecard, err = qa.Parse(o.Scorecard, data); err != nil {
			return nil, fmt.Errorf("scorecard: %w", err)
		}
	}
	p.versions = map[string]string{"sentiment": p.sentiment.Version(), "cues": cues.Version, "outcome": outcome.Version}
	if p.redactor != nil {
		p.versions["redact"] = redact.Version
	} else {
		p.versions["redact"] = "off"
	}
	if p.intent != nil {
		p.versions["intent"] = p.intent.Version()
	}
	if p.scorecard != nil {
		p.versions["qa"] = p.scorecard.Version()
	}
	return p, nil
}

func loadModel[M any](path string, load func(io.Reader) (M, error)) (M, error) {
	var zero M
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	m, err := load(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Versions returns the version of every stage.
func (p *Pipeline) Versions() map[string]string { return p.versions }

// Analyze redacts the interaction in place and attaches the analysis.
func (p *Pipeline) Analyze(in *cx.Interaction) {
	a := &cx.Analysis{Versions: p.versions}
	p.redact(in, a)

	var scores []float64
	turns := make([]cues.Turn, len(in.Turns)) // outcome.Turn is the same type
	var customerText strings.Builder
	for i := range in.Turns {
		t := &in.Turns[i]
		turns[i] = cues.Turn{Speaker: t.Speaker, Text: t.Text}
		if t.Speaker != "customer" {
			t.Sentiment = nil
			continue
		}
		s := p.sentiment.Score(t.Text)
		t.Sentiment = &s
		scores = append(scores, s)
		if customerText.Len() < 600 {
			customerText.WriteString(t.Text)
			customerText.WriteByte(' ')
		}
	}
	if len(scores) > 0 {
		sum := sentiment.Summarize(scores)
		a.Sentiment, a.SentimentStart, a.SentimentEnd, a.SentimentChange = &sum.Mean, &sum.Start, &sum.End, &sum.Change
	}

	switch {
	case in.Intent != "":
		a.Intent, a.IntentConfidence, a.IntentSource = in.Intent, 1, "source"
	case p.intent != nil && customerText.Len() > 0:
		a.Intent, a.IntentConfidence = p.intent.Predict(customerText.String())
		a.IntentSource = "model"
	}

	for _, f := range cues.Detect(turns) {
		a.Vulnerable = a.Vulnerable || f.Kind.Vulnerable()
		fl := cx.Flag{Kind: string(f.Kind)}
		for _, e := range f.Evidence {
			fl.Evidence = append(fl.Evidence, cx.Span{Turn: e.Turn, Start: e.Start, End: e.End})
		}
		a.Flags = append(a.Flags, fl)
	}

	if in.Resolved != nil {
		a.Resolved, a.ResolvedSource = *in.Resolved, "source"
	} else {
		res, _, ev := outcome.InferResolved(turns)
		a.Resolved, a.ResolvedSource = res, "inferred"
		if ev != nil {
			a.ResolvedEvidence = &cx.Span{Turn: ev.Turn, Start: ev.Start, End: ev.End}
		}
	}
	a.Effort = outcome.Effort(outcome.EffortInput{
		CustomerTurns: len(scores), Transfers: in.Transfers, WaitSeconds: float64(in.WaitSeconds),
		Escalated: in.Escalated,
	}, p.effort)
	in.Analysis = a
	if p.scorecard != nil {
		r := p.scorecard.Score(qa.InputFrom(in))
		a.QA = &r
	}
}

// redact replaces personal data in every free-text field and counts it.
// Dates of birth are judged as of the contact, so old imports are read right.
func (p *Pipeline) redact(in *cx.Interaction, a *cx.Analysis) {
	if p.redactor == nil {
		return
	}
	var total redact.Counts
	for i := range in.Turns {
		var c redact.Counts
		in.Turns[i].Text, c = p.redactor.RedactAsOf(in.Turns[i].Text, in.StartedAt)
		total.Add(c)
	}
	if in.Survey != nil && in.Survey.Comment != "" {
		var c redact.Counts
		in.Survey.Comment, c = p.redactor.RedactAsOf(in.Survey.Comment, in.StartedAt)
		total.Add(c)
	}
	for k, v := range in.Attributes {
		if s, ok := v.(string); ok {
			r, c := p.redactor.RedactAsOf(s, in.StartedAt)
			in.Attributes[k] = r
			total.Add(c)
		}
	}
	if total.Total() == 0 {
		return
	}
	a.Redactions = map[string]int{}
	for k := redact.Kind(0); k < redact.NumKinds; k++ {
		if total[k] > 0 {
			a.Redactions[k.String()] = total[k]
		}
	}
}

// Stages names the stages that can be re-run alone.
var Stages = []string{"redact", "sentiment", "intent", "cues", "outcome", "qa"}

// Reanalyzer returns a function that re-runs the given stages (all when
// empty) on a stored interaction, keeping the stored results of the others.
// Stored text is already redacted; re-running redaction only catches what
// newer rules find, and its counts add to the stored ones.
func (p *Pipeline) Reanalyzer(stages []string) (func(*cx.Interaction), error) {
	sel := map[string]bool{}
	for _, s := range stages {
		if !slices.Contains(Stages, s) {
			return nil, fmt.Errorf("unknown stage %q (stages: %s)", s, strings.Join(Stages, ", "))
		}
		sel[s] = true
	}
	all := len(sel) == 0
	return func(in *cx.Interaction) {
		old := in.Analysis
		oldSent := make([]*float64, len(in.Turns))
		for i, t := range in.Turns {
			oldSent[i] = t.Sentiment
		}
		p.Analyze(in)
		a := in.Analysis
		if old == nil {
			return
		}
		for k, n := range old.Redactions {
			if a.Redactions == nil {
				a.Redactions = map[string]int{}
			}
			a.Redactions[k] += n
		}
		if all {
			return
		}
		versions := maps.Clone(old.Versions)
		if versions == nil {
			versions = map[string]string{}
		}
		keep := func(stage string, restore func()) {
			if sel[stage] {
				versions[stage] = a.Versions[stage]
			} else {
				restore()
			}
		}
		keep("redact", func() {})
		keep("sentiment", func() {
			a.Sentiment, a.SentimentStart, a.SentimentEnd, a.SentimentChange = old.Sentiment, old.SentimentStart, old.SentimentEnd, old.SentimentChange
			for i := range in.Turns {
				in.Turns[i].Sentiment = oldSent[i]
			}
		})
		keep("intent", func() {
			a.Intent, a.IntentConfidence, a.IntentSource = old.Intent, old.IntentConfidence, old.IntentSource
		})
		keep("cues", func() { a.Flags, a.Vulnerable = old.Flags, old.Vulnerable })
		keep("outcome", func() {
			a.Resolved, a.ResolvedSource, a.ResolvedEvidence, a.Effort = old.Resolved, old.ResolvedSource, old.ResolvedEvidence, old.Effort
		})
		keep("qa", func() { a.QA = old.QA })
		a.Versions = versions
	}, nil
}
