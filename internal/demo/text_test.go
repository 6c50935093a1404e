package demo

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestTaxonomy(t *testing.T) {
	specs := Intents()
	if len(specs) < 25 || len(specs) > 40 || len(specs) != numIntents {
		t.Fatalf("%d intents, want 25–40 and numIntents=%d", len(specs), numIntents)
	}
	stages := map[string]bool{"marketing": true, "sales": true, "onboarding": true, "service": true, "fulfilment": true, "billing": true, "retention": true}
	queues := map[string]bool{"billing": true, "deliveries": true, "retention": true, "general": true}
	ids := map[string]bool{}
	verdicts := map[string]int{}
	seenStage := map[string]bool{}
	for _, s := range specs {
		if ids[s.ID] || s.ID == "" || s.Label == "" || s.Description == "" {
			t.Errorf("intent %+v: empty or duplicate id", s)
		}
		ids[s.ID] = true
		if !stages[s.Stage] || !queues[s.Queue] {
			t.Errorf("%s: stage %q queue %q", s.ID, s.Stage, s.Queue)
		}
		seenStage[s.Stage] = true
		for _, p := range []float64{s.BotUnderstanding, s.BotSkill, s.EmotionalWeight, s.HumanResolution} {
			if p < 0 || p > 1 {
				t.Errorf("%s: probability %v out of range", s.ID, p)
			}
		}
		if s.Automation != "" {
			verdicts[s.Automation]++
			if s.AutomationReason == "" {
				t.Errorf("%s: verdict without a reason", s.ID)
			}
		}
	}
	if len(seenStage) != len(stages) {
		t.Errorf("stages covered: %v", seenStage)
	}
	for _, v := range []string{AutomateMore, KeepHuman, FixBot} {
		if verdicts[v] == 0 {
			t.Errorf("no intent marked %s", v)
		}
	}
	// The index constants the simulation uses must name the right intents.
	for i, want := range map[int]string{iWhereIsMyBox: "where_is_my_box", iSkipWeek: "skip_week", iCancelSubscription: "cancel_subscription",
		iRefundRequest: "refund_request", iPromoCode: "promo_code", iChangeDeliveryDay: "change_delivery_day", iOther: "other",
		iPaymentFailed: "payment_failed", iPriceIncrease: "price_increase", iDeleteAccount: "delete_account"} {
		if specs[i].ID != want {
			t.Errorf("index %d is %s, want %s", i, specs[i].ID, want)
		}
	}
	if _, err := newPhrasebook(); err != nil {
		t.Fatalf("phrase bank: %v", err)
	}
}

func TestParseTemplate(t *testing.T) {
	for _, tc := range []struct {
		in     string
		pieces int
		pii    uint32
		bad    bool
	}{
		{"plain text", 1, 0, false},
		{"", 0, 0, false},
		{"Hi {first}, your {day} box", 3, 0, false},
		{"{email}", 1, 1 << (slotEmail - firstPIISlot), false},
		{"{fullname}, {postcode}", 2, 1 << (slotPostcode - firstPIISlot), false},
		{"{nope}", 0, 0, true},
		{"open { brace", 0, 0, true},
		{"close } brace", 0, 0, true},
		{"}{first}", 0, 0, true},
	} {
		tp, err := parseTemplate(tc.in)
		if (err != nil) != tc.bad {
			t.Errorf("parseTemplate(%q) error = %v, want bad=%v", tc.in, err, tc.bad)
			continue
		}
		if !tc.bad && (len(tp.pieces) != tc.pieces || tp.pii != tc.pii) {
			t.Errorf("parseTemplate(%q) = %d pieces pii %b, want %d pii %b", tc.in, len(tp.pieces), tp.pii, tc.pieces, tc.pii)
		}
	}
}

// FuzzParseTemplate: parsing never panics, and filling every slot with its own "{name}" gives back the input.
func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{"Hi {first}", "{item} is missing", "{", "}", "{{first}}", "£{amount} on {day}.", "{email}{phone}"} {
		f.Add(s)
	}
	var v slotValues
	for i, n := range slotNames() {
		v.setS(i, "{"+n+"}")
	}
	f.Fuzz(func(t *testing.T, s string) {
		tp, err := parseTemplate(s)
		if err != nil {
			return
		}
		if got := string(fill(nil, tp, &v)); got != s {
			t.Fatalf("fill(parse(%q)) = %q", s, got)
		}
	})
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "new\nline\ttab\r", "ctrl \x01\x1f", "£54.99 crème fraîche 🙂", "Hearth & Harvest <b>"} {
		b := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("appendJSONString(%q) = %s, decodes to %q (%v)", s, b, back, err)
		}
		if string(appendJSONString(nil, []byte(s))) != string(b) {
			t.Errorf("appendJSONBytes and appendJSONString disagree on %q", s)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "x\\y", "\n\t", "🙂 £"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the generator only writes valid UTF-8
		}
		b := appendJSONString([]byte("x"), s)
		var back string
		if err := json.Unmarshal(b[1:], &back); err != nil {
			t.Fatalf("invalid JSON %s: %v", b, err)
		}
		if back != s {
			t.Fatalf("round trip %q -> %q", s, back)
		}
	})
}

func TestAppendTimeMatchesTimeFormat(t *testing.T) {
	for _, u := range []int64{0, 1, 86399, 951782400, 1709164800, DefaultEnd().Unix() - 1, 4102444800, -86400, -1} {
		want := `"` + time.Unix(u, 0).UTC().Format(time.RFC3339) + `"`
		if got := string(appendTime(nil, u)); got != want {
			t.Errorf("appendTime(%d) = %s, want %s", u, got, want)
		}
	}
	g := newRNG(1, 2)
	var tc timeCache
	u := int64(1700000000)
	for range 20000 {
		if g.chance(0.5) {
			u += g.between(0, 3*day) // runs of nearby times exercise the cache
		} else {
			u = g.between(0, 4102444800)
		}
		want := `"` + time.Unix(u, 0).UTC().Format(time.RFC3339) + `"`
		if got := string(appendTime(nil, u)); got != want {
			t.Fatalf("appendTime(%d) = %s, want %s", u, got, want)
		}
		if got := string(tc.appendTime(nil, u)); got != want {
			t.Fatalf("timeCache.appendTime(%d) = %s, want %s", u, got, want)
		}
	}
}

func TestAppendMoney(t *testing.T) {
	for _, tc := range []struct {
		pence       int64
		json, human string
	}{{5499, "54.99", "£54.99"}, {500, "5.00", "£5"}, {7, "0.07", "£0.07"}, {0, "0.00", "£0"}, {-250, "-2.50", "£-2.50"}} {
		if got := string(appendMoney(nil, tc.pence)); got != tc.json {
			t.Errorf("appendMoney(%d) = %s, want %s", tc.pence, got, tc.json)
		}
		if tc.pence >= 0 {
			if got := string(appendPounds(nil, tc.pence)); got != tc.human {
				t.Errorf("appendPounds(%d) = %s, want %s", tc.pence, got, tc.human)
			}
		}
	}
}

func TestPhonesAreUniqueAndValidBlocks(t *testing.T) {
	seen := make(map[[10]byte]int, 300000)
	for i := range 300000 {
		d := phoneDigits(42, i)
		if prev, dup := seen[d]; dup {
			t.Fatalf("customers %d and %d share %s", prev, i, d[:])
		}
		seen[d] = i
		if d[0] != '7' || d[1] != '7' || (d[2] == '0' && d[3] == '0') {
			t.Fatalf("phone %s outside 07701–07799", d[:])
		}
	}
	d := phoneDigits(42, 12345)
	want := "+44" + string(d[:])
	for f := range numPhoneFormats {
		got := string(appendPhone(nil, d, f))
		if canonPhone(got) != want {
			t.Errorf("format %d: %q normalises to %q, want %q", f, got, canonPhone(got), want)
		}
	}
}

func TestCardNumbersPassLuhn(t *testing.T) {
	g := newRNG(9, 9)
	for i := range 1000 {
		s := string(appendCardNumber(nil, g, i%3))
		if !luhnValid(s) || !strings.HasPrefix(s, "4") {
			t.Fatalf("card %q fails Luhn", s)
		}
	}
	if luhnValid("4111 1111 1111 1112") {
		t.Error("luhnValid accepts a bad check digit")
	}
}

func TestEmailCasing(t *testing.T) {
	e := []byte("ana.silva12@example.co.uk")
	for _, tc := range []struct {
		casing int
		want   string
	}{{emailLower, "ana.silva12@example.co.uk"}, {emailTitle, "Ana.Silva12@Example.Co.Uk"}, {emailUpper, "ANA.SILVA12@EXAMPLE.CO.UK"}} {
		if got := string(appendEmailCased(nil, e, tc.casing)); got != tc.want {
			t.Errorf("casing %d = %q, want %q", tc.casing, got, tc.want)
		}
	}
}

func TestASRStyle(t *testing.T) {
	tb := []byte("Hello, it's ana.silva@example.com. Thanks!")
	tr := turn{off: 0, end: int32(len(tb))}
	asrStyle(tb, &tr)
	if got := string(tb[tr.off:tr.end]); got != "hello it's ana.silva@example.com thanks" {
		t.Errorf("asrStyle = %q", got)
	}
}
