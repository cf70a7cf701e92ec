package analysis

import (
	"strings"
	"testing"

	"noticesearch/figures"
	"noticesearch/search"
)

// TestFigureTableAgreesWithAScan: a label's figures by group, found
// through the index, are those a scan of every notice's text finds.
func TestFigureTableAgreesWithAScan(t *testing.T) {
	c := testEngine.Corpus()
	for _, label := range []string{"办结率", "问题线索", "党纪处分", "组织处理"} {
		tab, err := FigureRequest{Label: label, By: []string{"county"}}.Run(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		type counts struct {
			reporting, figures int
			sums               map[string]float64
		}
		want := map[string]*counts{}
		total := 0
		for _, n := range testNotices {
			k := scanField(n, "county")
			reported := false
			for _, s := range texts(n) {
				for _, f := range figures.Extract(s) {
					if f.Label != label {
						continue
					}
					w := want[k]
					if w == nil {
						w = &counts{sums: map[string]float64{}}
						want[k] = w
					}
					w.figures++
					w.sums[f.Unit] += f.Value
					total++
					if !reported {
						reported = true
						w.reporting++
					}
				}
			}
		}
		if total == 0 {
			t.Errorf("%s: no figure in testdata", label)
		}
		for _, g := range tab.Groups {
			w := want[g.Values[0]]
			if w == nil {
				w = &counts{sums: map[string]float64{}}
			}
			if g.Figures != w.figures || g.Reporting != w.reporting {
				t.Errorf("%s in %s: %d figures in %d notices; the scan %d in %d", label, g.Values[0], g.Figures, g.Reporting, w.figures, w.reporting)
			}
			for u, v := range w.sums {
				if g.Sums[u] != v {
					t.Errorf("%s in %s: sum %v%s, the scan %v", label, g.Values[0], g.Sums[u], u, v)
				}
			}
		}
		if tab.Total.Figures != total || len(tab.Figures) != total {
			t.Errorf("%s: %d figures (%d listed), the scan %d", label, tab.Total.Figures, len(tab.Figures), total)
		}
		for _, f := range tab.Figures {
			if f.Notice == "" || f.Section == "" || !strings.Contains(f.Sentence, f.Text) {
				t.Errorf("%s: %+v", label, f)
			}
		}
	}
	// A synonym asks for its label.
	tab, err := FigureRequest{Label: "给予党纪处分"}.Run(t.Context(), c)
	if err != nil || tab.Label != "党纪处分" {
		t.Errorf("给予党纪处分: %v %v", tab, err)
	}
	var e *Error
	if _, err := (FigureRequest{}).Run(t.Context(), c); !errAs(err, &e) {
		t.Errorf("no label: %v", err)
	}
	var qe *search.QueryError
	if _, err := (FigureRequest{Label: "办结率", Query: "year:x"}).Run(t.Context(), c); !errAs(err, &qe) {
		t.Errorf("a bad query: %v", err)
	}
}
