package indexer

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"slices"

	"noticesearch/indexer/textindex"
)

// Merging keeps the number of segments bounded, by tiers of size: each
// segment has the tier of its live sections' count in powers of
// mergeFactor, and mergeFactor segments of one tier are merged into one
// of the next. A state thus holds fewer than mergeFactor segments per
// tier, a few tiers in all, and each section is rewritten about once per
// tier it climbs. A segment of which more than half the notices are
// deleted is rewritten on its own, and the deleted notices go.
const (
	mergeFactor = 8
	maxSegments = 3 * mergeFactor // beyond, the smallest are merged whatever their tiers
)

// tier is the tier of a segment with n live sections.
func tier(n int) int {
	if n <= 1 {
		return 0
	}
	return (bits.Len(uint(n)) - 1) / 3 // log base 8
}

// pickMerge chooses the segments of m to merge next, in their order in
// the state; none when the state is fine as it is.
func pickMerge(m *manifest) []int {
	live := func(e segmentEntry) int { return e.Sections * (e.Docs - len(e.Deleted)) / max(e.Docs, 1) }
	for i, e := range m.Segments {
		if len(e.Deleted)*2 > e.Docs {
			return []int{i}
		}
	}
	byTier := map[int][]int{}
	for i, e := range m.Segments {
		t := tier(live(e))
		byTier[t] = append(byTier[t], i)
	}
	tiers := slices.Sorted(func(yield func(int) bool) {
		for t := range byTier {
			if !yield(t) {
				return
			}
		}
	})
	for _, t := range tiers {
		if len(byTier[t]) >= mergeFactor {
			return byTier[t][:mergeFactor]
		}
	}
	if len(m.Segments) > maxSegments {
		order := make([]int, len(m.Segments))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(live(m.Segments[a]), live(m.Segments[b])) })
		pick := order[:mergeFactor]
		slices.Sort(pick)
		return pick
	}
	return nil
}

// Optimize merges every segment into one, without the deleted notices.
func (ix *Index) Optimize(ctx context.Context) error {
	if ix.writer == nil {
		return ErrReadOnly
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.mergeLocked(ctx, true)
}

// mergeLocked merges segments as pickMerge chooses (all of them, when all)
// until it chooses none, each merge a commit of its own. The caller holds
// ix.mu.
func (ix *Index) mergeLocked(ctx context.Context, all bool) error {
	for {
		var pick []int
		if all {
			if len(ix.man.Segments) > 1 || len(ix.man.Segments) == 1 && len(ix.man.Segments[0].Deleted) > 0 {
				for i := range ix.man.Segments {
					pick = append(pick, i)
				}
			}
			all = false
		} else {
			pick = pickMerge(ix.man)
		}
		if len(pick) == 0 {
			return nil
		}
		if err := ix.merge(ctx, pick); err != nil {
			return err
		}
	}
}

// merge writes the live notices of the segments picked (indices into the
// manifest, ascending) as one segment, which takes the place of the first
// in the state, and commits.
func (ix *Index) merge(ctx context.Context, pick []int) error {
	segs := make([]*textindex.Segment, len(pick))
	deleted := make([][]int, len(pick))
	for i, p := range pick {
		e := ix.man.Segments[p]
		s := ix.open[e.Name]
		if s == nil {
			return fmt.Errorf("merge %s: segment %s not open", ix.path, e.Name) // a bug
		}
		segs[i], deleted[i] = s.text, e.Deleted
	}
	b := textindex.NewBuilder()
	b.Inherit(textindex.NewIndex(segs, deleted), nil)
	if err := ctx.Err(); err != nil {
		return err
	}
	m := *ix.man
	name := segmentName(m.NextSegment)
	m.NextSegment++
	seg, err := ix.writeSegment(name, b)
	if err != nil {
		return err
	}
	var out []segmentEntry
	for i, e := range ix.man.Segments {
		switch {
		case i == pick[0]:
			out = append(out, seg.entry)
		case slices.Contains(pick, i):
		default:
			out = append(out, e)
		}
	}
	if seg.entry.Docs == 0 { // every notice was deleted
		out = slices.DeleteFunc(out, func(e segmentEntry) bool { return e.Name == name })
	}
	m.Segments = out
	return ix.publish(&m, seg)
}
