package search

import (
	"errors"
	"runtime"
)

// ErrOverloaded says a search was refused rather than queued: as many
// heavy searches as the machine has cores are running already. The caller
// may try again in a moment.
var ErrOverloaded = errors.New("检索繁忙，请稍后再试 / too many costly searches at once, try again shortly")

// defaultHeavyCost is the number of candidate sections from which a
// search that ranks every match in full (date order, several terms with
// one hit per notice) counts as heavy: about 20 ms of one core on the laws
// corpus. A search
// ranked by relevance boosts only the matches that could make its page
// (topBoosted, topLazy), and costs less.
const defaultHeavyCost = 100_000

// admit lets a search run, or refuses it with ErrOverloaded when it is
// heavy and every heavy slot is taken: a few costly queries, sent at once,
// must not take every core from the cheap ones. release is to be called
// when the search is done.
//
// One term ranked by relevance for a page among the first hundred hits is
// never heavy (a deeper page is ranked in full); several are when their
// matches run to lazyCostFactor times heavyCost (matching and bounding
// each term's matches cost about a third of boosting them: 40 against
// 120 ns a match, measured with 16 frequent characters OR'd).
func (e *Engine) admit(snap *snapshot, c *compiled, mode rankMode) (release func(), err error) {
	if mode == rankOneLazily || e.heavy == nil {
		return func() {}, nil
	}
	cost := 0
	for _, cl := range c.must {
		cost += snap.clauseCost(cl)
	}
	if len(c.must) == 0 { // filters alone: every section of the notices they allow, at most all
		cost = len(snap.doc)
	}
	for _, t := range c.mustNot {
		cost += snap.text.Estimate(t)
	}
	limit := e.heavyCost
	if mode == rankLazily {
		limit *= lazyCostFactor
	}
	if cost < limit {
		return func() {}, nil
	}
	select {
	case e.heavy <- struct{}{}:
		return func() { <-e.heavy }, nil
	default:
		return nil, ErrOverloaded
	}
}

// lazyCostFactor is how much more a search of several terms ranked
// lazily (topLazy) may match before it is heavy.
const lazyCostFactor = 3

// rankMode is how a search ranks its matches.
type rankMode int

const (
	rankFully     rankMode = iota // every match boosted (date order, several terms one hit per notice, a page past the first hundred hits)
	rankOneLazily                 // one term: topBoosted
	rankLazily                    // several terms: topLazy
)

// defaultHeavy is the number of heavy searches that run at once.
func defaultHeavy() int { return runtime.GOMAXPROCS(0) }
