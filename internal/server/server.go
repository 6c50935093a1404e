// Package server runs Northstar's HTTP server: timeouts, body limits,
// request logging and panic recovery around the API (and, later, the
// dashboard), with graceful shutdown.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Server is an HTTP server with Northstar's middleware.
type Server struct {
	Handler http.Handler
	Log     *slog.Logger
	MaxBody int64 // bytes

	TLS      *tls.Config   // serve HTTPS (TLSConfig); nil: plain HTTP
	Limits   *RateLimiter  // per key and address (limit.go); nil: none
	BodyIdle time.Duration // longest pause while reading a request body; 0: 30 s
}

// Handler wraps h with body limits, panic recovery and request logs.
func (s *Server) handler() http.Handler {
	h := s.Handler
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		if s.MaxBody > 0 {
			r.Body = http.MaxBytesReader(rw, r.Body, s.MaxBody)
		}
		defer func() {
			if p := recover(); p != nil {
				s.Log.Error("panic serving request", "method", r.Method, "route", route(r), "panic", fmt.Sprint(p))
				if !rw.wrote {
					http.Error(rw, `{"code":"internal","message":"internal error"}`, http.StatusInternalServerError)
				}
			}
			// The route and status only: paths and query strings may carry
			// identities (/v1/customers/email:…).
			s.Log.Info("request", "method", r.Method, "route", route(r), "status", rw.status, "ms", time.Since(start).Milliseconds())
		}()
		securityHeaders(rw.Header(), s.TLS != nil)
		if !s.Limits.allow(rw, r) {
			return
		}
		if r.ContentLength != 0 {
			r.Body = idleBody(rw, r.Body, s.BodyIdle)
		}
		h.ServeHTTP(rw, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Serve listens on ln until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish for up to 10 s.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // large imports stream through /v1/ingest
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	if s.TLS != nil {
		srv.TLSConfig = s.TLS
		go func() { errc <- srv.ServeTLS(ln, "", "") }()
	} else {
		go func() { errc <- srv.Serve(ln) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// idleBody makes a request body that stalls for longer than idle fail (a
// slow-body attack holds a connection with a trickle of bytes), while a
// large import that keeps sending may take as long as it needs: each read
// that returns data moves the deadline on.
func idleBody(w http.ResponseWriter, body io.ReadCloser, idle time.Duration) io.ReadCloser {
	if idle <= 0 {
		idle = 30 * time.Second
	}
	rc := http.NewResponseController(w)
	if rc.SetReadDeadline(time.Now().Add(idle)) != nil {
		return body // not supported by this writer (tests with a recorder)
	}
	return &deadlineBody{ReadCloser: body, rc: rc, idle: idle}
}

type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	idle time.Duration
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		_ = b.rc.SetReadDeadline(time.Now().Add(b.idle))
	}
	return n, err
}

// route is what the request log says of the URL: the pattern of the route
// that served it ("GET /v1/customers/{ref}"), which the mux records on the
// request, never the path itself.
func route(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "(no route)"
}
