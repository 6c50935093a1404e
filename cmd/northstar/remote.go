package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/ingest"
)

// client talks to a running Northstar server (--server), for when the
// server holds the embedded database.
type client struct {
	base string
	key  string
	http *http.Client
}

func newClient(c *config.Config) *client {
	return &client{base: strings.TrimRight(c.Server, "/"), key: c.APIKey, http: &http.Client{Timeout: 30 * time.Minute}}
}

// do sends a request and decodes a JSON answer into out; API errors come
// back as their message.
func (cl *client) do(ctx context.Context, method, path string, body io.Reader, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, cl.base+path, body)
	if err != nil {
		return 0, fmt.Errorf("--server %s: %w", cl.base, err)
	}
	if cl.key != "" {
		req.Header.Set("Authorization", "Bearer "+cl.key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-ndjson")
	}
	resp, err := cl.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("--server %s: %w (is `northstar serve` running there?)", cl.base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, fmt.Errorf("--server %s: %w", cl.base, err)
	}
	if resp.StatusCode >= 400 && resp.StatusCode != http.StatusUnprocessableEntity {
		var e struct{ Code, Message string }
		if json.Unmarshal(data, &e) == nil && e.Message != "" {
			return resp.StatusCode, fmt.Errorf("server: %s (%s)", e.Message, e.Code)
		}
		return resp.StatusCode, fmt.Errorf("server answered %s", resp.Status)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("server answer: %w", err)
		}
	}
	return resp.StatusCode, nil
}

// importRemote sends each file to POST /v1/ingest and adds up the reports.
func importRemote(cmd *cobra.Command, c *config.Config, args []string, strict bool) (*ingest.Report, error) {
	cl := newClient(c)
	total := &ingest.Report{Counts: map[cx.RecordType]*ingest.Counts{}, Problems: []ingest.Problem{}, Stored: true}
	for _, a := range args {
		var r io.Reader
		if a == "-" {
			r = cmd.InOrStdin()
		} else {
			f, err := os.Open(a)
			if err != nil {
				return nil, fmt.Errorf("import: %w", err)
			}
			defer f.Close()
			r = f
		}
		q := url.Values{"name": {a}}
		if strict {
			q.Set("strict", "true")
		}
		var rep ingest.Report
		if _, err := cl.do(cmd.Context(), http.MethodPost, "/v1/ingest?"+q.Encode(), r, &rep); err != nil {
			return nil, err
		}
		total.Merge(&rep)
	}
	return total, nil
}
