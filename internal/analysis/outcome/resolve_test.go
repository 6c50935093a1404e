package outcome

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// conv builds turns from "speaker: text" lines.
func conv(lines ...string) []Turn {
	turns := make([]Turn, len(lines))
	for i, l := range lines {
		s, t, _ := strings.Cut(l, ": ")
		turns[i] = Turn{Speaker: s, Text: t}
	}
	return turns
}

func TestInferResolved(t *testing.T) {
	tests := []struct {
		name     string
		turns    []Turn
		resolved bool
		evidence string // the text of the evidence span, "" for none
	}{
		{"customer confirms", conv(
			"customer: My router keeps dropping.",
			"agent: I've reset your line.",
			"customer: That's sorted it, thanks!"), true, "That's sorted it"},
		{"agent did it, customer thanks", conv(
			"customer: Where's my refund?",
			"agent: Your refund has been processed today.",
			"customer: Thanks."), true, "has been processed"},
		{"anything else? no thanks", conv(
			"customer: What's my balance?",
			"agent: It's £20.",
			"agent: Anything else I can help with?",
			"customer: No thanks."), true, "No thanks"},
		{"bare no after a closing question", conv(
			"customer: Can you resend the invoice?",
			"agent: Done. Is there anything else?",
			"customer: no"), true, "no"},
		{"bare no without a closing question", conv(
			"customer: My TV has no signal.",
			"agent: Is the light on the box green?",
			"customer: No."), false, ""},
		{"still not working", conv(
			"customer: My internet is down.",
			"agent: I've reset it, try now.",
			"customer: Still not working."), false, "Still not"},
		{"opening complaint does not decide", conv(
			"customer: It's still not working after the last call!",
			"agent: I've replaced the router remotely, it's all sorted now.",
			"customer: Yes, it's working now, thank you."), true, "it's working now"},
		{"customer will call back", conv(
			"customer: I want to change my address.",
			"agent: I need your date of birth for security.",
			"customer: I'll call back later."), false, "I'll call back"},
		{"speak to a human", conv(
			"customer: Where's my parcel?",
			"bot: It's out for delivery.",
			"customer: I want to speak to a human"), false, "speak to a human"},
		{"agent promises a callback", conv(
			"customer: I was double charged.",
			"agent: Our payments team will call you back within 48 hours.",
			"customer: OK thanks."), false, "will call you"},
		{"agent escalates", conv(
			"customer: Third visit and the boiler is still broken.",
			"agent: I've escalated this to a senior engineer.",
			"customer: Fine."), false, "Fine"},
		{"customer's last turn is a question", conv(
			"customer: Why did my bill go up?",
			"agent: Prices rose in April.",
			"customer: But I'm on a fixed deal, how is that allowed?"), false, "But I'm"},
		{"negated resolution", conv(
			"customer: You said it would be fixed.",
			"agent: The job is closed on our side.",
			"customer: It's not fixed at all."), false, "not fixed"},
		{"agent's question never answered", conv(
			"customer: My card was declined.",
			"agent: Can you give me the last four digits?"), false, ""},
		{"negative ending", conv(
			"customer: The train leaves in 10 minutes and I have no ticket.",
			"agent: Tickets can take an hour to arrive.",
			"customer: Useless."), false, "Useless"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, conf, ev := InferResolved(tt.turns)
			if got != tt.resolved {
				t.Errorf("resolved = %v (confidence %.2f), want %v", got, conf, tt.resolved)
			}
			if conf < 0.5 || conf >= 1 {
				t.Errorf("confidence %v outside [0.5, 1)", conf)
			}
			span := ""
			if ev != nil {
				span = tt.turns[ev.Turn].Text[ev.Start:ev.End]
			}
			if span != tt.evidence {
				t.Errorf("evidence %q, want %q", span, tt.evidence)
			}
		})
	}
}

func TestInferResolvedNoSignal(t *testing.T) {
	if r, c, ev := InferResolved(nil); r || c != 0 || ev != nil {
		t.Errorf("no turns: %v %v %v", r, c, ev)
	}
	if r, c, ev := InferResolved(conv("customer: hello", "agent: hi there")); r || c != 0.5 || ev != nil {
		t.Errorf("no signal: %v %v %v", r, c, ev)
	}
}

func TestConfidenceGrowsWithEvidence(t *testing.T) {
	weak := conv("customer: Can I change my order?", "agent: I've changed it.")
	strong := conv("customer: Can I change my order?", "agent: I've changed it.", "customer: Perfect, thanks so much, that's sorted.")
	_, cw, _ := InferResolved(weak)
	_, cs, _ := InferResolved(strong)
	if !(cs > cw) {
		t.Errorf("confidence with a confirmation %.3f should exceed %.3f without", cs, cw)
	}
}

func TestOnlySpeakersOwnPhrases(t *testing.T) {
	// The agent saying "that's sorted" is an agent signal; the customer
	// saying "I've escalated" means nothing.
	turns := conv("customer: I've escalated this before.", "agent: I've changed the date, all sorted.")
	got, _, ev := InferResolved(turns)
	if !got || ev == nil || ev.Turn != 1 {
		t.Errorf("got %v, evidence %+v", got, ev)
	}
}

func TestResolverBadLexicon(t *testing.T) {
	if _, err := newResolver("x.txt", "[mystery]\nfoo"); err == nil || !strings.Contains(err.Error(), "unknown label [mystery]") {
		t.Errorf("error %v", err)
	}
	if _, err := newResolver("x.txt", "[thanks]\n{nope}"); err == nil || !strings.Contains(err.Error(), "x.txt") {
		t.Errorf("error %v", err)
	}
	if _, err := newResolver("x.txt", "@bogus = 1"); err == nil {
		t.Error("want an error for a bad directive")
	}
}

func TestEndsWithQuestion(t *testing.T) {
	for text, want := range map[string]bool{
		"why?": true, "why? ": true, "really?)": true, "“why?”": true, "fine.": false, "": false, "? ok": false,
	} {
		if got := endsWithQuestion(text); got != want {
			t.Errorf("endsWithQuestion(%q) = %v", text, got)
		}
	}
}

// benchConversation is a ten-turn contact of about 160 words.
func benchConversation() []Turn {
	return conv(
		"customer: Hi, I ordered a washing machine three weeks ago and it still hasn't arrived.",
		"agent: I'm sorry to hear that. Can I take your order number please?",
		"customer: It's 4471-2231. This is the third time I've contacted you about it and I'm getting really frustrated.",
		"agent: Thank you. I can see the order was delayed at our warehouse.",
		"customer: My husband passed away recently and I really can't cope without a washing machine at the moment.",
		"agent: I'm very sorry for your loss. Let me see what I can do to speed this up for you.",
		"customer: Thank you. Money is tight too so I don't want to pay for another one.",
		"agent: I've arranged priority delivery for Thursday and refunded the delivery charge.",
		"customer: OK, that helps. If it doesn't come on Thursday I'll cancel and go elsewhere.",
		"agent: Understood. Is there anything else I can help with today?",
	)
}

func BenchmarkInferResolved(b *testing.B) {
	turns := benchConversation()
	InferResolved(turns) // compile outside the timing
	b.ReportAllocs()
	for b.Loop() {
		InferResolved(turns)
	}
}

func FuzzInferResolved(f *testing.F) {
	f.Add("customer", "That's sorted, thanks!", "agent", "anything else?")
	f.Add("agent", "I'll call you back \xff", "customer", "no")
	f.Add("bot", "’’", "customer", "still not working?")
	f.Fuzz(func(t *testing.T, s1, t1, s2, t2 string) {
		turns := []Turn{{Speaker: s1, Text: t1}, {Speaker: s2, Text: t2}}
		_, conf, ev := InferResolved(turns)
		if math.IsNaN(conf) || conf < 0.5 || conf > 1 {
			t.Fatalf("confidence %v", conf)
		}
		if ev != nil {
			if ev.Turn < 0 || ev.Turn > 1 {
				t.Fatalf("evidence turn %d", ev.Turn)
			}
			text := turns[ev.Turn].Text
			if ev.Start < 0 || ev.Start >= ev.End || ev.End > len(text) {
				t.Fatalf("evidence %+v outside %q", *ev, text)
			}
			r, _ := utf8.DecodeRuneInString(text[ev.Start:])
			l, _ := utf8.DecodeLastRuneInString(text[:ev.End])
			if r == utf8.RuneError || l == utf8.RuneError {
				t.Fatalf("evidence %q not on rune boundaries", text[ev.Start:ev.End])
			}
		}
	})
}

func BenchmarkNewResolver(b *testing.B) {
	for b.Loop() {
		if _, err := NewResolver(); err != nil {
			b.Fatal(err)
		}
	}
}
