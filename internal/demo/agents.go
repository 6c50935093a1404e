package demo

import (
	"fmt"
	"strconv"
)

// Teams own queues; partners employ agents.
const (
	teamBilling = iota
	teamDeliveries
	teamRetention
	teamGeneral
	numTeams
)

func teamNames() []string { return []string{"billing", "deliveries", "retention", "general"} }

func teamOf(queue string) int {
	for i, n := range teamNames() {
		if n == queue {
			return i
		}
	}
	return teamGeneral
}

const (
	partnerInHouse = iota
	partnerNorthwind
	partnerCoastline
	numPartners
)

// partnerSpec is how one employer's agents behave before any drift.
type partnerSpec struct {
	name       string
	skill      float64 // mean agent skill, 0..1
	greetMiss  float64 // chance an agent skips the greeting
	noticeMiss float64 // chance of no recording notice on a call
	empathy    float64 // chance of an empathy statement when one is needed
	verifyMiss float64 // chance of skipping identity verification
	prohibited float64 // chance of a prohibited phrase with an upset customer
	// agents per team: billing, deliveries, retention, general
	staff [numTeams]int
}

func partners() []partnerSpec {
	return []partnerSpec{
		{name: "in-house", skill: 0.80, greetMiss: 0.03, noticeMiss: 0.02, empathy: 0.86, verifyMiss: 0.04, prohibited: 0.004,
			staff: [numTeams]int{12, 12, 12, 12}},
		{name: "Northwind BPO", skill: 0.73, greetMiss: 0.06, noticeMiss: 0.05, empathy: 0.74, verifyMiss: 0.08, prohibited: 0.010,
			staff: [numTeams]int{12, 14, 4, 10}},
		{name: "Coastline Contact", skill: 0.77, greetMiss: 0.05, noticeMiss: 0.04, empathy: 0.80, verifyMiss: 0.06, prohibited: 0.006,
			staff: [numTeams]int{0, 14, 0, 18}},
	}
}

// Routing shares: which employer answers each team's queue.
func teamPartnerShare() [numTeams][numPartners]float64 {
	return [numTeams][numPartners]float64{
		teamBilling:    {0.55, 0.45, 0},
		teamDeliveries: {0.30, 0.35, 0.35},
		teamRetention:  {0.85, 0.15, 0},
		teamGeneral:    {0.30, 0.30, 0.40},
	}
}

// agent is one human on the roster.
type agent struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Team    string  `json:"team"`
	Partner string  `json:"partner"`
	Skill   float64 `json:"skill"`
	// BadApple marks the few agents who use prohibited phrases far more often.
	BadApple bool `json:"bad_apple,omitempty"`

	team, partner int
	first         string
	ref           []byte // the prebuilt JSON "agent" object
}

// newRoster builds the 120 agents deterministically from the seed.
func newRoster(seed int64) ([]agent, [numTeams][numPartners][]int) {
	g := newRNG(uint64(seed), 0xa6e47)
	firsts, lasts := firstNames(), lastNames()
	tn := teamNames()
	var out []agent
	var byTeam [numTeams][numPartners][]int
	n := 0
	for p, ps := range partners() {
		for t := 0; t < numTeams; t++ {
			for k := 0; k < ps.staff[t]; k++ {
				n++
				a := agent{
					ID:      fmt.Sprintf("A%03d", n),
					Team:    tn[t],
					Partner: ps.name,
					team:    t,
					partner: p,
				}
				a.first = pickString(g, firsts)
				a.Name = a.first + " " + pickString(g, lasts)
				a.Skill = round3(clamp(ps.skill+0.07*g.norm(), 0.4, 0.97))
				a.BadApple = g.chance(0.04)
				ref := []byte(`{"id":`)
				ref = appendJSONString(ref, a.ID)
				ref = append(ref, `,"name":`...)
				ref = appendJSONString(ref, a.Name)
				ref = append(ref, `,"team":`...)
				ref = appendJSONString(ref, a.Team)
				ref = append(ref, `,"partner":`...)
				ref = appendJSONString(ref, a.Partner)
				a.ref = append(ref, '}')
				byTeam[t][p] = append(byTeam[t][p], len(out))
				out = append(out, a)
			}
		}
	}
	return out, byTeam
}

func round3(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 3, 64), 64)
	return f
}
