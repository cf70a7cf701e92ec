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
//
// A merge never makes a segment of more than maxMergeBytes: merging holds
// the postings of the segment it makes in memory, and a query gains little
// from segments larger still. An archive of many gigabytes thus keeps
// several segments of that size, which are rewritten only for deletions.
const (
	mergeFactor   = 8
	maxSegments   = 3 * mergeFactor // beyond, the smallest are merged whatever their tiers
	maxMergeBytes = 384 << 20       // of segment file
)

// capped keeps, of the segments picked (smallest first), those whose files
// add up to maxMergeBytes at most; none unless two or more fit.
func capped(m *manifest, pick []int) []int {
	slices.SortStableFunc(pick, func(a, b int) int { return cmp.Compare(m.Segments[a].Bytes, m.Segments[b].Bytes) })
	var total int64
	n := 0
	for _, i := range pick {
		if total+m.Segments[i].Bytes > maxMergeBytes {
			break
		}
		total += m.Segments[i].Bytes
		n++
	}
	if n < 2 {
		return nil
	}
	out := slices.Clone(pick[:n])
	slices.Sort(out)
	return out
}

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
			if pick := capped(m, slices.Clone(byTier[t][:mergeFactor])); pick != nil {
				return pick
			}
		}
	}
	if len(m.Segments) > maxSegments {
		order := make([]int, len(m.Segments))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(m.Segments[a].Bytes, m.Segments[b].Bytes) })
		return capped(m, order[:mergeFactor])
	}
	return nil
}

// Optimize merges the segments into as few as maxMergeBytes allows (one,
// below that), without the deleted notices.
func (ix *Index) Optimize(ctx context.Context) error {
	if ix.writer == nil {
		return ErrReadOnly
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.mergeLocked(ctx, true)
}

// mergeLocked merges segments as pickMerge chooses (or pickOptimize, when
// all) until it chooses none, each merge a commit of its own. The caller
// holds ix.mu.
func (ix *Index) mergeLocked(ctx context.Context, all bool) error {
	for {
		pick := pickMerge(ix.man)
		if all && pick == nil {
			pick = pickOptimize(ix.man)
		}
		if len(pick) == 0 {
			return nil
		}
		if err := ix.merge(ctx, pick); err != nil {
			return err
		}
	}
}

// pickOptimize chooses the smallest segments that fit together in
// maxMergeBytes, or else a segment with deletions to rewrite alone.
func pickOptimize(m *manifest) []int {
	order := make([]int, len(m.Segments))
	for i := range order {
		order[i] = i
	}
	if pick := capped(m, order); pick != nil {
		return pick
	}
	for i, e := range m.Segments {
		if len(e.Deleted) > 0 {
			return []int{i}
		}
	}
	return nil
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
	from := textindex.NewIndex(segs, deleted)
	b.Merge(from)
	if err := ctx.Err(); err != nil {
		return err
	}
	m := *ix.man
	name := segmentName(m.NextSegment)
	m.NextSegment++
	seg, err := ix.writeSegment(name, b)
	for _, s := range segs {
		s.Release() // read whole: see Segment.Release
	}
	if err != nil {
		return err
	}
	// A damaged chunk of the segments merged was read as nothing: the
	// segment written is not theirs, and the merge fails (its file is
	// garbage, which the next commit removes).
	if err := from.Damaged(); err != nil {
		seg.close()
		return fmt.Errorf("merge %s: %w (run noticesearch check)", ix.path, err)
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
