package intent

import (
	"github.com/northstar-cx/northstar/internal/shareddata"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func dataDir(tb testing.TB) string { tb.Helper(); return shareddata.Dir(tb) }

// loadCLINC reads one CLINC150 split: "train", "val" or "test".
func loadCLINC(tb testing.TB, split string) []Example {
	tb.Helper()
	path := filepath.Join(dataDir(tb), "clinc150", split+".csv")
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	ex, err := ReadExamples(f, path)
	if err != nil {
		tb.Fatal(err)
	}
	return ex
}

// fullEval skips the slow evaluations (the baseline) unless asked for.
func fullEval(tb testing.TB) {
	tb.Helper()
	if os.Getenv("NORTHSTAR_EVAL") != "1" {
		tb.Skip("set NORTHSTAR_EVAL=1 to run the full CLINC150 evaluation")
	}
}

// TestCLINC150 is the evaluation behind docs/BENCHMARKS.md: train on the
// training split (its out-of-scope rows only set the threshold), pick the
// threshold that rejects 5% of in-scope validation queries, score the test
// split.
func TestCLINC150(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the full model (about 7 s on 2 cores); skipped with -short")
	}
	train, val, test := loadCLINC(t, "train"), loadCLINC(t, "val"), loadCLINC(t, "test")
	start := time.Now()
	m, err := Train(train, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("model %v trained in %.2fs (GOMAXPROCS workers)", m, took.Seconds())
	trained := Evaluate(m, test)
	logReport(t, "test, threshold from training oos rows", trained)
	m.SetThreshold(ChooseThreshold(m, val, 0.05))
	r := Evaluate(m, test)
	logReport(t, "test, threshold rejecting 5% of in-scope val", r)
	if r.InScopeAccuracy < 0.928 {
		t.Errorf("in-scope accuracy %.4f, want ≥ 0.928 (sklearn LinearSVC)", r.InScopeAccuracy)
	}
	if r.OOSRecall < 0.70 {
		t.Errorf("out-of-scope recall %.3f at 5%% in-scope rejection on val, want ≥ 0.70", r.OOSRecall)
	}
	ece := calibrationError(m, test)
	t.Logf("expected calibration error on in-scope test rows: %.4f", ece)
	if ece > 0.05 {
		t.Errorf("expected calibration error %.3f on in-scope test rows, want ≤ 0.05", ece)
	}
	if r.InScopeRejected < 0.02 || r.InScopeRejected > 0.10 {
		t.Errorf("in-scope rejected %.3f on test with a threshold rejecting 5%% on val", r.InScopeRejected)
	}
}

// TestCLINC150Subset always runs (when the data is there): the first 30
// intents in name order, with every out-of-scope row, in about a second.
func TestCLINC150Subset(t *testing.T) {
	keep := func(ex []Example) []Example {
		var out []Example
		for _, e := range ex {
			if e.OutOfScope() || e.Intent < subsetLimit {
				out = append(out, e)
			}
		}
		return out
	}
	train, val, test := keep(loadCLINC(t, "train")), keep(loadCLINC(t, "val")), keep(loadCLINC(t, "test"))
	m, err := Train(train, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.Intents()); n != 30 {
		t.Fatalf("%d intents, want 30", n)
	}
	m.SetThreshold(ChooseThreshold(m, val, 0.05))
	r := Evaluate(m, test)
	logReport(t, "subset test", r)
	if r.InScopeAccuracy < subsetMinAccuracy {
		t.Errorf("in-scope accuracy %.4f, want ≥ %v", r.InScopeAccuracy, subsetMinAccuracy)
	}
	if r.OOSRecall < subsetMinOOSRecall {
		t.Errorf("out-of-scope recall %.3f, want ≥ %v", r.OOSRecall, subsetMinOOSRecall)
	}
	if ece := calibrationError(m, test); ece > 0.05 {
		t.Errorf("expected calibration error %.3f on in-scope test rows, want ≤ 0.05", ece)
	}
}

// subsetLimit bounds the subset's intent names: CLINC150's first 30 in order.
const (
	subsetLimit        = "credit_score"
	subsetMinAccuracy  = 0.95
	subsetMinOOSRecall = 0.80
)

// calibrationError is the expected calibration error over in-scope examples:
// the gap between confidence and accuracy, averaged over ten confidence bins
// weighted by their size. A calibrated confidence keeps it near 0.
func calibrationError(m *Model, ex []Example) float64 {
	var n [10]int
	var conf, right [10]float64
	total := 0
	s := m.getScratch()
	defer m.pool.Put(s)
	for _, e := range ex {
		if e.OutOfScope() {
			continue
		}
		c, p := m.classify(e.Text, s)
		b := min(int(p*10), 9)
		n[b]++
		conf[b] += p
		if c >= 0 && m.intents[c] == e.Intent {
			right[b]++
		}
		total++
	}
	var ece float64
	for b := range n {
		if n[b] > 0 {
			ece += math.Abs(conf[b]-right[b]) / float64(total)
		}
	}
	return ece
}

func logReport(t *testing.T, name string, r Report) {
	t.Helper()
	t.Logf("%s: n=%d acc=%.4f in-scope acc=%.4f macroF1=%.4f oos recall=%.3f in-scope rejected=%.3f threshold=%.3f utt/s=%.0f",
		name, r.N, r.Accuracy, r.InScopeAccuracy, r.MacroF1, r.OOSRecall, r.InScopeRejected, r.Threshold, r.UtterancesPerSec)
	for _, p := range r.Confused[:min(5, len(r.Confused))] {
		t.Logf("  confused %s → %s ×%d", p.Gold, p.Predicted, p.Count)
	}
}
