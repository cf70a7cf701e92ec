package search

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"noticesearch/indexer"
)

const noticeDir = "../testdata/notices"

// testEngine is an engine over an index of testdata, built once.
var (
	testEngine   *Engine
	testSections []indexer.Section // every section of testdata, for the scans
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "noticesearch-test-")
	if err != nil {
		panic(err)
	}
	code := func() int {
		ix, err := indexer.Open(filepath.Join(dir, "index"), indexer.Options{})
		if err != nil {
			panic(err)
		}
		defer ix.Close()
		if _, err := ix.Add(context.Background(), []string{noticeDir}, nil); err != nil {
			panic(err)
		}
		files, _ := indexer.Files(context.Background(), []string{noticeDir})
		for _, f := range files {
			n, err := indexer.ReadFile(f)
			if err != nil {
				panic(err)
			}
			if n.Title != "" { // the index searches a title as a section of its own
				testSections = append(testSections, indexer.Section{ID: indexer.TitleSectionID(n.ID), NoticeID: n.ID, Text: n.Title})
			}
			testSections = append(testSections, n.Sections...)
		}
		testEngine = New(ix)
		return m.Run()
	}()
	os.RemoveAll(dir)
	os.Exit(code)
}

// engineOver indexes folder dir into an index of the test's own and
// returns an engine over it, closed when the test ends.
func engineOver(t *testing.T, dir string) (*Engine, *indexer.Report) {
	t.Helper()
	ix, err := indexer.Open(filepath.Join(t.TempDir(), "index"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	rep, err := ix.Add(t.Context(), []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return New(ix), rep
}

// engineOfTexts writes texts (file name → text) into a folder of the
// test's own and returns an engine over an index of them, every one of
// them indexed.
func engineOfTexts(t *testing.T, texts map[string]string) *Engine {
	t.Helper()
	dir := t.TempDir()
	for name, text := range texts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e, rep := engineOver(t, dir)
	if rep.Indexed != len(texts) {
		t.Fatalf("%d of %d notices indexed: %+v", rep.Indexed, len(texts), rep)
	}
	return e
}

// allHits pages through every hit of a query.
func allHits(t *testing.T, q string) []string {
	t.Helper()
	var ids []string
	for from := 0; ; from += MaxSize {
		res, err := testEngine.Search(t.Context(), Request{Query: q, Size: MaxSize, From: from})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.SectionID)
		}
		if len(res.Hits) < MaxSize {
			if uint64(len(ids)) != res.Total {
				t.Fatalf("%q: paged %d hits, total says %d", q, len(ids), res.Total)
			}
			break
		}
	}
	sort.Strings(ids)
	return ids
}

// scan is the plain substring scan the index must agree with: sections
// whose normalised text holds every must term (any of an OR group) and
// none of the excluded ones.
func scan(must [][]string, not []string) []string {
	var ids []string
sections:
	for _, s := range testSections {
		for _, group := range must {
			ok := false
			for _, term := range group {
				ok = ok || Contains(s.Text, term)
			}
			if !ok {
				continue sections
			}
		}
		for _, term := range not {
			if Contains(s.Text, term) {
				continue sections
			}
		}
		ids = append(ids, s.ID)
	}
	sort.Strings(ids)
	return ids
}

// TestMatchingContract: for words, sub-words, single characters,
// cross-word strings, numbers, Latin mixes, full-width input and
// punctuation, the sections found are exactly those a substring scan
// finds: recall and precision 1.0.
func TestMatchingContract(t *testing.T) {
	single := []string{
		// dictionary words and ordinary words
		"一岗双责", "廉政风险", "巡察整改", "安全生产", "营商环境", "小升规", "亩均论英雄", "清廉村居", "疫情防控", "主体责任", "全面从严治党", "三资管理",
		// sub-words of dictionary words
		"廉政", "风险", "整改", "责任", "双责", "村居",
		// single characters
		"党", "廉", "村", "规", "的", "镇",
		// strings across word boundaries
		"政风", "任落", "改进展", "全面从", "治党向", "区委关于",
		// place names inside words
		"瓯海区", "鹿城", "平潭",
		// numbers and years
		"2021", "2021年", "12", "100%", "41号", "2020年第3季度",
		// Latin mixes
		"PM2.5", "pm2.5", "5G", "5G基站", "VOCs", "PM10",
		// full-width input
		"２０２１", "２０２１年", "ＰＭ２．５", "ＰＭ１０", "一岗双责　",
		// punctuation in a query stands for any punctuation
		"三、四季度", "〔2020〕41号", "[2020]41号", "（2020）41号", "“一岗双责”", "第一条",
		// terms that must not match across punctuation
		"三资", "政风险", "年第",
	}
	for _, term := range single {
		t.Run(term, func(t *testing.T) {
			got, want := allHits(t, term), scan([][]string{{term}}, nil)
			if len(want) == 0 && !strings.Contains("三资政风险", term) {
				t.Logf("%q occurs nowhere in testdata", term)
			}
			compareSets(t, term, got, want)
		})
	}
	multi := []struct {
		query string
		must  [][]string
		not   []string
	}{
		{"安全生产 检查", [][]string{{"安全生产"}, {"检查"}}, nil},
		{"廉政 -风险", [][]string{{"廉政"}}, []string{"风险"}},
		{"巡察 OR 巡视", [][]string{{"巡察", "巡视"}}, nil},
		{"巡察 | 巡视 整改", [][]string{{"巡察", "巡视"}, {"整改"}}, nil},
		{`"一岗双责" 党组`, [][]string{{"一岗双责"}, {"党组"}}, nil},
		{"党 -党委 -党组", [][]string{{"党"}}, []string{"党委", "党组"}},
	}
	for _, m := range multi {
		t.Run(m.query, func(t *testing.T) {
			compareSets(t, m.query, allHits(t, m.query), scan(m.must, m.not))
		})
	}
}

func compareSets(t *testing.T, q string, got, want []string) {
	t.Helper()
	gs, ws := map[string]bool{}, map[string]bool{}
	for _, g := range got {
		gs[g] = true
	}
	for _, w := range want {
		ws[w] = true
	}
	var missing, extra []string
	for w := range ws {
		if !gs[w] {
			missing = append(missing, w)
		}
	}
	for g := range gs {
		if !ws[g] {
			extra = append(extra, g)
		}
	}
	if len(missing)+len(extra) > 0 {
		t.Errorf("%q: %d expected, %d returned; missing %v, extra %v", q, len(want), len(got), missing, extra)
	}
}

func TestPunctuationIsABarrier(t *testing.T) {
	for _, c := range []struct {
		text, term string
		want       bool
	}{
		{"三、资金管理", "三资", false},
		{"严格三资管理", "三资", true},
		{"推进行政。风险防控", "政风", false},
		{"转变党风政风", "政风", true},
		{"岚综管综[2015]188号", "〔2015〕188号", true},
		{"岚综管综（2015）188号", "〔2015〕188号", true},
		{"岚综管综2015188号", "〔2015〕188号", false},
		{"ＰＭ２．５浓度", "PM2.5", true},
		{"二〇二一年\n六月", "年六", true},
	} {
		if got := Contains(c.text, c.term); got != c.want {
			t.Errorf("Contains(%q, %q) = %v, want %v", c.text, c.term, got, c.want)
		}
	}
}

func TestRanking(t *testing.T) {
	res, err := testEngine.Search(t.Context(), Request{Query: "一岗双责", Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) < 3 {
		t.Fatalf("%d hits", len(res.Hits))
	}
	// The title that holds the term ranks first, then the section whose
	// heading holds it.
	if top := res.Hits[0]; !top.InTitle || !strings.Contains(top.Title, "一岗双责") || !strings.Contains(top.TitleHTML, "<mark>一岗双责</mark>") {
		t.Errorf("first hit %+v is not a title holding the term", top)
	}
	if next := res.Hits[1]; !strings.Contains(strings.Join(next.SectionPath, ""), "一岗双责") {
		t.Errorf("second hit %v does not have the term in its heading", next.SectionPath)
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Score > res.Hits[i-1].Score {
			t.Errorf("hit %d scores above hit %d", i, i-1)
		}
	}
	if res.Notices == 0 || uint64(res.Notices) > res.Total {
		t.Errorf("notices = %d for %d sections", res.Notices, res.Total)
	}
}

func TestSortByDate(t *testing.T) {
	res, err := testEngine.Search(t.Context(), Request{Query: "整改", Size: 50, SortDate: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Date > res.Hits[i-1].Date {
			t.Fatalf("hit %d (%s) is newer than hit %d (%s)", i, res.Hits[i].Date, i-1, res.Hits[i-1].Date)
		}
	}
}

func TestCollapse(t *testing.T) {
	res, err := testEngine.Search(t.Context(), Request{Query: "整改", Size: 100, Collapse: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, h := range res.Hits {
		if seen[h.NoticeID] {
			t.Fatalf("notice %s twice", h.NoticeID)
		}
		seen[h.NoticeID] = true
	}
	if len(res.Hits) != res.Notices {
		t.Errorf("%d collapsed hits, %d notices", len(res.Hits), res.Notices)
	}
	page2, err := testEngine.Search(t.Context(), Request{Query: "整改", Size: 3, From: 3, Collapse: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range page2.Hits {
		if h.NoticeID != res.Hits[3+i].NoticeID {
			t.Errorf("collapsed page 2 hit %d is %s, want %s", i, h.NoticeID, res.Hits[3+i].NoticeID)
		}
	}
}

func TestFilters(t *testing.T) {
	for _, c := range []struct {
		query string
		ok    func(Hit) bool
	}{
		{"整改 region:瓯海区", func(h Hit) bool { return h.Region.County == "瓯海区" }},
		{"整改 region:温州市", func(h Hit) bool { return h.Region.City == "温州市" }},
		{"region:浙江省 kind:通知", func(h Hit) bool { return h.Region.Province == "浙江省" && h.Kind == "通知" }},
		{"的 year:2020", func(h Hit) bool { return strings.HasPrefix(h.Date, "2020") }},
		{"的 after:2021-01-01 before:2021-12-31", func(h Hit) bool { return h.Date >= "2021-01-01" && h.Date <= "2021-12-31" }},
		{"整改 source:纪委", func(h Hit) bool { return strings.Contains(h.Source, "纪委") }},
		{"整改 issuer:中共", func(h Hit) bool { return strings.Contains(h.Issuer, "中共") }},
		{"的 source:=瓯海区纪委", func(h Hit) bool { return h.Source == "瓯海区纪委" }},
		{`的 issuer:"=平潭综合实验区管委会"`, func(h Hit) bool { return h.Issuer == "平潭综合实验区管委会" }},
	} {
		t.Run(c.query, func(t *testing.T) {
			res, err := testEngine.Search(t.Context(), Request{Query: c.query, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Fatal("no hits")
			}
			for _, h := range res.Hits {
				if !c.ok(h) {
					t.Errorf("hit %s (%s %v %s) does not pass the filter", h.SectionID, h.Date, h.Region, h.Kind)
				}
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	for _, r := range []Request{
		{Query: ""},
		{Query: `"一岗双责`},
		{Query: "foo:bar"},
		{Query: "after:2021-02-30"},
		{Query: strings.Repeat("党", MaxQueryRunes+1)},
		{Query: "党", Size: MaxSize + 1},
		{Query: "党", Size: -1},
		{Query: "党", From: -1},
		{Query: "党", From: MaxWindow, Size: 10},
		{Query: "、、"},
		{Query: "-党"},
	} {
		_, err := testEngine.Search(t.Context(), r)
		qe, ok := err.(*QueryError)
		if !ok {
			t.Errorf("%+v: err = %v, want a *QueryError", r, err)
			continue
		}
		if !strings.Contains(qe.Error(), " / ") {
			t.Errorf("%+v: message %q is not in both languages", r, qe.Error())
		}
	}
}

func TestNotice(t *testing.T) {
	res, err := testEngine.Search(t.Context(), Request{Query: "巡视整改"})
	if err != nil || len(res.Hits) == 0 {
		t.Fatal(err, res)
	}
	n, err := testEngine.Notice(t.Context(), res.Hits[0].NoticeID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n.From != 0 || n.Next != n.SectionsTotal || len(n.Sections) != n.SectionsTotal {
		t.Fatalf("a short notice comes in one run: from %d, next %d, %d of %d sections", n.From, n.Next, len(n.Sections), n.SectionsTotal)
	}
	var body strings.Builder
	for i, s := range n.Sections {
		if s.Seq != i {
			t.Errorf("section %d has seq %d", i, s.Seq)
		}
		body.WriteString(s.Text)
	}
	// From a later section on, and past the end.
	if later, err := testEngine.Notice(t.Context(), n.ID, 2); err != nil || later.From != 2 || later.Sections[0].Seq != 2 {
		t.Errorf("from 2: %v, %+v", err, later)
	}
	if past, err := testEngine.Notice(t.Context(), n.ID, 1<<40); err != nil || len(past.Sections) != 0 || past.Next != n.SectionsTotal {
		t.Errorf("from past the end: %v, %+v", err, past)
	}
	var want strings.Builder
	for _, s := range testSections {
		if s.NoticeID == n.ID && s.ID != indexer.TitleSectionID(n.ID) {
			want.WriteString(s.Text)
		}
	}
	if body.String() != want.String() {
		t.Errorf("the notice's sections do not give back its body")
	}
	if _, err := testEngine.Notice(t.Context(), "no-such-id", 0); err != ErrNotFound {
		t.Errorf("unknown id: err = %v", err)
	}
}

// TestBarriersInQueries: punctuation in a query matches punctuation only,
// whatever stands on either side.
func TestBarriersInQueries(t *testing.T) {
	texts := map[string]string{
		"a.txt": "关于甲的通知\n全区三、四季度完成目标任务。",
		"b.txt": "关于乙的通知\n全区三个四季度完成目标任务。",
		"c.txt": "关于丙的通知\n全区三资管理进一步规范。",
		"d.txt": "关于丁的通知\n全区做好三、资金管理工作。",
	}
	eng := engineOfTexts(t, texts)
	for q, want := range map[string]string{"三、四": "a.txt", "三，四": "a.txt", "三个四": "b.txt", "三资": "c.txt", "三、资": "d.txt"} {
		res, err := eng.Search(t.Context(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, filepath.Base(h.Path))
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("%q found %v, want [%s]", q, got, want)
		}
	}
}

func TestNoFragmentsAndFilterOnlyPassages(t *testing.T) {
	res, err := testEngine.Search(t.Context(), Request{Query: "廉政风险", NoFragments: true})
	if err != nil || len(res.Hits) == 0 {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if len(h.Fragments) != 0 {
			t.Fatalf("fragments without highlighting: %q", h.Fragments)
		}
	}
	res, err = testEngine.Search(t.Context(), Request{Query: "kind:通报"})
	if err != nil || len(res.Hits) == 0 {
		t.Fatal(err)
	}
	if len(res.Hits[0].Fragments) != 1 || strings.Contains(res.Hits[0].Fragments[0], "<mark>") {
		t.Errorf("a filter-only hit shows %q, want its first sentence unmarked", res.Hits[0].Fragments)
	}
}

func TestFacetsCountMatchingSections(t *testing.T) {
	res, err := testEngine.Search(t.Context(), Request{Query: "整改", Facets: true, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total > 100 {
		t.Skip("more hits than one page")
	}
	want := map[string]map[string]int{}
	for _, h := range res.Hits {
		for field, v := range map[string]string{"province": h.Region.Province, "city": h.Region.City, "county": h.Region.County, "kind": h.Kind, "source": h.Source} {
			if v == "" {
				continue
			}
			if want[field] == nil {
				want[field] = map[string]int{}
			}
			want[field][v]++
		}
		if h.Date != "" {
			if want["year"] == nil {
				want["year"] = map[string]int{}
			}
			want["year"][h.Date[:4]]++
		}
	}
	for _, field := range FacetFields {
		got := map[string]int{}
		for _, fv := range res.Facets[field] {
			got[fv.Value] = fv.Count
		}
		for v, n := range want[field] {
			if got[v] != n {
				t.Errorf("facet %s: %q counts %d, the hits say %d", field, v, got[v], n)
			}
		}
	}
}

// TestLazyBoostsRankAsEager: a one-term query boosts only the matches that
// could make the page; its pages must be those of boosting every match.
func TestLazyBoostsRankAsEager(t *testing.T) {
	snap := testEngine.snapshot()
	for _, q := range []string{"整改", "党", "廉政风险", "一岗双责", "巡察", "责任", "2021年"} {
		c, err := compile(&Query{Must: []Clause{{Any: []Term{{Text: q}}}}})
		if err != nil {
			t.Fatal(err)
		}
		eager, err := testEngine.run(t.Context(), snap, c, scoring{})
		if err != nil {
			t.Fatal(err)
		}
		checkPagesAsEager(t, q, eager, []int{1, 3, 10, 25}, 1e-9)
	}
}

// checkPagesAsEager compares the first k hits of a query, for each k, with
// the best k of its matches boosted in full (eager), scores within tol.
func checkPagesAsEager(t *testing.T, q string, eager []match, ks []int, tol float64) {
	t.Helper()
	snap := testEngine.snapshot()
	for _, k := range ks {
		want, err := topMatches(t.Context(), eager, k, snap.orderFunc(false))
		if err != nil {
			t.Fatal(err)
		}
		res, err := testEngine.Search(t.Context(), Request{Query: q, Size: min(k, MaxSize), NoFragments: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != len(want) {
			t.Fatalf("%q top %d: %d hits, want %d", q, k, len(res.Hits), len(want))
		}
		for i, h := range res.Hits {
			w := snap.hit(want[i], nil)
			if h.SectionID != w.SectionID || math.Abs(h.Score-w.Score) > tol {
				t.Errorf("%q top %d, hit %d: %s (%v), want %s (%v)", q, k, i, h.SectionID, h.Score, w.SectionID, w.Score)
			}
		}
	}
}
