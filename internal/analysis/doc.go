// Package analysis is the pipeline every interaction passes through before it
// is stored: redaction first (nothing unredacted reaches the store, the logs
// or an error), then sentiment, intent, emotion and vulnerability cues,
// outcome and effort, and QA. Each stage is a versioned sub-package; the
// pipeline composes them and records every stage's version on the result.
package analysis
