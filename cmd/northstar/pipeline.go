package main

import (
	"github.com/northstar-cx/northstar/internal/analysis"
	"github.com/northstar-cx/northstar/internal/config"
)

// newPipeline builds the analysis pipeline the configuration describes.
func newPipeline(c *config.Config) (*analysis.Pipeline, error) {
	return analysis.New(analysis.Options{
		Redact: c.Redact, Region: c.Region,
		SentimentModel: c.SentimentModel, IntentModel: c.IntentModel, IntentThreshold: c.IntentThreshold,
		Scorecard: c.Scorecard,
	})
}
