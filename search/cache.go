package search

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Cache keeps the results of recent requests: a search box on an intranet
// sees the same popular queries again and again, and a frequent term costs
// milliseconds (every matching section is counted and scored). The index
// does not change under a running server, so a result stays right.
type Cache struct {
	engine *Engine
	size   int

	mu    sync.Mutex
	order *list.List // of *cacheEntry, most recent first
	byKey map[Request]*list.Element
}

type cacheEntry struct {
	key Request
	res *Result
}

// NewCache wraps an engine with a cache of the last size results.
func NewCache(e *Engine, size int) *Cache {
	return &Cache{engine: e, size: size, order: list.New(), byKey: map[Request]*list.Element{}}
}

// Search answers from the cache when it can. Errors are not cached.
func (c *Cache) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	c.mu.Lock()
	if el, ok := c.byKey[req]; ok {
		c.order.MoveToFront(el)
		res := *el.Value.(*cacheEntry).res // hits are shared, never written
		c.mu.Unlock()
		res.TookMS = float64(time.Since(start).Microseconds()) / 1000
		return &res, nil
	}
	c.mu.Unlock()
	res, err := c.engine.Search(ctx, req)
	if err != nil || c.size <= 0 {
		return res, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[req]; !ok {
		c.byKey[req] = c.order.PushFront(&cacheEntry{key: req, res: res})
		if c.order.Len() > c.size {
			last := c.order.Back()
			c.order.Remove(last)
			delete(c.byKey, last.Value.(*cacheEntry).key)
		}
	}
	return res, nil
}

// Notice is not cached: reading one notice is cheap.
func (c *Cache) Notice(ctx context.Context, id string) (*NoticeView, error) {
	return c.engine.Notice(ctx, id)
}

// Suggest is not cached: the engine's word list answers at once.
func (c *Cache) Suggest(ctx context.Context, prefix string) ([]string, error) {
	return c.engine.Suggest(ctx, prefix)
}
