// Package config holds Northstar's configuration: every option declared once
// with its default, its environment variable and whether it is secret; read
// from northstar.yaml, then NORTHSTAR_* variables, then command-line flags.
package config

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Config is the effective configuration.
type Config struct {
	DB              string  // duckdb:PATH or postgres://…
	Addr            string  // listen address of serve
	Region          string  // default region for national phone numbers
	TimeZone        string  // zone in which metrics count days
	Currency        string  // currency of costs given without one
	Redact          bool    // PII redaction before storage; off only by explicit configuration
	IntentModel     string  // path of the intent model used at ingest; empty = source intents only
	IntentThreshold float64 // below this confidence an intent is "unknown"; 0 = the model's own
	SentimentModel  string  // path of a trained sentiment model; empty = the built-in lexicon
	Scorecard       string  // QA scorecard YAML; empty = no QA scoring
	LLM             LLM     // optional rubric scoring by a language model; off when LLM.URL is empty
	RepeatWindow    time.Duration
	MaxLineMiB      int            // longest NDJSON line accepted
	MaxBodyMiB      int            // largest HTTP request body accepted
	Server          string         // URL of a running Northstar to send work to
	APIKey          string         // key for --server requests
	DataKey         string         // data key(s) in NORTHSTAR_DATA_KEY form ("nsk1:…"); overrides DataKeyFile
	DataKeyFile     string         // file holding the data key; empty: beside a DuckDB database
	Retention       map[string]int // channel → days a contact's transcript is kept
	IngestRate      int            // ingest requests per minute per API key and per address
	TLSCert         string         // PEM certificate chain for HTTPS
	TLSKey          string         // its private key
	TLSSelfSigned   bool           // HTTPS with an in-memory self-signed certificate (trials)
}

// LLM configures the optional rubric scoring through an OpenAI-compatible
// chat-completions endpoint. The deterministic pipeline never uses it.
type LLM struct {
	URL         string
	Model       string
	APIKey      string
	Concurrency int
	Timeout     time.Duration
}

// Option is one configuration key.
type Option struct {
	Key     string // YAML key and flag name
	Default string
	Help    string
	Secret  bool
	set     func(c *Config, v string) error
	get     func(c *Config) string
}

// Env is the environment variable that overrides the option.
func (o Option) Env() string {
	return "NORTHSTAR_" + strings.ToUpper(strings.ReplaceAll(o.Key, "-", "_"))
}

func str(p func(*Config) *string) (func(*Config, string) error, func(*Config) string) {
	return func(c *Config, v string) error { *p(c) = v; return nil }, func(c *Config) string { return *p(c) }
}

func boolean(p func(*Config) *bool) (func(*Config, string) error, func(*Config) string) {
	return func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("want true or false, got %q", v)
			}
			*p(c) = b
			return nil
		}, func(c *Config) string {
			return strconv.FormatBool(*p(c))
		}
}

func integer(p func(*Config) *int) (func(*Config, string) error, func(*Config) string) {
	return func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return fmt.Errorf("want a positive whole number, got %q", v)
			}
			*p(c) = n
			return nil
		}, func(c *Config) string {
			return strconv.Itoa(*p(c))
		}
}

func float(p func(*Config) *float64) (func(*Config, string) error, func(*Config) string) {
	return func(c *Config, v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				return fmt.Errorf("want a number from 0 to 1, got %q", v)
			}
			*p(c) = f
			return nil
		}, func(c *Config) string {
			return strconv.FormatFloat(*p(c), 'g', -1, 64)
		}
}

func duration(p func(*Config) *time.Duration) (func(*Config, string) error, func(*Config) string) {
	return func(c *Config, v string) error {
			d, err := parseDuration(v)
			if err != nil {
				return err
			}
			*p(c) = d
			return nil
		}, func(c *Config) string {
			d := *p(c)
			if d%(24*time.Hour) == 0 {
				return strconv.Itoa(int(d/(24*time.Hour))) + "d"
			}
			return d.String()
		}
}

// parseDuration accepts Go durations and whole days ("7d").
func parseDuration(v string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(d)
		if err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want a duration like 7d or 36h, got %q", v)
	}
	return d, nil
}

func opt(key, def, help string, secret bool, set func(*Config, string) error, get func(*Config) string) Option {
	return Option{Key: key, Default: def, Help: help, Secret: secret, set: set, get: get}
}

// Options lists every option once, in the order `config show` prints them.
func Options() []Option {
	var o []Option
	add := func(x Option) { o = append(o, x) }
	s, g := str(func(c *Config) *string { return &c.DB })
	add(opt("db", "duckdb:./northstar.db", "database: duckdb:PATH (embedded) or postgres://USER:PASS@HOST/DB", true, s, g))
	s, g = str(func(c *Config) *string { return &c.Addr })
	add(opt("addr", "127.0.0.1:8080", "address the server listens on", false, s, g))
	s, g = str(func(c *Config) *string { return &c.Region })
	add(opt("region", "GB", "region for reading national phone numbers (ISO 3166 code)", false, s, g))
	s, g = str(func(c *Config) *string { return &c.TimeZone })
	add(opt("time-zone", "Europe/London", "time zone in which days, weeks and months are counted", false, s, g))
	s, g = str(func(c *Config) *string { return &c.Currency })
	add(opt("currency", "GBP", "currency of costs and values given without one", false, s, g))
	b, gb := boolean(func(c *Config) *bool { return &c.Redact })
	add(opt("redact", "true", "redact personal data from transcripts before storing them", false, b, gb))
	s, g = str(func(c *Config) *string { return &c.IntentModel })
	add(opt("intent-model", "", "intent model file used at ingest (northstar intents train); empty: intents from the source only", false, s, g))
	f, gf := float(func(c *Config) *float64 { return &c.IntentThreshold })
	add(opt("intent-threshold", "0", "confidence below which an intent is unknown; 0 uses the model's own", false, f, gf))
	s, g = str(func(c *Config) *string { return &c.SentimentModel })
	add(opt("sentiment-model", "", "trained sentiment model file; empty: the built-in lexicon", false, s, g))
	s, g = str(func(c *Config) *string { return &c.Scorecard })
	add(opt("scorecard", "", "QA scorecard (YAML) applied to every interaction; empty: no QA scoring", false, s, g))
	s, g = str(func(c *Config) *string { return &c.LLM.URL })
	add(opt("llm-url", "", "OpenAI-compatible API base URL for optional rubric scoring (northstar qa rubric); empty: off", false, s, g))
	s, g = str(func(c *Config) *string { return &c.LLM.Model })
	add(opt("llm-model", "", "model name sent to llm-url", false, s, g))
	s, g = str(func(c *Config) *string { return &c.LLM.APIKey })
	add(opt("llm-api-key", "", "bearer key for llm-url", true, s, g))
	i, gi := integer(func(c *Config) *int { return &c.LLM.Concurrency })
	add(opt("llm-concurrency", "4", "requests to llm-url in flight at once", false, i, gi))
	d, gd := duration(func(c *Config) *time.Duration { return &c.LLM.Timeout })
	add(opt("llm-timeout", "60s", "time limit of one request to llm-url, per attempt", false, d, gd))
	d, gd = duration(func(c *Config) *time.Duration { return &c.RepeatWindow })
	add(opt("repeat-window", "7d", "a contact within this time of another with the same intent is a repeat", false, d, gd))
	i, gi = integer(func(c *Config) *int { return &c.MaxLineMiB })
	add(opt("max-line-mib", "16", "longest NDJSON record accepted, in MiB", false, i, gi))
	i, gi = integer(func(c *Config) *int { return &c.MaxBodyMiB })
	add(opt("max-body-mib", "64", "largest HTTP request body accepted, in MiB", false, i, gi))
	s, g = str(func(c *Config) *string { return &c.Server })
	add(opt("server", "", "URL of a running Northstar server to send the work to instead of opening the database", false, s, g))
	s, g = str(func(c *Config) *string { return &c.APIKey })
	add(opt("api-key", "", "API key for requests to --server", true, s, g))
	s, g = str(func(c *Config) *string { return &c.DataKey })
	add(opt("data-key", "", "data key that encrypts customer identities (nsk1:…); prefer data-key-file", true, s, g))
	s, g = str(func(c *Config) *string { return &c.DataKeyFile })
	add(opt("data-key-file", "", "file with the data key that encrypts customer identities; empty: DB.key beside a DuckDB database, created for a new one", false, s, g))
	add(opt("retention", "", "days each channel's transcripts are kept, e.g. chat=365,voice=90 (YAML: a map); empty: kept forever", false,
		func(c *Config, v string) error {
			m, err := ParseRetention(v)
			c.Retention = m
			return err
		}, func(c *Config) string { return FormatRetention(c.Retention) }))
	i, gi = integer(func(c *Config) *int { return &c.IngestRate })
	add(opt("ingest-rate", "600", "ingest requests per minute allowed per API key and per client address", false, i, gi))
	s, g = str(func(c *Config) *string { return &c.TLSCert })
	add(opt("tls-cert", "", "serve HTTPS (TLS 1.3, post-quantum key exchange) with this PEM certificate chain; needs tls-key", false, s, g))
	s, g = str(func(c *Config) *string { return &c.TLSKey })
	add(opt("tls-key", "", "private key (PEM) of tls-cert", false, s, g))
	b, gb = boolean(func(c *Config) *bool { return &c.TLSSelfSigned })
	add(opt("tls-self-signed", "false", "serve HTTPS with a new in-memory self-signed certificate (for trials; its fingerprint is printed)", false, b, gb))
	return o
}

// ParseRetention reads retention rules: "chat=365,voice=90", or a YAML map
// as the loader renders it ("map[chat:365 voice:90]").
func ParseRetention(v string) (map[string]int, error) {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "map[") && strings.HasSuffix(v, "]") {
		v = v[4 : len(v)-1]
	}
	out := map[string]int{}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		ch, days, ok := strings.Cut(f, "=")
		if !ok {
			ch, days, ok = strings.Cut(f, ":")
		}
		n, err := strconv.Atoi(strings.TrimSpace(days))
		if !ok || err != nil || n <= 0 {
			return nil, fmt.Errorf("want CHANNEL=DAYS with a positive number of days, e.g. chat=365,voice=90; got %q", f)
		}
		ch = strings.TrimSpace(ch)
		if !slices.Contains(cx.Channels, cx.Channel(ch)) {
			return nil, fmt.Errorf("retention: unknown channel %q (channels: %v)", ch, cx.Channels)
		}
		out[ch] = n
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// FormatRetention writes rules as ParseRetention reads them, channels sorted.
func FormatRetention(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%d", k, m[k])
	}
	return b.String()
}

// Lookup finds an option by key.
func Lookup(key string) (Option, bool) {
	for _, o := range Options() {
		if o.Key == key {
			return o, true
		}
	}
	return Option{}, false
}

// Load builds the configuration from defaults, the YAML file (if path is
// non-empty, or ./northstar.yaml exists), the environment and then flags
// (flag values set explicitly, by key).
func Load(path string, env func(string) string, flags map[string]string) (*Config, error) {
	c := &Config{}
	opts := Options()
	for _, o := range opts {
		if err := o.set(c, o.Default); err != nil {
			return nil, fmt.Errorf("default of %s: %w", o.Key, err)
		}
	}
	explicit := path != ""
	if path == "" {
		path = "northstar.yaml"
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		var file map[string]any
		if err := yaml.Unmarshal(data, &file); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		keys := make([]string, 0, len(file))
		for k := range file {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			o, ok := Lookup(k)
			if !ok {
				return nil, fmt.Errorf("config %s: unknown key %q (see `northstar config show`)", path, k)
			}
			if err := o.set(c, fmt.Sprint(file[k])); err != nil {
				return nil, fmt.Errorf("config %s: %s: %w", path, k, err)
			}
		}
	case explicit || !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("config: %w", err)
	}
	for _, o := range opts {
		if v := env(o.Env()); v != "" {
			if err := o.set(c, v); err != nil {
				return nil, fmt.Errorf("%s: %w", o.Env(), err)
			}
		}
	}
	for _, o := range opts {
		if v, ok := flags[o.Key]; ok {
			if err := o.set(c, v); err != nil {
				return nil, fmt.Errorf("--%s: %w", o.Key, err)
			}
		}
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return nil, fmt.Errorf("time-zone %q: %w", c.TimeZone, err)
	}
	return c, nil
}

// Location returns the configured time zone.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Show lists every option's effective value, secrets masked.
func (c *Config) Show() [][2]string {
	var out [][2]string
	for _, o := range Options() {
		v := o.get(c)
		if o.Secret && v != "" {
			v = mask(o.Key, v)
		}
		out = append(out, [2]string{o.Key, v})
	}
	return out
}

// mask hides secrets; a database URL keeps its scheme and host so people can
// see which database is meant.
func mask(key, v string) string {
	if key == "db" {
		if strings.HasPrefix(v, "duckdb:") {
			return v
		}
		if at := strings.LastIndexByte(v, '@'); at >= 0 {
			if scheme := strings.Index(v, "://"); scheme >= 0 && scheme < at {
				return v[:scheme+3] + "****" + v[at:]
			}
		}
	}
	return "****"
}
