// Package sentiment scores how customers feel in their messages, from −1
// (negative) to 1 (positive), for every customer turn at ingest, and sums a
// contact's turns up as start → end.
//
// Two models share one API. Default is a lexicon scorer that needs no
// training: the VADER lexicon (MIT, embedded unmodified in data/) under a
// customer-service layer of our own (data/customer_service.txt) that knows
// what generic lexicons miss — "still waiting", "third time", "never
// received", "on hold for an hour", "cancel my subscription", "thanks for
// nothing", "sorted", "quick and easy" — with negation, boosters, contrast
// ("but"), caps and '!' emphasis, emoji and emoticons, courtesy that a
// complaint outweighs, and praise that is only wished for ("would be nice").
// It is a single pass of map lookups on integer keys and allocates nothing
// per message once warm.
//
// Train adapts to a brand's own labelled messages: a multinomial logistic
// regression over hashed word uni- and bigrams, character n-grams and the
// lexicon scorer's evidence. Trained models are saved to and loaded from a
// versioned file (Save, Load). Evaluate and CrossValidate measure either
// model; Summarize turns per-turn scores into a contact's sentiment.
//
// Every model reports a Version that is stored beside the scores it
// produced, so that scores from different scorers are never mixed unawares.
package sentiment
