package demo

import (
	"errors"
	"fmt"
	"strings"
)

// Slots a template can name. PII slots are counted whenever a customer turn uses them.
const (
	slotFirst = iota
	slotAgent
	slotDay
	slotNewDay
	slotItem
	slotRecipe
	slotAmount
	slotRefund
	slotWhen
	slotPlan
	slotNewPlan
	slotCode
	slotDiet
	slotAllergen
	slotWeeks
	slotCourier
	slotOrder
	slotETA
	slotPrice
	slotIncrease
	slotTenure
	slotTeam
	slotWait
	slotDaypart
	slotFullName
	slotPostcode // PII from here on
	slotDOB
	slotEmail
	slotPhone
	slotCard
	slotBank
	numSlots
)

const firstPIISlot = slotPostcode

func slotNames() []string {
	return []string{"first", "agent", "day", "newday", "item", "recipe", "amount", "refund", "when", "plan", "newplan",
		"code", "diet", "allergen", "weeks", "courier", "order", "eta", "price", "increase", "tenure", "team", "wait",
		"daypart", "fullname", "postcode", "dob", "email", "phone", "card", "bank"}
}

// PII kinds as truth.json and truth-pii.csv name them, indexed by slot - firstPIISlot.
func piiKinds() []string {
	return []string{"postcode", "date_of_birth", "email", "phone", "card_number", "bank_account"}
}

const numPII = numSlots - firstPIISlot

// piece is a run of literal text followed by an optional slot (-1 for none).
type piece struct {
	lit  string
	slot int
}

// template is a parsed phrase.
type template struct {
	pieces []piece
	pii    uint32 // bit per PII slot used
}

var errTemplate = errors.New("bad template")

// parseTemplate splits "Hi {first}, …" into pieces. Unknown slot names and unbalanced braces are errors.
func parseTemplate(s string) (template, error) {
	var t template
	names := slotNames()
	rest := s
	for {
		open := strings.IndexByte(rest, '{')
		closeAt := strings.IndexByte(rest, '}')
		if open < 0 {
			if closeAt >= 0 {
				return template{}, fmt.Errorf("%w %q: '}' without '{'", errTemplate, s)
			}
			if rest != "" {
				t.pieces = append(t.pieces, piece{lit: rest, slot: -1})
			}
			return t, nil
		}
		if closeAt >= 0 && closeAt < open {
			return template{}, fmt.Errorf("%w %q: '}' without '{'", errTemplate, s)
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return template{}, fmt.Errorf("%w %q: unclosed '{'", errTemplate, s)
		}
		name := rest[open+1 : open+end]
		slot := -1
		for i, n := range names {
			if n == name {
				slot = i
				break
			}
		}
		if slot < 0 {
			return template{}, fmt.Errorf("%w %q: unknown slot {%s}", errTemplate, s, name)
		}
		if slot >= firstPIISlot {
			t.pii |= 1 << (slot - firstPIISlot)
		}
		t.pieces = append(t.pieces, piece{lit: rest[:open], slot: slot})
		rest = rest[open+end+1:]
	}
}

func parseAll(ss []string) ([]template, error) {
	out := make([]template, len(ss))
	for i, s := range ss {
		t, err := parseTemplate(s)
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

// phrasebook is the parsed phrase bank, built once per Write.
type phrasebook struct {
	intents []intentPhrases
	common  commonPhrases
}

type intentPhrases struct {
	openers, details, asks, solves, fails []template
}

type commonPhrases struct {
	vulnCues                                                          [numVuln][]template
	bereavementOpen, politeOpen, politeClose                          []template
	frustrated, angry, repeatPrefix, rephrase                         []template
	botGreet, botClarify, botVerify, botHandoff                       []template
	botGiveUp, botElse, botBye, botEmotion                            []template
	custBotFail, custWaiting                                          []template
	agentGreetVoice, recordingNotice, agentGreetChat                  []template
	agentGreetBare, agentVerify, agentVerified                        []template
	empathy                                                           []template
	empathyVuln                                                       [numVuln][]template
	prohibited, transfer, agentElse, agentBye                         []template
	agentByeBare, agentUnresolved                                     []template
	custResolved, custUnresolved, custNothing                         []template
	custVerify, retort                                                []template
	agentHold, custOK, botConfirm, custYes, custBye, followQ, followA []template
	emailOpen, emailClose, agentEmail, socialAck                      []template
	surveyGood, surveyOK, surveyBad, surveyBadBot                     []template
	surveyBadWait, surveyBadRude                                      []template
	spontaneousPII                                                    []template
	cardLine, bankLine                                                []template
}

func newPhrasebook() (*phrasebook, error) {
	texts := intentTexts()
	if len(texts) != numIntents {
		return nil, fmt.Errorf("phrase bank has %d intents, taxonomy has %d", len(texts), numIntents)
	}
	pb := &phrasebook{intents: make([]intentPhrases, numIntents)}
	var err error
	p := func(ss []string) []template {
		if err != nil {
			return nil
		}
		var t []template
		t, err = parseAll(ss)
		return t
	}
	for i, t := range texts {
		pb.intents[i] = intentPhrases{openers: p(t.openers), details: p(t.details), asks: p(t.asks), solves: p(t.solves), fails: p(t.fails)}
		if err == nil && (len(t.openers) == 0 || len(t.details) == 0 || len(t.asks) == 0 || len(t.solves) == 0 || len(t.fails) == 0) {
			err = fmt.Errorf("intent %d has an empty phrase list", i)
		}
	}
	c := commonTexts()
	cp := &pb.common
	for k := 1; k < numVuln; k++ {
		cp.vulnCues[k] = p(c.vulnCues[k])
		cp.empathyVuln[k] = p(c.empathyVuln[k])
	}
	cp.bereavementOpen, cp.politeOpen, cp.politeClose = p(c.bereavementOpen), p(c.politeOpen), p(c.politeClose)
	cp.frustrated, cp.angry, cp.repeatPrefix, cp.rephrase = p(c.frustrated), p(c.angry), p(c.repeatPrefix), p(c.rephrase)
	cp.botGreet, cp.botClarify, cp.botVerify, cp.botHandoff = p(c.botGreet), p(c.botClarify), p(c.botVerify), p(c.botHandoff)
	cp.botGiveUp, cp.botElse, cp.botBye, cp.botEmotion = p(c.botGiveUp), p(c.botElse), p(c.botBye), p(c.botEmotion)
	cp.custBotFail, cp.custWaiting = p(c.custBotFail), p(c.custWaiting)
	cp.agentGreetVoice, cp.recordingNotice, cp.agentGreetChat = p(c.agentGreetVoice), p(c.recordingNotice), p(c.agentGreetChat)
	cp.agentGreetBare, cp.agentVerify, cp.agentVerified = p(c.agentGreetBare), p(c.agentVerify), p(c.agentVerified)
	cp.empathy = p(c.empathy)
	cp.prohibited, cp.transfer, cp.agentElse, cp.agentBye = p(c.prohibited), p(c.transfer), p(c.agentElse), p(c.agentBye)
	cp.agentByeBare, cp.agentUnresolved = p(c.agentByeBare), p(c.agentUnresolved)
	cp.custResolved, cp.custUnresolved, cp.custNothing = p(c.custResolved), p(c.custUnresolved), p(c.custNothing)
	cp.custVerify, cp.retort = p(c.custVerify), p(c.retort)
	cp.agentHold, cp.custOK, cp.botConfirm, cp.custYes = p(c.agentHold), p(c.custOK), p(c.botConfirm), p(c.custYes)
	cp.custBye, cp.followQ, cp.followA = p(c.custBye), p(c.followQ), p(c.followA)
	cp.emailOpen, cp.emailClose, cp.agentEmail, cp.socialAck = p(c.emailOpen), p(c.emailClose), p(c.agentEmail), p(c.socialAck)
	cp.surveyGood, cp.surveyOK, cp.surveyBad, cp.surveyBadBot = p(c.surveyGood), p(c.surveyOK), p(c.surveyBad), p(c.surveyBadBot)
	cp.surveyBadWait, cp.surveyBadRude = p(c.surveyBadWait), p(c.surveyBadRude)
	cp.spontaneousPII = p([]string{
		"You can reach me on {phone}.",
		"My email is {email} if that helps.",
		"Please call me back on {phone}.",
		"My postcode is {postcode}.",
		"Account email: {email}",
	})
	cp.cardLine = p([]string{
		"My new card is {card}, can you put it on the account?",
		"Card number {card}, expiry 09/29.",
		"Can you just take it from {card}?",
	})
	cp.bankLine = p([]string{
		"Please refund it to my bank account instead: {bank}.",
		"Can you pay it back to {bank}?",
	})
	if err != nil {
		return nil, fmt.Errorf("demo phrase bank: %w", err)
	}
	return pb, nil
}

// slotValues holds one contact's slot fillers. A value is either a constant string or bytes in the
// contact's scratch buffer; slots marked pending are made by resolve on first use.
type slotValues struct {
	s       [numSlots]string
	b       [numSlots][]byte
	pending uint64
	resolve func(slot int)
}

func (v *slotValues) setS(slot int, s string) { v.s[slot], v.b[slot] = s, nil; v.pending &^= 1 << slot }
func (v *slotValues) setB(slot int, b []byte) { v.s[slot], v.b[slot] = "", b; v.pending &^= 1 << slot }

// appendValue appends a slot's value, making it first if it is pending.
func (v *slotValues) appendValue(dst []byte, slot int) []byte {
	if v.pending&(1<<slot) != 0 && v.resolve != nil {
		v.resolve(slot)
	}
	if b := v.b[slot]; b != nil {
		return append(dst, b...)
	}
	return append(dst, v.s[slot]...)
}

// fill appends the rendered template.
func fill(dst []byte, t template, v *slotValues) []byte {
	for _, p := range t.pieces {
		dst = append(dst, p.lit...)
		if p.slot >= 0 {
			dst = v.appendValue(dst, p.slot)
		}
	}
	return dst
}
