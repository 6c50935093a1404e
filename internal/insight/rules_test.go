package insight

import (
	"math"
	"strings"
	"testing"
)

// fit builds an intent's evidence from counts: n contacts, bot of them
// bot-started, contained of those, CSAT hits/answers per side, repeats per
// side, anger and vulnerable counts.
type fitCase struct {
	n, bot, contained, resolvedContained int64
	early, late                          [2]int64 // contained, bot-started per half
	csatBot, csatHuman                   [2]int64 // satisfied, answered
	repBot, repHuman                     int64
	resolved, angry, vulnerable          int64
}

func (c fitCase) fit() *IntentFit {
	f := &IntentFit{Intent: "x", Contacts: c.n}
	f.BotShare = wilson(c.bot, c.n)
	if c.bot > 0 {
		f.Containment = wilson(c.contained, c.bot)
		f.ResolvedContainment = wilson(c.resolvedContained, c.bot)
		f.RepeatBot = wilson(c.repBot, c.bot)
	}
	f.RepeatHuman = wilson(c.repHuman, c.n-c.bot)
	f.ContainmentEarly = wilson(c.early[0], c.early[1])
	f.ContainmentLate = wilson(c.late[0], c.late[1])
	f.CSATBot = wilson(c.csatBot[0], c.csatBot[1])
	f.CSATHuman = wilson(c.csatHuman[0], c.csatHuman[1])
	f.Resolution = wilson(c.resolved, c.n)
	f.AngerShare = wilson(c.angry, c.n)
	f.VulnerableShare = wilson(c.vulnerable, c.n)
	f.CostPerContactBot, f.CostPerContactHuman = Est{N: c.bot, Value: f64(60)}, Est{N: c.n - c.bot, Value: f64(450)}
	return f
}

func TestDecide(t *testing.T) {
	steady := func(contained, bot int64) ([2]int64, [2]int64) {
		return [2]int64{contained / 2, bot / 2}, [2]int64{contained - contained/2, bot - bot/2}
	}
	e, l := steady(920, 1000)
	e2, l2 := steady(200, 1000)
	e3, l3 := steady(700, 1000)
	for _, tc := range []struct {
		name string
		c    fitCase
		want string
		says string
	}{
		{"too few contacts", fitCase{n: 12, bot: 6, contained: 5}, NotEnoughData, "Only 12 contacts"},
		{"bot as good as people, half still human: automate more",
			fitCase{n: 2000, bot: 1000, contained: 920, resolvedContained: 870, early: e, late: l, csatBot: [2]int64{380, 400},
				csatHuman: [2]int64{330, 400}, repBot: 80, repHuman: 110, resolved: 1850, angry: 200, vulnerable: 50},
			AutomateMore, "saved about 3,900"},
		{"bot upsets customers and cannot finish: keep human",
			fitCase{n: 500, bot: 250, contained: 40, resolvedContained: 30, early: e2, late: l2, csatBot: [2]int64{4, 45},
				csatHuman: [2]int64{40, 65}, repBot: 60, repHuman: 15, resolved: 350, angry: 300, vulnerable: 20},
			KeepHuman, "satisfied 8.9%"},
		{"many vulnerable customers: keep human even when the bot copes",
			fitCase{n: 500, bot: 250, contained: 200, resolvedContained: 190, early: [2]int64{100, 125}, late: [2]int64{100, 125},
				csatBot: [2]int64{40, 50}, csatHuman: [2]int64{40, 50}, repBot: 10, repHuman: 10, resolved: 450, angry: 50, vulnerable: 60},
			KeepHuman, "vulnerability"},
		{"bot takes volume and rarely contains: fix the bot",
			fitCase{n: 1000, bot: 500, contained: 100, resolvedContained: 95, early: e2, late: l2, csatBot: [2]int64{75, 130},
				csatHuman: [2]int64{115, 175}, repBot: 130, repHuman: 60, resolved: 680, angry: 330, vulnerable: 15},
			FixBot, "contains only 20%"},
		{"bot got worse between halves: fix the bot",
			fitCase{n: 800, bot: 400, contained: 260, resolvedContained: 250, early: [2]int64{180, 200}, late: [2]int64{80, 200},
				csatBot: [2]int64{80, 100}, csatHuman: [2]int64{80, 100}, repBot: 40, repHuman: 30, resolved: 700, angry: 100, vulnerable: 20},
			FixBot, "fell from 90%"},
		{"bot contains but customers come back: fix the bot",
			fitCase{n: 1000, bot: 500, contained: 400, resolvedContained: 320, early: [2]int64{200, 250}, late: [2]int64{200, 250},
				csatBot: [2]int64{80, 100}, csatHuman: [2]int64{80, 100}, repBot: 120, repHuman: 40, resolved: 850, angry: 100, vulnerable: 20},
			FixBot, "come back"},
		{"middling bot: no change",
			fitCase{n: 2000, bot: 1000, contained: 700, resolvedContained: 680, early: e3, late: l3, csatBot: [2]int64{85, 100},
				csatHuman: [2]int64{80, 100}, repBot: 100, repHuman: 90, resolved: 1800, angry: 200, vulnerable: 40},
			NoChange, "between the 50%"},
		{"mostly human, routine, resolved: automate more",
			fitCase{n: 600, bot: 30, contained: 20, resolvedContained: 20, early: [2]int64{10, 15}, late: [2]int64{10, 15},
				csatBot: [2]int64{5, 6}, csatHuman: [2]int64{150, 170}, repBot: 2, repHuman: 30, resolved: 570, angry: 30, vulnerable: 6},
			AutomateMore, "pilot on the bot"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.c.fit()
			DefaultRules().decide(f, tc.c.n-tc.c.bot)
			if f.Recommendation != tc.want {
				t.Fatalf("%s, want %s: %q", f.Recommendation, tc.want, f.Reasons)
			}
			if !strings.Contains(strings.Join(f.Reasons, " "), tc.says) {
				t.Errorf("reasons lack %q: %q", tc.says, f.Reasons)
			}
		})
	}
}

func TestWilsonAndDifferences(t *testing.T) {
	// Wilson 95% for 10/20: 0.2993–0.7007 (Newcombe 1998, table I).
	w := wilson(10, 20)
	if math.Abs(*w.Low-0.2993) > 1e-4 || math.Abs(*w.High-0.7007) > 1e-4 {
		t.Errorf("wilson(10, 20) = %.4f–%.4f", *w.Low, *w.High)
	}
	// Newcombe 1998 (table II, example a): 56/70 − 48/80, method 10 gives
	// 0.0524 to 0.3339.
	d := diffProportions(56, 70, 48, 80)
	if math.Abs(d.Low-0.0524) > 1e-3 || math.Abs(d.High-0.3339) > 1e-3 || !d.Clear {
		t.Errorf("diff 56/70 − 48/80 = %.4f (%.4f–%.4f)", d.Value, d.Low, d.High)
	}
	if d := diffProportions(5, 10, 5, 10); d.Clear || d.Value != 0 {
		t.Errorf("equal proportions: %+v", d)
	}
	// Welch: means 5 and 3 of {4,5,6} and {2,3,4}: difference 2, se √(2/3),
	// df 4, t 2.776 → ±2.267.
	m := diffMeans(3, 15, 77, 3, 9, 29)
	if math.Abs(m.Value-2) > 1e-9 || math.Abs(m.High-m.Value-2.2666) > 1e-3 {
		t.Errorf("welch: %+v", m)
	}
	e := meanEst(3, 15, 77)
	if math.Abs(*e.High-5-2.4841) > 1e-3 { // t(2) = 4.303, sd 1, √3
		t.Errorf("mean interval: %+v", e)
	}
}

func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{Money(4056932036, "GBP"), "£40,600,000"},
		{Money(4100000, "GBP"), "£41,000"},
		{Money(12345, "EUR"), "€123"},
		{Money(492, "GBP"), "£4.92"},
		{Money(-1500, "USD"), "−$15.00"},
		{Money(150000, "SEK"), "1,500 SEK"},
		{Pct(0.2748), "27%"},
		{Pct(0.068), "6.8%"},
		{pctEst(wilson(10, 20)), "50% (30–70%, n=20)"},
		{Times(2.0836), "2.1×"},
		{Count(1234567), "1,234,567"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
