package main

import (
	"github.com/northstar-cx/northstar/internal/analysis"
	"github.com/northstar-cx/northstar/internal/analysis/outcome"
	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/store"
)

// newPipeline builds the analysis pipeline the configuration describes.
func newPipeline(c *config.Config) (*analysis.Pipeline, error) {
	return analysis.New(analysis.Options{
		Redact: c.Redact, Region: c.Region,
		SentimentModel: c.SentimentModel, IntentModel: c.IntentModel, IntentThreshold: c.IntentThreshold,
		Scorecard: c.Scorecard,
	})
}

// effortTerms are the journey terms of the pipeline's effort index, for the
// store to add once it knows a contact's earlier contacts.
func effortTerms() store.EffortTerms {
	j := outcome.DefaultEffortWeights().Journey()
	return store.EffortTerms{Switch: j.Switch, SwitchScale: j.SwitchScale, Repeat: j.Repeat, RepeatScale: j.RepeatScale}
}
