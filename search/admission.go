package search

import (
	"errors"
	"runtime"
)

// ErrOverloaded says a search was refused rather than queued: as many
// heavy searches as the machine has cores are running already. The caller
// may try again in a moment.
var ErrOverloaded = errors.New("检索繁忙，请稍后再试 / too many costly searches at once, try again shortly")

// defaultHeavyCost is the number of candidate sections from which a search that
// ranks every match in full (several terms, date order, one hit per
// notice) counts as heavy: about 20 ms of one core on the laws corpus.
// One term ranked by relevance is boosted lazily and is never heavy.
const defaultHeavyCost = 100_000

// admit lets a search run, or refuses it with ErrOverloaded when it is
// heavy and every heavy slot is taken: a few costly queries, sent at once,
// must not take every core from the cheap ones. release is to be called
// when the search is done.
func (e *Engine) admit(snap *snapshot, c *compiled, lazy bool) (release func(), err error) {
	if lazy || e.heavy == nil {
		return func() {}, nil
	}
	cost := 0
	for _, cl := range c.must {
		cost += snap.clauseCost(cl)
	}
	for _, t := range c.mustNot {
		cost += snap.text.Estimate(t)
	}
	if cost < e.heavyCost {
		return func() {}, nil
	}
	select {
	case e.heavy <- struct{}{}:
		return func() { <-e.heavy }, nil
	default:
		return nil, ErrOverloaded
	}
}

// defaultHeavy is the number of heavy searches that run at once.
func defaultHeavy() int { return runtime.GOMAXPROCS(0) }
