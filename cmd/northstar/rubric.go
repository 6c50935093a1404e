package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/analysis/qa"
	"github.com/northstar-cx/northstar/internal/analysis/rubric"
	"github.com/northstar-cx/northstar/internal/ingest"
)

// rubricReport is what `qa rubric` did.
type rubricReport struct {
	Reviewer  string              `json:"reviewer"`
	Selected  int                 `json:"selected"`
	Reused    int                 `json:"reused"` // already judged with the same model, scorecard and prompt
	Judged    int                 `json:"judged"`
	Failed    int                 `json:"failed"`
	Errors    []string            `json:"errors,omitempty"` // the first few
	Seconds   float64             `json:"seconds"`
	Agreement *qa.AgreementReport `json:"agreement,omitempty"`
}

func newRubricCmd(g *globals) *cobra.Command {
	var (
		since   string
		limit   int
		rescore bool
	)
	cmd := &cobra.Command{
		Use:   "rubric [flags]",
		Short: "Ask a language model to judge stored contacts against the scorecard (optional, off by default)",
		Long: `Ask a language model, through any OpenAI-compatible chat-completions endpoint (llm-url,
llm-model, llm-api-key), whether stored contacts meet each criterion of the scorecard. Only the
stored, redacted transcript is sent. The verdicts are stored as QA reviews by the reviewer
"llm:MODEL" and compared with the automatic scorecard per criterion, like a human reviewer's.

Requests are bounded (llm-concurrency in flight, llm-timeout per attempt) and retried on network
errors, timeouts, 429 and 5xx. A contact already judged with the same model, scorecard and prompt
is not sent again unless --rescore is given; failures are reported and the rest is kept.
The ingest pipeline never calls the model.`,
		Example: `  northstar qa rubric --scorecard scorecard.yaml --llm-url http://localhost:11434/v1 --llm-model llama3.1 --limit 200
  NORTHSTAR_LLM_API_KEY=… northstar qa rubric --llm-url https://api.openai.com/v1 --llm-model gpt-4o-mini --since 2026-11-01T00:00:00Z`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var from time.Time
			if since != "" {
				t, err := time.Parse(time.RFC3339, since)
				if err != nil {
					return usageError{fmt.Sprintf("--since %q: want an RFC 3339 time like 2026-10-01T00:00:00Z", since)}
				}
				from = t
			}
			if limit <= 0 {
				return usageError{"--limit must be a positive number of contacts"}
			}
			c, err := g.config()
			if err != nil {
				return err
			}
			if c.LLM.URL == "" {
				return usageError{"rubric scoring is off: set llm-url and llm-model (flags, NORTHSTAR_LLM_URL or northstar.yaml)"}
			}
			if c.Scorecard == "" {
				return usageError{"no scorecard: give --scorecard FILE.yaml (the criteria the model judges)"}
			}
			sc, err := loadScorecard(c.Scorecard)
			if err != nil {
				return err
			}
			client, err := rubric.New(rubric.Config{URL: c.LLM.URL, Model: c.LLM.Model, APIKey: c.LLM.APIKey,
				Concurrency: c.LLM.Concurrency, Timeout: c.LLM.Timeout})
			if err != nil {
				return usageError{err.Error()}
			}
			judge := rubric.NewJudge(client, sc)
			st, err := g.openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			start := time.Now()
			ins, err := st.StoredInteractions(cmd.Context(), from, limit)
			if err != nil {
				return err
			}
			rep := rubricReport{Reviewer: judge.Reviewer(), Selected: len(ins)}
			if !rescore {
				done, err := st.ReviewIDs(cmd.Context(), judge.ReviewPrefix())
				if err != nil {
					return err
				}
				todo := ins[:0]
				for _, in := range ins {
					if done[judge.ReviewID(in.Key())] {
						rep.Reused++
					} else {
						todo = append(todo, in)
					}
				}
				ins = todo
			}
			var progress func(rubric.Verdict)
			if bar := progressFor(g, 1<<30); bar != nil && len(ins) > 0 {
				bar.ChangeMax(len(ins))
				bar.Describe("judging")
				var mu sync.Mutex
				progress = func(rubric.Verdict) { mu.Lock(); _ = bar.Add(1); mu.Unlock() }
				defer bar.Finish()
			}
			var lines bytes.Buffer
			enc := json.NewEncoder(&lines)
			now := time.Now().UTC().Truncate(time.Second)
			for _, v := range judge.JudgeAll(cmd.Context(), ins, progress) {
				if v.Err != nil || len(v.Criteria) == 0 {
					rep.Failed++
					if len(rep.Errors) < 5 {
						msg := "no criterion applies, by the model's answer"
						if v.Err != nil {
							msg = v.Err.Error()
						}
						rep.Errors = append(rep.Errors, msg)
					}
					continue
				}
				rep.Judged++
				if err := enc.Encode(map[string]any{"type": "qa_review", "id": judge.ReviewID(v.Interaction),
					"interaction": v.Interaction, "reviewer": judge.Reviewer(), "at": now, "criteria": v.Criteria}); err != nil {
					return err
				}
			}
			if err := cmd.Context().Err(); err != nil {
				return err
			}
			if lines.Len() > 0 {
				data := lines.Bytes()
				src := ingest.Source{Name: "rubric", Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
					return io.NopCloser(bytes.NewReader(data)), nil
				}}
				ir, err := ingest.Import(cmd.Context(), st, []ingest.Source{src}, ingest.Options{RepeatWindow: c.RepeatWindow})
				if err != nil {
					return err
				}
				if len(ir.Problems) > 0 {
					return fmt.Errorf("storing the verdicts: %s", ir.Problems[0])
				}
			}
			reviews, auto, err := st.ReviewedQA(cmd.Context())
			if err != nil {
				return err
			}
			agr := agreement(byReviewer(reviews, judge.Reviewer()), auto)
			rep.Agreement = &agr
			rep.Seconds = time.Since(start).Seconds()
			if g.jsonOut {
				return writeJSON(g, rep)
			}
			out := g.e.stdout
			fmt.Fprintf(out, "%s judged %d contacts in %.1fs (%d already judged, %d failed)\n",
				rep.Reviewer, rep.Judged, rep.Seconds, rep.Reused, rep.Failed)
			for _, e := range rep.Errors {
				fmt.Fprintf(out, "  failed: %s\n", e)
			}
			printAgreement(g, agr)
			if rep.Failed > 0 && rep.Judged == 0 {
				return errors.New("no contact could be judged: check llm-url, llm-model and the endpoint's logs")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "judge contacts that started at or after this RFC 3339 time")
	cmd.Flags().IntVar(&limit, "limit", 500, "judge at most this many contacts (oldest first); models cost money")
	cmd.Flags().BoolVar(&rescore, "rescore", false, "ask again about contacts already judged")
	return cmd
}

// loadScorecard reads and parses a scorecard file.
func loadScorecard(path string) (*qa.Scorecard, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scorecard: %w", err)
	}
	return qa.Parse(path, data)
}
