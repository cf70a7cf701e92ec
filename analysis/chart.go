package analysis

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"noticesearch/indexer"
)

// Charts are drawn on the server as SVG, so that a page needs neither
// JavaScript nor anything from outside: grouped bars for groups by
// region, kind, source or issuer, lines for years, and a heat table per
// term for two fields crossed. Labels come from notices and are escaped.

// Measures a chart can show.
var Measures = []string{"share", "per10k", "occurrences", "notices", "sections"}

// MeasureNames are the measures' names in Chinese.
var MeasureNames = map[string]string{
	"share":       "提及公文占比（%）",
	"per10k":      "每万字出现次数",
	"occurrences": "出现次数",
	"notices":     "提及公文数",
	"sections":    "段落数",
}

func measureOf(tc TermCounts, measure string) float64 {
	switch measure {
	case "per10k":
		return tc.Per10k
	case "occurrences":
		return float64(tc.Occurrences)
	case "notices":
		return float64(tc.Notices)
	case "sections":
		return float64(tc.Sections)
	}
	return 100 * tc.Share
}

// palette colours the terms, in turn.
var palette = []string{"#1f5fa8", "#c0392b", "#2e8b57", "#d68910", "#7d3c98", "#148f77", "#a04000", "#566573", "#b03a70", "#1a5276"}

const chartFont = `font-family="'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif"`

// maxBars bounds the groups a bar chart shows; the table has them all.
const maxBars = 40

// Chart is the SVG of the table's measure: lines when grouped by year
// alone, heat tables when two fields are crossed, grouped bars otherwise.
func (t *Table) Chart(measure string) string {
	switch {
	case len(t.Groups) == 0:
		return ""
	case len(t.By) == 2:
		return t.heat(measure)
	case t.By[0] == indexer.FieldYear:
		return t.lines(measure)
	}
	return t.bars(measure)
}

func esc(s string) string { return html.EscapeString(s) }

// short cuts a label to n characters.
func short(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// niceMax is a round number at or above v, for an axis.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func fmtNum(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	if math.Abs(v) >= 10 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// legend draws the terms' colours from (x, y).
func (t *Table) legend(b *strings.Builder, x, y int) {
	for i, term := range t.Terms {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" font-size="13">%s</text>`,
			x, y-10, palette[i%len(palette)], x+16, y, esc(short(term, 12)))
		x += 36 + 14*min(utf8.RuneCountInString(term), 12)
	}
}

// axis draws the value axis of a chart of plot height h from top, for
// values up to top, with grid lines across width w from left.
func axis(b *strings.Builder, left, top, w, h int, maxV float64) {
	for i := 0; i <= 4; i++ {
		v := maxV * float64(i) / 4
		y := top + h - int(float64(h)*float64(i)/4)
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ddd"/><text x="%d" y="%d" font-size="11" text-anchor="end">%s</text>`,
			left, y, left+w, y, left-6, y+4, fmtNum(v))
	}
}

func (t *Table) bars(measure string) string {
	groups := t.Groups[:min(len(t.Groups), maxBars)]
	nt := len(t.Terms)
	barW := max(4, min(24, 480/max(1, len(groups)*nt)))
	slot := barW*nt + 10
	left, top, h := 64, 48, 260
	w := max(360, slot*len(groups))
	width, height := left+w+20, top+h+110
	maxV := 0.0
	for _, g := range groups {
		for _, tc := range g.Terms {
			maxV = max(maxV, measureOf(tc, measure))
		}
	}
	maxV = niceMax(maxV)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="%d" height="%d" viewBox="0 0 %d %d" %s>`, width, height, width, height, chartFont)
	fmt.Fprintf(&b, `<title>%s：%s</title>`, esc(FieldNames[t.By[0]]), esc(MeasureNames[measure]))
	fmt.Fprintf(&b, `<text x="%d" y="18" font-size="14" font-weight="bold">按%s比较 · %s</text>`, left, esc(FieldNames[t.By[0]]), esc(MeasureNames[measure]))
	t.legend(&b, left, 38)
	axis(&b, left, top, w, h, maxV)
	for i, g := range groups {
		x0 := left + i*slot + 5
		for k, tc := range g.Terms {
			v := measureOf(tc, measure)
			bh := int(math.Round(float64(h) * v / maxV))
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s · %s：%s</title></rect>`,
				x0+k*barW, top+h-bh, barW-1, bh, palette[k%len(palette)], esc(Label(g.Values[0])), esc(t.Terms[k]), fmtNum(v))
		}
		cx := x0 + barW*nt/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end" transform="rotate(-45 %d %d)">%s</text>`,
			cx, top+h+14, cx, top+h+14, esc(short(Label(g.Values[0]), 10)))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`, left, top+h, left+w, top+h)
	if len(t.Groups) > maxBars {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#666">仅显示前 %d 组，共 %d 组，完整数据见下表</text>`, left, height-6, maxBars, len(t.Groups))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func (t *Table) lines(measure string) string {
	groups := t.Groups
	left, top, h := 64, 48, 260
	step := max(28, min(80, 640/max(1, len(groups))))
	w := max(360, step*max(1, len(groups)-1)+40)
	width, height := left+w+20, top+h+70
	maxV := 0.0
	for _, g := range groups {
		for _, tc := range g.Terms {
			maxV = max(maxV, measureOf(tc, measure))
		}
	}
	maxV = niceMax(maxV)
	x := func(i int) int { return left + 20 + i*step }
	y := func(v float64) int { return top + h - int(math.Round(float64(h)*v/maxV)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="%d" height="%d" viewBox="0 0 %d %d" %s>`, width, height, width, height, chartFont)
	fmt.Fprintf(&b, `<title>按年份：%s</title>`, esc(MeasureNames[measure]))
	fmt.Fprintf(&b, `<text x="%d" y="18" font-size="14" font-weight="bold">逐年变化 · %s</text>`, left, esc(MeasureNames[measure]))
	t.legend(&b, left, 38)
	axis(&b, left, top, w, h, maxV)
	for k := range t.Terms {
		var pts []string
		for i, g := range groups {
			pts = append(pts, fmt.Sprintf("%d,%d", x(i), y(measureOf(g.Terms[k], measure))))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, palette[k%len(palette)], strings.Join(pts, " "))
		for i, g := range groups {
			v := measureOf(g.Terms[k], measure)
			fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="3.5" fill="%s"><title>%s · %s：%s</title></circle>`,
				x(i), y(v), palette[k%len(palette)], esc(Label(g.Values[0])), esc(t.Terms[k]), fmtNum(v))
		}
	}
	for i, g := range groups {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="middle">%s</text>`, x(i), top+h+18, esc(short(Label(g.Values[0]), 6)))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`, left, top+h, left+w, top+h)
	b.WriteString(`</svg>`)
	return b.String()
}

// heat draws a table of rows by columns per term, each cell shaded by its
// value against the term's largest.
func (t *Table) heat(measure string) string {
	const cellW, cellH, labelW, gap = 64, 24, 120, 28
	rows, cols := t.Rows, t.Cols
	tableH := cellH * (len(rows) + 1)
	width := labelW + cellW*len(cols) + 20
	height := 30 + len(t.Terms)*(tableH+gap+18)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="%d" height="%d" viewBox="0 0 %d %d" %s>`, width, height, width, height, chartFont)
	fmt.Fprintf(&b, `<title>%s × %s：%s</title>`, esc(FieldNames[t.By[0]]), esc(FieldNames[t.By[1]]), esc(MeasureNames[measure]))
	fmt.Fprintf(&b, `<text x="0" y="18" font-size="14" font-weight="bold">%s × %s · %s</text>`, esc(FieldNames[t.By[0]]), esc(FieldNames[t.By[1]]), esc(MeasureNames[measure]))
	y0 := 30
	for k, term := range t.Terms {
		maxV := 0.0
		for _, g := range t.Groups {
			maxV = max(maxV, measureOf(g.Terms[k], measure))
		}
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13" font-weight="bold" fill="%s">%s</text>`, y0+14, palette[k%len(palette)], esc(term))
		y := y0 + 18
		for j, c := range cols {
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="middle">%s</text>`, labelW+j*cellW+cellW/2, y+16, esc(short(Label(c), 5)))
		}
		for i, r := range rows {
			ry := y + cellH*(i+1)
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>`, labelW-6, ry+16, esc(short(Label(r), 9)))
			for j := range cols {
				v := measureOf(t.Groups[i*len(cols)+j].Terms[k], measure)
				shade := 0.0
				if maxV > 0 {
					shade = v / maxV
				}
				ink := "#222"
				if shade > 0.6 {
					ink = "#fff"
				}
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" fill-opacity="%.2f" stroke="#fff"/><text x="%d" y="%d" font-size="11" text-anchor="middle" fill="%s">%s</text>`,
					labelW+j*cellW, ry, cellW, cellH, palette[k%len(palette)], 0.08+0.92*shade, labelW+j*cellW+cellW/2, ry+16, ink, fmtNum(v))
			}
		}
		y0 += tableH + gap + 18
	}
	b.WriteString(`</svg>`)
	return b.String()
}
