package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Charts are drawn here, on the server, as SVG: no chart library, nothing
// to load before a chart is readable, and a strict Content-Security-Policy
// holds (colours come from CSS classes, never style attributes). Every chart
// carries a <title> and <desc>, its axes say their unit, and each series is
// told apart by its marker shape, dash pattern and a direct label as well as
// by colour. The same numbers are also rendered as a visually hidden table
// (ChartTable) for screen readers.

// Point is one value of a series at an x position.
type Point struct {
	X         string   // axis label, e.g. "2026-10-05"
	Y         *float64 // nil: no value (n below the minimum)
	Low, High *float64 // 95% interval, when known
	N         int64
	Href      string // drill-down
}

// Series is one line.
type Series struct {
	Name   string
	Points []Point
}

// LineChart is a time series chart with interval bands.
type LineChart struct {
	ID     string // unique on the page; used for aria ids
	Title  string
	Desc   string
	Unit   string // axis unit, e.g. "%", "score", "£"
	Format func(float64) string
	Series []Series
	// YMin and YMax fix the axis; when both are zero it fits the data.
	YMin, YMax float64
}

// Bar is one bar of a bar chart.
type Bar struct {
	Label     string
	Value     *float64
	Low, High *float64
	N         int64
	Href      string
	Note      string // e.g. "n too small"
}

// BarChart is a horizontal bar chart with interval whiskers.
type BarChart struct {
	ID     string
	Title  string
	Desc   string
	Unit   string
	Format func(float64) string
	Bars   []Bar
	// Zero makes the axis start at 0 (counts, percentages); otherwise it fits
	// the data, which negative values (sentiment, NPS) need.
	Zero       bool
	YMin, YMax float64
}

const (
	lineW, lineH                       = 720, 260
	padL, padR, padT, padB             = 56, 120, 26, 40
	barRowH, barPadL, barPadR, barPadT = 26, 196, 132, 8
	barW                               = 720
)

var markers = []string{"circle", "square", "triangle", "diamond", "cross"}

func esc(s string) string { return html.EscapeString(s) }

func (c *LineChart) format(v float64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return trimFloat(v)
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// niceTicks returns about n round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	first, last := math.Floor(lo/step+1e-9), math.Ceil(hi/step-1e-9)
	for i := first; i <= last; i++ {
		out = append(out, i*step)
	}
	return out
}

func (c *LineChart) bounds() (lo, hi float64) {
	if c.YMin != 0 || c.YMax != 0 {
		return c.YMin, c.YMax
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, p := range s.Points {
			for _, v := range []*float64{p.Y, p.Low, p.High} {
				if v != nil {
					lo, hi = math.Min(lo, *v), math.Max(hi, *v)
				}
			}
		}
	}
	if math.IsInf(lo, 1) {
		return 0, 1
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-1, hi+1
	}
	pad := (hi - lo) * 0.08
	return lo - pad, hi + pad
}

// SVG renders the chart.
func (c *LineChart) SVG() template.HTML {
	var b strings.Builder
	lo, hi := c.bounds()
	ticks := niceTicks(lo, hi, 5)
	lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])
	plotW, plotH := float64(lineW-padL-padR), float64(lineH-padT-padB)
	nx := 0
	for _, s := range c.Series {
		nx = max(nx, len(s.Points))
	}
	x := func(i int) float64 {
		if nx <= 1 {
			return padL + plotW/2
		}
		return padL + plotW*float64(i)/float64(nx-1)
	}
	y := func(v float64) float64 { return padT + plotH*(1-(v-lo)/(hi-lo)) }
	var total int64
	for _, s := range c.Series {
		for _, p := range s.Points {
			total += p.N
		}
	}
	fmt.Fprintf(&b, `<svg class="chart line-chart" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, lineW, lineH, c.ID, c.ID)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s (n = %d). The table after the chart lists every value.</desc>`,
		c.ID, esc(c.Title), c.ID, esc(c.Desc), total)
	// Axes and grid.
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, padL, lineW-padR, y(t), y(t))
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`, padL-6, y(t), esc(c.format(t)))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%d" y2="%d"/>`, padL, lineW-padR, lineH-padB, lineH-padB)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%d" y2="%d"/>`, padL, padL, padT, lineH-padB)
	fmt.Fprintf(&b, `<text class="unit" x="%d" y="%d" text-anchor="start">%s</text>`, 4, 12, esc(c.Unit))
	if len(c.Series) > 0 {
		pts := c.Series[0].Points
		step := max(1, (len(pts)+6)/7)
		for i := 0; i < len(pts); i += step {
			fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x(i), lineH-padB+16, esc(pts[i].X))
		}
	}
	// Series: band, line, markers, label.
	for si, s := range c.Series {
		cls := fmt.Sprintf("s%d", si%len(markers))
		var band []string
		for i, p := range s.Points {
			if p.High != nil && p.Low != nil {
				band = append(band, fmt.Sprintf("%.1f,%.1f", x(i), y(*p.High)))
			}
		}
		for i := len(s.Points) - 1; i >= 0; i-- {
			p := s.Points[i]
			if p.High != nil && p.Low != nil {
				band = append(band, fmt.Sprintf("%.1f,%.1f", x(i), y(*p.Low)))
			}
		}
		if len(band) > 2 {
			fmt.Fprintf(&b, `<polygon class="band %s" points="%s"><title>%s: 95%% interval</title></polygon>`, cls, strings.Join(band, " "), esc(s.Name))
		}
		var path strings.Builder
		pen := false
		for i, p := range s.Points {
			if p.Y == nil {
				pen = false
				continue
			}
			if pen {
				fmt.Fprintf(&path, " L%.1f %.1f", x(i), y(*p.Y))
			} else {
				fmt.Fprintf(&path, " M%.1f %.1f", x(i), y(*p.Y))
				pen = true
			}
		}
		if path.Len() > 0 {
			fmt.Fprintf(&b, `<path class="line %s" d="%s"/>`, cls, strings.TrimSpace(path.String()))
		}
		last := -1
		for i, p := range s.Points {
			if p.Y == nil {
				continue
			}
			last = i
			tip := fmt.Sprintf("%s, %s: %s (n = %d)", s.Name, p.X, c.format(*p.Y), p.N)
			if p.Low != nil && p.High != nil {
				tip += fmt.Sprintf(", 95%% interval %s–%s", c.format(*p.Low), c.format(*p.High))
			}
			mark := marker(markers[si%len(markers)], x(i), y(*p.Y), cls)
			if p.Href != "" {
				fmt.Fprintf(&b, `<a href="%s" aria-label="%s">%s<title>%s</title></a>`, esc(p.Href), esc(tip), mark, esc(tip))
			} else {
				fmt.Fprintf(&b, `<g>%s<title>%s</title></g>`, mark, esc(tip))
			}
		}
		// Several series are told apart by a direct label (marker and name)
		// at their last point, not by colour alone; one series needs none.
		if last >= 0 && len(c.Series) > 1 {
			name := s.Name
			if r := []rune(name); len(r) > 16 {
				name = string(r[:15]) + "…"
			}
			fmt.Fprintf(&b, `<text class="series-label %s" x="%.1f" y="%.1f" dominant-baseline="middle">%s %s</text>`,
				cls, x(last)+8, y(*s.Points[last].Y)+float64(si%3-1)*3, esc(markerGlyph(si)), esc(name))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// markerGlyph is the text symbol matching a series' marker, for labels.
func markerGlyph(si int) string {
	return []string{"●", "■", "▲", "◆", "✕"}[si%len(markers)]
}

func marker(kind string, cx, cy float64, cls string) string {
	switch kind {
	case "square":
		return fmt.Sprintf(`<rect class="mark %s" x="%.1f" y="%.1f" width="7" height="7"/>`, cls, cx-3.5, cy-3.5)
	case "triangle":
		return fmt.Sprintf(`<polygon class="mark %s" points="%.1f,%.1f %.1f,%.1f %.1f,%.1f"/>`, cls, cx, cy-4.5, cx-4.5, cy+3.5, cx+4.5, cy+3.5)
	case "diamond":
		return fmt.Sprintf(`<polygon class="mark %s" points="%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f"/>`, cls, cx, cy-5, cx+5, cy, cx, cy+5, cx-5, cy)
	case "cross":
		return fmt.Sprintf(`<path class="mark cross %s" d="M%.1f %.1f L%.1f %.1f M%.1f %.1f L%.1f %.1f"/>`, cls, cx-4, cy-4, cx+4, cy+4, cx-4, cy+4, cx+4, cy-4)
	}
	return fmt.Sprintf(`<circle class="mark %s" cx="%.1f" cy="%.1f" r="4"/>`, cls, cx, cy)
}

func (c *BarChart) format(v float64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return trimFloat(v)
}

// SVG renders the chart: one row per bar, label on the left, value and n on
// the right, so the numbers read without the bars.
func (c *BarChart) SVG() template.HTML {
	var b strings.Builder
	lo, hi := c.YMin, c.YMax
	if lo == 0 && hi == 0 {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, r := range c.Bars {
			for _, v := range []*float64{r.Value, r.Low, r.High} {
				if v != nil {
					lo, hi = math.Min(lo, *v), math.Max(hi, *v)
				}
			}
		}
		if math.IsInf(lo, 1) {
			lo, hi = 0, 1
		}
		if c.Zero || lo > 0 {
			lo = math.Min(0, lo)
		}
		if hi < 0 {
			hi = 0
		}
		if hi-lo < 1e-9 {
			hi = lo + 1
		}
	}
	ticks := niceTicks(lo, hi, 4)
	lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])
	h := barPadT + barRowH*len(c.Bars) + 28
	plotW := float64(barW - barPadL - barPadR)
	x := func(v float64) float64 { return barPadL + plotW*(v-lo)/(hi-lo) }
	var total int64
	for _, r := range c.Bars {
		total += r.N
	}
	fmt.Fprintf(&b, `<svg class="chart bar-chart" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, barW, h, c.ID, c.ID)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s (n = %d). The table after the chart lists every value.</desc>`,
		c.ID, esc(c.Title), c.ID, esc(c.Desc), total)
	bottom := barPadT + barRowH*len(c.Bars)
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/>`, x(t), x(t), barPadT, bottom)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x(t), bottom+14, esc(c.format(t)))
	}
	fmt.Fprintf(&b, `<text class="unit" x="%d" y="%d" text-anchor="end">%s</text>`, barW-4, bottom+26, esc(c.Unit))
	zero := x(math.Max(lo, math.Min(0, hi)))
	for i, r := range c.Bars {
		top := float64(barPadT + barRowH*i)
		mid := top + barRowH/2
		label := r.Label
		if len([]rune(label)) > 28 {
			label = string([]rune(label)[:27]) + "…"
		}
		var row strings.Builder
		fmt.Fprintf(&row, `<text class="bar-label" x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`, barPadL-8, mid, esc(label))
		tip := r.Label + ": "
		if r.Value == nil {
			note := r.Note
			if note == "" {
				note = "n too small"
			}
			fmt.Fprintf(&row, `<text class="bar-value muted" x="%.1f" y="%.1f" dominant-baseline="middle">%s (n = %d)</text>`, zero+4, mid, esc(note), r.N)
			tip += fmt.Sprintf("%s (n = %d)", note, r.N)
		} else {
			v := *r.Value
			x0, x1 := math.Min(zero, x(v)), math.Max(zero, x(v))
			fmt.Fprintf(&row, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%d"/>`, x0, top+5, math.Max(x1-x0, 1), barRowH-10)
			if r.Low != nil && r.High != nil {
				fmt.Fprintf(&row, `<path class="whisker" d="M%.1f %.1f L%.1f %.1f M%.1f %.1f L%.1f %.1f M%.1f %.1f L%.1f %.1f"/>`,
					x(*r.Low), mid, x(*r.High), mid, x(*r.Low), mid-5, x(*r.Low), mid+5, x(*r.High), mid-5, x(*r.High), mid+5)
			}
			fmt.Fprintf(&row, `<text class="bar-value" x="%d" y="%.1f" dominant-baseline="middle">%s · n %d</text>`, barW-barPadR+8, mid, esc(c.format(v)), r.N)
			tip += fmt.Sprintf("%s (n = %d)", c.format(v), r.N)
			if r.Low != nil && r.High != nil {
				tip += fmt.Sprintf(", 95%% interval %s–%s", c.format(*r.Low), c.format(*r.High))
			}
		}
		if r.Href != "" {
			fmt.Fprintf(&b, `<a href="%s" aria-label="%s"><title>%s</title>%s</a>`, esc(r.Href), esc(tip), esc(tip), row.String())
		} else {
			fmt.Fprintf(&b, `<g><title>%s</title>%s</g>`, esc(tip), row.String())
		}
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/>`, zero, zero, barPadT, bottom)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// TableRow is one row of a chart's text alternative.
type TableRow struct {
	Series, X, Value, Interval string
	N                          int64
	Href                       string
}

// Rows is the chart's data as table rows (its text alternative).
func (c *LineChart) Rows() []TableRow {
	var out []TableRow
	for _, s := range c.Series {
		for _, p := range s.Points {
			r := TableRow{Series: s.Name, X: p.X, N: p.N, Href: p.Href, Value: "n too small"}
			if p.Y != nil {
				r.Value = c.format(*p.Y)
			}
			if p.Low != nil && p.High != nil {
				r.Interval = c.format(*p.Low) + "–" + c.format(*p.High)
			}
			out = append(out, r)
		}
	}
	return out
}

// Rows is the chart's data as table rows.
func (c *BarChart) Rows() []TableRow {
	var out []TableRow
	for _, r := range c.Bars {
		t := TableRow{X: r.Label, N: r.N, Href: r.Href, Value: "n too small"}
		if r.Value != nil {
			t.Value = c.format(*r.Value)
		}
		if r.Low != nil && r.High != nil {
			t.Interval = c.format(*r.Low) + "–" + c.format(*r.High)
		}
		out = append(out, t)
	}
	return out
}
