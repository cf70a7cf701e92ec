package search

import (
	"testing"
)

// TestOneHitPerNoticeLazilyAsEagerly: with one hit per notice, a term
// ranked by relevance boosts only the matches of notices that could make
// the page; the page is the one boosting every match gives, to the last
// bit of every score, at every depth.
func TestOneHitPerNoticeLazilyAsEagerly(t *testing.T) {
	snap := testEngine.snapshot()
	terms := []string{"党", "整改", "巡察", "廉政风险", "一岗双责", "安全", "通报", "问题", "的", "2021年"}
	for _, w := range snap.text.TopWords()[:min(60, len(snap.text.TopWords()))] {
		terms = append(terms, w.Word)
	}
	for _, term := range terms {
		q, err := ParseQuery(`"` + term + `"`)
		if err != nil {
			t.Fatal(err)
		}
		c, err := compile(q)
		if err != nil {
			t.Fatal(err)
		}
		// Every match boosted, as the lazy ranking multiplies: its BM25
		// score with the idf, then the boost.
		ms, err := testEngine.run(t.Context(), snap, c, true, nil)
		if err != nil {
			t.Fatal(err)
		}
		b := snap.booster(c.must[0][0])
		for i := range ms {
			ms[i].score *= b.boost(int(ms[i].sec), int(ms[i].at))
		}
		best := bestPerNotice(snap, ms, len(snap.notices))
		for _, size := range []int{1, 3, 10, 40} {
			want, err := topMatches(t.Context(), best, size, snap.orderFunc(false))
			if err != nil {
				t.Fatal(err)
			}
			res, err := testEngine.Search(t.Context(), Request{Query: `"` + term + `"`, Collapse: true, Size: size, NoFragments: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != len(want) {
				t.Fatalf("%s, %d a page: %d hits, want %d", term, size, len(res.Hits), len(want))
			}
			for i, h := range res.Hits {
				w := snap.hit(want[i], nil)
				if h.SectionID != w.SectionID || h.Score != want[i].score {
					t.Errorf("%s, %d a page, hit %d: %s %v, want %s %v", term, size, i, h.SectionID, h.Score, w.SectionID, want[i].score)
				}
			}
		}
		putMatches(ms)
	}
}
