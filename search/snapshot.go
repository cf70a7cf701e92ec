package search

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"noticesearch/indexer"
	"noticesearch/indexer/textindex"
)

// snapshot is what an engine reads of one state of the index: the text
// index and its notices' metadata decoded once.
type snapshot struct {
	state   *indexer.State
	text    *textindex.Index
	segs    []*textindex.Segment // text's, in order
	notices []noticeInfo         // by document number in the text index
	byID    map[string]int
	// By notice: the section that is its title, -1 if it has none. Apart
	// from notices, whose records are hundreds of bytes: ranking a
	// frequent term reads it for every notice that holds the term, and
	// read from there each was a miss of the cache.
	titleSec []int32
	// By notice: the end of its sections, which are a range ending there,
	// in the notices' order: where the notices of ascending sections are
	// found (see noticeAfter) without looking each up in doc.
	secEnd []uint32
	// By section: its notice, and BM25's length normalisation
	// k1·(1 − b + b·len/avglen) with lengths in bytes of normalised text
	// as stored.
	doc     []uint32
	lenNorm []float32
	// By notice: the least lenNorm of its sections but the title (+Inf
	// if it has none), which bounds the BM25 score of any of them.
	bodyNorm  []float32
	textBytes int64 // of all sections' normalised text

	charsOnce sync.Once
	chars     []int64  // of each notice (see Corpus.Chars)
	memo      sync.Map // of Corpus.Memo: key → *memoEntry
	sameOnce  sync.Once
	same      *sameText // see sameTextGroups
}

// noticeInfo is one notice's metadata with what matching needs of it.
type noticeInfo struct {
	id        string
	meta      indexer.Meta
	normTitle []byte
	minHash   string // the body's signature (see package neardup), taken out of meta
	year      string
}

func newSnapshot(state *indexer.State) *snapshot {
	text := state.Text
	s := &snapshot{state: state, text: text, segs: text.Segments(), notices: make([]noticeInfo, text.Docs()), byID: make(map[string]int, text.Docs())}
	// The notices' metadata decoded, and the sections' notices and
	// lengths, on every core: a large index has millions of sections.
	inParallel(len(s.notices), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			m, _ := indexer.DecodeMeta(text.DocMeta(i)) // written by the indexer; a bad one shows empty
			n := noticeInfo{id: text.DocID(i), meta: m, normTitle: textindex.Normalize(m.Title), minHash: m.MinHash}
			n.meta.MinHash = "" // not shown with hits and notices
			if len(m.Date) >= 4 {
				n.year = m.Date[:4]
			}
			s.notices[i] = n
		}
	})
	for i, n := range s.notices {
		s.byID[n.id] = i
	}
	n := text.Sections()
	s.doc = make([]uint32, n)
	s.lenNorm = make([]float32, n)
	s.titleSec = make([]int32, len(s.notices))
	s.secEnd = make([]uint32, len(s.notices))
	s.bodyNorm = make([]float32, len(s.notices))
	// Each notice's sections are a range: their notice is filled in by
	// notice, not looked up section by section. A title is its notice's
	// first section. The lengths are kept in lenNorm, and the shortest of
	// each notice's body in bodyNorm (exact: a section is far shorter than
	// 2²⁴ bytes), until their mean is known.
	var total atomic.Int64
	inParallel(len(s.notices), func(lo, hi int) {
		part := 0
		for d := lo; d < hi; d++ {
			first, end := text.DocSections(d)
			s.titleSec[d], s.secEnd[d] = -1, uint32(end)
			if first < end && text.IsTitle(first) {
				s.titleSec[d] = int32(first)
			}
			least := float32(math.Inf(1))
			for sec := first; sec < end; sec++ {
				s.doc[sec] = uint32(d)
				l := text.NormLen(sec)
				s.lenNorm[sec] = float32(l)
				part += l
				if int32(sec) != s.titleSec[d] {
					least = min(least, float32(l))
				}
			}
			s.bodyNorm[d] = least
		}
		total.Add(int64(part))
	})
	s.textBytes = total.Load()
	avg := float64(s.textBytes) / float64(max(1, n))
	// The normalisation grows with the length, so that the shortest body
	// section's is the least of the body's.
	norm := func(l float32) float32 { return float32(bm25K1 * (1 - bm25B + bm25B*float64(l)/avg)) }
	inParallel(n, func(lo, hi int) {
		for sec := lo; sec < hi; sec++ {
			s.lenNorm[sec] = norm(s.lenNorm[sec])
		}
	})
	for d, l := range s.bodyNorm {
		if !math.IsInf(float64(l), 1) {
			s.bodyNorm[d] = norm(l)
		}
	}
	return s
}

// inParallel calls f over [0, n) cut in one range per core, of 4096 at
// least (one range, on the caller's goroutine, below 8192).
func inParallel(n int, f func(lo, hi int)) {
	inRanges(n, 4096, func(_, lo, hi int) { f(lo, hi) })
}

// snapshotCache keeps the snapshot of the index's current state.
type snapshotCache struct {
	mu   sync.Mutex // held while building
	snap atomic.Pointer[snapshot]
}

func (c *snapshotCache) get(state *indexer.State) *snapshot {
	if s := c.snap.Load(); s != nil && s.state == state {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.snap.Load(); s != nil && s.state == state {
		return s
	}
	s := newSnapshot(state)
	c.snap.Store(s)
	return s
}

// IndexStats tell how much the index holds.
type IndexStats struct {
	Notices, Sections int
	TextBytes         int64 // of sections' normalised text
}

// IndexStats are the current index's.
func (e *Engine) IndexStats() IndexStats {
	s := e.snapshot()
	return IndexStats{Notices: len(s.notices), Sections: len(s.doc), TextBytes: s.textBytes}
}

// IndexStats are the engine's.
func (c *Cache) IndexStats() IndexStats { return c.engine.IndexStats() }

// ErrDamaged says the index is damaged: a search read bytes whose
// checksum is not the one written (see textindex.Segment.Damaged), and
// must not be answered, since it found nothing in them.
var ErrDamaged = textindex.ErrDamaged

// damaged is the damage found in the state's text so far, nil if none.
func (s *snapshot) damaged() error {
	if err := s.text.Damaged(); err != nil {
		return fmt.Errorf("the index is damaged (run noticesearch check): %w", err)
	}
	return nil
}

// noticeAfter is the notice of section sec, given d, the notice of a
// section at or before it (-1 for none): found forward from d in secEnd,
// by steps doubling, then halving. The passes over a frequent term's
// matches, in ascending section order, find their notices so: looked up
// in doc, 25 MB at 50× the laws corpus, each new notice was a miss of the
// cache and of the TLB, 2 ms of 消防's 4.
func (s *snapshot) noticeAfter(d int, sec uint32) int {
	end := s.secEnd
	if d < 0 {
		return int(s.doc[sec])
	}
	if sec < end[d] {
		return d
	}
	lo, step := d, 1 // end[lo] <= sec
	for lo+step < len(end) && end[lo+step] <= sec {
		lo += step
		step *= 2
	}
	hi := min(lo+step, len(end)-1) // end[hi] > sec
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if end[mid] <= sec {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}
