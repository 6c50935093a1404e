package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/metrics/memory"
	"github.com/northstar-cx/northstar/internal/store"
)

func newBenchCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure Northstar's speed on synthetic data",
		Long: `Benchmarks that load a synthetic world of a chosen size and time what users wait for.
Results of the runs we publish are in docs/BENCHMARKS.md with the commands that produced them.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newBenchMetricsCmd(g))
	return cmd
}

// benchCall is one call the dashboard makes, relative to the data's end.
type benchCall struct {
	Name  string
	About string
	query func(end time.Time) metrics.Query
}

func benchCalls() []benchCall {
	days := func(end time.Time, n int) (time.Time, time.Time) { return end.AddDate(0, 0, -n), end }
	q := func(m, by string, n int, compare bool, where ...metrics.Filter) func(time.Time) metrics.Query {
		return func(end time.Time) metrics.Query {
			from, to := days(end, n)
			var b []string
			if by != "" {
				b = strings.Split(by, ",")
			}
			return metrics.Query{Metrics: strings.Split(m, ","), By: b, From: from, To: to, Compare: compare, Where: where}
		}
	}
	return []benchCall{
		{"portfolio", "14 contact and survey metrics overall, last 28 days, with the previous 28",
			q("contacts,csat,nps,ces,fcr,repeat_rate,containment,escalation_rate,aht,asa,cost_per_contact,cost_to_serve,sentiment,qa_score", "", 28, true)},
		{"value", "retention, churn, LTV, margin overall, last 90 days, with the previous 90",
			q("retention,churn,ltv,margin", "", 90, true)},
		{"trend-by-day", "contacts, CSAT, FCR, containment by day over 90 days",
			q("contacts,csat,fcr,containment", "day", 90, false)},
		{"intent-x-handler", "contacts, containment, CSAT, repeat rate, cost per resolution by intent × handler, 28 days",
			q("contacts,containment,csat,repeat_rate,cost_per_resolution", "intent,handler", 28, false)},
		{"partner-x-week", "QA score, CSAT, AHT, FCR by partner × week over 90 days, with the previous 90",
			q("qa_score,csat,aht,fcr", "partner,week", 90, true)},
		{"one-intent", "contacts, CSAT, FCR, repeat rate, AHT, cost per contact by week for one intent, 90 days",
			q("contacts,csat,fcr,repeat_rate,aht,cost_per_contact", "week", 90, false, metrics.Filter{Dim: "intent", Values: []string{"billing_query"}})},
		{"by-agent", "QA score, CSAT, AHT, FCR, contacts by agent, 28 days",
			q("qa_score,csat,aht,fcr,contacts", "agent", 28, false)},
	}
}

// benchTiming is one call's latencies on one source.
type benchTiming struct {
	Runs int `json:"runs"`
	// FirstMS is the first run: the memory source computes customer rows
	// once per period and snapshot, so later runs of the value call are
	// warm.
	FirstMS float64 `json:"first_ms"`
	P50MS   float64 `json:"p50_ms"`
	// CPUMS is the process's CPU time per run (user + system, all
	// threads): what a call costs whatever else the machine is doing. For
	// the SQL source on PostgreSQL the server's work is not in it.
	CPUMS float64 `json:"cpu_ms"`
	P95MS float64 `json:"p95_ms"`
	MaxMS float64 `json:"max_ms"`
}

type benchCallResult struct {
	Name   string       `json:"name"`
	About  string       `json:"about"`
	Rows   int          `json:"rows"`
	Memory benchTiming  `json:"memory"`
	SQL    *benchTiming `json:"sql,omitempty"`
	// Equal says the memory source's result equals the SQL source's.
	Equal *bool `json:"equal,omitempty"`
}

type benchReport struct {
	DSNEngine      string                 `json:"engine"`
	Interactions   int                    `json:"interactions"`
	Surveys        int                    `json:"surveys"`
	Customers      int                    `json:"customers"`
	Events         int                    `json:"events"`
	CPUs           int                    `json:"cpus"`
	Loaded         *store.SyntheticReport `json:"synthetic_load,omitempty"`
	LoadRowsPerSec float64                `json:"synthetic_load_rows_per_second,omitempty"`
	CacheLoadSec   float64                `json:"cache_load_seconds"`
	CacheBytes     int64                  `json:"cache_bytes"`
	BytesPerRow    float64                `json:"cache_bytes_per_interaction"`
	HeapBytes      uint64                 `json:"heap_in_use_bytes"`
	RSSBytes       uint64                 `json:"rss_bytes"`
	End            time.Time              `json:"data_end"`
	LoadAvgStart   float64                `json:"load_average_start"`
	LoadAvgEnd     float64                `json:"load_average_end"`
	Calls          []benchCallResult      `json:"calls"`
}

func newBenchMetricsCmd(g *globals) *cobra.Command {
	var (
		n, customers, runs, sqlRuns int
		seed                        uint64
		only                        string
	)
	cmd := &cobra.Command{
		Use:   "metrics --db DSN [--interactions N]",
		Short: "Time the dashboard's metric calls on the in-memory and the SQL source",
		Long: `Loads a synthetic world of N contacts into an EMPTY database through the store's bulk path
(distributions like the demo world's: 7 channels, 40 intents, bot and human, 3 partners,
150 agents, surveys on about 30% of contacts, a year of data), or uses the contacts already
there when the database is not empty. Then loads the in-memory metrics source and times the
dashboard's calls on it and on the reference SQL source: p50 and p95 per call, the cache's
load time and memory (estimated bytes per contact, Go heap, process RSS), and whether both
sources returned the same result.

Calls: ` + benchCallNames() + `.`,
		Example: `  northstar bench metrics --db duckdb:/tmp/bench.db --interactions 1000000
  northstar bench metrics --db postgres://bench@localhost/bench --interactions 10000000 --sql-runs 3
  northstar bench metrics --db duckdb:/tmp/bench.db --queries portfolio,by-agent --runs 50 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c, err := g.config()
			if err != nil {
				return err
			}
			calls := benchCalls()
			if only != "" {
				want := map[string]bool{}
				for _, s := range strings.Split(only, ",") {
					want[strings.TrimSpace(s)] = true
				}
				var keep []benchCall
				for _, bc := range calls {
					if want[bc.Name] {
						keep = append(keep, bc)
						delete(want, bc.Name)
					}
				}
				for s := range want {
					return usageError{fmt.Sprintf("--queries: unknown call %q (valid: %s)", s, benchCallNames())}
				}
				calls = keep
			}
			if runs < 1 {
				return usageError{"--runs must be at least 1"}
			}
			st, err := g.openStore(ctx, c)
			if err != nil {
				return err
			}
			defer st.Close()
			rep := &benchReport{DSNEngine: st.Engine(), CPUs: runtime.GOMAXPROCS(0)}
			if n > 0 {
				counts, err := st.Counts(ctx)
				if err != nil {
					return err
				}
				if counts["interactions"] == 0 {
					fmt.Fprintf(g.e.stderr, "loading %d synthetic contacts into %s…\n", n, st.Engine())
					last := time.Now()
					lr, err := st.LoadSynthetic(ctx, store.SyntheticOptions{Interactions: n, Customers: customers, Seed: seed,
						Progress: func(done int) {
							if time.Since(last) > 10*time.Second {
								last = time.Now()
								fmt.Fprintf(g.e.stderr, "  %d contacts\n", done)
							}
						}})
					if err != nil {
						return err
					}
					rep.Loaded = &lr
					rep.LoadRowsPerSec = float64(lr.Interactions) / lr.Seconds
				} else {
					fmt.Fprintf(g.e.stderr, "the database has %d contacts already: timing on those (load into an empty database for a new size)\n", counts["interactions"])
				}
			}
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			src, err := memory.Load(ctx, st)
			if err != nil {
				return err
			}
			rep.CacheLoadSec = time.Since(start).Seconds()
			stats := src.Stats()
			rep.Interactions, rep.Surveys, rep.Customers, rep.Events = stats.Rows, stats.Surveys, stats.Customers, stats.Events
			rep.CacheBytes, rep.BytesPerRow = stats.Bytes, stats.BytesPerRow
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			rep.HeapBytes = after.HeapInuse
			rep.RSSBytes = rss()
			end, err := dataEnd(src)
			if err != nil {
				return err
			}
			rep.End = end
			ref := metrics.NewSQL(st)
			debug.SetGCPercent(100)
			rep.LoadAvgStart = loadAverage()
			for _, bc := range calls {
				q := bc.query(end)
				r := benchCallResult{Name: bc.Name, About: bc.About}
				var got *metrics.Result
				r.Memory, got, err = timeCalls(ctx, src, q, runs)
				if err != nil {
					return fmt.Errorf("%s on the memory source: %w", bc.Name, err)
				}
				r.Rows = len(got.Rows)
				if sqlRuns > 0 {
					t, want, err := timeCalls(ctx, ref, q, sqlRuns)
					if err != nil {
						return fmt.Errorf("%s on the SQL source: %w", bc.Name, err)
					}
					eq := sameResult(want, got)
					r.SQL, r.Equal = &t, &eq
				}
				rep.Calls = append(rep.Calls, r)
				if !g.jsonOut {
					fmt.Fprintf(g.e.stderr, "  %s done\n", bc.Name)
				}
			}
			rep.LoadAvgEnd = loadAverage()
			if g.jsonOut {
				return writeJSON(g, rep)
			}
			printBench(g, rep)
			for _, r := range rep.Calls {
				if r.Equal != nil && !*r.Equal {
					return fmt.Errorf("%s: the memory source's result differs from the SQL source's; run the property test (go test ./internal/metrics/memory -run TestMemoryEqualsSQL) and report the query", r.Name)
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&n, "interactions", 0, "contacts to generate when the database is empty (0: use what is there)")
	f.IntVar(&customers, "customers", 0, "customers of the synthetic world (default: one per 7 contacts)")
	f.Uint64Var(&seed, "seed", 1, "seed of the synthetic world")
	f.IntVar(&runs, "runs", 30, "timed runs of each call on the memory source")
	f.IntVar(&sqlRuns, "sql-runs", 5, "timed runs of each call on the SQL source (0 skips it)")
	f.StringVar(&only, "queries", "", "comma-separated calls to time (default all): "+benchCallNames())
	return cmd
}

func benchCallNames() string {
	var names []string
	for _, bc := range benchCalls() {
		names = append(names, bc.Name)
	}
	return strings.Join(names, ", ")
}

// dataEnd is midnight UTC after the latest contact: the calls' periods end there.
func dataEnd(src *memory.Source) (time.Time, error) {
	latest, ok := src.Latest()
	if !ok {
		return time.Time{}, fmt.Errorf("the database has no contacts: give --interactions N to load a synthetic world")
	}
	return latest.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour), nil
}

func timeCalls(ctx context.Context, src metrics.Source, q metrics.Query, runs int) (benchTiming, *metrics.Result, error) {
	var res *metrics.Result
	ds := make([]float64, runs)
	cpu0 := cpuTime()
	for i := range runs {
		start := time.Now()
		r, err := src.Query(ctx, q)
		if err != nil {
			return benchTiming{}, nil, err
		}
		ds[i] = float64(time.Since(start).Microseconds()) / 1000
		res = r
	}
	pct := func(p float64) float64 { return ds[min(len(ds)-1, int(math.Ceil(p*float64(len(ds))))-1)] }
	cpu := (cpuTime() - cpu0).Seconds() * 1000 / float64(runs)
	first := ds[0]
	sort.Float64s(ds)
	return benchTiming{Runs: runs, FirstMS: first, P50MS: pct(0.50), P95MS: pct(0.95), MaxMS: ds[len(ds)-1], CPUMS: cpu}, res, nil
}

// sameResult compares two results: keys, n, withholding and values to 1e-9.
func sameResult(a, b *metrics.Result) bool {
	if len(a.Rows) != len(b.Rows) {
		return false
	}
	near := func(x, y *float64) bool {
		if x == nil || y == nil {
			return x == y
		}
		return math.Abs(*x-*y) <= 1e-9*math.Max(1, math.Abs(*x))
	}
	var cell func(x, y *metrics.Cell) bool
	cell = func(x, y *metrics.Cell) bool {
		if x.N != y.N || x.LowN != y.LowN || !near(x.Value, y.Value) || !near(x.Low, y.Low) || !near(x.High, y.High) {
			return false
		}
		if (x.Previous == nil) != (y.Previous == nil) {
			return false
		}
		return x.Previous == nil || cell(x.Previous, y.Previous)
	}
	for i := range a.Rows {
		if strings.Join(a.Rows[i].Keys, "\x00") != strings.Join(b.Rows[i].Keys, "\x00") {
			return false
		}
		for j := range a.Rows[i].Cells {
			if !cell(&a.Rows[i].Cells[j], &b.Rows[i].Cells[j]) {
				return false
			}
		}
	}
	return true
}

// loadAverage is the 1-minute load average (Linux), to judge how shared
// the machine was; 0 elsewhere.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return v
}

// rss reads the process's resident memory (Linux); 0 elsewhere.
func rss() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func printBench(g *globals, r *benchReport) {
	w := g.e.stdout
	mb := func(b uint64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "engine %s, %d CPUs: %d contacts, %d surveys, %d customers, %d events; data ends %s\n",
		r.DSNEngine, r.CPUs, r.Interactions, r.Surveys, r.Customers, r.Events, r.End.Format("2006-01-02"))
	if r.Loaded != nil {
		fmt.Fprintf(w, "synthetic load: %.1f s (%.0f contacts/s, with customers, events and surveys)\n", r.Loaded.Seconds, r.LoadRowsPerSec)
	}
	fmt.Fprintf(w, "metrics cache: loaded in %.1f s, %s (%.0f bytes per contact); Go heap in use %s, process RSS %s\n",
		r.CacheLoadSec, mb(uint64(r.CacheBytes)), r.BytesPerRow, mb(r.HeapBytes), mb(r.RSSBytes))
	fmt.Fprintf(w, "load average (1 min) %.1f at the first call, %.1f after the last\n\n", r.LoadAvgStart, r.LoadAvgEnd)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "call\trows\tmemory first ms\tp50 ms\tp95 ms\tCPU ms/call\tSQL p50 ms\tp95 ms\tequal\t")
	for _, c := range r.Calls {
		sqlP50, sqlP95, eq := "-", "-", "-"
		if c.SQL != nil {
			sqlP50, sqlP95 = fmt.Sprintf("%.1f", c.SQL.P50MS), fmt.Sprintf("%.1f", c.SQL.P95MS)
			eq = map[bool]string{true: "yes", false: "NO"}[*c.Equal]
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t%s\t%s\t\n", c.Name, c.Rows, c.Memory.FirstMS, c.Memory.P50MS, c.Memory.P95MS, c.Memory.CPUMS, sqlP50, sqlP95, eq)
	}
	tw.Flush()
}
