package search

import (
	"context"
	"slices"
)

// keptTerms are the matches of each term of a query, kept by run for
// topLazy: for each, its clause (in the order the clauses were matched),
// its matches in ascending section order scored by BM25's term frequency
// part alone, and its IDF.
type keptTerms struct {
	clause int // of the terms being added, counted from 1
	terms  []keptTerm
}

type keptTerm struct {
	clause int
	term   []byte
	ms     []match // score: the term frequency part, before IDF and boosts
	idf    float64
}

// nextClause starts the terms of the next clause; a nil k keeps nothing.
func (k *keptTerms) nextClause() {
	if k != nil {
		k.clause++
	}
}

// add keeps a term's matches, which nothing may change after; a nil k
// keeps nothing.
func (k *keptTerms) add(term []byte, ms []match, idf float64) {
	if k != nil {
		k.terms = append(k.terms, keptTerm{k.clause, term, ms, idf})
	}
}

// topLazy is topMatches for a query of several terms ranked by relevance,
// whose matches ms were scored without their boosts: each section's score
// lies between its terms' BM25 scores raised by their title boosts alone
// and raised by every boost. The best k by the lower bound give a score T
// that the k-th best match reaches at least, and only the matches whose
// upper bound reaches T are scored in full, in the same order of
// operations as matchTerm and run, so that the result is that of
// boosting all.
func topLazy(ctx context.Context, s *snapshot, ms []match, kept *keptTerms, k int, cmp func(a, b match) int) ([]match, error) {
	boosters := make([]*booster, len(kept.terms))
	for i, t := range kept.terms {
		boosters[i] = s.booster(t.term)
	}
	lo := make([]float64, len(ms))
	hi := make([]float64, len(ms))
	for t, kt := range kept.terms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		j := 0
		for i, m := range ms {
			for j < len(kt.ms) && kt.ms[j].sec < m.sec {
				j++
			}
			if j == len(kt.ms) {
				break
			}
			if kt.ms[j].sec != m.sec {
				continue
			}
			w := kt.ms[j].score * kt.idf
			title := boosters[t].titleBoost(int(s.doc[m.sec]))
			lo[i] += w * (1 + title)
			hi[i] += w * (1 + title + boostWord + boostHeading)
		}
	}
	// The exact score of a section, added up as run adds it: each clause's
	// terms in turn, then each clause onto the clauses before.
	exact := func(m match) match {
		total, cs, clause, in := 0.0, 0.0, 0, false
		flush := func() {
			if in {
				if clause == kept.terms[0].clause {
					total = cs
				} else {
					total = cs + total
				}
			}
			cs, in = 0, false
		}
		for t, kt := range kept.terms {
			if kt.clause != clause {
				flush()
				clause = kt.clause
			}
			j, found := slices.BinarySearchFunc(kt.ms, m.sec, func(x match, sec uint32) int { return int(x.sec) - int(sec) })
			if !found {
				continue
			}
			// The conversion rounds the product before it is added, as
			// matchTerm's stored scores are: without it arm64 and ppc64le
			// fuse the two into one multiply-add and round once.
			x := float64(kt.ms[j].score * boosters[t].boost(int(m.sec), int(kt.ms[j].at)) * kt.idf)
			if in {
				cs += x
			} else {
				cs, in = x, true
			}
		}
		flush()
		m.score = total
		return m
	}
	guessLo := newTop(k, cmp)
	for i, m := range ms {
		m.score = lo[i]
		m.at = int32(i) // where it stands in ms, for the guesses below
		guessLo.offer(m)
	}
	guess := newTop(k, cmp)
	for i, m := range guessLo.h {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		guess.offer(exact(ms[m.at]))
	}
	threshold, full := guess.worst()
	t := newTop(k, cmp)
	scored := 0
	for i, m := range ms {
		if i%(4*checkEvery) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		// The bound is raised by a millionth: its products are rounded in
		// another order than the exact score's.
		if full && hi[i]*(1+1e-6) < threshold.score {
			continue
		}
		if scored++; scored%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		t.offer(exact(m))
	}
	return t.sorted(), nil
}
