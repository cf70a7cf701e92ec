package search

import (
	"reflect"
	"testing"
)

func TestCacheAnswersLikeTheEngine(t *testing.T) {
	c := NewCache(testEngine, 2)
	reqs := []Request{{Query: "廉政风险"}, {Query: "整改", Size: 3}, {Query: "整改", Size: 3, From: 3}, {Query: "廉政风险"}}
	for _, r := range append(reqs, reqs...) {
		got, err := c.Search(t.Context(), r)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := testEngine.Search(t.Context(), r)
		got.TookMS, want.TookMS = 0, 0
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v: cached result differs from the engine's", r)
		}
	}
	if c.order.Len() != 2 || len(c.byKey) != 2 {
		t.Errorf("cache holds %d entries (%d keys), want its size 2", c.order.Len(), len(c.byKey))
	}
	if _, err := c.Search(t.Context(), Request{Query: `"坏`}); err == nil {
		t.Error("a bad query got no error through the cache")
	}
	if c.order.Len() != 2 {
		t.Error("an error was cached")
	}
}

// TestCacheBoundedInBytes: past its bytes, the cache drops the least
// recently used results, however few entries it holds.
func TestCacheBoundedInBytes(t *testing.T) {
	c := NewCache(testEngine, 1000)
	one, err := testEngine.Search(t.Context(), Request{Query: "整改", Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	c.maxBytes = 5 * resultSize(one)
	for _, q := range []string{"整改", "巡察", "责任", "廉政", "党", "风险", "安全", "检查", "工作", "问题"} {
		if _, err := c.Search(t.Context(), Request{Query: q, Size: 20}); err != nil {
			t.Fatal(err)
		}
		if c.bytes > c.maxBytes {
			t.Fatalf("after %q the cache holds %d bytes, more than %d", q, c.bytes, c.maxBytes)
		}
	}
	if c.order.Len() >= 10 || c.order.Len() == 0 {
		t.Errorf("%d entries kept", c.order.Len())
	}
	sum := 0
	for el := c.order.Front(); el != nil; el = el.Next() {
		sum += el.Value.(*cacheEntry).size
	}
	if sum != c.bytes {
		t.Errorf("entries hold %d bytes, the count says %d", sum, c.bytes)
	}
}

// TestCacheKeysEveryOption: requests that differ in any option are
// different entries, FoldSameText included.
func TestCacheKeysEveryOption(t *testing.T) {
	base := Request{Query: "整改", Size: 10, Collapse: true}
	variants := []Request{base}
	for _, f := range []func(*Request){
		func(r *Request) { r.Size = 9 }, func(r *Request) { r.From = 1 }, func(r *Request) { r.SortDate = true },
		func(r *Request) { r.Collapse = false }, func(r *Request) { r.NoFragments = true }, func(r *Request) { r.Facets = true },
		func(r *Request) { r.FacetSize = 3 }, func(r *Request) { r.FoldSameText = true }, func(r *Request) { r.CountUpTo = 5 },
	} {
		r := base
		f(&r)
		variants = append(variants, r)
	}
	seen := map[string]int{}
	for i, r := range variants {
		p, err := testEngine.prepare(r)
		if err != nil {
			t.Fatal(err)
		}
		if j, ok := seen[p.key]; ok {
			t.Errorf("requests %d and %d share the key %q", j, i, p.key)
		}
		seen[p.key] = i
	}
}
