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
