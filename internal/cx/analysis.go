package cx

// Analysis is what the pipeline concluded about one interaction. Each stage
// records its version so results can be traced and re-computed.
type Analysis struct {
	Versions map[string]string `json:"versions"` // stage → version

	Redactions map[string]int `json:"redactions,omitempty"` // placeholder kind → count

	Sentiment       *float64 `json:"sentiment,omitempty"` // mean over customer turns, −1…1
	SentimentStart  *float64 `json:"sentiment_start,omitempty"`
	SentimentEnd    *float64 `json:"sentiment_end,omitempty"`
	SentimentChange *float64 `json:"sentiment_change,omitempty"`

	Intent           string  `json:"intent,omitempty"`
	IntentConfidence float64 `json:"intent_confidence,omitempty"`
	IntentSource     string  `json:"intent_source,omitempty"` // "source" or "model"

	Flags      []Flag `json:"flags,omitempty"`
	Vulnerable bool   `json:"vulnerable,omitempty"` // a flag marks vulnerable circumstances

	Resolved         bool    `json:"resolved"`
	ResolvedSource   string  `json:"resolved_source,omitempty"` // "source" or "inferred"
	ResolvedEvidence *Span   `json:"resolved_evidence,omitempty"`
	Effort           float64 `json:"effort"` // 0–100, higher is more effort

	QA *QAResult `json:"qa,omitempty"`
}

// Flag is an emotion or vulnerability cue with the evidence for it.
type Flag struct {
	Kind     string `json:"kind"`
	Evidence []Span `json:"evidence"`
}

// Span points into one turn's (redacted) text: bytes [Start, End).
type Span struct {
	Turn  int `json:"turn"`
	Start int `json:"start"`
	End   int `json:"end"`
}

// HasFlag reports whether the analysis carries a flag of that kind.
func (a *Analysis) HasFlag(kind string) bool {
	if a == nil {
		return false
	}
	for _, f := range a.Flags {
		if f.Kind == kind {
			return true
		}
	}
	return false
}

// QAResult is a scorecard applied to one interaction.
type QAResult struct {
	Scorecard string        `json:"scorecard"`
	Score     float64       `json:"score"` // weighted share of criteria met, 0 when an auto-fail criterion failed
	AutoFail  bool          `json:"auto_fail"`
	Criteria  []QACriterion `json:"criteria"`
}

// QACriterion is one criterion's result with its evidence.
type QACriterion struct {
	ID       string  `json:"id"`
	Label    string  `json:"label,omitempty"`
	Weight   float64 `json:"weight"`
	Passed   bool    `json:"passed"`
	Applies  bool    `json:"applies"`
	AutoFail bool    `json:"auto_fail,omitempty"`
	Evidence []Span  `json:"evidence,omitempty"`
	Note     string  `json:"note,omitempty"`
}
