package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/northstar-cx/northstar/internal/shareddata"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs the command line in-process, with an empty environment, and
// returns the exit status, stdout and stderr.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

// writeCSV writes a header and rows to dir/name and returns the path.
func writeCSV(t *testing.T, dir, name string, header []string, rows [][]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// cross makes one row per prefix × phrase, labelled label.
func cross(label string, prefixes, phrases []string) [][]string {
	var rows [][]string
	for _, p := range prefixes {
		for _, s := range phrases {
			rows = append(rows, []string{strings.TrimSpace(p + " " + s), label})
		}
	}
	return rows
}

var intentPhrases = map[string][]string{
	"refund": {"get a refund for my order", "have my money back", "return this jacket for a refund",
		"be refunded for the broken kettle", "claim a refund on my last purchase", "get my payment refunded"},
	"delivery_status": {"know where my parcel is", "track my delivery", "find out when my order arrives",
		"check the status of my shipment", "see why my package is late", "get the tracking number for my order"},
	"cancel_subscription": {"cancel my subscription", "stop my monthly plan", "end my membership",
		"unsubscribe from the premium plan", "close my subscription account", "stop paying for the service every month"},
	"change_address": {"change my delivery address", "update the address on my account", "move my order to a new address",
		"fix the postcode on my address", "edit my billing address", "send it to my work address instead"},
}

var outOfScope = []string{"what is the weather tomorrow", "tell me a joke", "who won the football last night",
	"what is the capital of peru", "play some music", "how tall is mount everest", "set an alarm for seven",
	"translate hello into french", "what is your favourite colour", "how many legs does a spider have"}

// intentFiles writes a training file (in-scope rows plus a few out-of-scope
// ones) and an evaluation file phrased with other prefixes.
func intentFiles(t *testing.T, dir string) (train, eval string, nTrain, nEval int) {
	t.Helper()
	var tr, ev [][]string
	for _, in := range []string{"cancel_subscription", "change_address", "delivery_status", "refund"} {
		tr = append(tr, cross(in, []string{"i want to", "can you help me", "please can i", "i need to", "how do i", "could you let me"}, intentPhrases[in])...)
		ev = append(ev, cross(in, []string{"hi, i would like to", "is it possible to", "help me"}, intentPhrases[in])...)
	}
	for i, s := range outOfScope {
		if i%2 == 0 {
			tr = append(tr, []string{s, "oos"})
		} else {
			ev = append(ev, []string{s, "unknown"})
		}
	}
	header := []string{"text", "intent"}
	return writeCSV(t, dir, "intents-train.csv", header, tr), writeCSV(t, dir, "intents-eval.csv", header, ev), len(tr), len(ev)
}

var sentimentPhrases = map[string][]string{
	"negative": {"is terrible and nobody helps", "still has not arrived after two weeks, awful",
		"was a complete waste of time", "is broken again and i am furious", "kept me on hold for an hour, useless",
		"is the worst i have ever dealt with"},
	"neutral": {"- what are your opening hours on sunday?", "- can you tell me the order number format?",
		"- is there a phone number i can call?", "- which email address should i use?",
		"- do you deliver to scotland?", "- where do i find the invoice?"},
	"positive": {"was brilliant, thank you so much", "arrived early and it is perfect, love it",
		"sorted everything quickly, great job", "is excellent and really easy to use",
		"was so helpful and friendly, thanks", "made my day, amazing service"},
}

func sentimentFiles(t *testing.T, dir string) (train, eval string, nTrain, nEval int) {
	t.Helper()
	var tr, ev [][]string
	for _, l := range []string{"negative", "neutral", "positive"} {
		tr = append(tr, cross(l, []string{"the delivery", "your app", "the agent", "my refund", "the website", "customer service"}, sentimentPhrases[l])...)
		ev = append(ev, cross(l, []string{"the courier", "your shop", "the chat"}, sentimentPhrases[l])...)
	}
	header := []string{"text", "label"}
	return writeCSV(t, dir, "sentiment-train.csv", header, tr), writeCSV(t, dir, "sentiment-eval.csv", header, ev), len(tr), len(ev)
}

func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, s)
	}
	return v
}

// tempLeftovers lists files in dir that look like abandoned temporary models.
func tempLeftovers(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			left = append(left, e.Name())
		}
	}
	return left
}

func TestIntentsTrainEvalRoundTrip(t *testing.T) {
	dir := t.TempDir()
	train, eval, nTrain, nEval := intentFiles(t, dir)
	model := filepath.Join(dir, "intents.model")

	code, out, errs := cli(t, "intents", "train", "--examples", train, "--val", eval, "--reject-share", "0.1", "--out", model)
	if code != exitOK {
		t.Fatalf("train: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"intents    4", fmt.Sprintf("examples   %d in scope, 5 out of scope", nTrain-5),
		"version    intent/svm-", "rejects 10% of the 72 in-scope rows of " + eval, "on val     in-scope accuracy"} {
		if !strings.Contains(out, want) {
			t.Errorf("train output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "training an intent model on 144 examples of 4 intents") || !strings.Contains(errs, "done in") {
		t.Errorf("no progress message on stderr: %q", errs)
	}
	if left := tempLeftovers(t, dir); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	// The same examples and options give the same model.
	code, out, errs = cli(t, "--json", "intents", "train", "--examples", train, "--val", eval, "--reject-share", "0.1", "--out", model)
	if code != exitOK {
		t.Fatalf("train --json: exit %d\n%s%s", code, out, errs)
	}
	ts := decodeJSON[intentTrainSummary](t, out)
	if ts.Intents != 4 || len(ts.IntentNames) != 4 || ts.Examples != nTrain-5 || ts.OutOfScope != 5 || ts.Val == nil || ts.Model != model {
		t.Errorf("train summary: %+v", ts)
	}
	if fi, err := os.Stat(model); err != nil || fi.Size() != ts.Bytes {
		t.Errorf("model file: %v, size want %d", err, ts.Bytes)
	}
	if !strings.Contains(out, `"Version": "`+ts.Version+`"`) || !strings.HasPrefix(ts.Version, "intent/svm-") {
		t.Errorf("version %q", ts.Version)
	}

	code, out, errs = cli(t, "intents", "eval", "--model", model, "--examples", eval)
	if code != exitOK {
		t.Fatalf("eval: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{ts.Version, "accuracy ", "in-scope accuracy ", "macro-F1 ", "out-of-scope recall ",
		"in-scope rejected ", "utterances/s ", fmt.Sprintf("%d (72 in scope, 5 out of scope)", nEval)} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}

	code, out, errs = cli(t, "intents", "eval", "--json", "--model", model, "--examples", eval)
	if code != exitOK {
		t.Fatalf("eval --json: exit %d\n%s%s", code, out, errs)
	}
	r := decodeJSON[intentEvalOutput](t, out)
	if r.N != nEval || r.NInScope != 72 || r.NOutOfScope != 5 || r.Version != ts.Version || r.Model != model {
		t.Errorf("counts: %+v", r)
	}
	if r.InScopeAccuracy < 0.95 || r.MacroF1 < 0.7 || r.UtterancesPerSec <= 0 || r.Threshold != ts.Threshold {
		t.Errorf("figures: in-scope accuracy %.3f, macro-F1 %.3f, %.0f/s, threshold %v (trained %v)",
			r.InScopeAccuracy, r.MacroF1, r.UtterancesPerSec, r.Threshold, ts.Threshold)
	}
	// The threshold chosen on this very file rejects about the asked share.
	if r.InScopeRejected > 0.15 {
		t.Errorf("in-scope rejected %.3f at the threshold that should reject 10%%", r.InScopeRejected)
	}

	// --threshold overrides the model's threshold for the evaluation only.
	for _, tc := range []struct {
		threshold          string
		rejected, oosRecal float64
	}{{"0", 0, 0}, {"1", 1, 1}} {
		code, out, errs = cli(t, "intents", "eval", "--json", "--model", model, "--examples", eval, "--threshold", tc.threshold)
		if code != exitOK {
			t.Fatalf("eval --threshold %s: exit %d\n%s", tc.threshold, code, errs)
		}
		r := decodeJSON[intentEvalOutput](t, out)
		if r.InScopeRejected != tc.rejected || r.OOSRecall != tc.oosRecal {
			t.Errorf("--threshold %s: in-scope rejected %v, OOS recall %v; want %v, %v", tc.threshold, r.InScopeRejected, r.OOSRecall, tc.rejected, tc.oosRecal)
		}
	}
}

func TestIntentsTrainWithoutVal(t *testing.T) {
	dir := t.TempDir()
	train, _, _, _ := intentFiles(t, dir)
	inScopeOnly := writeCSV(t, dir, "in-scope.csv", []string{"intent", "text", "note"}, [][]string{
		{"a", "open the pod bay doors", "x"}, {"a", "open the doors please", "x"}, {"a", "please open the doors", "x"},
		{"b", "close the window", ""}, {"b", "shut the window now", ""}, {"b", "close that window please", ""},
	})
	tests := []struct {
		name, examples, from string
	}{
		{"oos rows set the threshold", train, "balances 5 out-of-scope rows"},
		{"no oos rows", inScopeOnly, "rejects 5% of the in-scope examples"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			model := filepath.Join(t.TempDir(), "m")
			code, out, errs := cli(t, "intents", "train", "--examples", tc.examples, "--out", model)
			if code != exitOK || !strings.Contains(out, tc.from) {
				t.Fatalf("exit %d, want threshold %q:\n%s%s", code, tc.from, out, errs)
			}
			if _, err := loadIntentModel(model); err != nil {
				t.Errorf("written model does not load: %v", err)
			}
		})
	}
}

func TestSentimentTrainEvalRoundTrip(t *testing.T) {
	dir := t.TempDir()
	train, eval, nTrain, nEval := sentimentFiles(t, dir)
	model := filepath.Join(dir, "sentiment.model")

	code, out, errs := cli(t, "sentiment", "train", "--examples", train, "--out", model)
	if code != exitOK {
		t.Fatalf("train: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"version   sentiment/trained-", fmt.Sprintf("examples  %d (36 negative, 36 neutral, 36 positive)", nTrain), "seconds"} {
		if !strings.Contains(out, want) {
			t.Errorf("train output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "training a sentiment model on 108 examples") {
		t.Errorf("no progress message on stderr: %q", errs)
	}
	if left := tempLeftovers(t, dir); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	code, out, errs = cli(t, "sentiment", "eval", "--model", model, "--examples", eval, "--json")
	if code != exitOK {
		t.Fatalf("eval --json: exit %d\n%s%s", code, out, errs)
	}
	r := decodeJSON[sentimentEvalOutput](t, out)
	if r.N != nEval || r.Model != model || !strings.HasPrefix(r.Version, "sentiment/trained-") {
		t.Errorf("report header: %+v", r)
	}
	if r.Accuracy < 0.9 || r.MacroF1 < 0.9 || r.MessagesPerSec <= 0 {
		t.Errorf("trained model on held-out phrasing: accuracy %.3f, macro-F1 %.3f, %.0f msgs/s", r.Accuracy, r.MacroF1, r.MessagesPerSec)
	}
	for _, l := range []string{"negative", "neutral", "positive"} {
		if r.PerClass[l].Support != nEval/3 {
			t.Errorf("%s support %d, want %d", l, r.PerClass[l].Support, nEval/3)
		}
		var row int
		for _, n := range r.Confusion[l] {
			row += n
		}
		if row != nEval/3 {
			t.Errorf("confusion row %s sums to %d, want %d", l, row, nEval/3)
		}
	}

	// Without --model, the built-in model.
	code, out, errs = cli(t, "sentiment", "eval", "--examples", eval)
	if code != exitOK {
		t.Fatalf("eval default: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"model     default (sentiment/1)", "accuracy ", "macro-F1 ", "messages/s ",
		"label     precision  recall      F1  support", "confusion (rows: gold label, columns: predicted)",
		"            negative  neutral  positive"} {
		if !strings.Contains(out, want) {
			t.Errorf("default eval output lacks %q:\n%s", want, out)
		}
	}
}

func TestModelCommandErrors(t *testing.T) {
	dir := t.TempDir()
	itrain, ieval, _, _ := intentFiles(t, dir)
	strain, seval, _, _ := sentimentFiles(t, dir)
	intentModel, sentimentModel := filepath.Join(dir, "i.model"), filepath.Join(dir, "s.model")
	for _, args := range [][]string{
		{"intents", "train", "--examples", itrain, "--out", intentModel},
		{"sentiment", "train", "--examples", strain, "--out", sentimentModel},
	} {
		if code, _, errs := cli(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	file := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	half := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b[:len(b)/2]
	}
	garbage := file("garbage.model", []byte("this is not a model\n"))
	truncIntent := file("trunc-i.model", half(intentModel))
	truncSentiment := file("trunc-s.model", half(sentimentModel))
	ragged := file("ragged.csv", []byte("text,intent\nhello there,greet\nbye,farewell,extra\n"))
	badLabel := file("label.csv", []byte("text,label\ngood,positive\nbad,negative\nmeh,sideways\n"))
	quote := file("quote.csv", []byte("text,intent\n\"unterminated,greet\n"))
	oneIntent := file("one.csv", []byte("text,intent\nhello,greet\nhi there,greet\n"))
	missing := filepath.Join(dir, "missing.csv")

	tests := []struct {
		name string
		args []string
		code int
		want []string // in stderr
	}{
		{"garbage intent model", []string{"intents", "eval", "--model", garbage, "--examples", ieval}, exitFatal,
			[]string{garbage, "not a valid intent model"}},
		{"truncated intent model", []string{"intents", "eval", "--model", truncIntent, "--examples", ieval}, exitFatal,
			[]string{truncIntent, "truncated"}},
		{"sentiment model to intents", []string{"intents", "eval", "--model", sentimentModel, "--examples", ieval}, exitFatal,
			[]string{"is a sentiment model", "northstar sentiment eval"}},
		{"intent model to sentiment", []string{"sentiment", "eval", "--model", intentModel, "--examples", seval}, exitFatal,
			[]string{"is an intent model", "northstar intents eval"}},
		{"garbage sentiment model", []string{"sentiment", "eval", "--model", garbage, "--examples", seval}, exitFatal,
			[]string{garbage, "is not a sentiment model"}},
		{"truncated sentiment model", []string{"sentiment", "eval", "--model", truncSentiment, "--examples", seval}, exitFatal,
			[]string{truncSentiment, "sentiment: load model"}},
		{"missing model", []string{"intents", "eval", "--model", filepath.Join(dir, "nope.model"), "--examples", ieval}, exitFatal,
			[]string{"nope.model", "no such file"}},
		{"missing examples", []string{"sentiment", "eval", "--examples", missing}, exitFatal,
			[]string{"missing.csv", "no such file"}},
		{"ragged CSV", []string{"intents", "eval", "--model", intentModel, "--examples", ragged}, exitFatal,
			[]string{ragged + ":3:", "3 fields"}},
		{"bad quote", []string{"intents", "train", "--examples", quote, "--out", filepath.Join(dir, "q.model")}, exitFatal,
			[]string{quote + ":2:"}},
		{"bad label", []string{"sentiment", "train", "--examples", badLabel, "--out", filepath.Join(dir, "l.model")}, exitFatal,
			[]string{badLabel + ":4:", "sideways"}},
		{"wrong columns", []string{"sentiment", "eval", "--examples", ieval}, exitFatal,
			[]string{ieval + ":1:", "label"}},
		{"out in a missing dir", []string{"intents", "train", "--examples", itrain, "--out", filepath.Join(dir, "no", "m")}, exitFatal,
			[]string{"does not exist"}},
		{"out is a dir", []string{"sentiment", "train", "--examples", strain, "--out", dir}, exitFatal,
			[]string{"is a directory"}},
		{"one intent", []string{"intents", "train", "--examples", oneIntent, "--out", filepath.Join(dir, "one.model")}, exitFatal,
			[]string{oneIntent, "at least 2 intents"}},

		{"no examples", []string{"intents", "train", "--out", "x"}, exitUsage, []string{"--examples", "--help"}},
		{"no out", []string{"sentiment", "train", "--examples", strain}, exitUsage, []string{"--out"}},
		{"no model", []string{"intents", "eval", "--examples", ieval}, exitUsage, []string{"--model"}},
		{"reject share 0", []string{"intents", "train", "--examples", itrain, "--out", "x", "--reject-share", "0"}, exitUsage,
			[]string{"--reject-share"}},
		{"threshold 2", []string{"intents", "eval", "--model", intentModel, "--examples", ieval, "--threshold", "2"}, exitUsage,
			[]string{"--threshold"}},
		{"threshold not a number", []string{"intents", "eval", "--model", intentModel, "--examples", ieval, "--threshold", "high"}, exitUsage,
			[]string{"invalid argument"}},
		{"unknown subcommand", []string{"intents", "evaluate"}, exitUsage, []string{`unknown command "evaluate"`}},
		{"stray argument", []string{"sentiment", "eval", "--examples", seval, "extra"}, exitUsage, []string{`unknown command "extra"`}},
		{"unknown flag", []string{"sentiment", "train", "--examples", strain, "--out", "x", "--epochs", "3"}, exitUsage, []string{"unknown flag"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := cli(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q: %s", w, errs)
				}
			}
		})
	}
	if left := tempLeftovers(t, dir); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	for _, name := range []string{"one.model", "q.model", "l.model"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("failed training left %s (%v)", name, err)
		}
	}
}

// A failed training leaves the previous model in place, whole.
func TestFailedTrainingKeepsOldModel(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m")
	old := []byte("the previous model")
	if err := os.WriteFile(model, old, 0o644); err != nil {
		t.Fatal(err)
	}
	one := writeCSV(t, dir, "one.csv", []string{"text", "intent"}, [][]string{{"hello", "greet"}, {"hi", "greet"}})
	if code, _, _ := cli(t, "intents", "train", "--examples", one, "--out", model); code != exitFatal {
		t.Fatalf("exit %d, want %d", code, exitFatal)
	}
	if got, _ := os.ReadFile(model); !bytes.Equal(got, old) {
		t.Errorf("model file changed to %q", got)
	}
	if left := tempLeftovers(t, dir); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestModelCommandsHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"intents", "sentiment"}},
		{[]string{"intents"}, []string{"train", "eval", "Examples:"}},
		{[]string{"sentiment", "--help"}, []string{"train", "eval", "Examples:"}},
		{[]string{"intents", "train", "--help"}, []string{"--examples", "--val", "--reject-share", "--out", "Examples:", "atomically"}},
		{[]string{"intents", "eval", "--help"}, []string{"--model", "--examples", "--threshold", "Examples:", "out-of-scope recall"}},
		{[]string{"sentiment", "train", "--help"}, []string{"--examples", "--out", "Examples:"}},
		{[]string{"sentiment", "eval", "--help"}, []string{"--model", "--examples", "built-in", "Examples:"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errs := cli(t, tc.args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("help lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func modelsDataDir(t *testing.T) string { t.Helper(); return shareddata.Dir(t) }

func TestSentimentEvalAirline(t *testing.T) {
	dev := filepath.Join(modelsDataDir(t), "airline-sentiment", "dev.csv")
	code, out, errs := cli(t, "sentiment", "eval", "--examples", dev, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	r := decodeJSON[sentimentEvalOutput](t, out)
	if r.N < 4000 || r.MacroF1 < 0.55 {
		t.Errorf("default model on %s: %d examples, macro-F1 %.4f (want ≥ 0.55)", dev, r.N, r.MacroF1)
	}
	code, out, errs = cli(t, "sentiment", "eval", "--examples", dev)
	if want := fmt.Sprintf("macro-F1    %.4f", r.MacroF1); code != exitOK || !strings.Contains(out, want) {
		t.Errorf("exit %d, output lacks %q:\n%s%s", code, want, out, errs)
	}
}
