package search

import (
	"math"
	"testing"
	"unicode/utf8"
)

// TestOneHitPerNoticeLazilyAsEagerly: with one hit per notice, a term
// ranked by relevance boosts only the matches of notices that could make
// the page; the page is the one boosting every match gives, to the last
// bit of every score, at every depth.
func TestOneHitPerNoticeLazilyAsEagerly(t *testing.T) {
	testOneHitPerNoticeLazilyAsEagerly(t)
	t.Run("ranked on all cores", func(t *testing.T) {
		defer func(n int) { parallelRanking = n }(parallelRanking)
		parallelRanking = 2 // the notices of two matches and more on every core
		testOneHitPerNoticeLazilyAsEagerly(t)
	})
}

func testOneHitPerNoticeLazilyAsEagerly(t *testing.T) {
	snap := testEngine.snapshot()
	terms := []string{"党", "整改", "巡察", "廉政风险", "一岗双责", "安全", "通报", "问题", "的", "2021年"}
	for _, w := range snap.text.TopWords()[:min(60, len(snap.text.TopWords()))] {
		terms = append(terms, w.Word)
	}
	for _, term := range terms {
		// Every match boosted, as the lazy ranking multiplies: its BM25
		// score with the idf, then the boost.
		c, ms := lazyMatches(t, snap, `"`+term+`"`)
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

// TestNoticeHitsCountTheNoticesMatches: with one hit per notice, each hit
// says how many of its notice's sections match, as every section listed
// shows; and the notices counted are those listed.
func TestNoticeHitsCountTheNoticesMatches(t *testing.T) {
	for _, q := range []string{"整改", "巡察 -反馈", "党|廉政", "一岗双责", "region:瓯海区 问题", "region:瓯海区"} {
		all, err := testEngine.Search(t.Context(), Request{Query: q, Size: MaxSize, NoFragments: true})
		if err != nil {
			t.Fatal(err)
		}
		if all.Total > MaxSize {
			t.Fatalf("%s: %d sections, more than a page: choose a rarer query", q, all.Total)
		}
		perNotice := map[string]int{}
		for _, h := range all.Hits {
			perNotice[h.NoticeID]++
		}
		if all.Notices != len(perNotice) {
			t.Errorf("%s: %d notices counted, %d listed", q, all.Notices, len(perNotice))
		}
		one, err := testEngine.Search(t.Context(), Request{Query: q, Size: MaxSize, Collapse: true, NoFragments: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(one.Hits) != len(perNotice) || one.Notices != len(perNotice) {
			t.Errorf("%s: one hit per notice gives %d hits and counts %d notices, want %d", q, len(one.Hits), one.Notices, len(perNotice))
		}
		for _, h := range one.Hits {
			if h.NoticeHits != perNotice[h.NoticeID] || h.NoticeHits == 0 {
				t.Errorf("%s: notice %s: NoticeHits %d, %d sections listed", q, h.NoticeID, h.NoticeHits, perNotice[h.NoticeID])
			}
		}
	}
}

// TestCountsPastABoundAreLowerBounds: with CountUpTo, a term's sections
// that its postings alone cannot place are read only where the page needs
// them; the page is the same as counting exactly, every hit's count in its
// notice is exact, and the totals are exact or say they are lower bounds.
func TestCountsPastABoundAreLowerBounds(t *testing.T) {
	snap := testEngine.snapshot()
	var terms []string
	for _, w := range snap.text.TopWords() {
		if utf8.RuneCountInString(w.Word) >= 3 {
			terms = append(terms, w.Word)
		}
	}
	terms = append(terms[:min(len(terms), 60)], "整改工作", "领导小组", "党风廉政", "一岗双责")
	bounded := 0
	for _, term := range terms {
		for _, size := range []int{1, 10} {
			exact, err := testEngine.Search(t.Context(), Request{Query: term, Collapse: true, Size: size, NoFragments: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, upTo := range []int{1, 3, 40} {
				got, err := testEngine.Search(t.Context(), Request{Query: term, Collapse: true, Size: size, NoFragments: true, CountUpTo: upTo})
				if err != nil {
					t.Fatal(err)
				}
				if got.TotalAtLeast {
					bounded++
					if got.Total > exact.Total || got.Notices > exact.Notices || got.Total < uint64(upTo) {
						t.Errorf("%s, up to %d: at least %d sections in %d notices, of %d in %d", term, upTo, got.Total, got.Notices, exact.Total, exact.Notices)
					}
				} else if got.Total != exact.Total || got.Notices != exact.Notices {
					t.Errorf("%s: %d sections in %d notices counted exactly, want %d in %d", term, got.Total, got.Notices, exact.Total, exact.Notices)
				}
				if len(got.Hits) != len(exact.Hits) {
					t.Fatalf("%s, %d a page: %d hits, want %d", term, size, len(got.Hits), len(exact.Hits))
				}
				for i, h := range got.Hits {
					w := exact.Hits[i]
					if h.SectionID != w.SectionID || h.NoticeHits != w.NoticeHits {
						t.Errorf("%s, %d a page, up to %d, hit %d: %s (%d in its notice), want %s (%d)", term, size, upTo, i, h.SectionID, h.NoticeHits, w.SectionID, w.NoticeHits)
					}
				}
			}
		}
	}
	if bounded == 0 {
		t.Fatal("no term's counts were bounded: the test tests nothing")
	}
	t.Logf("%d of %d searches counted past the bound", bounded, 6*len(terms))
}

// TestCountNoticesOnAllCores: the notices and unread matches counted on
// every core, ranges cut inside notices, are those counted in one pass;
// so are those a ranking by notice counts as it cuts the matches.
func TestCountNoticesOnAllCores(t *testing.T) {
	defer func(n, r int) { parallelCount, parallelRanking = n, r }(parallelCount, parallelRanking)
	snap := testEngine.snapshot()
	for _, term := range []string{"党", "整改", "问题", "的"} {
		_, ms := lazyMatches(t, snap, term)
		for i := range ms {
			if i%3 == 0 {
				ms[i].at = atUnread
			}
		}
		wantNotices, wantUnread, last := 0, 0, -1
		for _, m := range ms {
			if m.at == atUnread {
				wantUnread++
				continue
			}
			if d := int(snap.doc[m.sec]); d != last {
				wantNotices++
				last = d
			}
		}
		for _, per := range []int{1, 2, 7, 4096} {
			parallelCount = per
			if n, u := countNotices(snap, ms); n != wantNotices || u != wantUnread {
				t.Errorf("%s, %d a core: %d notices, %d unread; want %d, %d", term, per, n, u, wantNotices, wantUnread)
			}
			parallelRanking = per
			r, err := newNoticeRanking(t.Context(), snap, ms, 1, []byte(term), true)
			if err != nil {
				t.Fatal(err)
			}
			if r.notices != wantNotices || r.unread != wantUnread {
				t.Errorf("%s, ranked %d a core: %d notices, %d unread; want %d, %d", term, per, r.notices, r.unread, wantNotices, wantUnread)
			}
			r.release()
		}
		putMatches(ms)
	}
}

// lazyMatches compiles query and runs it as a lazily ranked query runs:
// its matches with their BM25 scores, unboosted.
func lazyMatches(t *testing.T, snap *snapshot, query string) (*compiled, []match) {
	t.Helper()
	q, err := ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	c, err := compile(q)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := testEngine.run(t.Context(), snap, c, scoring{lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	return c, ms
}

// TestNoticeBoundsHoldTheirMatches: the bound noticeRuns gives a notice,
// from its matches' frequencies alone, is at least the score of every
// one of its matches boosted, for frequent terms and rare, one character
// and several.
func TestNoticeBoundsHoldTheirMatches(t *testing.T) {
	snap := testEngine.snapshot()
	for d := range snap.notices {
		first, end := snap.text.DocSections(d)
		least := float32(math.Inf(1))
		for sec := first; sec < end; sec++ {
			if int32(sec) != snap.titleSec[d] {
				least = min(least, snap.lenNorm[sec])
			}
		}
		if snap.bodyNorm[d] != least {
			t.Fatalf("notice %d: bodyNorm %v, its body's least lenNorm %v", d, snap.bodyNorm[d], least)
		}
	}
	terms := []string{"党", "整改", "巡察", "一岗双责", "问题", "的", "通报", "2021年"}
	for _, w := range snap.text.TopWords()[:min(40, len(snap.text.TopWords()))] {
		terms = append(terms, w.Word)
	}
	checked := 0
	for _, term := range terms {
		c, err := compile(&Query{Must: []Clause{{Any: []Term{{Text: term}}}}})
		if err != nil {
			t.Fatal(err)
		}
		tf := &tfScores{}
		ms, err := testEngine.run(t.Context(), snap, c, scoring{tf: tf})
		if err != nil {
			t.Fatal(err)
		}
		b := snap.booster(c.must[0][0])
		runs, _, _, err := noticeRuns(t.Context(), snap, ms, tf.idf, 0, len(ms), b, true, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range runs {
			for _, m := range ms[n.first:n.end] {
				score := bm25(m.score, snap.lenNorm[m.sec], tf.idf) * b.boost(int(m.sec), int(m.at))
				if score > n.bound {
					t.Errorf("%s: section %d scores %v boosted, above its notice's bound %v", term, m.sec, score, n.bound)
				}
				checked++
			}
		}
		b.release()
		putMatches(ms)
	}
	if checked < 1000 {
		t.Fatalf("only %d matches checked", checked)
	}
}

// TestUnreadTitleIsNotATitleMatch: a title holding a term's pairs but not
// the term, left unread past CountUpTo, gives its notice no title boost:
// the page is the one counting exactly gives (it gave the notice the
// boost before it was read, and ranked it first).
func TestUnreadTitleIsNotATitleMatch(t *testing.T) {
	notice := func(title, body string) string {
		return "标题: " + title + "\n发布时间: 2024-03-01 09:00\n发布机构: 某市人民政府\n==================== 正文 ====================\n" + body + "\n"
	}
	e := engineOfTexts(t, map[string]string{
		// The title holds 县级, 级以 and 以上 apart, not 县级以上.
		"a.txt": notice("某市关于县级机关级以下以上人员管理的通知", "一、总体要求。本通知所称人员，指县级以上人民政府所属部门中从事管理工作的人员，包括各类事业单位中承担行政职能的人员，以及按照有关规定参照管理的其他人员，具体范围由各部门另行确定并报备。\n二、工作安排。各部门要按照本通知要求，认真组织实施，确保各项工作落到实处。"),
		"b.txt": notice("某市人民政府关于做好人员培训工作的通知", "一、培训对象。县级以上部门负责人。\n二、培训时间。另行通知。"),
	})
	exact, err := e.Search(t.Context(), Request{Query: "县级以上", Collapse: true, Size: 10, NoFragments: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Search(t.Context(), Request{Query: "县级以上", Collapse: true, Size: 10, NoFragments: true, CountUpTo: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(exact.Hits) != 2 || len(got.Hits) != 2 {
		t.Fatalf("%d and %d hits, want 2 (both notices' bodies hold the term)", len(exact.Hits), len(got.Hits))
	}
	for i := range exact.Hits {
		if got.Hits[i].SectionID != exact.Hits[i].SectionID || got.Hits[i].InTitle {
			t.Errorf("hit %d: %s (in its title: %t), counting exactly %s", i, got.Hits[i].SectionID, got.Hits[i].InTitle, exact.Hits[i].SectionID)
		}
	}
}
