package rubric

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/analysis/qa"
	"github.com/northstar-cx/northstar/internal/cx"
)

const card = `name: test-card
criteria:
  - id: greeting
    label: Greets the customer
    require_any: [hello, hi]
  - id: empathy
    label: Shows empathy
    description: Says sorry when the customer is upset.
    require_any: [sorry]
`

// fakeLLM is an OpenAI-compatible endpoint on loopback. Its answer for each
// request comes from reply; it records requests and the most in flight.
type fakeLLM struct {
	srv      *httptest.Server
	reply    func(n int, req request) (status int, header map[string]string, body string)
	requests atomic.Int64
	inFlight atomic.Int64
	maxIn    atomic.Int64
	mu       sync.Mutex
	auth     []string
}

func newFake(t *testing.T, reply func(n int, req request) (int, map[string]string, string)) *fakeLLM {
	f := &fakeLLM{reply: reply}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(f.requests.Add(1))
		cur := f.inFlight.Add(1)
		defer f.inFlight.Add(-1)
		for {
			m := f.maxIn.Load()
			if cur <= m || f.maxIn.CompareAndSwap(m, cur) {
				break
			}
		}
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.Error(w, "wrong path "+r.URL.Path, http.StatusNotFound)
			return
		}
		f.mu.Lock()
		f.auth = append(f.auth, r.Header.Get("Authorization"))
		f.mu.Unlock()
		var req request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		status, hdr, body := f.reply(n, req)
		for k, v := range hdr {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// completion wraps content as a chat-completion answer.
func completion(content string) string {
	b, _ := json.Marshal(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": content}}}})
	return string(b)
}

// judgeByWords answers like a careful reviewer: greeting met when the
// transcript says hello, empathy met when it says sorry, and not applicable
// when the customer was not upset.
func judgeByWords(_ int, req request) (int, map[string]string, string) {
	text := strings.ToLower(req.Messages[1].Content)
	emp := "null"
	if strings.Contains(text, "angry") {
		emp = fmt.Sprint(strings.Contains(text, "sorry"))
	}
	return 200, nil, completion(fmt.Sprintf("```json\n{\"criteria\":{\"greeting\":{\"met\":%v,\"evidence\":\"x\"},\"empathy\":{\"met\":%s},\"made_up\":{\"met\":true}}}\n```",
		strings.Contains(text, "hello"), emp))
}

func newJudge(t *testing.T, f *fakeLLM, cfg Config) *Judge {
	t.Helper()
	sc, err := qa.Parse("card.yaml", []byte(card))
	if err != nil {
		t.Fatal(err)
	}
	cfg.URL, cfg.Model = f.srv.URL+"/v1", "fake-model"
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.backoff = func(int) time.Duration { return time.Millisecond }
	return NewJudge(c, sc)
}

func contact(id string, turns ...string) *cx.Interaction {
	in := &cx.Interaction{Source: "s", ID: id, Channel: cx.Chat, Handler: cx.Human}
	for i, t := range turns {
		sp := "customer"
		if i%2 == 1 {
			sp = "agent"
		}
		in.Turns = append(in.Turns, cx.Turn{Speaker: sp, Text: t})
	}
	return in
}

func TestJudgeVerdicts(t *testing.T) {
	f := newFake(t, judgeByWords)
	j := newJudge(t, f, Config{APIKey: "sk-secret"})
	tests := []struct {
		name string
		in   *cx.Interaction
		want map[string]bool
	}{
		{"greeted, calm", contact("1", "my box is late", "Hello! Let me check."), map[string]bool{"greeting": true}},
		{"angry, apologised", contact("2", "I am angry", "hello, so sorry"), map[string]bool{"greeting": true, "empathy": true}},
		{"angry, no apology", contact("3", "I am angry", "what do you want"), map[string]bool{"greeting": false, "empathy": false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := j.Judge(context.Background(), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if f.auth[0] != "Bearer sk-secret" {
		t.Errorf("Authorization %q", f.auth[0])
	}
	if !strings.HasPrefix(j.ReviewID(cx.Key{Source: "s", ID: "1"}), j.ReviewPrefix()) || j.Reviewer() != "llm:fake-model" {
		t.Errorf("review id %q, reviewer %q", j.ReviewID(cx.Key{Source: "s", ID: "1"}), j.Reviewer())
	}
}

func TestRetriesAndFailures(t *testing.T) {
	ok := completion(`{"criteria":{"greeting":{"met":true}}}`)
	tests := []struct {
		name     string
		reply    func(n int, req request) (int, map[string]string, string)
		timeout  time.Duration
		wantErr  string // empty: success
		requests int64
	}{
		{"429 then ok, Retry-After honoured", func(n int, _ request) (int, map[string]string, string) {
			if n == 1 {
				return 429, map[string]string{"Retry-After": "0"}, `{"error":"slow down"}`
			}
			return 200, nil, ok
		}, 0, "", 2},
		{"two 5xx then ok", func(n int, _ request) (int, map[string]string, string) {
			if n <= 2 {
				return 502, nil, "bad gateway"
			}
			return 200, nil, ok
		}, 0, "", 3},
		{"slow first attempt times out, second succeeds", func(n int, _ request) (int, map[string]string, string) {
			if n == 1 {
				time.Sleep(300 * time.Millisecond)
			}
			return 200, nil, ok
		}, 100 * time.Millisecond, "", 2},
		{"400 is not retried and names the status", func(int, request) (int, map[string]string, string) {
			return 400, nil, `{"error":"unknown model"}`
		}, 0, "answered 400", 1},
		{"always 503 gives up after the retries", func(int, request) (int, map[string]string, string) {
			return 503, nil, "down"
		}, 0, "after 4 attempts", 4},
		{"prose instead of JSON", func(int, request) (int, map[string]string, string) {
			return 200, nil, completion("The agent was lovely.")
		}, 0, "not the JSON asked for", 1},
		{"JSON about other criteria", func(int, request) (int, map[string]string, string) {
			return 200, nil, completion(`{"criteria":{"tone":{"met":true}}}`)
		}, 0, "none of the scorecard's criteria", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.reply)
			j := newJudge(t, f, Config{APIKey: "sk-secret", Timeout: tc.timeout})
			_, err := j.Judge(context.Background(), contact("1", "hello"))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			case err != nil && strings.Contains(err.Error(), "sk-secret"):
				t.Fatalf("error shows the key: %v", err)
			}
			if got := f.requests.Load(); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
		})
	}
}

func TestJudgeAllBoundsConcurrency(t *testing.T) {
	f := newFake(t, func(n int, req request) (int, map[string]string, string) {
		time.Sleep(20 * time.Millisecond)
		if strings.Contains(req.Messages[1].Content, "fail me") {
			return 400, nil, "no"
		}
		return judgeByWords(n, req)
	})
	j := newJudge(t, f, Config{Concurrency: 3})
	var ins []*cx.Interaction
	for i := range 20 {
		text := "hello"
		if i == 7 {
			text = "fail me"
		}
		ins = append(ins, contact(fmt.Sprint(i), text))
	}
	var done atomic.Int64
	vs := j.JudgeAll(context.Background(), ins, func(Verdict) { done.Add(1) })
	if got := f.maxIn.Load(); got > 3 || got < 2 {
		t.Errorf("at most %d requests in flight, want 2–3 (the bound is 3)", got)
	}
	if done.Load() != 20 || len(vs) != 20 {
		t.Fatalf("done %d, verdicts %d", done.Load(), len(vs))
	}
	for i, v := range vs {
		if v.Interaction.ID != fmt.Sprint(i) {
			t.Fatalf("verdict %d is for %s: order lost", i, v.Interaction)
		}
		if (v.Err != nil) != (i == 7) {
			t.Errorf("verdict %d: err %v", i, v.Err)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{{URL: "localhost:1234", Model: "m"}, {URL: "ftp://x/v1", Model: "m"}, {URL: "http://x/v1"}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}
