package web

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden chart SVGs in testdata/")

func f(v float64) *float64 { return &v }

// TestChartsMatchGolden pins the SVG of each chart shape: the charts are
// the product, so a change to them should be seen in review.
func TestChartsMatchGolden(t *testing.T) {
	cases := []struct {
		name string
		svg  func() string
	}{
		{"line-band", func() string {
			c := &LineChart{ID: "t1", Title: "CSAT % by day", Desc: "CSAT by day", Unit: "%", Format: pct, YMin: 0, YMax: 1,
				Series: []Series{{Name: "CSAT %", Points: []Point{
					{X: "10-01", Y: f(0.8), Low: f(0.75), High: f(0.85), N: 120, Href: "/interactions?from=2026-10-01&to=2026-10-01"},
					{X: "10-02", Y: f(0.7), Low: f(0.62), High: f(0.78), N: 90},
					{X: "10-03", N: 4}, // below the minimum n: a gap
					{X: "10-04", Y: f(0.9), Low: f(0.84), High: f(0.94), N: 101},
				}}}}
			return string(c.SVG())
		}},
		{"line-multi", func() string {
			c := &LineChart{ID: "t2", Title: "QA by partner", Desc: "QA score by partner by week", Unit: "%", Format: pct,
				Series: []Series{
					{Name: "in-house", Points: []Point{{X: "w1", Y: f(0.95), N: 300}, {X: "w2", Y: f(0.96), N: 310}}},
					{Name: "Coastline Contact & Co", Points: []Point{{X: "w1", Y: f(0.9), N: 200}, {X: "w2", Y: f(0.82), N: 210}}},
				}}
			return string(c.SVG())
		}},
		{"bars", func() string {
			c := &BarChart{ID: "t3", Title: "QA score by team", Desc: "QA by team", Unit: "%", Format: pct, Zero: true, YMin: 0, YMax: 1,
				Bars: []Bar{
					{Label: "billing", Value: f(0.93), Low: f(0.91), High: f(0.95), N: 392, Href: "/interactions?team=billing"},
					{Label: "a very long team name that is cut short", Value: f(0.5), N: 40},
					{Label: "tiny", N: 3},
				}}
			return string(c.SVG())
		}},
		{"bars-negative", func() string {
			c := &BarChart{ID: "t4", Title: "Sentiment by channel", Desc: "Sentiment", Unit: "sentiment −1…1", Format: signed,
				Bars: []Bar{{Label: "voice", Value: f(-0.2), N: 50}, {Label: "chat <b>", Value: f(0.3), N: 60}}}
			return string(c.SVG())
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.svg()
			path := filepath.Join("testdata", c.name+".svg")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (run with -update if the change is meant)\ngot:\n%s", c.name, path, got)
			}
			for _, must := range []string{"<title", "<desc", `role="img"`} {
				if !strings.Contains(got, must) {
					t.Errorf("no %s: every chart needs a text alternative", must)
				}
			}
			if strings.Contains(got, "style=") || strings.Contains(got, "<b>") {
				t.Errorf("inline style or unescaped text in the SVG")
			}
		})
	}
}

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   string
	}{
		{0, 1, "0 0.2 0.4 0.6 0.8 1"},
		{0.81, 0.97, "0.8 0.85 0.9 0.95 1"},
		{-1, 1, "-1 -0.5 0 0.5 1"},
		{0, 730, "0 200 400 600 800"},
	}
	for _, c := range cases {
		var parts []string
		for _, v := range niceTicks(c.lo, c.hi, 5) {
			parts = append(parts, trimFloat(v))
		}
		if got := strings.Join(parts, " "); got != c.want {
			t.Errorf("ticks(%g, %g) = %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
}
