package server

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// RateLimiter limits requests per client with token buckets: one bucket per
// API key (its public prefix) and one per client address, so a leaked key
// cannot flood from many addresses and one address cannot flood with many
// keys. A request must find a token in both.
type RateLimiter struct {
	PerMinute int                      // sustained requests per minute and bucket
	Burst     int                      // requests allowed at once; 0: PerMinute/10, at least 5
	Match     func(*http.Request) bool // which requests count; nil: all
	now       func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// IngestLimiter limits the write endpoints that take records (POST /v1/ingest).
func IngestLimiter(perMinute int) *RateLimiter {
	return &RateLimiter{PerMinute: perMinute, Match: func(r *http.Request) bool {
		return r.Method == http.MethodPost && r.URL.Path == "/v1/ingest"
	}}
}

// allow takes a token for r from each of its buckets, or answers 429 with
// Retry-After and returns false.
func (l *RateLimiter) allow(w http.ResponseWriter, r *http.Request) bool {
	if l == nil || l.PerMinute <= 0 || (l.Match != nil && !l.Match(r)) {
		return true
	}
	keys := []string{"addr:" + clientAddr(r)}
	if k := keyPrefix(r); k != "" {
		keys = append(keys, "key:"+k)
	}
	wait := l.take(keys)
	if wait <= 0 {
		return true
	}
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", fmt.Sprint(secs))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	fmt.Fprintf(w, `{"code":"rate_limited","message":"more than %d requests a minute from this client or key; retry after %d s"}`+"\n", l.PerMinute, secs)
	return false
}

// take removes one token from every bucket when all have one, else
// returns how long until they will.
func (l *RateLimiter) take(keys []string) time.Duration {
	now := time.Now()
	if l.now != nil {
		now = l.now()
	}
	rate := float64(l.PerMinute) / 60 // tokens per second
	burst := float64(l.Burst)
	if burst <= 0 {
		burst = max(5, float64(l.PerMinute)/10)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	l.sweep(now, burst, rate)
	var wait time.Duration
	bs := make([]*bucket, len(keys))
	for i, k := range keys {
		b := l.buckets[k]
		if b == nil {
			b = &bucket{tokens: burst, last: now}
			l.buckets[k] = b
		}
		b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
		b.last = now
		if b.tokens < 1 {
			wait = max(wait, time.Duration((1-b.tokens)/rate*float64(time.Second)))
		}
		bs[i] = b
	}
	if wait > 0 {
		return wait
	}
	for _, b := range bs {
		b.tokens--
	}
	return 0
}

// sweep forgets buckets that have refilled, once a minute, so the map
// does not grow with every address ever seen.
func (l *RateLimiter) sweep(now time.Time, burst, rate float64) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*rate >= burst {
			delete(l.buckets, k)
		}
	}
}

// clientAddr is the connection's remote address without the port. Proxy
// headers are not trusted: behind a proxy every client shares its address.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// keyPrefix is the public prefix of a bearer API key ("ns_PREFIX_SECRET"),
// or "" for other requests. Only the prefix is kept in memory.
func keyPrefix(r *http.Request) string {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return ""
	}
	parts := strings.SplitN(strings.TrimSpace(tok), "_", 3)
	if len(parts) == 3 && parts[0] == "ns" {
		return parts[1]
	}
	return "?" // not a Northstar key: all such requests share one bucket
}
