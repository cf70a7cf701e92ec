package search

import (
	"container/list"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Cache keeps the results of recent requests: a search box on an intranet
// sees the same popular queries again and again, and a frequent term costs
// milliseconds (every matching section is counted and scored). The index
// changes under a running server only from one state to the next, and the
// cache forgets every result when it does.
//
// Requests are keyed by what they ask once compiled, so 巡察|巡视 and
// 巡视|巡察 share an entry; and the same request arriving while it is
// being answered waits for that answer instead of doing the work again.
type Cache struct {
	engine   *Engine
	size     int // entries at most
	maxBytes int // of results at most (resultSize)
	bytes    int

	mu       sync.Mutex
	order    *list.List // of *cacheEntry, most recent first
	byKey    map[string]*list.Element
	inFlight map[string]*call
	state    *snapshot // the state the results are of

	hits, misses atomic.Uint64
}

type cacheEntry struct {
	key  string
	res  *Result
	size int // resultSize
}

// call is a search being answered, which requests for the same key wait on.
type call struct {
	done chan struct{}
	res  *Result
	err  error
}

// CacheBytes bounds the memory a cache's results hold: 1,024 pages of 100
// hits with facets would otherwise hold some 120 MB.
const CacheBytes = 32 << 20

// NewCache wraps an engine with a cache of the last size results, within
// CacheBytes.
func NewCache(e *Engine, size int) *Cache {
	return &Cache{engine: e, size: size, maxBytes: CacheBytes, order: list.New(), byKey: map[string]*list.Element{}, inFlight: map[string]*call{}}
}

// Stats are the cache's hits and misses since it was made.
func (c *Cache) Stats() (hits, misses uint64) { return c.hits.Load(), c.misses.Load() }

// Search answers from the cache when it can. Errors are not cached.
func (c *Cache) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	p, err := c.engine.prepare(req)
	if err != nil {
		return nil, err
	}
	answer := func(r *Result) *Result {
		res := *r // hits are shared, never written
		res.Query = req.Query
		res.TookMS = float64(time.Since(start).Microseconds()) / 1000
		return &res
	}
	c.mu.Lock()
	if c.state != nil && c.state != p.snap && p.snap.state.Generation <= c.state.state.Generation {
		// Prepared on a state the cache has moved past: answered, not cached.
		c.mu.Unlock()
		c.misses.Add(1)
		res, err := c.engine.execute(ctx, p)
		if err != nil {
			return nil, err
		}
		return answer(res), nil
	}
	if c.state != p.snap { // the index moved on: what is cached is of the state before
		c.state = p.snap
		c.order.Init()
		c.byKey = map[string]*list.Element{}
		c.inFlight = map[string]*call{}
		c.bytes = 0
	}
	if el, ok := c.byKey[p.key]; ok {
		c.order.MoveToFront(el)
		r := el.Value.(*cacheEntry).res
		c.mu.Unlock()
		c.hits.Add(1)
		return answer(r), nil
	}
	if cl, ok := c.inFlight[p.key]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		// The request answering it may have been cancelled, or timed out
		// on its own deadline: then this one does the work itself.
		if cl.err == nil {
			c.hits.Add(1)
			return answer(cl.res), nil
		}
		if !isContextErr(cl.err) && cl.err != errSearchFailed {
			return nil, cl.err
		}
		c.misses.Add(1)
		res, err := c.engine.execute(ctx, p)
		if err != nil {
			return nil, err
		}
		return answer(res), nil
	}
	cl := &call{done: make(chan struct{})}
	c.inFlight[p.key] = cl
	c.mu.Unlock()
	c.misses.Add(1)

	func() {
		// Even if the search panics, the requests waiting on it are let go
		// (with an error, to do the work themselves) and the key freed.
		cl.err = errSearchFailed
		defer func() {
			c.mu.Lock()
			if c.state == p.snap { // else the cache was cleared meanwhile, this call with it
				delete(c.inFlight, p.key)
				if cl.err == nil && c.size > 0 {
					c.add(p.key, cl.res)
				}
			}
			c.mu.Unlock()
			close(cl.done)
		}()
		cl.res, cl.err = c.engine.execute(ctx, p)
	}()
	if cl.err != nil {
		return nil, cl.err
	}
	return answer(cl.res), nil
}

// errSearchFailed is the outcome of a search that never returned (it
// panicked), for the requests that waited on it.
var errSearchFailed = errors.New("search failed")

// add caches a result, dropping the least recently used past the bounds
// on entries and bytes; c.mu is held.
func (c *Cache) add(key string, res *Result) {
	size := resultSize(res)
	if size > c.maxBytes/4 {
		return // one huge result would push out many
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, res: res, size: size})
	c.bytes += size
	for c.order.Len() > c.size || c.bytes > c.maxBytes {
		last := c.order.Back()
		c.order.Remove(last)
		e := last.Value.(*cacheEntry)
		delete(c.byKey, e.key)
		c.bytes -= e.size
	}
}

// resultSize estimates the memory a result holds: its strings and a
// fixed share for each hit's and facet value's fields.
func resultSize(r *Result) int {
	n := 256 + len(r.Query)
	for _, h := range r.Hits {
		n += 256 + len(h.NoticeID) + len(h.Path) + len(h.Title) + len(h.Source) + len(h.Issuer) + len(h.DocNumber) + len(h.Kind) + len(h.SectionID)
		for _, p := range h.SectionPath {
			n += 16 + len(p)
		}
		for _, f := range h.Fragments {
			n += 16 + len(f)
		}
	}
	for _, vs := range r.Facets {
		for _, v := range vs {
			n += 32 + len(v.Value)
		}
	}
	return n
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Notice is not cached: reading one notice is cheap.
func (c *Cache) Notice(ctx context.Context, id string, from int) (*NoticeView, error) {
	return c.engine.Notice(ctx, id, from)
}

// Suggest is not cached: the engine's word list answers at once.
func (c *Cache) Suggest(ctx context.Context, prefix string) ([]Suggestion, error) {
	return c.engine.Suggest(ctx, prefix)
}

// Corpus is the engine's: the analysts' counts are not cached.
func (c *Cache) Corpus() *Corpus { return c.engine.Corpus() }
