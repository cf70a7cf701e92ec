package search

import (
	"noticesearch/indexer/neardup"
)

// sameText are the groups of near-duplicate notices of a state (the same
// text published more than once, see package neardup): computed once, on
// the first search that needs them.
type sameText struct {
	group   []int32   // by notice: its group, 0 for none
	members [][]int32 // by group: its notices, in order
}

// sameTextGroups are the state's groups of near duplicates.
func (s *snapshot) sameTextGroups() *sameText {
	s.sameOnce.Do(func() {
		sigs := make([]neardup.Signature, len(s.notices))
		ok := make([]bool, len(s.notices))
		inParallel(len(s.notices), func(lo, hi int) {
			for d := lo; d < hi; d++ {
				sigs[d], ok[d] = neardup.Parse(s.notices[d].minHash)
			}
		})
		st := &sameText{group: neardup.Groups(sigs, ok)}
		for d, g := range st.group {
			if g == 0 {
				continue
			}
			for int(g) >= len(st.members) {
				st.members = append(st.members, nil)
			}
			st.members[g] = append(st.members[g], int32(d))
		}
		s.same = st
	})
	return s.same
}

// MaxSameTextIDs bounds the ids of a hit's near duplicates it lists.
const MaxSameTextIDs = 20

// markSameText gives hit, of notice d, the notices of the same text.
func (s *snapshot) markSameText(hit *Hit, d int) {
	st := s.sameTextGroups()
	g := st.group[d]
	if g == 0 {
		return
	}
	for _, o := range st.members[g] {
		if int(o) == d {
			continue
		}
		hit.SameText++
		if len(hit.SameTextIDs) < MaxSameTextIDs {
			hit.SameTextIDs = append(hit.SameTextIDs, s.notices[o].id)
		}
	}
}

// foldSameText keeps, of each group of near duplicates, the first match
// of page (one per notice, in rank order); it tells whether it dropped any.
func (s *snapshot) foldSameText(page []match) ([]match, bool) {
	st := s.sameTextGroups()
	seen := map[int32]bool{}
	out := page[:0:0]
	for _, m := range page {
		if g := st.group[s.doc[m.sec]]; g != 0 {
			if seen[g] {
				continue
			}
			seen[g] = true
		}
		out = append(out, m)
	}
	return out, len(out) < len(page)
}
