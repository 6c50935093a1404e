package api

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/export"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// ExportRequest is the body of POST /v1/exports/{kind}.
type ExportRequest struct {
	Recipient string `json:"recipient"` // the recipient's public key: the content of NAME.pub
	Name      string `json:"name"`      // file name offered for the download
	From      string `json:"from"`
	To        string `json:"to"`
	Where     string `json:"where"`
	Metrics   string `json:"m"`  // metrics: which
	By        string `json:"by"` // metrics: dimensions
}

// exportData is POST /v1/exports/{kind} (interactions or metrics): the
// extract, encrypted to the recipient's key, is the answer's body; nothing
// is written on the server. The caller's scope applies. The name is only
// offered as the download's file name, and must be a plain one.
func (a *API) exportData(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	if kind != "interactions" && kind != "metrics" {
		a.error(w, r, cx.Errorf(cx.ENOTFOUND, "no export of %q: use interactions or metrics", kind))
		return
	}
	var req ExportRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		a.error(w, r, cx.Errorf(cx.EINVALID, "export request: %v (send JSON: recipient, name, from, to, where, m, by)", err))
		return
	}
	if req.Name == "" {
		req.Name = kind + ".nsx"
	}
	if _, err := export.InDir(".", req.Name); err != nil {
		a.error(w, r, cx.Errorf(cx.EINVALID, "%s", err.Error()))
		return
	}
	pub, err := export.ParsePublicKey([]byte(req.Recipient))
	if err != nil {
		a.error(w, r, cx.Errorf(cx.EINVALID, "recipient: %v", err))
		return
	}
	scope := auth.ScopeOf(r.Context())
	// The metrics parameters' parser gives both kinds the same period and
	// filter syntax, defaults and validation.
	p := metrics.Params{Metrics: req.Metrics, By: req.By, Where: req.Where, From: req.From, To: req.To}
	if kind == "interactions" {
		p.Metrics = "contacts"
	}
	q, err := p.Parse(r.Context(), a.Store, scope, a.Zone)
	if err != nil {
		a.error(w, r, err)
		return
	}
	actor := "unknown"
	if pr, ok := auth.FromContext(r.Context()); ok {
		actor = pr.ID
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", req.Name))
	sent := &countingWriter{w: w}
	bw := bufio.NewWriterSize(sent, 64<<10)
	xw, err := export.NewWriter(bw, pub, export.Header{Kind: kind, Format: map[string]string{"interactions": "ndjson", "metrics": "json"}[kind]})
	if err != nil {
		a.error(w, r, err)
		return
	}
	var rows int
	if kind == "interactions" {
		rows, err = export.Interactions(r.Context(), a.Store, scope, q.Where, q.From, q.To, xw)
	} else {
		rows, err = export.Metrics(r.Context(), a.metricsSource(), q, xw)
	}
	// Once streaming has begun the status is sent: on failure the extract
	// simply lacks its final frame, which decryption rejects as cut short.
	if err == nil {
		err = xw.Close()
	}
	if err == nil {
		err = bw.Flush()
	}
	details := map[string]string{"recipient": export.KeyID(pub), "rows": strconv.Itoa(rows), "file": req.Name,
		"from": q.From.Format(time.RFC3339), "until": q.To.Format(time.RFC3339)}
	if req.Where != "" {
		details["where"] = req.Where
	}
	outcome := audit.Success
	if err != nil {
		outcome = audit.Failure
		if sent.n == 0 {
			// Nothing has reached the client yet: answer with the error.
			w.Header().Del("Content-Disposition")
			a.error(w, r, err)
		} else {
			a.Log.Error("export failed", "kind", kind, "err", err)
		}
	}
	if a.Audit != nil {
		if _, aerr := a.Audit.Append(r.Context(), audit.Entry{Actor: actor, Action: "data.export", Target: kind, Outcome: outcome, Details: details}); aerr != nil {
			a.Log.Error("audit export", "err", aerr)
		}
	}
}

type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
