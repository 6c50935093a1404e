// Package rubric is the optional second opinion on QA: it asks a language
// model, through any OpenAI-compatible chat-completions endpoint, whether a
// contact meets each criterion of the brand's scorecard. It is off by
// default and never part of the ingest pipeline: `northstar qa rubric`
// scores stored (already redacted) contacts, and its verdicts are stored as
// QA reviews by the reviewer "llm:<model>", so they are compared with the
// deterministic scorecard exactly like a human reviewer's.
//
// The client bounds the requests in flight, limits each attempt in time,
// retries what can succeed later (network errors, timeouts, 429 and 5xx,
// honouring Retry-After) and gives up with an error that names the status
// and the start of the answer, never the key.
package rubric

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config says where and how to ask.
type Config struct {
	URL         string        // base URL, e.g. http://localhost:11434/v1; /chat/completions is appended
	Model       string        // model name sent with every request
	APIKey      string        // bearer key; empty sends none
	Concurrency int           // requests in flight at once; default 4
	Timeout     time.Duration // per attempt; default 60 s
	Retries     int           // further attempts after a retryable failure; default 3
}

// Client sends chat completions. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint string
	http     *http.Client
	slots    chan struct{}
	// backoff is the wait before retry n (from 0); tests shorten it.
	backoff func(n int) time.Duration
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("llm-url %q: want an http(s) base URL such as http://localhost:11434/v1", cfg.URL)
	}
	if cfg.Model == "" {
		return nil, errors.New("llm-model is empty: name the model the endpoint should use")
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	} else if cfg.Retries == 0 {
		cfg.Retries = 3
	}
	return &Client{
		cfg:      cfg,
		endpoint: strings.TrimSuffix(cfg.URL, "/") + "/chat/completions",
		http:     &http.Client{},
		slots:    make(chan struct{}, cfg.Concurrency),
		backoff: func(n int) time.Duration {
			d := 500 * time.Millisecond << n
			return d/2 + rand.N(d/2+1) // jitter, so clients that failed together do not retry together
		},
	}, nil
}

// Model is the model the client asks.
func (c *Client) Model() string { return c.cfg.Model }

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type request struct {
	Model          string    `json:"model"`
	Messages       []message `json:"messages"`
	Temperature    float64   `json:"temperature"`
	ResponseFormat struct {
		Type string `json:"type"`
	} `json:"response_format"`
}

type response struct {
	Choices []struct {
		Message message `json:"message"`
	} `json:"choices"`
}

// statusError is an answer other than 200.
type statusError struct {
	status     int
	body       string
	retryAfter time.Duration
}

func (e *statusError) Error() string {
	return fmt.Sprintf("llm endpoint answered %d: %s", e.status, e.body)
}

func (e *statusError) retryable() bool {
	return e.status == http.StatusTooManyRequests || e.status >= 500
}

// Chat sends one system and one user message and returns the reply's text,
// waiting for a free slot first.
func (c *Client) Chat(ctx context.Context, system, user string) (string, error) {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-c.slots }()

	req := request{Model: c.cfg.Model, Messages: []message{{"system", system}, {"user", user}}}
	req.ResponseFormat.Type = "json_object"
	body, err := json.Marshal(req)
	if err != nil {
		return "", err
	}
	for attempt := 0; ; attempt++ {
		text, err := c.attempt(ctx, body)
		if err == nil {
			return text, nil
		}
		var se *statusError
		retry := ctx.Err() == nil && (!errors.As(err, &se) || se.retryable())
		if !retry || attempt >= c.cfg.Retries {
			if attempt > 0 {
				return "", fmt.Errorf("after %d attempts: %w", attempt+1, err)
			}
			return "", err
		}
		wait := c.backoff(attempt)
		if se != nil && se.retryAfter > 0 {
			wait = min(se.retryAfter, 30*time.Second)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

func (c *Client) attempt(ctx context.Context, body []byte) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	hr.Header.Set("Content-Type", "application/json")
	if c.cfg.APIKey != "" {
		hr.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		return "", fmt.Errorf("llm request: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return "", fmt.Errorf("llm answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		se := &statusError{status: resp.StatusCode, body: snippet(data)}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
			se.retryAfter = time.Duration(s) * time.Second
		}
		return "", se
	}
	var r response
	if err := json.Unmarshal(data, &r); err != nil {
		return "", fmt.Errorf("llm answer is not a chat completion (%v): %s", err, snippet(data))
	}
	if len(r.Choices) == 0 {
		return "", fmt.Errorf("llm answer has no choices: %s", snippet(data))
	}
	return r.Choices[0].Message.Content, nil
}

// snippet is the start of an answer, for error messages.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
