package search

import (
	"reflect"
	"testing"
)

// TestZeroResultsExplained: a search with no hits says why, and every
// query a hint offers finds what the hint says it finds.
func TestZeroResultsExplained(t *testing.T) {
	for _, c := range []struct {
		query string
		kinds []string // kinds that must be among the hints
	}{
		{"廉政风险 地区:温州x", []string{"filter", "unfiltered"}},
		{"廉政风险 region:瓯海x区", []string{"filter"}},
		{"一岗双责 year:1990", []string{"filter", "unfiltered"}},
		{"一岗双责 kind:通报 year:2019 region:平潭", []string{"unfiltered"}},
		{"一岗双责 小升规", []string{"terms"}},
		{"一岗双责制度化长效机制", []string{"term"}},
		{"一岗双责 -双责", []string{"excluded"}},
		{"一岗双责*制度", []string{"syntax"}},
		{"+一岗双责 作者：张三", []string{"syntax"}},
		{"作者：张三", []string{"syntax"}},
		{"title:没有这样的标题", []string{"filter"}},
		{"锟斤拷烫烫烫", []string{"term"}},
	} {
		res, err := testEngine.Search(t.Context(), Request{Query: c.query})
		if err != nil {
			t.Fatalf("%q: %v", c.query, err)
		}
		if res.Total != 0 {
			t.Errorf("%q: %d hits, the test wants none", c.query, res.Total)
			continue
		}
		if len(res.Hints) == 0 {
			t.Errorf("%q: no hints", c.query)
			continue
		}
		kinds := map[string]bool{}
		for _, h := range res.Hints {
			kinds[h.Kind] = true
			if h.Message == "" {
				t.Errorf("%q: hint without a message: %+v", c.query, h)
			}
			if h.Query == "" {
				continue
			}
			alt, err := testEngine.Search(t.Context(), Request{Query: h.Query})
			if err != nil {
				t.Errorf("%q: hint query %q: %v", c.query, h.Query, err)
				continue
			}
			if h.Total != 0 && (alt.Total != uint64(h.Total) || alt.Notices != h.Notices) {
				t.Errorf("%q: hint %q says %d sections, %d notices; search finds %d, %d", c.query, h.Query, h.Total, h.Notices, alt.Total, alt.Notices)
			}
			if h.Kind != "syntax" && alt.Total == 0 {
				t.Errorf("%q: hint query %q finds nothing", c.query, h.Query)
			}
		}
		for _, k := range c.kinds {
			if !kinds[k] {
				t.Errorf("%q: no %q hint among %+v", c.query, k, res.Hints)
			}
		}
	}
	// A search with hits has none.
	if res, err := testEngine.Search(t.Context(), Request{Query: "一岗双责"}); err != nil || len(res.Hints) != 0 {
		t.Errorf("hints with hits: %v %+v", err, res.Hints)
	}
}

// TestFilterHintOffersTheIndexedName: a region written almost right is
// answered with the name the index has.
func TestFilterHintOffersTheIndexedName(t *testing.T) {
	res, err := testEngine.Search(t.Context(), Request{Query: "地区:瓯海x区"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hints {
		if h.Query == "地区:瓯海区" && h.Total > 0 {
			return
		}
	}
	t.Errorf("no hint offers 地区:瓯海区: %+v", res.Hints)
}

// TestFormatQueryReadsBack: a query written back parses to itself.
func TestFormatQueryReadsBack(t *testing.T) {
	for _, s := range []string{
		"廉政 风险", "巡察 OR 巡视 整改 -通报", `"巡察 整改" 一岗双责`, "“他说\"好\"” 纪委",
		"廉政 地区:温州 年份:2021 起始:2021-01-01 截止:2021-12-31 文号:〔2021〕9号 标题:“关于 通知”",
		"OR词 \"OR\" \"-x\" 来源:纪委网站 发文机关:区委 文种:通报", "英雄”改革",
	} {
		q, err := ParseQuery(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		back, err := ParseQuery(FormatQuery(q))
		if err != nil {
			t.Errorf("%q → %q: %v", s, FormatQuery(q), err)
			continue
		}
		if !reflect.DeepEqual(withoutPos(back), withoutPos(q)) {
			t.Errorf("%q → %q reads back as %+v, want %+v", s, FormatQuery(q), back, q)
		}
	}
}

func withoutPos(q *Query) *Query {
	c := cloneQuery(q)
	for i := range c.Must {
		for j := range c.Must[i].Any {
			c.Must[i].Any[j].Pos = 0
		}
	}
	for i := range c.MustNot {
		c.MustNot[i].Pos = 0
	}
	return c
}

// TestHintsDoNotBlameAFoundTerm: a term found outside the filters is not
// said to be found nowhere.
func TestHintsDoNotBlameAFoundTerm(t *testing.T) {
	res, err := testEngine.Search(t.Context(), Request{Query: "廉政风险 地区:温州x"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hints {
		if h.Kind == "term" {
			t.Errorf("hint %+v blames a term that occurs", h)
		}
	}
}
