package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/northstar-cx/northstar/internal/analysis/intent"
	"github.com/northstar-cx/northstar/internal/analysis/sentiment"
)

// The first bytes of each model format, to tell a user who passed one kind of
// model to the other kind's command what they did rather than "bad header".
const (
	intentMagic    = "NSINTENT"
	sentimentMagic = "northstar-sentiment-model"
)

func newIntentsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "intents",
		Short: "Train and evaluate intent models (the brand's own intent taxonomy)",
		Long: `Intent models classify what a customer wants into the brand's own intents. Train one on
labelled examples (CSV with columns text,intent), measure it on examples it has not seen, then
point the pipeline at it with --intent-model (or intent-model in northstar.yaml).

Rows labelled "oos" or "unknown" are out of scope: they never become an intent, they only help
choose the confidence threshold below which the model answers "unknown".`,
		Example: `  northstar intents train --examples train.csv --val val.csv --out intents.model
  northstar intents eval --model intents.model --examples test.csv`,
		Args: cobra.NoArgs,
		RunE: groupHelp,
	}
	cmd.AddCommand(newIntentsTrainCmd(g), newIntentsEvalCmd(g))
	return cmd
}

func newSentimentCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sentiment",
		Short: "Train and evaluate sentiment models",
		Long: `Sentiment models label customer messages negative, neutral or positive and score them from
-1 to 1. The built-in model needs no training; a model trained on the brand's own labelled
messages (CSV with columns text,label) adapts it to the brand's customers. Point the pipeline at
a trained model with --sentiment-model (or sentiment-model in northstar.yaml).`,
		Example: `  northstar sentiment eval --examples labelled.csv
  northstar sentiment train --examples labelled.csv --out sentiment.model
  northstar sentiment eval --model sentiment.model --examples holdout.csv`,
		Args: cobra.NoArgs,
		RunE: groupHelp,
	}
	cmd.AddCommand(newSentimentTrainCmd(g), newSentimentEvalCmd(g))
	return cmd
}

// groupHelp runs a command group given no subcommand. A group must be
// runnable for cobra to check its arguments: otherwise a mistyped
// subcommand prints help and exits 0, which a script would take for success.
func groupHelp(cmd *cobra.Command, _ []string) error { return cmd.Help() }

// intentTrainSummary is what `intents train` reports (--json prints it).
type intentTrainSummary struct {
	Model       string   // the file written
	Bytes       int64    // its size
	Version     string   // the model's version, stored beside every prediction
	Intents     int      // number of intents
	IntentNames []string // the intents, sorted
	Examples    int      // in-scope training examples
	OutOfScope  int      // training rows labelled oos/unknown (they only set the threshold)
	Seconds     float64  // training time
	Threshold   float64  // confidence below which the model answers unknown
	// ThresholdFrom says how the threshold was chosen.
	ThresholdFrom string
	// Val is the model's evaluation on the --val file, when given.
	Val *intent.Report `json:",omitempty"`
}

func newIntentsTrainCmd(g *globals) *cobra.Command {
	var examples, val, out string
	var rejectShare float64
	cmd := &cobra.Command{
		Use:   "train --examples FILE.csv [--val FILE.csv] [--reject-share 0.05] --out MODEL",
		Short: "Train an intent model on labelled examples",
		Long: `Train an intent model on labelled examples: a CSV file with a header row naming the columns
text and intent (other columns are ignored). Every intent needs examples; a few dozen each is
a good start. Rows labelled "oos" or "unknown" never become an intent.

The model's confidence threshold (below it the model answers "unknown") is chosen:
  - with --val: so that --reject-share of the in-scope rows of the validation file fall below it
    (the usual way: the validation file is not used for training);
  - else, when the examples have oos/unknown rows: balancing those against in-scope examples;
  - else: so that --reject-share of the in-scope examples (cross-validated) fall below it.

The model is written to --out atomically: a crash never leaves a half-written model there.
Training the same examples with the same options gives the same model and version.`,
		Example: `  northstar intents train --examples train.csv --out intents.model
  northstar intents train --examples train.csv --val val.csv --reject-share 0.10 --out intents.model
  northstar intents train --json --examples train.csv --out intents.model`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case examples == "":
				return usageError{"intents train: --examples FILE.csv is required"}
			case out == "":
				return usageError{"intents train: --out MODEL is required"}
			case !(rejectShare > 0 && rejectShare < 1):
				return usageError{fmt.Sprintf("intents train: --reject-share %v: want a share between 0 and 1, such as 0.05", rejectShare)}
			}
			ex, err := readExamples(examples, intent.ReadExamples)
			if err != nil {
				return err
			}
			var valEx []intent.Example
			if val != "" {
				if valEx, err = readExamples(val, intent.ReadExamples); err != nil {
					return err
				}
				if !slices.ContainsFunc(valEx, func(e intent.Example) bool { return !e.OutOfScope() }) {
					return fmt.Errorf("%s: no in-scope rows to choose the threshold on (all are oos/unknown)", val)
				}
			}
			// Claim the output before training, so that a bad path fails
			// now rather than after minutes of work.
			af, err := createAtomic(out)
			if err != nil {
				return err
			}
			defer af.abort()

			s := intentTrainSummary{Model: out}
			intents := map[string]bool{}
			for _, e := range ex {
				if e.OutOfScope() {
					s.OutOfScope++
				} else {
					s.Examples++
					intents[e.Intent] = true
				}
			}
			note := fmt.Sprintf("training an intent model on %s examples of %s intents", num(s.Examples), num(len(intents)))
			if s.OutOfScope > 0 {
				note += fmt.Sprintf(" (%s out-of-scope rows set the threshold)", num(s.OutOfScope))
			}
			start := time.Now()
			m, err := whileTraining(cmd.Context(), g, note, func() (*intent.Model, error) {
				return intent.Train(ex, intent.TrainOptions{RejectShare: rejectShare})
			})
			if err != nil {
				return fmt.Errorf("intents train: %s: %w", examples, err)
			}
			s.Seconds = time.Since(start).Seconds()
			switch {
			case val != "":
				var n int
				for _, e := range valEx {
					if !e.OutOfScope() {
						n++
					}
				}
				m.SetThreshold(intent.ChooseThreshold(m, valEx, rejectShare))
				s.ThresholdFrom = fmt.Sprintf("rejects %s of the %s in-scope rows of %s", pct(rejectShare), num(n), val)
				r := intent.Evaluate(m, valEx)
				s.Val = &r
			case s.OutOfScope > 0:
				s.ThresholdFrom = fmt.Sprintf("balances %s out-of-scope rows against the in-scope examples (cross-validated)", num(s.OutOfScope))
			default:
				s.ThresholdFrom = fmt.Sprintf("rejects %s of the in-scope examples (cross-validated)", pct(rejectShare))
			}
			if s.Bytes, err = af.commit(m.Save); err != nil {
				return err
			}
			s.Version, s.Threshold, s.IntentNames = m.Version(), m.Threshold(), m.Intents()
			s.Intents = len(s.IntentNames)
			return printIntentTrain(g, &s)
		},
	}
	f := cmd.Flags()
	f.StringVar(&examples, "examples", "", "labelled examples: CSV with columns text,intent (required)")
	f.StringVar(&val, "val", "", "validation examples (same columns) to choose the threshold on")
	f.Float64Var(&rejectShare, "reject-share", 0.05, "share of in-scope utterances the threshold may send to unknown")
	f.StringVar(&out, "out", "", "model file to write (required)")
	return cmd
}

func printIntentTrain(g *globals, s *intentTrainSummary) error {
	if g.jsonOut {
		return writeJSON(g, s)
	}
	tw := tabwriter.NewWriter(g.e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "model\t%s (%s bytes)\n", s.Model, num(int(s.Bytes)))
	fmt.Fprintf(tw, "version\t%s\n", s.Version)
	fmt.Fprintf(tw, "intents\t%s\n", num(s.Intents))
	fmt.Fprintf(tw, "examples\t%s in scope, %s out of scope\n", num(s.Examples), num(s.OutOfScope))
	fmt.Fprintf(tw, "seconds\t%.1f\n", s.Seconds)
	fmt.Fprintf(tw, "threshold\t%.3f (%s)\n", s.Threshold, s.ThresholdFrom)
	if r := s.Val; r != nil {
		line := fmt.Sprintf("in-scope accuracy %.4f, in-scope rejected %.4f", r.InScopeAccuracy, r.InScopeRejected)
		if r.NOutOfScope > 0 {
			line += fmt.Sprintf(", out-of-scope recall %.4f", r.OOSRecall)
		}
		fmt.Fprintf(tw, "on val\t%s\n", line)
	}
	return tw.Flush()
}

// intentEvalOutput is what `intents eval --json` prints: the evaluation
// report's fields, and which model and file it was measured on.
type intentEvalOutput struct {
	Model    string // the model file
	Version  string
	Examples string // the examples file
	intent.Report
}

func newIntentsEvalCmd(g *globals) *cobra.Command {
	var model, examples string
	var threshold float64
	cmd := &cobra.Command{
		Use:   "eval --model MODEL --examples FILE.csv [--threshold T] [--json]",
		Short: "Measure an intent model on labelled examples",
		Long: `Measure an intent model on labelled examples it was not trained on (CSV with columns
text,intent). Rows labelled "oos" or "unknown" are out of scope: the right answer for them is
"unknown".

Figures: accuracy (all rows, at the threshold), in-scope accuracy (the best intent, threshold
aside: what the classifier knows), macro-F1 over the gold intents, and when the file has
out-of-scope rows the share of them answered unknown (out-of-scope recall) against the share
of in-scope rows answered unknown (in-scope rejected). Then the most confused pairs and the
prediction speed (one goroutine).

--threshold overrides the model's own threshold for this evaluation only; try a few values to
see the trade-off, then set the one you want with --intent-threshold.`,
		Example: `  northstar intents eval --model intents.model --examples test.csv
  northstar intents eval --model intents.model --examples test.csv --threshold 0.8
  northstar intents eval --model intents.model --examples test.csv --json | jq .MacroF1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case model == "":
				return usageError{"intents eval: --model MODEL is required (train one with 'northstar intents train')"}
			case examples == "":
				return usageError{"intents eval: --examples FILE.csv is required"}
			case cmd.Flags().Changed("threshold") && !(threshold >= 0 && threshold <= 1):
				return usageError{fmt.Sprintf("intents eval: --threshold %v: want a confidence between 0 and 1", threshold)}
			}
			m, err := loadIntentModel(model)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("threshold") {
				m.SetThreshold(threshold)
			}
			ex, err := readExamples(examples, intent.ReadExamples)
			if err != nil {
				return err
			}
			if len(ex) == 0 {
				return fmt.Errorf("%s: no examples after the header", examples)
			}
			if missing := unknownIntents(m, ex); len(missing) > 0 {
				fmt.Fprintf(g.e.stderr, "warning: %s intent(s) in %s are not in the model and count as errors: %s\n",
					num(len(missing)), examples, listSome(missing, 5))
			}
			o := intentEvalOutput{Model: model, Version: m.Version(), Examples: examples, Report: intent.Evaluate(m, ex)}
			if g.jsonOut {
				return writeJSON(g, &o)
			}
			return printIntentEval(g.e.stdout, &o, len(m.Intents()))
		},
	}
	f := cmd.Flags()
	f.StringVar(&model, "model", "", "intent model file (required)")
	f.StringVar(&examples, "examples", "", "labelled examples: CSV with columns text,intent (required)")
	f.Float64Var(&threshold, "threshold", 0, "confidence threshold to evaluate at (default: the model's own)")
	return cmd
}

func printIntentEval(w io.Writer, o *intentEvalOutput, nIntents int) error {
	r := &o.Report
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "model\t%s (%s, %s intents)\n", o.Model, o.Version, num(nIntents))
	fmt.Fprintf(tw, "examples\t%s: %s (%s in scope, %s out of scope)\n", o.Examples, num(r.N), num(r.NInScope), num(r.NOutOfScope))
	fmt.Fprintf(tw, "threshold\t%.3f\n", r.Threshold)
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "accuracy\t%.4f\tall rows at the threshold; out of scope is right when answered unknown\n", r.Accuracy)
	fmt.Fprintf(tw, "in-scope accuracy\t%.4f\tbest intent is the gold one, threshold aside\n", r.InScopeAccuracy)
	fmt.Fprintf(tw, "macro-F1\t%.4f\tmean F1 over the gold intents at the threshold\n", r.MacroF1)
	if r.NOutOfScope > 0 {
		fmt.Fprintf(tw, "out-of-scope recall\t%.4f\tout-of-scope rows answered unknown\n", r.OOSRecall)
		fmt.Fprintf(tw, "in-scope rejected\t%.4f\tin-scope rows answered unknown\n", r.InScopeRejected)
	} else {
		fmt.Fprintf(tw, "in-scope rejected\t%.4f\tin-scope rows answered unknown (no out-of-scope rows to measure recall on)\n", r.InScopeRejected)
	}
	fmt.Fprintf(tw, "utterances/s\t%s\tone goroutine\n", num(int(math.Round(r.UtterancesPerSec))))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Confused) == 0 {
		_, err := fmt.Fprintln(w, "\nno mistakes")
		return err
	}
	fmt.Fprintf(w, "\nmost confused (gold -> predicted), top %d:\n", len(r.Confused))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  count\tgold\tpredicted")
	for _, p := range r.Confused {
		fmt.Fprintf(tw, "  %5s\t%s\t%s\n", num(p.Count), p.Gold, p.Predicted)
	}
	return tw.Flush()
}

// unknownIntents lists the in-scope gold intents of ex that m cannot predict.
func unknownIntents(m *intent.Model, ex []intent.Example) []string {
	known := m.Intents() // sorted
	var missing []string
	for _, e := range ex {
		if e.OutOfScope() {
			continue
		}
		if _, ok := slices.BinarySearch(known, e.Intent); !ok && !slices.Contains(missing, e.Intent) {
			missing = append(missing, e.Intent)
		}
	}
	slices.Sort(missing)
	return missing
}

func listSome(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(" and %d more", len(xs)-n)
}

// sentimentTrainSummary is what `sentiment train` reports (--json prints it).
type sentimentTrainSummary struct {
	Model    string         // the file written
	Bytes    int64          // its size
	Version  string         // the model's version, stored beside every score
	Examples int            // training examples
	PerLabel map[string]int // training examples per label
	Seconds  float64        // training time
}

func newSentimentTrainCmd(g *globals) *cobra.Command {
	var examples, out string
	cmd := &cobra.Command{
		Use:   "train --examples FILE.csv --out MODEL",
		Short: "Train a sentiment model on labelled messages",
		Long: `Train a sentiment model on the brand's own labelled messages: a CSV file with a header row
naming the columns text and label (negative, neutral or positive; other columns are ignored).
All three labels need examples; a few thousand messages make a model worth having.

Training is deterministic: the same examples give the same model and version. Measure the
model on messages it was not trained on with 'northstar sentiment eval' and compare it with the
built-in model before switching the pipeline to it. The model is written to --out atomically.`,
		Example: `  northstar sentiment train --examples labelled.csv --out sentiment.model
  northstar sentiment train --json --examples labelled.csv --out sentiment.model`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case examples == "":
				return usageError{"sentiment train: --examples FILE.csv is required"}
			case out == "":
				return usageError{"sentiment train: --out MODEL is required"}
			}
			ex, err := readExamples(examples, sentiment.ReadExamples)
			if err != nil {
				return err
			}
			af, err := createAtomic(out)
			if err != nil {
				return err
			}
			defer af.abort()
			s := sentimentTrainSummary{Model: out, Examples: len(ex), PerLabel: map[string]int{}}
			for _, l := range sentiment.Labels() {
				s.PerLabel[l] = 0
			}
			for _, e := range ex {
				s.PerLabel[e.Label]++
			}
			start := time.Now()
			m, err := whileTraining(cmd.Context(), g, fmt.Sprintf("training a sentiment model on %s examples", num(len(ex))),
				func() (*sentiment.Model, error) { return sentiment.Train(ex, sentiment.TrainOptions{}) })
			if err != nil {
				return fmt.Errorf("sentiment train: %s: %w", examples, err)
			}
			s.Seconds = time.Since(start).Seconds()
			if s.Bytes, err = af.commit(m.Save); err != nil {
				return err
			}
			s.Version = m.Version()
			if g.jsonOut {
				return writeJSON(g, &s)
			}
			tw := tabwriter.NewWriter(g.e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "model\t%s (%s bytes)\n", s.Model, num(int(s.Bytes)))
			fmt.Fprintf(tw, "version\t%s\n", s.Version)
			var per []string
			for _, l := range sentiment.Labels() {
				per = append(per, fmt.Sprintf("%s %s", num(s.PerLabel[l]), l))
			}
			fmt.Fprintf(tw, "examples\t%s (%s)\n", num(s.Examples), strings.Join(per, ", "))
			fmt.Fprintf(tw, "seconds\t%.1f\n", s.Seconds)
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&examples, "examples", "", "labelled messages: CSV with columns text,label (required)")
	f.StringVar(&out, "out", "", "model file to write (required)")
	return cmd
}

// sentimentEvalOutput is what `sentiment eval --json` prints: the
// evaluation report's fields, and which model and file it was measured on.
type sentimentEvalOutput struct {
	Model    string // the model file, or "default" for the built-in model
	Version  string
	Examples string // the examples file
	sentiment.Report
}

func newSentimentEvalCmd(g *globals) *cobra.Command {
	var model, examples string
	cmd := &cobra.Command{
		Use:   "eval [--model MODEL] --examples FILE.csv [--json]",
		Short: "Measure a sentiment model on labelled messages",
		Long: `Measure a sentiment model on labelled messages (CSV with columns text,label; labels negative,
neutral or positive). Without --model the built-in model is measured.

Figures: accuracy, macro-F1 (the mean of the three labels' F1, which a model cannot game by
calling everything negative), precision, recall, F1 and support per label, the confusion
matrix (rows: gold label, columns: predicted) and the scoring speed (one goroutine).`,
		Example: `  northstar sentiment eval --examples labelled.csv
  northstar sentiment eval --model sentiment.model --examples holdout.csv
  northstar sentiment eval --examples labelled.csv --json | jq .MacroF1`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if examples == "" {
				return usageError{"sentiment eval: --examples FILE.csv is required"}
			}
			m, name := sentiment.Default(), "default"
			if model != "" {
				var err error
				if m, err = loadSentimentModel(model); err != nil {
					return err
				}
				name = model
			}
			ex, err := readExamples(examples, sentiment.ReadExamples)
			if err != nil {
				return err
			}
			o := sentimentEvalOutput{Model: name, Version: m.Version(), Examples: examples, Report: sentiment.Evaluate(m, ex)}
			if g.jsonOut {
				return writeJSON(g, &o)
			}
			return printSentimentEval(g.e.stdout, &o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&model, "model", "", "trained sentiment model file (default: the built-in model)")
	f.StringVar(&examples, "examples", "", "labelled messages: CSV with columns text,label (required)")
	return cmd
}

func printSentimentEval(w io.Writer, o *sentimentEvalOutput) error {
	r := &o.Report
	labels := sentiment.Labels()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "model\t%s (%s)\n", o.Model, o.Version)
	fmt.Fprintf(tw, "examples\t%s: %s\n", o.Examples, num(r.N))
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "accuracy\t%.4f\n", r.Accuracy)
	fmt.Fprintf(tw, "macro-F1\t%.4f\n", r.MacroF1)
	fmt.Fprintf(tw, "messages/s\t%s\tone goroutine\n", num(int(math.Round(r.MessagesPerSec))))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// Numbers align right; labels are padded to read left-aligned.
	width := len("label")
	for _, l := range labels {
		width = max(width, len(l))
	}
	fmt.Fprintf(tw, "%-*s\tprecision\trecall\tF1\tsupport\t\n", width, "label")
	for _, l := range labels {
		c := r.PerClass[l]
		fmt.Fprintf(tw, "%-*s\t%.4f\t%.4f\t%.4f\t%s\t\n", width, l, c.Precision, c.Recall, c.F1, num(c.Support))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nconfusion (rows: gold label, columns: predicted)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\t%s\t\n", width, "", strings.Join(labels, "\t"))
	for _, gold := range labels {
		fmt.Fprintf(tw, "%-*s\t", width, gold)
		for _, p := range labels {
			fmt.Fprintf(tw, "%s\t", num(r.Confusion[gold][p]))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// readExamples opens path and parses it with read, whose errors already say
// path:line.
func readExamples[E any](path string, read func(io.Reader, string) ([]E, error)) ([]E, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("examples: %w", err)
	}
	defer f.Close()
	return read(bufio.NewReaderSize(f, 1<<16), path)
}

func loadIntentModel(path string) (*intent.Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if bytes.HasPrefix(data, []byte(sentimentMagic)) {
		return nil, fmt.Errorf("%s is a sentiment model, not an intent model: use 'northstar sentiment eval'", path)
	}
	m, err := intent.Load(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func loadSentimentModel(path string) (*sentiment.Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if bytes.HasPrefix(data, []byte(intentMagic)) {
		return nil, fmt.Errorf("%s is an intent model, not a sentiment model: use 'northstar intents eval'", path)
	}
	if !bytes.HasPrefix(data, []byte(sentimentMagic)) {
		return nil, fmt.Errorf("%s is not a sentiment model (it does not start with %q); train one with 'northstar sentiment train'", path, sentimentMagic)
	}
	m, err := sentiment.Load(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// whileTraining runs train, telling the user on stderr that it is running
// (with the elapsed time on a terminal). Training cannot be interrupted, so
// when ctx ends (Ctrl-C) it stops waiting and returns; the process then
// exits and takes the abandoned training with it.
func whileTraining[M any](ctx context.Context, g *globals, note string, train func() (M, error)) (M, error) {
	type result struct {
		m   M
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := train()
		done <- result{m, err}
	}()
	f, ok := g.e.stderr.(*os.File)
	live := ok && term.IsTerminal(int(f.Fd()))
	fmt.Fprintf(g.e.stderr, "%s…", note)
	var tick <-chan time.Time
	if live {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		tick = t.C
	}
	start := time.Now()
	for {
		select {
		case r := <-done:
			took := time.Since(start).Seconds()
			if live {
				fmt.Fprintf(g.e.stderr, "\r%s: done in %.1fs\n", note, took)
			} else {
				fmt.Fprintf(g.e.stderr, " done in %.1fs\n", took)
			}
			return r.m, r.err
		case <-tick:
			fmt.Fprintf(g.e.stderr, "\r%s… %ds", note, int(time.Since(start).Seconds()))
		case <-ctx.Done():
			fmt.Fprintln(g.e.stderr)
			var zero M
			return zero, fmt.Errorf("training interrupted: %w", ctx.Err())
		}
	}
}

// atomicFile is a file being written beside its destination and renamed over
// it only once complete, so that neither a crash nor a failed write leaves a
// half-written model where the pipeline would load it.
type atomicFile struct {
	f    *os.File
	path string
}

func createAtomic(path string) (*atomicFile, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("out: %s is a directory; give a file name", path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("out: cannot write %s: directory %s does not exist", path, dir)
	}
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return nil, fmt.Errorf("out: cannot write %s: %w", path, pe.Err)
	}
	if err != nil {
		return nil, fmt.Errorf("out: cannot write %s: %w", path, err)
	}
	return &atomicFile{f: f, path: path}, nil
}

// commit writes the content with write, makes it durable and moves it into
// place, returning its size.
func (a *atomicFile) commit(write func(io.Writer) error) (int64, error) {
	cw := &countingWriter{w: a.f}
	bw := bufio.NewWriterSize(cw, 1<<20)
	err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = a.f.Chmod(0o644) // a model is not a secret; CreateTemp's 0600 would hide it from the server's user
	}
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
		a.f = nil
		return 0, fmt.Errorf("writing %s: %w", a.path, err)
	}
	a.f = nil
	// Make the rename itself durable; not every platform can sync a directory.
	if d, err := os.Open(filepath.Dir(a.path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return cw.n, nil
}

// abort removes the temporary file unless commit has run.
func (a *atomicFile) abort() {
	if a.f == nil {
		return
	}
	a.f.Close()
	os.Remove(a.f.Name())
	a.f = nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// pct formats a share as a percentage without needless decimals: 5%, 2.5%.
func pct(share float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", share*100), "0"), ".") + "%"
}
