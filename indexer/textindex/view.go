package textindex

import (
	"cmp"
	"runtime"
	"slices"
	"sort"
	"sync"
)

// Index is one state of a text index: its segments in order, less the
// documents deleted from them. Deleted documents are not part of it at
// all: documents and sections are numbered over the live ones only, the
// first segment's first, so that nothing reading an Index can see a
// deleted document. An Index never changes; a new state is a new Index,
// which shares the segments it keeps with the old one.
type Index struct {
	parts    []part
	docs     int // live, in all segments
	secs     int
	byteFreq *byteFreqs
	topWords []WordCount
}

// part is one segment of an Index.
type part struct {
	seg              *Segment
	docBase, secBase int // Index numbers of its first live document and section
	docs, secs       int // live
	// With deletions only: the segment numbers of the live documents and
	// sections by their number within the part, and back (-1 when dead).
	liveDocs, liveSecs []uint32
	docAt, secAt       []int32
}

// Empty is an index with nothing in it.
func Empty() *Index { return NewIndex(nil, nil) }

// NewIndex is the state made of segs with, for each, the sorted numbers
// of its deleted documents (deleted may be nil, or shorter than segs). A
// number out of range is ignored.
func NewIndex(segs []*Segment, deleted [][]int) *Index {
	ix := &Index{byteFreq: new(byteFreqs)}
	words := map[string]int{}
	for i, seg := range segs {
		p := part{seg: seg, docBase: ix.docs, secBase: ix.secs, docs: seg.Docs(), secs: seg.Sections()}
		var dead []int
		if i < len(deleted) {
			dead = deleted[i]
		}
		if len(dead) > 0 {
			p.docAt = make([]int32, seg.Docs())
			p.secAt = make([]int32, seg.Sections())
			for d := range seg.Docs() {
				first, end := seg.DocSections(d)
				if _, gone := slices.BinarySearch(dead, d); gone {
					p.docAt[d] = -1
					for s := first; s < end; s++ {
						p.secAt[s] = -1
					}
					continue
				}
				p.docAt[d] = int32(len(p.liveDocs))
				p.liveDocs = append(p.liveDocs, uint32(d))
				for s := first; s < end; s++ {
					p.secAt[s] = int32(len(p.liveSecs))
					p.liveSecs = append(p.liveSecs, uint32(s))
				}
			}
			p.docs, p.secs = len(p.liveDocs), len(p.liveSecs)
		}
		ix.docs += p.docs
		ix.secs += p.secs
		ix.parts = append(ix.parts, p)
		ix.byteFreq.add(seg.byteFreq)
		for _, w := range seg.topWords { // counts of deleted documents too: they are for suggestions, and approximate
			words[w.Word] += w.Count
		}
	}
	if len(segs) == 1 {
		ix.topWords = segs[0].topWords
	} else {
		ix.topWords = make([]WordCount, 0, len(words))
		for w, n := range words {
			ix.topWords = append(ix.topWords, WordCount{w, n})
		}
		slices.SortFunc(ix.topWords, func(a, b WordCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Word, b.Word))
		})
		ix.topWords = ix.topWords[:min(len(ix.topWords), TopWords)]
	}
	return ix
}

// Segments are the index's segments, in order.
func (ix *Index) Segments() []*Segment {
	segs := make([]*Segment, len(ix.parts))
	for i, p := range ix.parts {
		segs[i] = p.seg
	}
	return segs
}

// partOfSec returns the part holding section s and s's number in its
// segment.
func (ix *Index) partOfSec(s int) (*part, int) {
	i, local := ix.locateSec(s)
	return &ix.parts[i], local
}

// locateSec is the place in the index of the segment holding section s,
// and s's number there.
func (ix *Index) locateSec(s int) (int, int) {
	i := 0
	if len(ix.parts) > 1 {
		i = sort.Search(len(ix.parts), func(i int) bool { return ix.parts[i].secBase > s }) - 1
	}
	p := &ix.parts[i]
	local := s - p.secBase
	if p.liveSecs != nil {
		return i, int(p.liveSecs[local])
	}
	return i, local
}

// partOfDoc returns the part holding document d and d's number in its
// segment.
func (ix *Index) partOfDoc(d int) (*part, int) {
	i, local := ix.Locate(d)
	return &ix.parts[i], local
}

// Locate is the segment (by its place in the index) and the number in it
// of document d.
func (ix *Index) Locate(d int) (seg, doc int) {
	i := 0
	if len(ix.parts) > 1 {
		i = sort.Search(len(ix.parts), func(i int) bool { return ix.parts[i].docBase > d }) - 1
	}
	p := &ix.parts[i]
	local := d - p.docBase
	if p.liveDocs != nil {
		return i, int(p.liveDocs[local])
	}
	return i, local
}

// DocAt is the Index number of document d of the segment of the i-th
// part, or -1 when it is deleted.
func (ix *Index) DocAt(i, d int) int {
	p := &ix.parts[i]
	if p.docAt == nil {
		return p.docBase + d
	}
	if v := p.docAt[d]; v >= 0 {
		return p.docBase + int(v)
	}
	return -1
}

// Docs is the number of live documents.
func (ix *Index) Docs() int { return ix.docs }

// Sections is the number of sections of live documents.
func (ix *Index) Sections() int { return ix.secs }

// DocID, DocMeta and DocRecord describe document i.
func (ix *Index) DocID(i int) string {
	p, d := ix.partOfDoc(i)
	return p.seg.DocID(d)
}

func (ix *Index) DocMeta(i int) []byte {
	p, d := ix.partOfDoc(i)
	return p.seg.DocMeta(d)
}

func (ix *Index) DocRecord(i int) []byte {
	p, d := ix.partOfDoc(i)
	return p.seg.DocRecord(d)
}

// DocSections is the range [first, end) of document i's sections.
func (ix *Index) DocSections(i int) (first, end int) {
	p, d := ix.partOfDoc(i)
	f, e := p.seg.DocSections(d)
	if p.secAt != nil && f < e {
		v := p.secBase + int(p.secAt[f])
		return v, v + e - f
	}
	return p.secBase + f, p.secBase + e
}

// Doc is the document section s belongs to.
func (ix *Index) Doc(s int) int {
	p, local := ix.partOfSec(s)
	d := p.seg.Doc(local)
	if p.docAt != nil {
		return p.docBase + int(p.docAt[d])
	}
	return p.docBase + d
}

// Seq, Level, Text, Path, Norm, NormPath and Words of section s: see
// Segment's.
func (ix *Index) Seq(s int) int {
	p, l := ix.partOfSec(s)
	return p.seg.Seq(l)
}

func (ix *Index) Level(s int) int {
	p, l := ix.partOfSec(s)
	return p.seg.Level(l)
}

// IsTitle reports whether section s is its document's title.
func (ix *Index) IsTitle(s int) bool { return ix.Level(s) == TitleLevel }

func (ix *Index) Text(s int) string {
	p, l := ix.partOfSec(s)
	return p.seg.Text(l)
}

func (ix *Index) Path(s int) string {
	p, l := ix.partOfSec(s)
	return p.seg.Path(l)
}

func (ix *Index) Norm(s int) []byte {
	p, l := ix.partOfSec(s)
	return p.seg.Norm(l)
}

// Contains is Segment.Contains over the index.
func (ix *Index) Contains(s int, f *Finder) bool {
	p, l := ix.partOfSec(s)
	return p.seg.Contains(l, f)
}

// Count is Segment.Count over the index.
func (ix *Index) Count(s int, f *Finder) int {
	p, l := ix.partOfSec(s)
	return p.seg.Count(l, f)
}

// Chars is Segment.Chars over the index.
func (ix *Index) Chars(s int) int {
	p, l := ix.partOfSec(s)
	return p.seg.Chars(l)
}

// Find is Segment.Find over the index.
func (ix *Index) Find(s int, f *Finder) int {
	p, l := ix.partOfSec(s)
	return p.seg.Find(l, f)
}

// PathOf is section s's heading path: the place of its segment in the
// index (see Segments) and the path's number there (see Segment.PathOf).
func (ix *Index) PathOf(s int) (part, path int) {
	i, l := ix.locateSec(s)
	return i, ix.parts[i].seg.PathOf(l)
}

// NormLen is Segment.NormLen over the index.
func (ix *Index) NormLen(s int) int {
	p, l := ix.partOfSec(s)
	return p.seg.NormLen(l)
}

func (ix *Index) NormPath(s int) []byte {
	p, l := ix.partOfSec(s)
	return p.seg.NormPath(l)
}

func (ix *Index) Words(s int) []byte {
	p, l := ix.partOfSec(s)
	return p.seg.Words(l)
}

// TopWords lists the most frequent words of the segments, most frequent
// first.
func (ix *Index) TopWords() []WordCount { return ix.topWords }

// Finder returns a finder for term, which must not be empty.
func (ix *Index) Finder(term []byte) Finder { return newFinder(ix.byteFreq, term) }

// Confirm is Segment.Confirm over the index.
func (ix *Index) Confirm(cands []Candidate, term []byte) []Candidate {
	return confirm(ix, ix.Finder(term), cands)
}

// Estimate is an upper bound on the sections that hold the normalised
// term: the sum of the segments'.
func (ix *Index) Estimate(term []byte) int {
	n := 0
	for _, p := range ix.parts {
		n += p.seg.Estimate(term)
	}
	return n
}

var partPool = sync.Pool{New: func() any { return new([]Candidate) }}

// parallelParts is the estimated number of candidates from which the
// segments' candidates are found on several cores at once.
// A variable, so that the tests can search small indexes on all cores.
var parallelParts = 16384

// Candidates is Segment.Candidates over the live sections of every
// segment, in ascending order. Over several segments and many candidates,
// the segments are searched on all cores.
func (ix *Index) Candidates(term []byte, buf []Candidate) []Candidate {
	if len(ix.parts) == 1 && ix.parts[0].secAt == nil {
		return ix.parts[0].seg.Candidates(term, buf)
	}
	parts := make([]*[]Candidate, len(ix.parts))
	defer func() {
		for _, p := range parts {
			if p != nil {
				partPool.Put(p)
			}
		}
	}()
	find := func(i int) {
		parts[i] = partPool.Get().(*[]Candidate)
		*parts[i] = ix.parts[i].candidates(term, (*parts[i])[:0])
	}
	if workers := runtime.GOMAXPROCS(0); workers > 1 && ix.Estimate(term) >= parallelParts {
		var wg sync.WaitGroup
		next := make(chan int, len(ix.parts))
		for i := range ix.parts {
			next <- i
		}
		close(next)
		for range min(workers, len(ix.parts)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					find(i)
				}
			}()
		}
		wg.Wait()
	} else {
		for i := range ix.parts {
			find(i)
		}
	}
	n := 0
	for _, p := range parts {
		n += len(*p)
	}
	out := slices.Grow(buf[:0], n)
	for _, p := range parts {
		out = append(out, *p...)
	}
	return out
}

// candidates are the part's segment's candidates for term, live ones only,
// numbered in the Index.
func (p *part) candidates(term []byte, buf []Candidate) []Candidate {
	out := p.seg.Candidates(term, buf)
	kept := out[:0]
	for _, c := range out {
		if p.secAt != nil {
			at := p.secAt[c.Sec]
			if at < 0 {
				continue
			}
			c.Sec = uint32(at)
		}
		c.Sec += uint32(p.secBase)
		kept = append(kept, c)
	}
	return kept
}

// CountWords is Segment.CountWords over the index.
func (ix *Index) CountWords(s int, w *WordCounts) {
	p, l := ix.partOfSec(s)
	p.seg.CountWords(l, w)
}
