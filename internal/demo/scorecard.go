package demo

import _ "embed"

//go:embed scorecard.yaml
var scorecard []byte

// Scorecard returns the brand's QA scorecard (YAML for package qa): greeting, recording notice on calls, bot
// disclosure, verification, empathy, ownership, prohibited and abusive language (auto-fail), closing,
// further help and the hand-off of vulnerable customers: the behaviours the world's agents and bot are
// built to show or miss (truth-contacts.csv). It returns a copy, so callers cannot change the embedded file.
func Scorecard() []byte { return append([]byte(nil), scorecard...) }
