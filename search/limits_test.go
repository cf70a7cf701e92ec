package search

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// TestRepeatedAndReorderedTerms: a term given twice is one term, and the
// order terms are written in changes neither the hits nor the cache entry.
func TestRepeatedAndReorderedTerms(t *testing.T) {
	same := [][]string{
		{"整改|巡察|责任", "责任|整改|巡察", "巡察 | 整改 | 责任 | 整改 | 巡察", "整改|" + strings.Repeat("巡察|", 60) + "责任"},
		{"整改 巡察", "巡察 整改", "巡察 整改 巡察 整改"},
		{"整改 -风险 -廉政", "-廉政 整改 -风险 -风险"},
		{"整改 region:瓯海区 year:2022", "year:2022 region:瓯海区 整改 region:瓯海区"},
	}
	for _, group := range same {
		var want *Result
		keys := map[string]bool{}
		for _, q := range group {
			p, err := testEngine.prepare(Request{Query: q, Size: 20})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			keys[p.key] = true
			res, err := testEngine.Search(t.Context(), Request{Query: q, Size: 20})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			res.Query, res.TookMS = "", 0
			if want == nil {
				want = res
				if res.Total == 0 {
					t.Errorf("%q finds nothing: the test proves little", q)
				}
			} else if !reflect.DeepEqual(res, want) {
				t.Errorf("%q answers otherwise than %q", q, group[0])
			}
		}
		if len(keys) != 1 {
			t.Errorf("%q: %d cache keys, want 1", group, len(keys))
		}
	}
}

func TestTooManyTerms(t *testing.T) {
	var terms []string
	for _, r := range "的是在和了有人中国为以于上不对作业" {
		terms = append(terms, string(r))
	}
	if len(terms) <= MaxTerms {
		t.Fatal("the test needs more than MaxTerms terms")
	}
	for _, q := range []string{strings.Join(terms, "|"), strings.Join(terms, " "), "整改 -" + strings.Join(terms, " -")} {
		_, err := testEngine.Search(t.Context(), Request{Query: q})
		var qe *QueryError
		if !errors.As(err, &qe) || !strings.Contains(qe.Error(), "too many terms") {
			t.Errorf("%q: err = %v, want a QueryError saying too many terms", q, err)
		}
	}
	// MaxTerms distinct terms, however often repeated, are accepted.
	q := strings.Repeat(strings.Join(terms[:MaxTerms], "|")+"|", 3) + terms[0]
	if _, err := testEngine.Search(t.Context(), Request{Query: q}); err != nil {
		t.Errorf("%d distinct terms repeated: %v", MaxTerms, err)
	}
}

func TestPagingOverflow(t *testing.T) {
	for _, r := range []Request{
		{Query: "整改", From: math.MaxInt, Size: 100},
		{Query: "整改", From: math.MaxInt - 50, Size: 100},
		{Query: "整改", From: 1, Size: math.MaxInt},
		{Query: "整改", From: math.MinInt},
		{Query: "整改", Size: -1},
	} {
		_, err := testEngine.Search(t.Context(), r)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("from %d size %d: err = %v, want a QueryError", r.From, r.Size, err)
		}
	}
}

// TestCancelledSearchStops: a search whose context has ended does no more
// work and says why, whatever the query's shape.
func TestCancelledSearchStops(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, r := range []Request{
		{Query: "整改"}, {Query: "整改|巡察|责任"}, {Query: "整改 巡察 -风险"},
		{Query: "整改", SortDate: true}, {Query: "整改", Collapse: true}, {Query: "region:瓯海区"},
	} {
		if _, err := testEngine.Search(ctx, r); !errors.Is(err, context.Canceled) {
			t.Errorf("%+v: err = %v, want context.Canceled", r, err)
		}
	}
}

// TestHeavySearchesAreShed: past the heavy slots, a costly search is
// refused at once rather than queued; a cheap one still runs.
func TestHeavySearchesAreShed(t *testing.T) {
	e := New(testEngine.ix)
	e.heavyCost = 1
	for range cap(e.heavy) {
		e.heavy <- struct{}{}
	}
	// Ranked by date or, for several terms, one hit per notice, every
	// match is scored in full;
	// so is a page past the first hundred hits; filters alone list every
	// section they allow.
	for _, r := range []Request{{Query: "整改|巡察", SortDate: true}, {Query: "整改|巡察", Collapse: true},
		{Query: "整改", From: MaxSize, Size: 10}, {Query: "整改|巡察", From: 95, Size: 10}, {Query: "region:温州市"}} {
		if _, err := e.Search(t.Context(), r); !errors.Is(err, ErrOverloaded) {
			t.Errorf("%+v with every heavy slot taken: err = %v, want ErrOverloaded", r, err)
		}
	}
	// By relevance, only the matches that could make the page are: one
	// term is never heavy, several are past lazyCostFactor times more.
	for _, r := range []Request{{Query: "整改"}, {Query: "整改", Collapse: true}} {
		if _, err := e.Search(t.Context(), r); err != nil {
			t.Errorf("%+v: one term ranked by relevance is never heavy: %v", r, err)
		}
	}
	if _, err := e.Search(t.Context(), Request{Query: "整改|巡察"}); !errors.Is(err, ErrOverloaded) {
		t.Errorf("several terms past the lazy bound with every heavy slot taken: err = %v, want ErrOverloaded", err)
	}
	e.heavyCost = 1 << 30
	if _, err := e.Search(t.Context(), Request{Query: "整改|巡察 -风险"}); err != nil {
		t.Errorf("several terms below the bound: %v", err)
	}
	e.heavyCost = 1
	<-e.heavy
	if _, err := e.Search(t.Context(), Request{Query: "整改|巡察", SortDate: true}); err != nil {
		t.Errorf("heavy search with a slot free: %v", err)
	}
	if len(e.heavy) != cap(e.heavy)-1 {
		t.Errorf("the slot was not given back: %d of %d taken", len(e.heavy), cap(e.heavy))
	}
}

// TestCacheSharesWorkInFlight: requests for the same thing at once are
// answered alike, and counted as one miss and hits.
func TestCacheSharesWorkInFlight(t *testing.T) {
	c := NewCache(testEngine, 16)
	var wg sync.WaitGroup
	results := make([]*Result, 8)
	qs := []string{"整改|巡察", "巡察|整改"}
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.Search(t.Context(), Request{Query: qs[i%2]})
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = res
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r == nil {
			continue
		}
		if r.Query != qs[i%2] {
			t.Errorf("result %d echoes %q, asked %q", i, r.Query, qs[i%2])
		}
		if r.Total != results[0].Total || len(r.Hits) != len(results[0].Hits) {
			t.Errorf("result %d differs", i)
		}
	}
	hits, misses := c.Stats()
	if hits+misses != 8 || misses < 1 {
		t.Errorf("hits %d, misses %d", hits, misses)
	}
}

// TestQueryTermsAsASearchCompilesThem: the terms a page highlights are
// the search's: each once, none for a query a search would refuse.
func TestQueryTermsAsASearchCompilesThem(t *testing.T) {
	if got := QueryTerms(strings.Repeat("整改|", 50) + "巡察 整改"); len(got) != 2 {
		t.Errorf("repeated terms: %q, want 整改 and 巡察 once", got)
	}
	var many []string
	for _, r := range "的是在和了有人中国为以于上不对作业" {
		many = append(many, string(r))
	}
	if got := QueryTerms(strings.Join(many, "|")); got != nil {
		t.Errorf("more than MaxTerms terms: %q, want none", got)
	}
}

// TestLazyRankingOfSeveralTermsAsEager: a query of several terms ranked by
// relevance boosts only the matches that could make the page; its pages
// must be those of boosting every match, to the last bit of each score.
func TestLazyRankingOfSeveralTermsAsEager(t *testing.T) {
	snap := testEngine.snapshot()
	for _, q := range []string{
		"整改|巡察", "整改 巡察", "党|廉政|责任|风险", "整改|巡察 责任 -风险", "整改|巡察 region:温州市",
		"的|是|在|和|了|有|人|中", "安全生产 检查", "廉政 -风险", "巡察 OR 巡视", "一岗双责|主体责任 全面从严治党|党风廉政",
		"2021 整改|落实", "工作 问题 -的",
	} {
		parsed, err := ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		c, err := compile(parsed)
		if err != nil {
			t.Fatal(err)
		}
		eager, err := testEngine.run(t.Context(), snap, c, scoring{})
		if err != nil {
			t.Fatal(err)
		}
		if len(eager) == 0 {
			t.Errorf("%q finds nothing: the test proves little", q)
		}
		checkPagesAsEager(t, q, eager, []int{1, 3, 10, 25, 100}, 0) // to the last bit
	}
}
