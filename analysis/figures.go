package analysis

import (
	"context"
	"io"
	"slices"
	"strings"

	"noticesearch/dict"
	"noticesearch/figures"
	"noticesearch/search"
)

// FigureRequest asks for one figure's values across notices: the figures
// labelled Label (after dict's synonyms) in the notices Query selects,
// by one or two fields.
type FigureRequest struct {
	Label string
	By    []string // county by default
	Query string
}

// MaxFigureRows bounds the figures a FigureTable lists one by one; its
// groups count them all.
const MaxFigureRows = 2000

// FigureTable is a figure's values by group.
type FigureTable struct {
	Label   string        `json:"label"`
	By      []string      `json:"by"`
	Query   string        `json:"q,omitempty"`
	Units   []string      `json:"units"` // the units found, each a sum of each group
	Groups  []FigureGroup `json:"groups"`
	Total   FigureGroup   `json:"total"`
	Figures []FigureRow   `json:"figures"` // each figure, by notice, up to MaxFigureRows
	More    bool          `json:"more,omitempty"`
}

// FigureGroup is a group's figures: how many of its notices report one,
// how many there are, and their sum in each unit.
type FigureGroup struct {
	Values    []string           `json:"values"`
	Notices   int                `json:"notices"`   // in the group
	Reporting int                `json:"reporting"` // of those, the notices that report the figure
	Figures   int                `json:"figures"`
	Sums      map[string]float64 `json:"sums"` // by unit
}

// FigureRow is one figure of one notice.
type FigureRow struct {
	Notice  string   `json:"notice_id"`
	Title   string   `json:"title"`
	Values  []string `json:"values"` // the notice's group
	Section string   `json:"section"`
	figures.Figure
}

// Run answers the request over c. The sections read are those holding
// the label or one of its variants, found through the index; each is
// read for its figures, and those of the label kept.
func (r FigureRequest) Run(ctx context.Context, c *search.Corpus) (*FigureTable, error) {
	r.Label = strings.TrimSpace(r.Label)
	if r.Label == "" {
		return nil, badf("请用 label= 给出数据项，如 党纪处分", "give the figure's label with label=, e.g. 党纪处分")
	}
	label := dict.FigureLabel(r.Label)
	var err error
	if r.By, err = checkBy(r.By); err != nil {
		return nil, err
	}
	in, err := c.Select(ctx, r.Query)
	if err != nil {
		return nil, err
	}
	gr, err := newGrouping(c, in, r.By)
	if err != nil {
		return nil, err
	}
	cell := gr.cell
	t := &FigureTable{Label: label, By: r.By, Query: r.Query, Units: []string{}, Figures: []FigureRow{}, Total: FigureGroup{Sums: map[string]float64{}}}
	t.Groups = make([]FigureGroup, gr.size())
	for i := range t.Groups {
		t.Groups[i] = FigureGroup{Values: gr.values(i), Sums: map[string]float64{}}
	}
	for d := range c.Notices() {
		if k := cell(d); k >= 0 {
			t.Groups[k].Notices++
			t.Total.Notices++
		}
	}
	// The sections holding the label as written in any way, once each, in
	// order.
	seen := map[int]bool{}
	var secs []search.TermSection
	for _, v := range dict.FigureVariants(label) {
		found, err := c.TermSections(ctx, v, in)
		if err != nil {
			return nil, err
		}
		for _, s := range found {
			if !seen[s.Section] {
				seen[s.Section] = true
				secs = append(secs, s)
			}
		}
	}
	slices.SortFunc(secs, func(a, b search.TermSection) int { return a.Section - b.Section })
	reported := map[int]bool{}
	for i, s := range secs {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		k := cell(s.Notice)
		if k < 0 {
			continue
		}
		for _, f := range figures.Extract(c.SectionText(s.Section)) {
			if f.Label != label {
				continue
			}
			g := &t.Groups[k]
			g.Figures++
			g.Sums[f.Unit] += f.Value
			t.Total.Figures++
			t.Total.Sums[f.Unit] += f.Value
			if !reported[s.Notice] {
				reported[s.Notice] = true
				g.Reporting++
				t.Total.Reporting++
			}
			if !slices.Contains(t.Units, f.Unit) {
				t.Units = append(t.Units, f.Unit)
			}
			if len(t.Figures) < MaxFigureRows {
				t.Figures = append(t.Figures, FigureRow{Notice: c.NoticeID(s.Notice), Title: c.NoticeTitle(s.Notice), Values: g.Values, Section: c.SectionID(s.Section), Figure: f})
			} else {
				t.More = true
			}
		}
	}
	slices.Sort(t.Units)
	return t, nil
}

func (t *FigureTable) sheet() sheet {
	var h []string
	for _, f := range t.By {
		h = append(h, FieldNames[f])
	}
	h = append(h, "公文数", "报告该数据的公文数", "数据条数")
	for _, u := range t.Units {
		h = append(h, t.Label+" 合计("+u+")")
	}
	row := func(labels []cell, g *FigureGroup) []cell {
		r := append(labels, num(float64(g.Notices), 0), num(float64(g.Reporting), 0), num(float64(g.Figures), 0))
		for _, u := range t.Units {
			r = append(r, num(g.Sums[u], 2))
		}
		return r
	}
	var rows [][]cell
	for i := range t.Groups {
		var labels []cell
		for _, v := range t.Groups[i].Values {
			labels = append(labels, cell{text: Label(v)})
		}
		rows = append(rows, row(labels, &t.Groups[i]))
	}
	total := make([]cell, len(t.By))
	total[0].text = "合计"
	rows = append(rows, row(total, &t.Total))
	return sheet{"数据", h, rows}
}

// Text, WriteCSV and WriteXLSX give the table as the comparison's do.
func (t *FigureTable) Text() [][]string { return t.sheet().text() }

func (t *FigureTable) WriteCSV(w io.Writer) error  { return t.sheet().writeCSV(w) }
func (t *FigureTable) WriteXLSX(w io.Writer) error { return t.sheet().writeXLSX(w) }
