package sentiment

import "math"

// unit is a token or a matched phrase with what the lexicon says about it.
type unit struct {
	e      entry
	flags  uint8 // token flags; for a phrase, those of its first token
	brk    uint8 // the break before the unit
	clause int32
	sent   int32
	v      float32 // valence after negation, boosters and emphasis
}

// rules are the constants of the lexicon scorer. They live in a value, not
// in package variables, so that a tuning experiment cannot leak into
// another model.
type rules struct {
	negPos      float32 // multiplies a negated positive valence ("not good")
	negNeg      float32 // multiplies a negated negative valence ("not bad")
	capsIncr    float32 // added to the magnitude of an ALL-CAPS word in a mixed-case message
	elongIncr   float32 // added to the magnitude of an elongated word ("sooo good")
	butBefore   float32 // weight of the clause before "but" in the same sentence
	butAfter    float32 // weight of what follows "but"
	politeNeg   float32 // weight of courtesy words when the rest of the message is negative
	negWeight   float32 // customers state complaints mildly: a negative valence counts this much more
	exclIncr    float64 // per '!' (up to four), added to the magnitude of the sum
	questionNeg float64 // a complaint question ("why…?") moves the sum this much towards negative
	irrealis    float32 // multiplies praise that is only wished for ("would be nice if…")
	questionPos float32 // multiplies praise inside a question ("can you help me, please?")
	bareNeg     float64 // a negator with nothing scored after it: "can't find it", "didn't get"
	alpha       float64 // normalisation: compound = s / sqrt(s² + alpha)
	lo, hi      float64 // compound ≤ lo is negative, ≥ hi positive, between is neutral
}

// defaultRules were set on public customer-service tweets (see the package
// tests); they are deliberately few so that they carry over to other sets.
func defaultRules() rules {
	return rules{
		negPos:      -0.74,
		negNeg:      -0.4,
		capsIncr:    0.733,
		elongIncr:   0.3,
		butBefore:   0.5,
		butAfter:    1.5,
		politeNeg:   0.2,
		negWeight:   1.5,
		exclIncr:    0.292,
		questionNeg: 0.6,
		irrealis:    -0.3,
		questionPos: 0.3,
		bareNeg:     0.8,
		alpha:       15,
		lo:          -0.05,
		hi:          0.35,
	}
}

// breakdown is what the lexicon scorer found in a message; the trained model
// uses it as features.
type breakdown struct {
	compound float64
	pos, neg float64 // weighted sums of positive and negative valences
	polite   float64
	hits     int // units with a valence
}

// analyse scores the tokens in s with rules r.
func (lx *lexicon) analyse(s *scratch, r *rules) breakdown {
	lx.match(s)
	units := s.units
	// Caps are emphasis only when some but not most words are shouted.
	capsEmph := s.caps > 0 && s.caps*2 < s.words
	var b breakdown
	complaintQ := false
	for i := range units {
		u := &units[i]
		e := u.e
		if e.flags&eQuestion != 0 {
			complaintQ = true
		}
		if e.flags&eNegator != 0 && e.val == 0 && r.bareNeg != 0 {
			// In service messages an unmet expectation is a complaint even
			// when nothing after the negator is a sentiment word.
			bare := true
			for j := i + 1; j < len(units) && j <= i+3 && units[j].clause == u.clause && units[j].e.flags&eContrast == 0; j++ {
				if units[j].e.val != 0 || units[j].e.flags&(eNegSet|eNegator) != 0 {
					bare = false
					break
				}
			}
			if bare && i+1 < len(units) && units[i+1].clause == u.clause && units[i+1].e.flags&eContrast == 0 {
				b.neg -= r.bareNeg
				b.hits++
			}
		}
		if (e.val == 0 && e.flags&eNegSet == 0) || u.flags&tNumber != 0 {
			continue // numbers are flight and order numbers, not "1337"
		}
		v := e.val
		sign := float32(1)
		if v < 0 {
			sign = -1
		}
		if v != 0 {
			if capsEmph && u.flags&tCaps != 0 {
				v += sign * r.capsIncr
			}
			if u.flags&tElong != 0 {
				v += sign * r.elongIncr
			}
		}
		negated, wished := false, false
		for k := 1; k <= 4 && i-k >= 0; k++ {
			p := &units[i-k]
			if p.clause != u.clause || p.e.flags&eContrast != 0 {
				break // "no, but seriously wtf": modifiers do not reach across "but"
			}
			if p.e.flags&eIrrealis != 0 {
				wished = true
			}
			if k == 4 {
				break
			}
			if p.e.boost != 0 && v != 0 {
				bst := p.e.boost * (1.05 - 0.05*float32(k)) // 1, .95, .9 with distance
				if capsEmph && p.flags&tCaps != 0 && bst > 0 {
					bst += r.capsIncr
				}
				v += sign * bst
				if v*sign < 0 {
					v = 0 // a dampener cannot flip the sign
				}
			}
			if p.e.flags&eNegator != 0 {
				negated = true
			}
		}
		if negated {
			switch {
			case e.flags&eNegSet != 0:
				v = e.negVal
			case v > 0:
				v *= r.negPos
			default:
				v *= r.negNeg
			}
		}
		if wished && v > 0 {
			v *= r.irrealis
		}
		if v > 0 && u.flags&tQuestion != 0 {
			v *= r.questionPos
		}
		u.v = v
		if v != 0 {
			b.hits++
		}
	}
	// Contrast: within a sentence, what follows the last "but" outweighs
	// what came before it.
	for a := 0; a < len(units); {
		z := a
		for z < len(units) && units[z].sent == units[a].sent {
			z++
		}
		last := -1
		for j := a; j < z; j++ {
			if units[j].e.flags&eContrast != 0 {
				last = j
			}
		}
		for j := a; j < z; j++ {
			u := &units[j]
			if u.v == 0 {
				continue
			}
			w := float32(1)
			if last >= 0 {
				if j < last {
					w = r.butBefore
				} else {
					w = r.butAfter
				}
			}
			v := float64(u.v * w)
			switch {
			case u.e.flags&ePolite != 0 && v > 0:
				b.polite += v
			case v > 0:
				b.pos += v
			default:
				b.neg += v * float64(r.negWeight)
			}
		}
		a = z
	}
	sum := b.pos + b.neg
	// Courtesy is not praise: "thanks" closing a complaint stays a complaint.
	if sum < 0 {
		sum += b.polite * float64(r.politeNeg)
	} else {
		sum += b.polite
	}
	if complaintQ && s.quest > 0 {
		sum -= r.questionNeg
	}
	if sum != 0 && s.excl > 0 {
		sum += math.Copysign(float64(min(s.excl, 4))*r.exclIncr, sum)
	}
	b.compound = sum / math.Sqrt(sum*sum+r.alpha)
	return b
}

// match turns s.toks into s.units, joining phrases (longest match wins).
func (lx *lexicon) match(s *scratch) {
	toks := s.toks
	var clause, sent int32
	for i := 0; i < len(toks); {
		t := &toks[i]
		switch t.brk {
		case brkSentence, brkQuestion:
			sent++
			clause++
		case brkClause:
			clause++
		}
		e, ok := lx.m[t.h]
		n := 1
		if ok && e.flags&ePrefix != 0 {
			k := t.h
			for j := i + 1; j < len(toks) && j-i < lx.maxPhrase; j++ {
				if toks[j].brk >= brkSentence {
					break
				}
				k = combine(k, toks[j].h)
				pe, pok := lx.m[k]
				if !pok {
					break
				}
				if pe.flags&eWord != 0 {
					e, n = pe, j-i+1
				}
				if pe.flags&ePrefix == 0 {
					break
				}
			}
		}
		if n == 1 && (!ok || e.flags&eWord == 0) && t.flags&tElong != 0 {
			e, ok = lx.m[s.collapsedHash(t)]
		}
		if e.flags&eWord == 0 {
			e = entry{}
		}
		if e.flags&eNegator != 0 {
			t.flags |= tNegator
		}
		fl := t.flags
		if n > 1 {
			fl &^= tNumber // "45 minutes" is a phrase, not a number
		}
		s.units = append(s.units, unit{e: e, flags: fl, brk: t.brk, clause: clause, sent: sent})
		// A phrase ends where its last token does; breaks inside it still count.
		for j := i + 1; j < i+n; j++ {
			switch toks[j].brk {
			case brkSentence, brkQuestion:
				sent++
				clause++
			case brkClause:
				clause++
			}
		}
		i += n
	}
	// Mark the units of sentences that end with '?', walking backwards
	// because a sentence's end is the break before the next one.
	q := s.endQ
	for i := len(s.units) - 1; i >= 0; i-- {
		u := &s.units[i]
		if q {
			u.flags |= tQuestion
		}
		if u.brk >= brkSentence {
			q = u.brk == brkQuestion
		}
	}
}
