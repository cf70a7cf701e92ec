package analysis

import (
	"slices"
	"strings"
	"testing"
)

// TestRectificationReports: the problems of testdata's rectification
// reports (written by us), with their measures, figures and key terms,
// and the key terms reports of two districts share.
func TestRectificationReports(t *testing.T) {
	res, err := RectificationRequest{By: "county"}.Run(t.Context(), testEngine.Corpus())
	if err != nil {
		t.Fatal(err)
	}
	var ouhai, lucheng *Report
	for i, r := range res.Reports {
		switch {
		case strings.Contains(r.Title, "潘桥街道"):
			ouhai = &res.Reports[i]
		case strings.Contains(r.Title, "鹿城区委"):
			lucheng = &res.Reports[i]
		}
		if !isReport(r.Title) {
			t.Errorf("%s is no rectification report", r.Title)
		}
	}
	if ouhai == nil || lucheng == nil {
		t.Fatalf("reports: %+v", res.Reports)
	}
	find := func(r *Report, heading string) *Problem {
		for i, p := range r.Problems {
			if strings.Contains(p.Heading, heading) {
				return &r.Problems[i]
			}
		}
		t.Errorf("%s: no problem %s among %v", r.Title, heading, headings(r))
		return nil
	}
	if p := find(ouhai, "关于村级工程项目管理不规范的问题"); p != nil && (len(p.Figures) == 0 || p.Section == "") {
		t.Errorf("%+v", p)
	}
	for _, r := range []*Report{ouhai, lucheng} {
		for _, p := range r.Problems {
			if strings.Contains(p.Heading, "聚焦反馈问题") {
				t.Errorf("%s: the heading over the problems is one: %s", r.Title, p.Heading)
			}
		}
	}
	if !slices.Contains(lucheng.Completion, "已办结16件") || !slices.Contains(lucheng.Completion, "已办结209件") {
		t.Errorf("鹿城区's completion statements: %v", lucheng.Completion)
	}
	if len(lucheng.Problems) < 4 {
		t.Errorf("鹿城区: %v", headings(lucheng))
	}
	if p := find(lucheng, "关于落实全面从严治党"); p != nil && len(p.Measures) == 0 {
		t.Errorf("鹿城区 %s: no measures", p.Heading)
	}
	shared := false
	for _, tp := range res.ByTerm {
		if tp.Groups >= 2 {
			shared = true
		}
		for _, p := range tp.Problems {
			if !slices.Contains(p.Terms, tp.Term) {
				t.Errorf("%s listed under %s", p.Heading, tp.Term)
			}
		}
	}
	if !shared {
		t.Errorf("no key term shared by two districts' problems: %+v", res.ByTerm)
	}
	if _, err := (RectificationRequest{By: "town"}).Run(t.Context(), testEngine.Corpus()); !errAs(err, new(*Error)) {
		t.Errorf("by town: %v", err)
	}
}

func headings(r *Report) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, p.Heading+" "+strings.Join(p.Terms, "/"))
	}
	return out
}
