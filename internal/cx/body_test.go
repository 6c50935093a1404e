package cx

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// referenceBody is StoredBody as it was before the hand encoder: the
// definition the encoder must match byte for byte.
func referenceBody(in *Interaction) ([]byte, error) {
	stored := *in
	stored.Customer, stored.CustomerID = Ref{}, 0
	return json.Marshal(&stored)
}

// checkBody fails unless the hand encoder agrees with encoding/json on in.
// It checks appendBody itself, not only StoredBody, so that a fast path that
// wrongly gives up (and lets encoding/json paper over it) is caught too.
func checkBody(t *testing.T, in *Interaction) {
	t.Helper()
	want, wantErr := referenceBody(in)
	fast, fastErr := appendBody(nil, in)
	got, gotErr := StoredBody(in)
	if wantErr != nil {
		if !errors.Is(fastErr, errSlowPath) {
			t.Fatalf("encoding/json fails with %v, but appendBody returned %v and\n%s", wantErr, fastErr, fast)
		}
		if gotErr == nil || gotErr.Error() != wantErr.Error() {
			t.Fatalf("StoredBody error = %v, want encoding/json's %v", gotErr, wantErr)
		}
		return
	}
	if fastErr != nil {
		t.Fatalf("appendBody gave up (%v) on a body encoding/json encodes:\n%s", fastErr, want)
	}
	if !bytes.Equal(fast, want) {
		t.Fatalf("appendBody differs from encoding/json at byte %d\n got: %s\nwant: %s", firstDiff(fast, want), fast, want)
	}
	if gotErr != nil || got != string(want) {
		t.Fatalf("StoredBody = %s, %v\nwant %s", got, gotErr, want)
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func ptr[T any](v T) *T { return &v }

// allControls holds every byte below 0x20 and DEL.
var allControls = func() string {
	var sb strings.Builder
	for c := range 0x20 {
		sb.WriteByte(byte(c))
	}
	sb.WriteByte(0x7f)
	return sb.String()
}()

var weirdStrings = []string{
	"",
	"plain ascii text of more than eight bytes",
	`say "hi" \ back\slash \"quoted\"`,
	allControls,
	"<script>alert('x') && y > z</script>",
	"line\u2028separator\u2029paragraph",
	"\u2028\u2029",
	"invalid \xff\xfe utf-8 \xc3 cut \xe2\x82 cut",
	"\xed\xa0\x80 surrogate half",
	"emoji 😀👍🏽 and café, naïve — ‘quotes’ 你好",
	"\x00",
	"12345678\n12345678<12345678\"1234567&",
	strings.Repeat("a", 7) + "\u2028" + strings.Repeat("b", 9),
	strings.Repeat("word ", 200) + "é",
	"\U0010FFFF \uFFFD \u00a0",
	"tab\there\rcr\fff\bbs",
}

var weirdFloats = []float64{
	0, math.Copysign(0, -1), 1e-7, 1e-6, 9.999999e-7, 1e21, 9.99999e20, 1e20, 123456789.125, 0.1 + 0.2,
	-0.5, -1e-7, -1e21, 1, -1, 5e-324, math.MaxFloat64, -math.MaxFloat64, 1e-100, 1.5e300, 0.000001234, 100, 33.333333333333336,
	// around the integer fast path's bound
	999999999999999, -999999999999999, 1e15, 1e15 + 1, 4503599627370497, 9007199254740993, 1e16, 123456789012345680000, 0.5e15,
}

func baseInteraction() *Interaction {
	return &Interaction{
		Source: "zendesk", ID: "I1", Channel: Chat, Handler: Human,
		StartedAt: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC),
		Turns:     []Turn{{Speaker: "customer", Text: "hello"}},
	}
}

func TestStoredBodyMatchesEncodingJSON(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	with := func(f func(*Interaction)) *Interaction { in := baseInteraction(); f(in); return in }
	cases := map[string]*Interaction{
		"empty":       {},
		"base":        baseInteraction(),
		"nil turns":   with(func(in *Interaction) { in.Turns = nil }),
		"empty turns": with(func(in *Interaction) { in.Turns = []Turn{} }),
		"customer cleared": with(func(in *Interaction) {
			in.Customer = Ref{ID: "C1", Email: "a@b.c", Phone: "+44", Handle: "@x", Account: "A"}
			in.CustomerID = 42
		}),
		"every pointer set": with(func(in *Interaction) {
			in.JourneyStage, in.Queue, in.Intent, in.Currency = "billing", "q1", "refund", "GBP"
			in.Agent = Agent{ID: "a1", Team: "t", Partner: "p"}
			in.EndedAt = ptr(in.StartedAt.Add(90 * time.Second))
			in.WaitSeconds, in.HandleSeconds, in.Transfers = -3, 1<<40, 2
			in.Escalated, in.Abandoned = true, true
			in.Resolved = ptr(false)
			in.Cost = ptr(Money(0))
			in.Turns = []Turn{{Speaker: "agent", At: ptr(time.Time{}), Text: "", Sentiment: ptr(0.0)}}
			in.Survey = &Scores{CSAT: ptr(0), NPS: ptr(-1), CES: ptr(7), Comment: "ok"}
			in.Tags = []string{"a", "", "<b>"}
			in.Attributes = map[string]any{"k": "v"}
			in.Analysis = &Analysis{
				Versions: map[string]string{}, Redactions: map[string]int{"email": 2},
				Sentiment: ptr(0.0), SentimentStart: ptr(-1.0), SentimentEnd: ptr(1.0), SentimentChange: ptr(2.0),
				Intent: "x", IntentConfidence: 0.5, IntentSource: "model",
				Flags:      []Flag{{Kind: "anger", Evidence: nil}, {Kind: "v", Evidence: []Span{}}, {Kind: "w", Evidence: []Span{{1, 2, 3}}}},
				Vulnerable: true, Resolved: true, ResolvedSource: "inferred", ResolvedEvidence: &Span{0, 0, 0}, Effort: 12.5,
				QA: &QAResult{Scorecard: "s", Score: 1, AutoFail: true, Criteria: []QACriterion{
					{ID: "c1", Label: "L", Weight: 2, Passed: true, Applies: true, AutoFail: true, Evidence: []Span{{1, 2, 3}}, Note: "n"},
					{ID: "c2", Evidence: []Span{}},
				}},
			}
		}),
		"only some agent fields": with(func(in *Interaction) { in.Agent = Agent{Partner: "p"} }),
		"agent team only":        with(func(in *Interaction) { in.Agent = Agent{Team: "t"} }),
		"empty survey":           with(func(in *Interaction) { in.Survey = &Scores{} }),
		"survey comment only":    with(func(in *Interaction) { in.Survey = &Scores{Comment: "c"} }),
		"survey nps only":        with(func(in *Interaction) { in.Survey = &Scores{NPS: ptr(10)} }),
		"empty tags and attributes": with(func(in *Interaction) {
			in.Tags = []string{}
			in.Attributes = map[string]any{}
		}),
		"empty analysis": with(func(in *Interaction) { in.Analysis = &Analysis{} }),
		"analysis nil slices": with(func(in *Interaction) {
			in.Analysis = &Analysis{Versions: map[string]string{"b": "1", "a": "2", "B": "3", "": "4", "é": "5", "<": "6"},
				Redactions: map[string]int{}, Flags: []Flag{}, QA: &QAResult{}}
		}),
		"qa empty criteria": with(func(in *Interaction) {
			in.Analysis = &Analysis{QA: &QAResult{Criteria: []QACriterion{}}, IntentConfidence: math.Copysign(0, -1), Effort: math.Copysign(0, -1)}
		}),
		"many map keys": with(func(in *Interaction) {
			in.Analysis = &Analysis{Versions: map[string]string{}, Redactions: map[string]int{}}
			in.Attributes = map[string]any{}
			for i := range 40 {
				k := strings.Repeat("k", i%7) + string(rune('z'-i%26)) + string(rune('0'+i/26))
				in.Analysis.Versions[k] = k
				in.Analysis.Redactions[k] = i - 20
				in.Attributes[k] = float64(i)
			}
		}),
		"times": with(func(in *Interaction) {
			in.StartedAt = time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)
			in.EndedAt = ptr(time.Date(2026, 1, 2, 3, 4, 5, 120000000, time.FixedZone("", -(9*3600+30*60))))
			in.Turns = []Turn{
				{Speaker: "a", At: ptr(time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC))},
				{Speaker: "b", At: ptr(time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("", 23*3600+59*60)))},
				{Speaker: "c", At: ptr(time.Date(2026, 7, 1, 12, 0, 0, 5000, paris))},
				{Speaker: "d", At: ptr(time.Date(2026, 7, 1, 12, 0, 0, 0, time.FixedZone("odd", 3600+30)))},
				{Speaker: "e", At: ptr(time.Date(2026, 7, 1, 12, 0, 0, 0, time.Local))},
				{Speaker: "f", At: ptr(time.Now())}, // with a monotonic reading
			}
		}),
		"year 10000": with(func(in *Interaction) { in.StartedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }),
		"year -1":    with(func(in *Interaction) { in.EndedAt = ptr(time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)) }),
		"zone hour 24": with(func(in *Interaction) {
			in.Turns[0].At = ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)))
		}),
		"NaN sentiment": with(func(in *Interaction) { in.Turns[0].Sentiment = ptr(math.NaN()) }),
		"Inf effort":    with(func(in *Interaction) { in.Analysis = &Analysis{Effort: math.Inf(1)} }),
		"-Inf weight": with(func(in *Interaction) {
			in.Analysis = &Analysis{QA: &QAResult{Criteria: []QACriterion{{Weight: math.Inf(-1)}}}}
		}),
		"NaN attribute":     with(func(in *Interaction) { in.Attributes = map[string]any{"x": []any{math.NaN()}} }),
		"NaN confidence":    with(func(in *Interaction) { in.Analysis = &Analysis{IntentConfidence: math.NaN()} }),
		"NaN sentiment_end": with(func(in *Interaction) { in.Analysis = &Analysis{SentimentEnd: ptr(math.NaN())} }),
		"attributes nested": with(func(in *Interaction) {
			in.Attributes = map[string]any{
				"s": "<&>", "f": 1e-7, "neg": -0.0, "t": true, "fa": false, "nil": nil,
				"num": json.Number("12.50"), "emptynum": json.Number(""),
				"arr": []any{1.0, "two", []any{}, map[string]any{}, nil, []any(nil), map[string]any(nil)},
				"obj": map[string]any{"z": 1.0, "a": map[string]any{"deep": []any{map[string]any{"x": "\u2028"}}}},
				"int": 42, "int64": int64(-7), "strs": []string{"a"}, "smap": map[string]string{"b": "c"},
				"bytes": []byte("hi"), "time": time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "raw": json.RawMessage(`{ "a" : 1 }`),
				"ptr": ptr(3.5), "nilptr": (*int)(nil), "struct": Span{1, 2, 3},
			}
		}),
		"cyclic attributes": with(func(in *Interaction) {
			m := map[string]any{"a": 1.0}
			m["self"] = []any{m}
			in.Attributes = m
		}),
		"invalid json.Number":   with(func(in *Interaction) { in.Attributes = map[string]any{"n": json.Number("1x")} }),
		"unsupported attribute": with(func(in *Interaction) { in.Attributes = map[string]any{"c": make(chan int)} }),
		"deep attributes": with(func(in *Interaction) {
			var v any = "leaf"
			for i := range 100 {
				if i%2 == 0 {
					v = []any{v}
				} else {
					v = map[string]any{"k": v}
				}
			}
			in.Attributes = map[string]any{"deep": v}
		}),
	}
	for i, s := range weirdStrings {
		cases["string "+string(rune('a'+i))] = with(func(in *Interaction) {
			in.Source, in.ID, in.Channel, in.JourneyStage, in.Queue, in.Handler = s, s, Channel(s), s, s, Handler(s)
			in.Agent, in.Intent, in.Currency = Agent{ID: s, Team: s, Partner: s}, s, s
			in.Turns = []Turn{{Speaker: s, Text: s}, {Speaker: s, Text: s + s}}
			in.Survey = &Scores{Comment: s}
			in.Tags = []string{s}
			in.Attributes = map[string]any{s: s, s + "x": []any{s}}
			in.Analysis = &Analysis{Versions: map[string]string{s: s}, Redactions: map[string]int{s: 1},
				Intent: s, IntentSource: s, ResolvedSource: s, Flags: []Flag{{Kind: s}},
				QA: &QAResult{Scorecard: s, Criteria: []QACriterion{{ID: s, Label: s, Note: s}}}}
		})
	}
	for i, f := range weirdFloats {
		cases["float "+string(rune('a'+i))] = with(func(in *Interaction) {
			in.Turns[0].Sentiment = ptr(f)
			in.Attributes = map[string]any{"f": f}
			in.Analysis = &Analysis{Sentiment: ptr(f), SentimentStart: ptr(-f), SentimentEnd: ptr(f), SentimentChange: ptr(f),
				IntentConfidence: f, Effort: f, QA: &QAResult{Score: f, Criteria: []QACriterion{{Weight: -f}}}}
		})
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) { checkBody(t, in) })
	}
}

// TestStoredBodyRandom compares the encoders on many random interactions.
func TestStoredBodyRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for i := range n {
		in := randomInteraction(r)
		t.Run(strconv.Itoa(i), func(t *testing.T) { checkBody(t, in) })
	}
}

// randomString draws from pieces that exercise every branch of the string
// encoder, including runs longer and shorter than a word.
func randomString(r *rand.Rand) string {
	pieces := []string{"a", "hello world ", "12345678", "\"", "\\", "<", ">", "&", "\n", "\t", "\x00", "\x1f", "\x7f",
		"\u2028", "\u2029", "é", "😀", "\xff", "\xe2\x80", "\xed\xa0\x80", "[EMAIL]", " ", "—", "'"}
	var sb strings.Builder
	for range r.IntN(12) {
		p := pieces[r.IntN(len(pieces))]
		for range 1 + r.IntN(3) {
			sb.WriteString(p)
		}
	}
	return sb.String()
}

func randomFloat(r *rand.Rand) float64 {
	switch r.IntN(7) {
	case 0:
		return weirdFloats[r.IntN(len(weirdFloats))]
	case 1:
		return math.Float64frombits(r.Uint64()) // any bit pattern, NaN and Inf included
	case 2:
		return r.Float64()*2 - 1
	case 3:
		return math.Round(r.Float64()*10000) / 100
	case 4:
		return r.NormFloat64() * math.Pow(10, float64(r.IntN(60)-30))
	case 5:
		return float64(r.Int64N(1<<56) - 1<<55) // integers up to beyond 2^53
	}
	return float64(r.IntN(200) - 100)
}

func randomTime(r *rand.Rand) time.Time {
	var sec int64
	if r.IntN(500) == 0 {
		sec = r.Int64N(1<<40) - 1<<39 // rarely outside years 0–9999: an error
	} else {
		sec = r.Int64N(253402300799+62135596800) - 62135596800 // years 1–9999
	}
	t := time.Unix(sec, 0)
	switch r.IntN(3) {
	case 0:
		t = t.Add(time.Duration(r.IntN(1e9)))
	case 1:
		t = t.Add(time.Duration(r.IntN(1000)) * time.Millisecond)
	}
	switch r.IntN(4) {
	case 0:
		return t.UTC()
	case 1:
		return t.In(time.FixedZone("", (r.IntN(49)-24)*1800+r.IntN(2)*r.IntN(60)))
	case 2:
		if r.IntN(100) == 0 {
			return t.In(time.FixedZone("", 24*3600+r.IntN(3600))) // an error
		}
		return t.In(time.FixedZone("", r.IntN(2*86340)-86340))
	}
	return t
}

func maybe[T any](r *rand.Rand, f func() T) *T {
	if r.IntN(3) == 0 {
		return nil
	}
	v := f()
	return &v
}

func randomSpans(r *rand.Rand) []Span {
	switch r.IntN(4) {
	case 0:
		return nil
	case 1:
		return []Span{}
	}
	s := make([]Span, 1+r.IntN(3))
	for i := range s {
		s[i] = Span{r.IntN(20), r.IntN(1000) - 1, r.IntN(100000)}
	}
	return s
}

func randomAny(r *rand.Rand, depth int) any {
	n := 6
	if depth < 3 {
		n = 8
	}
	switch r.IntN(n) {
	case 0:
		return nil
	case 1:
		return randomString(r)
	case 2:
		return randomFloat(r)
	case 3:
		return r.IntN(2) == 0
	case 4:
		if r.IntN(20) == 0 {
			return json.Number("x") // an error
		}
		return json.Number([]string{"0", "-1", "1.5e3", "12.50", ""}[r.IntN(5)])
	case 5:
		return r.IntN(100)
	case 6:
		a := make([]any, r.IntN(4))
		for i := range a {
			a[i] = randomAny(r, depth+1)
		}
		return a
	}
	return randomAnyMap(r, depth+1)
}

func randomAnyMap(r *rand.Rand, depth int) map[string]any {
	m := map[string]any{}
	for range r.IntN(20) {
		m[randomString(r)] = randomAny(r, depth)
	}
	return m
}

func randomInteraction(r *rand.Rand) *Interaction {
	str := func() string {
		if r.IntN(3) == 0 {
			return ""
		}
		return randomString(r)
	}
	in := &Interaction{
		Source: str(), ID: str(), Customer: Ref{ID: str(), Email: str()}, CustomerID: r.Int64N(3),
		Channel: Channel(str()), JourneyStage: str(), Queue: str(), Handler: Handler(str()),
		Agent:     Agent{ID: str(), Team: str(), Partner: str()},
		StartedAt: randomTime(r), EndedAt: maybe(r, func() time.Time { return randomTime(r) }),
		WaitSeconds: r.IntN(1000) - 10, HandleSeconds: int(r.Int64()), Transfers: r.IntN(3),
		Escalated: r.IntN(2) == 0, Abandoned: r.IntN(2) == 0, Resolved: maybe(r, func() bool { return r.IntN(2) == 0 }),
		Intent: str(), Cost: maybe(r, func() Money { return Money(r.Int64() >> r.IntN(64)) }), Currency: str(),
	}
	if r.IntN(5) > 0 {
		in.Turns = make([]Turn, r.IntN(12))
		for i := range in.Turns {
			in.Turns[i] = Turn{Speaker: str(), At: maybe(r, func() time.Time { return randomTime(r) }), Text: str(),
				Sentiment: maybe(r, func() float64 { return randomFloat(r) })}
		}
	}
	if r.IntN(2) == 0 {
		in.Survey = &Scores{CSAT: maybe(r, func() int { return r.IntN(5) }), NPS: maybe(r, func() int { return r.IntN(11) }),
			CES: maybe(r, func() int { return r.IntN(7) - 3 }), Comment: str()}
	}
	if r.IntN(2) == 0 {
		in.Tags = make([]string, r.IntN(4))
		for i := range in.Tags {
			in.Tags[i] = str()
		}
	}
	if r.IntN(3) == 0 {
		in.Attributes = randomAnyMap(r, 0)
	}
	if r.IntN(4) > 0 {
		a := &Analysis{
			Sentiment: maybe(r, func() float64 { return randomFloat(r) }), SentimentStart: maybe(r, func() float64 { return randomFloat(r) }),
			SentimentEnd: maybe(r, func() float64 { return randomFloat(r) }), SentimentChange: maybe(r, func() float64 { return randomFloat(r) }),
			Intent: str(), IntentSource: str(), Vulnerable: r.IntN(2) == 0, Resolved: r.IntN(2) == 0, ResolvedSource: str(),
			ResolvedEvidence: maybe(r, func() Span { return Span{r.IntN(9), r.IntN(9), r.IntN(9)} }),
		}
		if r.IntN(2) == 0 {
			a.IntentConfidence = randomFloat(r)
		}
		if r.IntN(3) > 0 {
			a.Effort = randomFloat(r)
		}
		if r.IntN(4) > 0 {
			a.Versions = map[string]string{}
			for range r.IntN(20) {
				a.Versions[str()] = str()
			}
		}
		if r.IntN(2) == 0 {
			a.Redactions = map[string]int{}
			for range r.IntN(20) {
				a.Redactions[str()] = r.IntN(100) - 50
			}
		}
		if r.IntN(2) == 0 {
			a.Flags = make([]Flag, r.IntN(3))
			for i := range a.Flags {
				a.Flags[i] = Flag{Kind: str(), Evidence: randomSpans(r)}
			}
		}
		if r.IntN(3) > 0 {
			a.QA = &QAResult{Scorecard: str(), Score: randomFloat(r), AutoFail: r.IntN(2) == 0}
			if r.IntN(5) > 0 {
				a.QA.Criteria = make([]QACriterion, r.IntN(12))
				for i := range a.QA.Criteria {
					a.QA.Criteria[i] = QACriterion{ID: str(), Label: str(), Weight: randomFloat(r), Passed: r.IntN(2) == 0,
						Applies: r.IntN(2) == 0, AutoFail: r.IntN(2) == 0, Evidence: randomSpans(r), Note: str()}
				}
			}
		}
		in.Analysis = a
	}
	return in
}

// TestAppendStringMatchesEncodingJSON checks the string encoder on every
// single byte, every rune class and every alignment of an unsafe byte
// within the eight-byte word the fast path skips.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	var inputs []string
	for c := range 256 {
		inputs = append(inputs, string([]byte{byte(c)}))
		for pos := range 17 {
			b := []byte(strings.Repeat("x", 17))
			b[pos] = byte(c)
			inputs = append(inputs, string(b))
		}
	}
	for r := rune(0x80); r < 0x3000; r += 7 {
		inputs = append(inputs, "abcdefg"+string(r)+"hijklmnop")
	}
	inputs = append(inputs, weirdStrings...)
	for _, s := range inputs {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestAppendFloatMatchesEncodingJSON checks the float encoder on many
// values: decimals of every length from 1 to 17 significant digits at many
// magnitudes, integers around the integer fast path's bound, their float
// neighbours, powers of ten and random bits.
func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(f float64) {
		t.Helper()
		want, wantErr := json.Marshal(f)
		got, err := appendFloat(nil, f)
		if (err != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("appendFloat(%b = %v) = %s, %v; encoding/json: %s, %v", f, f, got, err, want, wantErr)
		}
	}
	for e := -330; e <= 310; e++ {
		p := math.Pow(10, float64(e))
		for _, f := range []float64{p, math.Nextafter(p, 0), math.Nextafter(p, math.Inf(1)), 9.5 * p, 0.5 * p} {
			check(f)
			check(-f)
		}
	}
	n := 100000
	if testing.Short() {
		n = 10000
	}
	for range n {
		digits := 1 + r.IntN(17)
		mant := r.Int64N(int64(math.Pow(10, float64(digits))))
		f := float64(mant) / math.Pow(10, float64(r.IntN(30)))
		if r.IntN(4) == 0 {
			f, _ = strconv.ParseFloat(strconv.FormatInt(mant, 10)+"e"+strconv.Itoa(r.IntN(40)-25), 64)
		}
		check(f)
		check(math.Nextafter(f, math.Inf(1)))
		check(-math.Nextafter(f, 0))
		check(math.Float64frombits(r.Uint64()))
		i := float64(r.Int64N(1<<55) - 1<<54)
		check(i)
		check(math.Nextafter(i, 0))
	}
}

// bodyFields lists, for every struct type the body encoder writes, the
// fields it knows with their tags, in order. A new, renamed, re-tagged or
// moved field fails TestBodyEncoderKnowsEveryField: teach appendBody about
// it (body.go), then add it here.
var bodyFields = map[reflect.Type][]string{
	reflect.TypeFor[Interaction](): {
		`Source json:"source"`, `ID json:"id"`, `Customer json:"customer"`, `CustomerID json:"customer_id,omitempty"`,
		`Channel json:"channel"`, `JourneyStage json:"journey_stage,omitempty"`, `Queue json:"queue,omitempty"`,
		`Handler json:"handler"`, `Agent json:"agent"`, `StartedAt json:"started_at"`, `EndedAt json:"ended_at,omitempty"`,
		`WaitSeconds json:"wait_seconds"`, `HandleSeconds json:"handle_seconds"`, `Transfers json:"transfers"`,
		`Escalated json:"escalated"`, `Abandoned json:"abandoned"`, `Resolved json:"resolved,omitempty"`,
		`Intent json:"intent,omitempty"`, `Cost json:"cost,omitempty"`, `Currency json:"currency,omitempty"`,
		`Turns json:"turns"`, `Survey json:"survey,omitempty"`, `Tags json:"tags,omitempty"`,
		`Attributes json:"attributes,omitempty"`, `Analysis json:"analysis,omitempty"`,
	},
	// Encoded as {} because the body clears it: that holds only while every
	// field is omitempty.
	reflect.TypeFor[Ref](): {
		`ID json:"id,omitempty"`, `Email json:"email,omitempty"`, `Phone json:"phone,omitempty"`,
		`Handle json:"handle,omitempty"`, `Account json:"account,omitempty"`,
	},
	reflect.TypeFor[Agent](): {`ID json:"id,omitempty"`, `Team json:"team,omitempty"`, `Partner json:"partner,omitempty"`},
	reflect.TypeFor[Turn](): {
		`Speaker json:"speaker"`, `At json:"at,omitempty"`, `Text json:"text"`, `Sentiment json:"sentiment,omitempty"`,
	},
	reflect.TypeFor[Scores](): {
		`CSAT json:"csat,omitempty"`, `NPS json:"nps,omitempty"`, `CES json:"ces,omitempty"`, `Comment json:"comment,omitempty"`,
	},
	reflect.TypeFor[Analysis](): {
		`Versions json:"versions"`, `Redactions json:"redactions,omitempty"`, `Sentiment json:"sentiment,omitempty"`,
		`SentimentStart json:"sentiment_start,omitempty"`, `SentimentEnd json:"sentiment_end,omitempty"`,
		`SentimentChange json:"sentiment_change,omitempty"`, `Intent json:"intent,omitempty"`,
		`IntentConfidence json:"intent_confidence,omitempty"`, `IntentSource json:"intent_source,omitempty"`,
		`Flags json:"flags,omitempty"`, `Vulnerable json:"vulnerable,omitempty"`, `Resolved json:"resolved"`,
		`ResolvedSource json:"resolved_source,omitempty"`, `ResolvedEvidence json:"resolved_evidence,omitempty"`,
		`Effort json:"effort"`, `QA json:"qa,omitempty"`,
	},
	reflect.TypeFor[Flag](): {`Kind json:"kind"`, `Evidence json:"evidence"`},
	reflect.TypeFor[Span](): {`Turn json:"turn"`, `Start json:"start"`, `End json:"end"`},
	reflect.TypeFor[QAResult](): {
		`Scorecard json:"scorecard"`, `Score json:"score"`, `AutoFail json:"auto_fail"`, `Criteria json:"criteria"`,
	},
	reflect.TypeFor[QACriterion](): {
		`ID json:"id"`, `Label json:"label,omitempty"`, `Weight json:"weight"`, `Passed json:"passed"`,
		`Applies json:"applies"`, `AutoFail json:"auto_fail,omitempty"`, `Evidence json:"evidence,omitempty"`,
		`Note json:"note,omitempty"`,
	},
}

// bodyLeafTypes are the field types the encoder writes directly. A field of
// any other type (a new struct, a float32, a custom marshaler) needs code in
// body.go first.
var bodyLeafTypes = map[reflect.Type]bool{
	reflect.TypeFor[string]():            true,
	reflect.TypeFor[Channel]():           true,
	reflect.TypeFor[Handler]():           true,
	reflect.TypeFor[int]():               true,
	reflect.TypeFor[int64]():             true,
	reflect.TypeFor[bool]():              true,
	reflect.TypeFor[float64]():           true,
	reflect.TypeFor[Money]():             true,
	reflect.TypeFor[time.Time]():         true,
	reflect.TypeFor[map[string]any]():    true,
	reflect.TypeFor[map[string]string](): true,
	reflect.TypeFor[map[string]int]():    true,
}

func TestBodyEncoderKnowsEveryField(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(typ reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if bodyLeafTypes[typ] {
			if typ.Kind() != reflect.Map && (reflect.PointerTo(typ).Implements(reflect.TypeFor[json.Marshaler]()) ||
				reflect.PointerTo(typ).Implements(reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]())) &&
				typ != reflect.TypeFor[time.Time]() {
				t.Errorf("%s: %s now has a MarshalJSON or MarshalText method; body.go must call it", path, typ)
			}
			return
		}
		if typ.Kind() != reflect.Struct {
			t.Errorf("%s: body.go does not encode fields of type %s", path, typ)
			return
		}
		if seen[typ] {
			return
		}
		seen[typ] = true
		known, ok := bodyFields[typ]
		if !ok {
			t.Errorf("%s: body.go does not encode struct type %s", path, typ)
			return
		}
		var have []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			have = append(have, f.Name+" "+string(f.Tag))
			walk(f.Type, path+"."+f.Name)
		}
		if !slices.Equal(have, known) {
			t.Errorf("%s: the fields of %s changed; body.go writes exactly these, in this order:\n  %s\nthe type now has:\n  %s",
				path, typ, strings.Join(known, "\n  "), strings.Join(have, "\n  "))
		}
	}
	walk(reflect.TypeFor[Interaction](), "Interaction")
	for typ := range bodyFields {
		if !seen[typ] {
			t.Errorf("bodyFields lists %s, which Interaction no longer reaches", typ)
		}
	}
}

// FuzzStoredBody builds an interaction from the fuzzer's strings, floats and
// numbers and requires the bytes (or the failure) of encoding/json.
func FuzzStoredBody(f *testing.F) {
	f.Fuzz(func(t *testing.T, text, key string, f1, f2 float64, sec, nsec int64, zone int, n uint8) {
		at := time.Unix(sec, nsec).In(time.FixedZone(key, zone))
		in := &Interaction{
			Source: key, ID: text, Customer: Ref{Email: text}, CustomerID: sec, Channel: Channel(text),
			JourneyStage: key, Handler: Handler(key), Agent: Agent{Team: text}, StartedAt: at, WaitSeconds: int(nsec),
			Turns:      []Turn{{Speaker: key, Text: text, Sentiment: &f1}, {Speaker: text, At: &at, Text: key + text}},
			Tags:       []string{text, key},
			Attributes: map[string]any{key: text, text: []any{f1, f2, nil, n%2 == 0, map[string]any{key: f2}}, "n": float64(n)},
			Analysis: &Analysis{
				Versions: map[string]string{key: text, text: key}, Redactions: map[string]int{text: int(n)},
				Sentiment: &f2, IntentConfidence: f1, Intent: text, Effort: f2,
				Flags: []Flag{{Kind: key, Evidence: []Span{{int(n), int(sec), int(nsec)}}}},
				QA: &QAResult{Scorecard: key, Score: f1 * f2, Criteria: []QACriterion{
					{ID: text, Label: key, Weight: f1, Note: text}, {ID: key, Weight: f2 / 3},
				}},
			},
		}
		if n&1 == 0 {
			in.Survey = &Scores{CSAT: ptr(int(n)), Comment: text}
		}
		if n&2 == 0 {
			in.Turns = nil
		}
		if n&4 == 0 {
			in.Analysis.Versions = nil
		}
		if !utf8.ValidString(text) || n&8 == 0 {
			in.EndedAt = &at
		}
		checkBody(t, in)
	})
}

// benchInteraction is a typical analysed contact: ten turns, a full analysis
// and an eleven-criterion QA result, about 4 KB stored.
func benchInteraction() *Interaction {
	start := time.Date(2026, 5, 14, 9, 31, 12, 0, time.UTC)
	texts := []string{
		"Hi, I was charged twice for my order last week and I'd like a refund for the duplicate payment please.",
		"Thanks for reaching out! I'm sorry to hear that. Could you confirm the email address on the account?",
		"Sure, it's [EMAIL]. The order number is 4471-2209 and both charges show on my card statement.",
		"Thank you. I can see the two payments of £42.99 on 6 May. One of them should have been voided automatically.",
		"That's what I thought. It's the second time this has happened — I'm honestly getting a bit frustrated with it.",
		"I completely understand, and I apologise. I've raised a refund for the duplicate charge just now.",
		"How long will it take to show up? I need the money back before my rent goes out at the end of the month.",
		"Refunds usually take 3-5 working days to appear, depending on your bank. You'll get an email confirmation today.",
		"OK, great. Can you make sure it doesn't happen again? I don't want to keep checking every statement.",
		"I've added a note to your account and reported the issue to our payments team. Is there anything else?",
	}
	turns := make([]Turn, len(texts))
	for i, s := range texts {
		at := start.Add(time.Duration(i*47) * time.Second)
		turns[i] = Turn{Speaker: []string{"customer", "agent"}[i%2], At: &at, Text: s}
		if i%2 == 0 {
			turns[i].Sentiment = ptr(float64(i)/10 - 0.45)
		}
	}
	criteria := make([]QACriterion, 11)
	labels := []string{"Greeting", "Verified identity", "Empathy", "Clear explanation", "Correct resolution", "Set expectations",
		"Offered further help", "Accurate information", "No jargon", "Followed refund policy", "Closing"}
	for i := range criteria {
		criteria[i] = QACriterion{ID: strings.ReplaceAll(strings.ToLower(labels[i]), " ", "_"), Label: labels[i],
			Weight: float64(1 + i%3), Passed: i != 6, Applies: i != 8, AutoFail: i == 9}
		if i%2 == 0 {
			criteria[i].Evidence = []Span{{Turn: i % 10, Start: 3 * i, End: 3*i + 25}}
		}
	}
	criteria[6].Note = "Agent asked but did not offer the self-service option."
	return &Interaction{
		Source: "zendesk", ID: "ZD-88213307", Customer: Ref{Email: "someone@example.com"}, CustomerID: 99812,
		Channel: Chat, JourneyStage: "billing", Queue: "billing-uk", Handler: Human,
		Agent:     Agent{ID: "agent-0412", Team: "billing", Partner: "acme-bpo"},
		StartedAt: start, EndedAt: ptr(start.Add(9*time.Minute + 31*time.Second)),
		WaitSeconds: 74, HandleSeconds: 571, Resolved: ptr(true), Intent: "billing.refund", Cost: ptr(Money(412)), Currency: "GBP",
		Turns:      turns,
		Survey:     &Scores{CSAT: ptr(4), NPS: ptr(8), Comment: "Quick & helpful, but this shouldn't have happened."},
		Tags:       []string{"refund", "duplicate-charge", "vip"},
		Attributes: map[string]any{"order_id": "4471-2209", "amount": 42.99, "brand": "northstar-shop", "first_contact": true},
		Analysis: &Analysis{
			Versions: map[string]string{"redact": "redact/3", "sentiment": "lexicon/2.1", "intent": "rules/5",
				"cues": "cues/2", "outcome": "outcome/1", "qa": "default-scorecard/4"},
			Redactions: map[string]int{"email": 1},
			Sentiment:  ptr(-0.2125), SentimentStart: ptr(-0.45), SentimentEnd: ptr(0.35), SentimentChange: ptr(0.7999999999999999),
			Intent: "billing.refund", IntentConfidence: 0.87, IntentSource: "model",
			Flags: []Flag{{Kind: "frustration", Evidence: []Span{{Turn: 4, Start: 52, End: 91}}},
				{Kind: "financial_difficulty", Evidence: []Span{{Turn: 6, Start: 41, End: 103}}}},
			Vulnerable: true, Resolved: true, ResolvedSource: "inferred", ResolvedEvidence: &Span{Turn: 8, Start: 0, End: 9},
			Effort: 38.46153846153846,
			QA:     &QAResult{Scorecard: "default", Score: 0.8235294117647058, Criteria: criteria},
		},
	}
}

func TestBenchInteractionIsRealistic(t *testing.T) {
	in := benchInteraction()
	checkBody(t, in)
	b, _ := StoredBody(in)
	if len(b) < 3500 || len(b) > 5000 {
		t.Errorf("benchmark body is %d bytes, want about 4 KB like the import's", len(b))
	}
	if allocs := testing.AllocsPerRun(100, func() { _, _ = StoredBody(in) }); allocs != 1 {
		t.Errorf("StoredBody makes %v allocations, want 1 (the result)", allocs)
	}
}

func BenchmarkStoredBody(b *testing.B) {
	in := benchInteraction()
	out, _ := StoredBody(in)
	for _, bc := range []struct {
		name string
		f    func(*Interaction) (string, error)
	}{{"encoding-json", func(in *Interaction) (string, error) { b, err := referenceBody(in); return string(b), err }}, {"appender", StoredBody}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.f(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The encoder alone, into a reused buffer: what is left once the
	// result's allocation (and the garbage collection it causes) is taken out.
	b.Run("appendBody-reused-buffer", func(b *testing.B) {
		b.SetBytes(int64(len(out)))
		b.ReportAllocs()
		buf := make([]byte, 0, 2*len(out))
		for b.Loop() {
			var err error
			if buf, err = appendBody(buf[:0], in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
