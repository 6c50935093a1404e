// Package qa scores interactions against a QA scorecard: the rubric a
// brand's QA team reviews 2% of contacts with by hand, applied to all of
// them, with evidence for every verdict. It is the last analysis stage: it
// reads the redacted turns and what earlier stages concluded (sentiment,
// cues, resolution) and yields a cx.QAResult. Agreement compares those
// results with human reviews, so the automatic scores can be trusted where
// people checked them, criterion by criterion.
//
// # Scorecards
//
// A scorecard is YAML (internal/demo/scorecard.yaml is a full example):
//
//	name: hearth-harvest-service       # lower-case id, part of the version
//	description: What the card is for.
//	criteria:
//	  - id: recording_notice           # unique, lower-case
//	    label: Tells the caller the call is recorded
//	    description: Guidance for coaches.
//	    weight: 2                      # > 0, default 1
//	    auto_fail: false               # failing it sets the score to 0
//	    applies_when: channel == "voice"
//	    speaker: agent                 # agent (default), bot, customer or any
//	    within_turns: 2                # only the speaker's first 2 turns…
//	    from: start                    # …or, with end, the last 2
//	    pattern: '\bcalls?\b.*\brecorded\b'
//
// Each criterion has exactly one check:
//
//	require_any: [phrases]   met when the speaker says any of them
//	forbid_any: [phrases]    met when the speaker says none of them
//	pattern: 're'            met when a turn of the speaker matches (RE2 syntax, case-insensitive)
//	forbid_pattern: 're'     met when no turn matches
//	expect: 'condition'      met when the condition holds (e.g. escalated)
//
// require_any and pattern may add
//
//	before: {any: [phrases], speaker: agent}
//
// and then must be met before the first of those phrases (identity
// verification before "I've refunded…"); when none of them is said, the
// whole conversation counts.
//
// Phrases match whole words, ignoring case and punctuation: "that's not my
// problem" matches "That’s NOT my problem!" but "hi" does not match "this".
// A word is a run of letters and digits; an apostrophe between two of them
// belongs to it. YAML anchors (&list, *list) share a phrase list between
// criteria. Patterns are for what phrase lists cannot say; each costs a
// regular-expression run per turn that passes a literal pre-filter, so
// prefer phrases where they will do.
//
// # Conditions
//
// applies_when and expect are CEL expressions (cel.dev/cel-go) over the
// variables Variables lists: channel, handler, intent, sentiment,
// sentiment_min, has_sentiment, flags, vulnerable, resolved, escalated,
// abandoned, transfers, turns, customer_turns, agent_turns, bot_turns.
// Unknown sentiment is 0, neutral, so an unmeasured contact never looks
// upset; has_sentiment tells them apart. Numbers compare across int and
// double (sentiment < 0). Examples:
//
//	channel == "voice"
//	handler == "bot" && vulnerable
//	sentiment < -0.4 || "anger" in flags
//	flags.exists(f, f in ["bereavement", "illness"])
//
// Conditions compile once, in Parse; each distinct one is evaluated at most
// once per interaction. Comparisons, &&, ||, !, in, size(flags) and
// exists/all over flags or constant lists run as compiled closures (tens of
// ns); anything else runs in CEL's interpreter (hundreds of ns).
//
// # Scoring
//
// A criterion does not apply when its applies_when is false, when its
// speaker has no turns in the interaction (no agent joined a bot contact),
// or when a condition fails to evaluate (the note says why); it is then
// neither passed nor counted. The score is the weighted share of applicable
// criteria met; if an applicable auto-fail criterion fails, the score is 0
// and AutoFail is set. When nothing applies the score is 0 and Applicable
// reports false: averages should skip such results.
//
// Every verdict carries evidence: cx.Span values (turn index, byte range of
// the turn's text). A requirement met shows its first match; a prohibition
// broken shows each occurrence, at most 8; overlapping phrases make one
// span. A missing requirement has no span; its note says what was looked
// for and where ("missing: none of "hello", "hi" … in the agent's first
// turn"). Notes are for people; ids and spans are for programs.
//
// # Versions
//
// Scorecard.Version is "qa/1+<name>@<hash>": Version, the scorecard name
// and a hash of what the scorecard means (its criteria, not its comments or
// layout), so a stored result names exactly the rules that produced it.
//
// A Scorecard is immutable and safe for concurrent use. Score works in
// pooled scratch memory and allocates little beyond its result.
package qa
