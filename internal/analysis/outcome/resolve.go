package outcome

import (
	_ "embed"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/northstar-cx/northstar/internal/analysis/cues"
	"github.com/northstar-cx/northstar/internal/analysis/cues/phrase"
)

// Version identifies the resolution model, effort formula and linking rules
// in stored results.
const Version = "outcome/1"

// Turn is one turn of a conversation (the type cues uses).
type Turn = cues.Turn

// Evidence is a byte span of one turn's text (the type cues uses).
type Evidence = cues.Evidence

//go:embed resolution.txt
var resolutionLexicon string

// signal is a kind of resolution signal; the lexicon's labels name them.
type signal int

const (
	sigNone signal = iota
	sigResolvedAgent
	sigClosingQuestion
	sigUnresolvedAgent
	sigResolvedCustomer
	sigThanks
	sigReplyDone
	sigUnresolvedCustomer
	sigNegativeCustomer
)

// signalOf maps a lexicon label to its signal, and says whether it is read
// in customer turns (otherwise in agent and bot turns).
func signalOf(label string) (sig signal, customer, ok bool) {
	switch label {
	case "resolved_agent":
		return sigResolvedAgent, false, true
	case "closing_question":
		return sigClosingQuestion, false, true
	case "unresolved_agent":
		return sigUnresolvedAgent, false, true
	case "resolved_customer":
		return sigResolvedCustomer, true, true
	case "thanks":
		return sigThanks, true, true
	case "reply_done":
		return sigReplyDone, true, true
	case "unresolved_customer":
		return sigUnresolvedCustomer, true, true
	case "negative_customer":
		return sigNegativeCustomer, true, true
	}
	return sigNone, false, false
}

// Weights of the signals: positive leans resolved. They were set by hand
// and checked on testdata/conversations.txt; a question is a weak signal,
// a customer's own words the strongest.
const (
	wResolvedAgent      = 1.5
	wClosingQuestion    = 0.3
	wUnresolvedAgent    = -2.0
	wResolvedCustomer   = 2.5
	wThanks             = 0.8
	wReplyAfterClosing  = 3.0 // "no thanks" right after "anything else?"
	wUnresolvedCustomer = -3.0
	wNegativeCustomer   = -1.5
	wNegatedResolved    = -2.0 // "it's not sorted", "hasn't been processed"
	wCustomerQuestion   = -1.5 // the customer's last turn is a question
	wUnansweredQuestion = -1.5 // the conversation ends on the agent's question
	wOpeningFactor      = 0.2  // customer turns before anyone answered describe the problem
	confidenceScale     = 0.9  // logistic slope turning the score into a confidence
)

// Resolver infers resolution with a compiled lexicon. It is immutable and
// safe for concurrent use.
type Resolver struct {
	agent, customer *phrase.Set
	agentSig        []signal // by label of agent
	customerSig     []signal // by label of customer
}

// NewResolver compiles the built-in resolution lexicon.
func NewResolver() (*Resolver, error) {
	return newResolver("resolution.txt", resolutionLexicon)
}

func newResolver(name, text string) (*Resolver, error) {
	lex, err := phrase.ParseLexicon(name, text)
	if err != nil {
		return nil, fmt.Errorf("resolution lexicon: %w", err)
	}
	// One set per side, so an agent phrase never hides a customer phrase at
	// the same place; look-alikes go to both.
	var agent, customer []phrase.Pattern
	for _, p := range lex.Patterns {
		if p.Label == "ignore" {
			agent = append(agent, p)
			customer = append(customer, p)
			continue
		}
		_, forCustomer, ok := signalOf(p.Label)
		if !ok {
			return nil, fmt.Errorf("resolution lexicon %s: unknown label [%s]", name, p.Label)
		}
		if forCustomer {
			customer = append(customer, p)
		} else {
			agent = append(agent, p)
		}
	}
	r := &Resolver{}
	if r.agent, r.agentSig, err = compileSide(name, agent, lex.Options); err != nil {
		return nil, err
	}
	if r.customer, r.customerSig, err = compileSide(name, customer, lex.Options); err != nil {
		return nil, err
	}
	return r, nil
}

func compileSide(name string, patterns []phrase.Pattern, opts phrase.Options) (*phrase.Set, []signal, error) {
	set, err := phrase.Compile(patterns, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("resolution lexicon %s: %w", name, err)
	}
	sigs := make([]signal, len(set.Labels()))
	for i, l := range set.Labels() {
		sigs[i], _, _ = signalOf(l) // sigNone for ignore
	}
	return set, sigs, nil
}

var defaultResolver = sync.OnceValue(func() *Resolver {
	r, err := NewResolver()
	if err != nil {
		panic(err) // the embedded lexicon is tested; failing here is a build defect
	}
	return r
})

// InferResolved infers from the conversation whether the customer's need
// was met, with the built-in lexicon. See Resolver.InferResolved.
func InferResolved(turns []Turn) (resolved bool, confidence float64, ev *Evidence) {
	return defaultResolver().InferResolved(turns)
}

// InferResolved infers from the conversation whether the customer's need
// was met. Confidence is in [0.5, 1) for a decision, the logistic of the
// signals' weighted sum; ev is the span of the signal that weighed most
// towards the decision (nil when no phrase decided it). With no turns it
// returns false, 0, nil; with turns but no signal at all, false, 0.5, nil.
//
// Only use it when the source does not record the outcome: a helpdesk's own
// "solved" status, or a bot's completed task, is better evidence.
func (r *Resolver) InferResolved(turns []Turn) (resolved bool, confidence float64, ev *Evidence) {
	if len(turns) == 0 {
		return false, 0, nil
	}
	var (
		score       float64
		best        Evidence
		bestWeight  float64 // signed contribution of the strongest signal each way
		bestNeg     Evidence
		bestNegW    float64
		answered    bool // an agent or bot has spoken
		askedClose  bool // the previous non-customer turn asked "anything else?"
		lastCust    = -1
		buf         [16]phrase.Match
		denominator = float64(max(len(turns)-1, 1))
	)
	// note adds a signal; the strongest each way is kept as evidence, a
	// later turn winning a tie (it is closer to the outcome).
	note := func(w float64, e Evidence) {
		score += w
		if w > 0 && (w > bestWeight || w == bestWeight && e.Turn > best.Turn) {
			bestWeight, best = w, e
		}
		if w < 0 && (w < bestNegW || w == bestNegW && e.Turn > bestNeg.Turn) {
			bestNegW, bestNeg = w, e
		}
	}
	for ti, t := range turns {
		recency := 0.4 + 0.6*float64(ti)/denominator
		customer := strings.EqualFold(t.Speaker, "customer")
		if !customer {
			closing := false
			for _, m := range r.agent.AppendMatches(buf[:0], t.Text) {
				e := Evidence{Turn: ti, Start: m.Start, End: m.End}
				switch sig := r.agentSig[m.Label]; {
				case sig == sigNone:
				case m.Negated && sig == sigResolvedAgent:
					note(wNegatedResolved*recency/2, e)
				case m.Negated:
				case sig == sigResolvedAgent:
					note(wResolvedAgent*recency, e)
				case sig == sigUnresolvedAgent:
					note(wUnresolvedAgent*recency, e)
				case sig == sigClosingQuestion:
					closing = true
					note(wClosingQuestion*recency, e)
				}
			}
			answered, askedClose = true, closing
			continue
		}
		lastCust = ti
		factor := recency
		if !answered {
			factor *= wOpeningFactor
		}
		for _, m := range r.customer.AppendMatches(buf[:0], t.Text) {
			e := Evidence{Turn: ti, Start: m.Start, End: m.End}
			switch sig := r.customerSig[m.Label]; {
			case sig == sigNone:
			case m.Negated && sig == sigResolvedCustomer:
				note(wNegatedResolved*factor, e)
			case m.Negated:
			case sig == sigResolvedCustomer:
				note(wResolvedCustomer*factor, e)
			case sig == sigThanks:
				note(wThanks*factor, e)
			case sig == sigReplyDone && askedClose:
				note(wReplyAfterClosing*factor, e)
			case sig == sigUnresolvedCustomer:
				note(wUnresolvedCustomer*factor, e)
			case sig == sigNegativeCustomer:
				note(wNegativeCustomer*factor, e)
			}
		}
		askedClose = false
	}
	decided := score != 0
	// Structural signals: who had the last word, and was it a question.
	if lastCust >= 0 && answered && endsWithQuestion(turns[lastCust].Text) {
		score += wCustomerQuestion
		decided = true
	}
	if last := turns[len(turns)-1]; !strings.EqualFold(last.Speaker, "customer") &&
		endsWithQuestion(last.Text) && !askedClose {
		// The agent asked for something and the customer never answered
		// (a closing question alone does not count: the customer may just
		// have left satisfied).
		score += wUnansweredQuestion
		decided = true
	}
	if !decided {
		return false, 0.5, nil
	}
	resolved = score > 0
	confidence = 1 / (1 + math.Exp(-confidenceScale*math.Abs(score)))
	switch {
	case resolved && bestWeight > 0:
		ev = &best
	case !resolved && bestNegW < 0:
		ev = &bestNeg
	}
	return resolved, confidence, ev
}

// endsWithQuestion reports whether text, ignoring trailing spaces and
// closing quotes or brackets, ends with a question mark.
func endsWithQuestion(text string) bool {
	t := strings.TrimRight(text, " \t\r\n\"')]”’")
	return strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？")
}
