package qa

import (
	"math/rand/v2"
	"testing"

	"cel.dev/cel-go/cel"
)

// conditionCases are expressions a scorecard might hold; fast says whether
// they should take the closure path.
var conditionCases = []struct {
	src  string
	fast bool
}{
	{`channel == "voice"`, true},
	{`channel != "email" && handler == "human"`, true},
	{`handler == "bot" || escalated`, true},
	{`!resolved`, true},
	{`sentiment < -0.4`, true},
	{`sentiment <= 0`, true}, // int literal against a double
	{`sentiment_min < -0.6 || sentiment > 0.5`, true},
	{`turns >= 4 && agent_turns > 0 && customer_turns != 1 && bot_turns == 0`, true},
	{`transfers > 1.5`, true},
	{`-0.5 > sentiment`, true},
	{`has_sentiment == true`, true},
	{`vulnerable && !abandoned`, true},
	{`"bereavement" in flags`, true},
	{`intent in ["refund_request", "missing_item"]`, true},
	{`channel in ["voice", "chat"] && !("anger" in flags)`, true},
	{`flags.exists(f, f in ["bereavement", "illness"])`, true},
	{`flags.exists(f, f == "anger" || f == channel)`, true},
	{`flags.all(f, f != "churn_threat")`, true},
	{`["voice", "sms"].exists(c, c == channel)`, true},
	{`size(flags) > 1`, true},
	{`flags.size() == 0`, true},
	{`true`, true},
	{`resolved == escalated`, true},
	// Left to CEL:
	{`turns + customer_turns > 6`, false},
	{`intent.startsWith("refund")`, false},
	{`flags.exists_one(f, f == "anger")`, false},
	{`flags.exists(f, flags.exists(g, g == f))`, false},
	{`channel < "m"`, false},
	{`turns > 9223372036854775807 - 1`, false},
	{`double(turns) / 2.0 > 1.0`, false},
	{`flags.filter(f, f != "anger").size() > 0`, false},
}

// randomFacts draws facts covering the values the cases test.
func randomFacts(r *rand.Rand) *facts {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	f := &facts{
		channel:       pick("voice", "chat", "email", "sms", ""),
		handler:       pick("bot", "human"),
		intent:        pick("refund_request", "missing_item", "other", ""),
		sentiment:     []float64{-1, -0.6, -0.5, -0.4, 0, 0.5, 0.7}[r.IntN(7)],
		sentimentMin:  []float64{-1, -0.6, -0.4, 0}[r.IntN(4)],
		hasSentiment:  r.IntN(2) == 0,
		resolved:      r.IntN(2) == 0,
		escalated:     r.IntN(2) == 0,
		abandoned:     r.IntN(2) == 0,
		transfers:     int64(r.IntN(3)),
		turns:         int64(r.IntN(8)),
		customerTurns: int64(r.IntN(3)),
		agentTurns:    int64(r.IntN(3)),
		botTurns:      int64(r.IntN(2)),
	}
	all := []string{"anger", "bereavement", "illness", "churn_threat", "voice"}
	for _, fl := range all {
		if r.IntN(3) == 0 {
			f.flags = append(f.flags, fl)
		}
	}
	return f
}

// TestFastPathMatchesCEL evaluates every case both ways on random facts.
func TestFastPathMatchesCEL(t *testing.T) {
	env, err := newCELEnv()
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range conditionCases {
		t.Run(tc.src, func(t *testing.T) {
			c, err := compileCondition(env, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if (c.fast != nil) != tc.fast {
				t.Fatalf("fast path %v, want %v", c.fast != nil, tc.fast)
			}
			ast, iss := env.Compile(tc.src)
			if iss.Err() != nil {
				t.Fatal(iss.Err())
			}
			prg, err := env.Program(ast)
			if err != nil {
				t.Fatal(err)
			}
			for range 300 {
				f := randomFacts(r)
				got, err := c.eval(f)
				if err != nil {
					t.Fatal(err)
				}
				v, _, err := prg.Eval(f)
				if err != nil {
					t.Fatal(err)
				}
				if want := v.Value().(bool); got != want {
					t.Fatalf("facts %+v: got %v, CEL says %v", *f, got, want)
				}
			}
		})
	}
}

// TestVariablesDeclared: every documented variable resolves, with the type
// it is declared with.
func TestVariablesDeclared(t *testing.T) {
	env, err := newCELEnv()
	if err != nil {
		t.Fatal(err)
	}
	f := randomFacts(rand.New(rand.NewPCG(3, 4)))
	for _, v := range Variables() {
		if _, ok := f.ResolveName(v.Name); !ok {
			t.Errorf("%s does not resolve", v.Name)
		}
		ast, iss := env.Compile(v.Name)
		if iss.Err() != nil {
			t.Fatalf("%s: %v", v.Name, iss.Err())
		}
		prg, err := env.Program(ast)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := prg.Eval(f); err != nil {
			t.Errorf("%s: %v", v.Name, err)
		}
		if got := ast.OutputType().String(); got != v.Type {
			t.Errorf("%s: type %s, documented %s", v.Name, got, v.Type)
		}
	}
	if _, ok := f.ResolveName("nosuch"); ok {
		t.Error("an unknown name resolves")
	}
}

// TestConditionRuntimeError: a CEL error makes the criterion not apply,
// and the note says why.
func TestConditionRuntimeError(t *testing.T) {
	sc := mustParse(t, `  - {id: a, require_any: [hi], applies_when: '10 / (turns - 1) > 1'}`+"\n")
	res := sc.Score(Input{Turns: conversation("agent: hi")})
	c := res.Criteria[0]
	if c.Applies || c.Note == "" || Applicable(res) {
		t.Fatalf("criterion %+v", c)
	}
}

// BenchmarkCondition compares the closure path with CEL's interpreter on
// the demo scorecard's empathy condition.
func BenchmarkCondition(b *testing.B) {
	env, err := newCELEnv()
	if err != nil {
		b.Fatal(err)
	}
	const src = `sentiment < -0.4 || sentiment_min < -0.6 || vulnerable || "anger" in flags || ` +
		`intent in ["missing_item", "damaged_item", "refund_request"]`
	c, err := compileCondition(env, src)
	if err != nil || c.fast == nil {
		b.Fatalf("%v (fast %v)", err, c != nil && c.fast != nil)
	}
	ast, _ := env.Compile(src)
	prg, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		b.Fatal(err)
	}
	f := &facts{sentiment: 0.1, sentimentMin: -0.2, flags: []string{"anxiety"}, intent: "other"}
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			if ok, _ := c.eval(f); ok {
				b.Fatal("true")
			}
		}
	})
	b.Run("cel", func(b *testing.B) {
		for b.Loop() {
			if v, _, _ := prg.Eval(f); v.Value().(bool) {
				b.Fatal("true")
			}
		}
	})
}
