package rubric

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/northstar-cx/northstar/internal/analysis/qa"
	"github.com/northstar-cx/northstar/internal/cx"
)

// Version names the prompt and answer format; a change to either changes
// every judge's version, so earlier verdicts are not taken for new ones.
const Version = "rubric/1"

// Judge asks the client about one scorecard's criteria.
type Judge struct {
	client   *Client
	criteria []qa.Criterion
	system   string
	version  string
}

// NewJudge prepares the prompt for a scorecard once.
func NewJudge(c *Client, sc *qa.Scorecard) *Judge {
	var b strings.Builder
	b.WriteString(`You are a quality reviewer for a customer-service team. Read the conversation and judge whether it meets each criterion below.
Personal data in the conversation has been replaced by placeholders such as [EMAIL] or [CARD]; do not treat them as mistakes.
Answer with one JSON object and nothing else, of the form
{"criteria": {"<criterion id>": {"met": true, "evidence": "<a short quote from the conversation>"}, ...}}
Use "met": false when the criterion applies and is not met, and "met": null when it does not apply to this conversation.

Criteria:
`)
	crit := sc.Criteria()
	for _, c := range crit {
		fmt.Fprintf(&b, "- %s: %s", c.ID, c.Label)
		if c.Description != "" {
			fmt.Fprintf(&b, ". %s", strings.TrimSpace(c.Description))
		}
		b.WriteByte('\n')
	}
	sum := sha256.Sum256([]byte(Version + "\x00" + c.Model() + "\x00" + sc.Version() + "\x00" + b.String()))
	return &Judge{client: c, criteria: crit, system: b.String(), version: hex.EncodeToString(sum[:6])}
}

// Reviewer is the name the judge's verdicts are stored under.
func (j *Judge) Reviewer() string { return "llm:" + j.client.Model() }

// ReviewID is the stored id of the judge's review of an interaction. It
// starts with ReviewPrefix, which names the model, the scorecard and the
// prompt, so a review is reused exactly when the same question would be
// asked again.
func (j *Judge) ReviewID(k cx.Key) string { return j.ReviewPrefix() + k.String() }

// ReviewPrefix starts the id of every review this judge stores.
func (j *Judge) ReviewPrefix() string { return "llm/" + j.version + "/" }

// Judge returns the criteria the model found met (true) or not (false);
// criteria it said do not apply are absent.
func (j *Judge) Judge(ctx context.Context, in *cx.Interaction) (map[string]bool, error) {
	reply, err := j.client.Chat(ctx, j.system, transcript(in))
	if err != nil {
		return nil, fmt.Errorf("judge %s: %w", in.Key(), err)
	}
	verdicts, err := j.parse(reply)
	if err != nil {
		return nil, fmt.Errorf("judge %s: %w", in.Key(), err)
	}
	return verdicts, nil
}

// transcript renders the stored (redacted) turns, one per line.
func transcript(in *cx.Interaction) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Channel: %s. First handled by: %s.\n\nConversation:\n", in.Channel, in.Handler)
	for i, t := range in.Turns {
		fmt.Fprintf(&b, "[%d] %s: %s\n", i, t.Speaker, strings.ReplaceAll(t.Text, "\n", " "))
	}
	return b.String()
}

// parse reads the model's JSON, tolerating a code fence around it. Unknown
// criterion ids are ignored; an answer that judges none of the scorecard's
// criteria is an error, since storing it would look like a review.
func (j *Judge) parse(reply string) (map[string]bool, error) {
	s := strings.TrimSpace(reply)
	if i, k := strings.IndexByte(s, '{'), strings.LastIndexByte(s, '}'); i >= 0 && k > i {
		s = s[i : k+1]
	}
	var ans struct {
		Criteria map[string]struct {
			Met *bool `json:"met"`
		} `json:"criteria"`
	}
	if err := json.Unmarshal([]byte(s), &ans); err != nil {
		return nil, fmt.Errorf("answer is not the JSON asked for (%v): %s", err, snippet([]byte(reply)))
	}
	out := map[string]bool{}
	known := 0
	for _, c := range j.criteria {
		v, ok := ans.Criteria[c.ID]
		if !ok {
			continue
		}
		known++
		if v.Met != nil {
			out[c.ID] = *v.Met
		}
	}
	if known == 0 {
		return nil, fmt.Errorf("answer judges none of the scorecard's criteria: %s", snippet([]byte(reply)))
	}
	return out, nil
}

// Verdict is the judge's answer about one interaction, or why there is none.
type Verdict struct {
	Interaction cx.Key
	Criteria    map[string]bool
	Err         error
}

// JudgeAll judges every interaction with as many requests in flight as the
// client allows, calling done after each (from several goroutines). The
// verdicts are in the order of ins; a failure is kept in its verdict and
// does not stop the others, unless ctx ends.
func (j *Judge) JudgeAll(ctx context.Context, ins []*cx.Interaction, done func(Verdict)) []Verdict {
	out := make([]Verdict, len(ins))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(cap(j.client.slots), len(ins)) {
		wg.Go(func() {
			for i := range next {
				crit, err := j.Judge(ctx, ins[i])
				out[i] = Verdict{Interaction: ins[i].Key(), Criteria: crit, Err: err}
				if done != nil {
					done(out[i])
				}
			}
		})
	}
	for i := range ins {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
