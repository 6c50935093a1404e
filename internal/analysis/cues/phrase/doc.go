// Package phrase finds multi-word phrases in text in one pass over its
// tokens, with negation context, for the analysis stages that flag what
// customers say (cues, outcome). It exists because a regular expression per
// pattern is far too slow at ingest: here every token costs one map lookup,
// and a phrase costs one trie step per further word.
//
// # Tokens
//
// A token is a run of letters and digits; an apostrophe (ASCII ' or the
// typographic ’) inside a word is part of it, so "can’t" is the token
// "can't". ASCII letters are folded to lower case; other letters are kept as
// they are. Everything else separates tokens, and . , ; : ! ? ( ) [ ] … – —
// and line breaks also end a clause: a phrase never spans a clause end, and
// negation does not reach across one.
//
// # Pattern syntax
//
// A pattern is a list of slots separated by spaces. A slot is one or more
// alternatives separated by "|" (no spaces). An alternative is
//
//	word         a literal word (may itself tokenise to several words: "mother-in-law")
//	{class}      any alternative of a class from Options.Classes (each may be several words)
//	{class}'s    the same with a suffix glued to the last word of each alternative
//	_            nothing: the slot is optional
//
// A slot "^" as the first slot anchors the phrase at the start of a clause; a
// slot "$" as the last slot anchors it at the end of a clause. Patterns are
// expanded into token sequences when compiled; identical sequences with
// different labels are an error, so the lexicon cannot contradict itself.
//
// # Matching
//
// Matching is leftmost-longest: at each token the longest phrase that starts
// there wins and scanning resumes after it. A caller can therefore suppress a
// look-alike ("blind with rage", "no money worries") by giving the longer
// phrase its own label, including one it ignores.
//
// A match is Negated when a negator (Options.Negators: "not", "never",
// "don't"...) occurs within Options.NegationWindow tokens before it in the
// same clause, with no clause word (Options.ClauseWords: "but", "i'm"...) in
// between, unless the negator begins one of Options.NegationExceptions
// ("never been so", "not only"). A phrase that itself opens with a clause
// word is never negated: in "if it isn't fixed I'm leaving" the threat
// stands.
//
// A compiled Set is immutable and safe for concurrent use.
package phrase
