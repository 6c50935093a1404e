// Package outcome infers how a contact turned out: whether the customer's
// need was resolved when the source does not say (InferResolved), how much
// effort the customer had to spend (Effort), and which contacts repeat an
// earlier one, for the repeat_rate and fcr metrics (Link).
//
// InferResolved reads the conversation once, through a phrase lexicon
// (resolution.txt, package phrase) split by speaker: closing signals ("that's
// sorted, thanks", "refund has been processed", "anything else? no thanks")
// against unresolved ones ("still not working", "I'll call back", "speak to a
// human", an agent promising a callback or escalating, a customer ending on a
// complaint or a question). Later turns weigh more than earlier ones, and the
// customer's opening description of the problem barely counts. Effort and
// Link are plain arithmetic over numbers and timestamps the store supplies.
package outcome
