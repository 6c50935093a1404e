package qa

import (
	"errors"
	"fmt"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"
)

// facts are what conditions see about one interaction: the CEL variables.
type facts struct {
	channel, handler, intent                              string
	sentiment, sentimentMin                               float64
	hasSentiment, resolved, escalated, abandoned          bool
	flags                                                 []string
	transfers, turns, customerTurns, agentTurns, botTurns int64
}

// Variable documents one variable a condition may use.
type Variable struct {
	Name, Type, Doc string
}

// Variables lists the variables conditions (applies_when, expect) may use.
func Variables() []Variable {
	return []Variable{
		{"channel", "string", `the interaction's channel: "voice", "chat", "email", "social", "messaging", "sms", "web"`},
		{"handler", "string", `who answered first: "bot" or "human" (a bot contact handed to an agent stays "bot")`},
		{"intent", "string", `the intent, "" when unknown`},
		{"sentiment", "double", "mean customer sentiment, −1…1; 0 (neutral) when unknown, so that unknown never looks upset"},
		{"sentiment_min", "double", "the lowest customer-turn sentiment, −1…1; 0 when unknown"},
		{"has_sentiment", "bool", "whether sentiment was measured"},
		{"flags", "list(string)", `emotion and vulnerability cues: "anger", "anxiety", "bereavement", "illness", "financial_hardship", "accessibility", "churn_threat"`},
		{"vulnerable", "bool", "whether any vulnerability flag is present (bereavement, illness, financial_hardship, accessibility)"},
		{"resolved", "bool", "whether the need was resolved (as the source said or as inferred)"},
		{"escalated", "bool", "whether a bot contact was handed to a human"},
		{"abandoned", "bool", "whether the customer left before being served"},
		{"transfers", "int", "transfers between agents or queues"},
		{"turns", "int", "all turns"},
		{"customer_turns", "int", "turns by the customer"},
		{"agent_turns", "int", "turns by human agents"},
		{"bot_turns", "int", "turns by bots"},
	}
}

// vulnerableFlags are the flags that make a customer vulnerable; the names
// are those of package cues.
var vulnerableFlags = [...]string{"bereavement", "illness", "financial_hardship", "accessibility"}

func (f *facts) vulnerable() bool {
	for _, v := range f.flags {
		for _, k := range vulnerableFlags {
			if v == k {
				return true
			}
		}
	}
	return false
}

// ResolveName makes facts a CEL activation without building a map per
// interaction.
func (f *facts) ResolveName(name string) (any, bool) {
	switch name {
	case "channel":
		return types.String(f.channel), true
	case "handler":
		return types.String(f.handler), true
	case "intent":
		return types.String(f.intent), true
	case "sentiment":
		return types.Double(f.sentiment), true
	case "sentiment_min":
		return types.Double(f.sentimentMin), true
	case "has_sentiment":
		return types.Bool(f.hasSentiment), true
	case "flags":
		return f.flags, true
	case "vulnerable":
		return types.Bool(f.vulnerable()), true
	case "resolved":
		return types.Bool(f.resolved), true
	case "escalated":
		return types.Bool(f.escalated), true
	case "abandoned":
		return types.Bool(f.abandoned), true
	case "transfers":
		return types.Int(f.transfers), true
	case "turns":
		return types.Int(f.turns), true
	case "customer_turns":
		return types.Int(f.customerTurns), true
	case "agent_turns":
		return types.Int(f.agentTurns), true
	case "bot_turns":
		return types.Int(f.botTurns), true
	}
	return nil, false
}

// Parent implements interpreter.Activation.
func (f *facts) Parent() interpreter.Activation { return nil }

// newCELEnv declares the variables. Numbers compare across int and double
// ("sentiment < 0") because scorecard authors should not have to write 0.0.
func newCELEnv() (*cel.Env, error) {
	opts := []cel.EnvOption{cel.CrossTypeNumericComparisons(true)}
	for _, v := range Variables() {
		var t *cel.Type
		switch v.Type {
		case "string":
			t = cel.StringType
		case "double":
			t = cel.DoubleType
		case "bool":
			t = cel.BoolType
		case "int":
			t = cel.IntType
		case "list(string)":
			t = cel.ListType(cel.StringType)
		default:
			return nil, fmt.Errorf("variable %s: unknown type %s", v.Name, v.Type)
		}
		opts = append(opts, cel.Variable(v.Name, t))
	}
	return cel.NewEnv(opts...)
}

// condition is one compiled CEL expression. Most scorecard conditions are
// comparisons of a variable with a constant joined by && and ||; those run
// through a closure tree built from the checked AST (fast, about 5 ns)
// instead of the CEL interpreter (100–600 ns). Anything else runs in CEL.
type condition struct {
	src  string
	fast boolFn // nil: use prg
	prg  cel.Program
}

// boolFn evaluates a boolean expression; it is the iteration variable of
// the enclosing exists()/all(), if any.
type boolFn func(f *facts, it string) bool

// exprError is a CEL compile error at a column of the expression.
type exprError struct {
	line, col int // 1-based within the expression; 0 when unknown
	msg       string
}

func (e exprError) Error() string { return e.msg }

// compileCondition compiles src, which must be boolean.
func compileCondition(env *cel.Env, src string) (*condition, error) {
	ast, iss := env.Compile(src)
	if iss != nil && iss.Err() != nil {
		errs := iss.Errors()
		if len(errs) > 0 {
			e := errs[0]
			msg := e.Message
			if len(errs) > 1 {
				msg += fmt.Sprintf(" (and %d more errors)", len(errs)-1)
			}
			return nil, exprError{line: e.Location.Line(), col: e.Location.Column() + 1, msg: msg}
		}
		return nil, exprError{msg: iss.Err().Error()}
	}
	if !ast.OutputType().IsExactType(cel.BoolType) {
		return nil, exprError{msg: fmt.Sprintf("must be a boolean, is %s", ast.OutputType())}
	}
	c := &condition{src: src}
	if fn, ok := lower(ast.NativeRep(), ast.NativeRep().Expr(), ""); ok {
		c.fast = fn
		return c, nil
	}
	prg, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, exprError{msg: err.Error()}
	}
	c.prg = prg
	return c, nil
}

// eval evaluates the condition; a runtime error (only possible in the CEL
// path, e.g. division by zero) is returned so the criterion can say so.
func (c *condition) eval(f *facts) (bool, error) {
	if c.fast != nil {
		return c.fast(f, ""), nil
	}
	v, _, err := c.prg.Eval(f)
	if err != nil {
		return false, err
	}
	b, ok := v.Value().(bool)
	if !ok {
		return false, errors.New("condition did not give a boolean")
	}
	return b, nil
}

// lower turns the subset of CEL that scorecards mostly use into closures.
// iter is the name of the iteration variable in scope ("" outside a
// comprehension). It reports false for anything outside the subset, and the
// caller falls back to the CEL interpreter, so the subset only has to be
// right, not complete; TestFastPathMatchesCEL checks it against CEL.
func lower(a *celast.AST, e celast.Expr, iter string) (boolFn, bool) {
	switch e.Kind() {
	case celast.LiteralKind:
		b, ok := e.AsLiteral().(types.Bool)
		if !ok {
			return nil, false
		}
		v := bool(b)
		return func(*facts, string) bool { return v }, true
	case celast.IdentKind:
		if e.AsIdent() == iter {
			return nil, false
		}
		switch e.AsIdent() {
		case "has_sentiment":
			return func(f *facts, _ string) bool { return f.hasSentiment }, true
		case "vulnerable":
			return func(f *facts, _ string) bool { return f.vulnerable() }, true
		case "resolved":
			return func(f *facts, _ string) bool { return f.resolved }, true
		case "escalated":
			return func(f *facts, _ string) bool { return f.escalated }, true
		case "abandoned":
			return func(f *facts, _ string) bool { return f.abandoned }, true
		}
		return nil, false
	case celast.ComprehensionKind:
		return lowerQuantifier(a, e.AsComprehension(), iter)
	case celast.CallKind:
	default:
		return nil, false
	}
	call := e.AsCall()
	args := call.Args()
	switch name := call.FunctionName(); name {
	case operators.LogicalAnd, operators.LogicalOr:
		if len(args) != 2 {
			return nil, false
		}
		l, ok1 := lower(a, args[0], iter)
		r, ok2 := lower(a, args[1], iter)
		if !ok1 || !ok2 {
			return nil, false
		}
		if name == operators.LogicalAnd {
			return func(f *facts, it string) bool { return l(f, it) && r(f, it) }, true
		}
		return func(f *facts, it string) bool { return l(f, it) || r(f, it) }, true
	case operators.LogicalNot:
		if len(args) != 1 {
			return nil, false
		}
		x, ok := lower(a, args[0], iter)
		if !ok {
			return nil, false
		}
		return func(f *facts, it string) bool { return !x(f, it) }, true
	case operators.Equals, operators.NotEquals, operators.Less, operators.LessEquals,
		operators.Greater, operators.GreaterEquals:
		if len(args) != 2 {
			return nil, false
		}
		return lowerCompare(a, name, args[0], args[1], iter)
	case operators.In:
		if len(args) != 2 {
			return nil, false
		}
		x, ok := lowerString(a, args[0], iter)
		if !ok {
			return nil, false
		}
		if list, ok := constStrings(args[1]); ok {
			return func(f *facts, it string) bool { return contains(list, x(f, it)) }, true
		}
		if isIdent(args[1], "flags") && iter != "flags" {
			return func(f *facts, it string) bool { return contains(f.flags, x(f, it)) }, true
		}
	}
	return nil, false
}

// lowerCompare lowers a comparison of two numbers, two strings or two
// booleans.
func lowerCompare(a *celast.AST, op string, l, r celast.Expr, iter string) (boolFn, bool) {
	if ln, ok := lowerNumber(l, iter); ok {
		rn, ok := lowerNumber(r, iter)
		if !ok {
			return nil, false
		}
		switch op {
		case operators.Equals:
			return func(f *facts, it string) bool { return ln(f) == rn(f) }, true
		case operators.NotEquals:
			return func(f *facts, it string) bool { return ln(f) != rn(f) }, true
		case operators.Less:
			return func(f *facts, it string) bool { return ln(f) < rn(f) }, true
		case operators.LessEquals:
			return func(f *facts, it string) bool { return ln(f) <= rn(f) }, true
		case operators.Greater:
			return func(f *facts, it string) bool { return ln(f) > rn(f) }, true
		default:
			return func(f *facts, it string) bool { return ln(f) >= rn(f) }, true
		}
	}
	if op != operators.Equals && op != operators.NotEquals {
		return nil, false
	}
	eq := op == operators.Equals
	if ls, ok := lowerString(a, l, iter); ok {
		rs, ok := lowerString(a, r, iter)
		if !ok {
			return nil, false
		}
		return func(f *facts, it string) bool { return (ls(f, it) == rs(f, it)) == eq }, true
	}
	lb, ok1 := lower(a, l, iter)
	rb, ok2 := lower(a, r, iter)
	if !ok1 || !ok2 {
		return nil, false
	}
	return func(f *facts, it string) bool { return (lb(f, it) == rb(f, it)) == eq }, true
}

// maxExactInt bounds integer literals in the fast path: beyond it a float64
// no longer holds every integer, and CEL compares ints exactly.
const maxExactInt = 1 << 53

// lowerNumber lowers a numeric variable or literal to a float64 getter.
// Integer variables are counts, far below 2^53, so float64 holds them
// exactly and int/double comparisons agree with CEL's.
func lowerNumber(e celast.Expr, iter string) (func(*facts) float64, bool) {
	switch e.Kind() {
	case celast.LiteralKind:
		var v float64
		switch x := e.AsLiteral().(type) {
		case types.Double:
			v = float64(x)
		case types.Int:
			if x > maxExactInt || x < -maxExactInt {
				return nil, false
			}
			v = float64(x)
		case types.Uint:
			if x > maxExactInt {
				return nil, false
			}
			v = float64(x)
		default:
			return nil, false
		}
		return func(*facts) float64 { return v }, true
	case celast.IdentKind:
		name := e.AsIdent()
		if name == iter {
			return nil, false
		}
		switch name {
		case "sentiment":
			return func(f *facts) float64 { return f.sentiment }, true
		case "sentiment_min":
			return func(f *facts) float64 { return f.sentimentMin }, true
		case "transfers":
			return func(f *facts) float64 { return float64(f.transfers) }, true
		case "turns":
			return func(f *facts) float64 { return float64(f.turns) }, true
		case "customer_turns":
			return func(f *facts) float64 { return float64(f.customerTurns) }, true
		case "agent_turns":
			return func(f *facts) float64 { return float64(f.agentTurns) }, true
		case "bot_turns":
			return func(f *facts) float64 { return float64(f.botTurns) }, true
		}
	case celast.CallKind:
		call := e.AsCall()
		args := call.Args()
		if call.FunctionName() == operators.Negate && len(args) == 1 {
			if x, ok := lowerNumber(args[0], iter); ok {
				return func(f *facts) float64 { return -x(f) }, true
			}
			return nil, false
		}
		if call.FunctionName() == "size" {
			target := call.Target()
			if !call.IsMemberFunction() && len(args) == 1 {
				target = args[0]
			} else if !call.IsMemberFunction() || len(args) != 0 {
				return nil, false
			}
			if isIdent(target, "flags") && iter != "flags" {
				return func(f *facts) float64 { return float64(len(f.flags)) }, true
			}
		}
	}
	return nil, false
}

// lowerString lowers a string variable, literal or iteration variable.
func lowerString(a *celast.AST, e celast.Expr, iter string) (func(*facts, string) string, bool) {
	switch e.Kind() {
	case celast.LiteralKind:
		s, ok := e.AsLiteral().(types.String)
		if !ok {
			return nil, false
		}
		v := string(s)
		return func(*facts, string) string { return v }, true
	case celast.IdentKind:
		name := e.AsIdent()
		if name == iter && iter != "" {
			if t := a.GetType(e.ID()); t == nil || t.Kind() != types.StringKind {
				return nil, false
			}
			return func(_ *facts, it string) string { return it }, true
		}
		switch name {
		case "channel":
			return func(f *facts, _ string) string { return f.channel }, true
		case "handler":
			return func(f *facts, _ string) string { return f.handler }, true
		case "intent":
			return func(f *facts, _ string) string { return f.intent }, true
		}
	}
	return nil, false
}

// lowerQuantifier lowers flags.exists(x, p) and flags.all(x, p), and the
// same over a list of string constants, by recognising the comprehension
// the CEL parser expands those macros into.
func lowerQuantifier(a *celast.AST, c celast.ComprehensionExpr, iter string) (boolFn, bool) {
	if iter != "" || c.HasIterVar2() {
		return nil, false // nested comprehensions: leave to CEL
	}
	init, ok := c.AccuInit().AsLiteral().(types.Bool)
	if c.AccuInit().Kind() != celast.LiteralKind || !ok {
		return nil, false
	}
	accu := c.AccuVar()
	if !isIdent(c.Result(), accu) {
		return nil, false
	}
	step := c.LoopStep()
	if step.Kind() != celast.CallKind {
		return nil, false
	}
	sc := step.AsCall()
	want := operators.LogicalOr // exists: false || p(x1) || p(x2)…
	if init {
		want = operators.LogicalAnd // all: true && p(x1) && …
	}
	if sc.FunctionName() != want || len(sc.Args()) != 2 || !isIdent(sc.Args()[0], accu) {
		return nil, false
	}
	if !quantifierCondition(c.LoopCondition(), accu, bool(init)) {
		return nil, false
	}
	v := c.IterVar()
	if v == "flags" || v == accu || mentions(sc.Args()[1], accu) {
		return nil, false
	}
	pred, ok := lower(a, sc.Args()[1], v)
	if !ok {
		return nil, false
	}
	var items func(*facts) []string
	if list, ok := constStrings(c.IterRange()); ok {
		items = func(*facts) []string { return list }
	} else if isIdent(c.IterRange(), "flags") {
		items = func(f *facts) []string { return f.flags }
	} else {
		return nil, false
	}
	if init {
		return func(f *facts, _ string) bool {
			for _, x := range items(f) {
				if !pred(f, x) {
					return false
				}
			}
			return true
		}, true
	}
	return func(f *facts, _ string) bool {
		for _, x := range items(f) {
			if pred(f, x) {
				return true
			}
		}
		return false
	}, true
}

// quantifierCondition checks the loop condition of exists (stop once
// true: @not_strictly_false(!accu)) or all (stop once false:
// @not_strictly_false(accu)).
func quantifierCondition(e celast.Expr, accu string, all bool) bool {
	if e.Kind() != celast.CallKind {
		return false
	}
	c := e.AsCall()
	if c.FunctionName() != operators.NotStrictlyFalse || len(c.Args()) != 1 {
		return false
	}
	x := c.Args()[0]
	if all {
		return isIdent(x, accu)
	}
	if x.Kind() != celast.CallKind {
		return false
	}
	n := x.AsCall()
	return n.FunctionName() == operators.LogicalNot && len(n.Args()) == 1 && isIdent(n.Args()[0], accu)
}

// mentions reports whether identifier name occurs anywhere in e.
func mentions(e celast.Expr, name string) bool {
	switch e.Kind() {
	case celast.IdentKind:
		return e.AsIdent() == name
	case celast.CallKind:
		c := e.AsCall()
		if c.IsMemberFunction() && mentions(c.Target(), name) {
			return true
		}
		for _, x := range c.Args() {
			if mentions(x, name) {
				return true
			}
		}
	case celast.ListKind:
		for _, x := range e.AsList().Elements() {
			if mentions(x, name) {
				return true
			}
		}
	case celast.LiteralKind:
	default:
		return true // be conservative about anything else
	}
	return false
}

func isIdent(e celast.Expr, name string) bool {
	return e.Kind() == celast.IdentKind && e.AsIdent() == name
}

// constStrings returns the elements of a list literal of string constants.
func constStrings(e celast.Expr) ([]string, bool) {
	if e.Kind() != celast.ListKind {
		return nil, false
	}
	l := e.AsList()
	if len(l.OptionalIndices()) > 0 {
		return nil, false
	}
	out := make([]string, 0, l.Size())
	for _, x := range l.Elements() {
		if x.Kind() != celast.LiteralKind {
			return nil, false
		}
		s, ok := x.AsLiteral().(types.String)
		if !ok {
			return nil, false
		}
		out = append(out, string(s))
	}
	return out, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
