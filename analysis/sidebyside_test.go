package analysis

import (
	"strings"
	"testing"

	"noticesearch/search"
)

// noticeByFile finds a testdata notice by its file's name: its number
// and keywords.
func noticeByFile(t *testing.T, c *search.Corpus, name string) (int, []search.SectionView, []WordWeight) {
	t.Helper()
	for d := range c.Notices() {
		if strings.HasSuffix(c.NoticeMeta(d).Path, name) {
			sim, err := FindSimilar(t.Context(), c, c.NoticeID(d), 1)
			if err != nil {
				t.Fatal(err)
			}
			return d, c.Sections(d), sim.Keywords
		}
	}
	t.Fatalf("no notice from %s", name)
	return 0, nil, nil
}

// TestSideBySideOfTwoRectificationReports: two rectification reports of
// different districts (written by us): their problems, their sections
// aligned in order with the like headings paired, every section once;
// their figures by label.
func TestSideBySideOfTwoRectificationReports(t *testing.T) {
	c := testEngine.Corpus()
	a, aSecs, aKw := noticeByFile(t, c, "ouhai-2022-xuncha-zhenggai.txt")
	b, bSecs, bKw := noticeByFile(t, c, "lucheng-2021-xunshi-zhenggai.txt")
	s := Compare2(c, a, b, aKw, bKw)
	if !strings.Contains(strings.Join(s.A.Problems, "|"), "关于村级工程项目管理不规范的问题") || len(s.B.Problems) < 3 {
		t.Errorf("problems: %v | %v", s.A.Problems, s.B.Problems)
	}
	aligned, alike := 0, 0
	lastA, lastB := -1, -1
	seenA, seenB := map[string]bool{}, map[string]bool{}
	for _, p := range s.Pairs {
		if p.A != nil {
			if p.A.Seq <= lastA || seenA[p.A.ID] {
				t.Errorf("%s out of order or twice", p.A.ID)
			}
			lastA, seenA[p.A.ID] = p.A.Seq, true
		}
		if p.B != nil {
			if p.B.Seq <= lastB || seenB[p.B.ID] {
				t.Errorf("%s out of order or twice", p.B.ID)
			}
			lastB, seenB[p.B.ID] = p.B.Seq, true
		}
		if p.A != nil && p.B != nil {
			aligned++
			if p.Score < minAlike {
				t.Errorf("a pair of %v", p.Score)
			}
			if headingsAlike(p) {
				alike++
			}
		}
	}
	if len(seenA) != len(aSecs) || len(seenB) != len(bSecs) {
		t.Errorf("%d of %d and %d of %d sections shown", len(seenA), len(aSecs), len(seenB), len(bSecs))
	}
	if aligned < 3 || alike < 1 {
		t.Errorf("%d pairs aligned, %d with like headings", aligned, alike)
		for _, p := range s.Pairs {
			if p.A != nil && p.B != nil {
				t.Logf("%.2f %q | %q", p.Score, p.A.Heading, p.B.Heading)
			}
		}
	}
	if len(s.SharedKeywords) == 0 || len(s.Figures) == 0 {
		t.Errorf("keywords shared %v, figures %d", s.SharedKeywords, len(s.Figures))
	}
	// A notice beside itself: every section with itself.
	self := Compare2(c, a, a, aKw, aKw)
	for _, p := range self.Pairs {
		if p.A == nil || p.B == nil || p.A.ID != p.B.ID {
			t.Fatalf("beside itself: %+v", p)
		}
	}
}

// headingsAlike is for tests and pages: whether a pair's headings share
// their words past the numbering.
func headingsAlike(p AlignedPair) bool {
	if p.A == nil || p.B == nil {
		return false
	}
	strip := func(h string) string {
		return strings.TrimLeft(h, "一二三四五六七八九十（）()、.0123456789 ")
	}
	return dice(bigrams(&SectionRef{Heading: strip(p.A.Heading)}), bigrams(&SectionRef{Heading: strip(p.B.Heading)})) > 0.3
}
