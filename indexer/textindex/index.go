package textindex

import (
	"bytes"
	"cmp"
	"io"
	"math/bits"
	"slices"
	"sort"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/mmap-go"
)

// Segment is one segment file, read in place through a memory mapping
// (see format.go): opening it reads nothing into memory but a few
// thousand of its most frequent words, and its file is checked against
// its checksums first. It is safe for concurrent use until Close, after
// which it must not be used, nor anything it returned but strings (see
// Close).
type Segment struct {
	path   string
	data   mmap.MMap   // the mapping; nil for a segment read from bytes (tests), and once closed
	file   []byte      // the whole file
	src    io.ReaderAt // the file, to check it
	h      header
	lazy   *lazyCheck // the checks left for first reads; nil when all were done at opening
	closed bool

	docs         []docRec            // one past the last too
	secs         []secRec            // one past the last too
	offs         [nOffsets]offsets32 // one past the last too
	paths        offsets32           // one past the last too
	ndocs, nsecs int

	docData, norm, normPath, words, patch []byte

	runes    []runeRec // sorted
	keys     []uint32  // sorted within each rune's
	ends     offsets32 // of each key's postings
	postings []byte

	topWords []WordCount // copied to the heap: they outlive the segment in suggestions
	byteFreq *byteFreqs  // of norm, for Finder; copied too
}

// WordCount is a word and the number of its occurrences.
type WordCount struct {
	Word  string
	Count int
}

// Docs is the number of documents.
func (ix *Segment) Docs() int { return ix.ndocs }

// Sections is the number of sections, in all documents.
func (ix *Segment) Sections() int { return ix.nsecs }

// docText is the ID, metadata and record of document i.
func (ix *Segment) docText(i int) (id, meta, record []byte) {
	r := &ix.docs[i]
	at := r.data
	id = ix.checked(regDocData, ix.docData, at, at+uint64(r.idLen))
	at += uint64(r.idLen)
	meta = ix.checked(regDocData, ix.docData, at, at+uint64(r.metaLen))
	at += uint64(r.metaLen)
	record = ix.checked(regDocData, ix.docData, at, at+uint64(r.recLen))
	return id, meta, record
}

// DocID is document i's ID, a string of its own.
func (ix *Segment) DocID(i int) string {
	id, _, _ := ix.docText(i)
	return string(id)
}

// DocMeta is document i's metadata, read in place: valid until Close.
func (ix *Segment) DocMeta(i int) []byte {
	_, meta, _ := ix.docText(i)
	return meta
}

// DocRecord is document i's record (see Doc.Record), read in place: valid
// until Close.
func (ix *Segment) DocRecord(i int) []byte {
	_, _, record := ix.docText(i)
	return record
}

// DocSections is the range [first, end) of document i's sections.
func (ix *Segment) DocSections(i int) (first, end int) {
	end = min(int(ix.docs[i+1].first), ix.nsecs)
	return min(int(ix.docs[i].first), end), end
}

// Doc is the document section s belongs to.
func (ix *Segment) Doc(s int) int {
	d := int(ix.secs[s].doc)
	if d < ix.ndocs && int(ix.docs[d].first) <= s && s < int(ix.docs[d+1].first) {
		return d
	}
	// A damaged record: the document whose sections hold s.
	return min(sort.Search(ix.ndocs, func(d int) bool { return int(ix.docs[d+1].first) > s }), ix.ndocs-1)
}

// Seq and Level of section s.
func (ix *Segment) Seq(s int) int   { return int(ix.secs[s].seq) }
func (ix *Segment) Level(s int) int { return int(ix.secs[s].level) }

// IsTitle reports whether section s is its document's title.
func (ix *Segment) IsTitle(s int) bool { return ix.secs[s].level == TitleLevel }

// Text is section s as displayed, a string of its own.
func (ix *Segment) Text(s int) string {
	p, text := ix.patches(s)
	norm := ix.Norm(s)
	return patched(norm, p[:text])
}

// Path is section s's headings from the root, joined by "\n", a string of
// its own.
func (ix *Segment) Path(s int) string {
	p, text := ix.patches(s)
	norm := ix.NormPath(s)
	if len(norm) == 0 && len(p) == text {
		return ""
	}
	return patched(norm, p[text:])
}

// patches are section s's text patch and path patch, one after the
// other, and the length of the first.
func (ix *Segment) patches(s int) (p []byte, text int) {
	p = ix.checked(regPatch, ix.patch, ix.offs[offPatch].at(s), ix.offs[offPatch].at(s+1))
	return p, min(int(ix.secs[s].textPatch), len(p))
}

// Norm is section s's normalised text, a copy of its own. Matching reads
// the text as stored instead, in place (see Find).
func (ix *Segment) Norm(s int) []byte {
	stored := ix.stored(s)
	if stored == nil {
		return nil
	}
	return appendSwapped(make([]byte, 0, len(stored)+len(stored)/2), stored)
}

// stored is section s's normalised text as stored (see compact.go), read
// in place: the caller must not change it, nor use it after Close.
func (ix *Segment) stored(s int) []byte {
	o := &ix.offs[offNorm]
	return ix.checked(regNorm, ix.norm, o.at(s), o.at(s+1))
}

// Contains reports whether section s's normalised text holds f's term.
func (ix *Segment) Contains(s int, f *Finder) bool { return f.stored.index(ix.stored(s)) >= 0 }

// Count is the number of places in section s's normalised text where
// f's term starts (overlapping occurrences counted each).
func (ix *Segment) Count(s int, f *Finder) int {
	text, n := ix.stored(s), 0
	for {
		i := f.stored.index(text)
		if i < 0 {
			return n
		}
		n++
		_, size := utf8.DecodeRune(text[i:])
		text = text[i+size:]
	}
}

// Chars is the number of characters of section s's normalised text, its
// barriers (runs of punctuation and blanks) not counted.
func (ix *Segment) Chars(s int) int {
	text := ix.stored(s)
	return RuneCount(text) - bytes.Count(text, []byte{BarrierByte})
}

// Find is the rune offset in section s's normalised text of the first
// occurrence of f's term, -1 if none.
func (ix *Segment) Find(s int, f *Finder) int {
	text := ix.stored(s)
	i := f.stored.index(text)
	if i < 0 {
		return -1
	}
	return RuneCount(text[:i])
}

// PathOf is the number of section s's heading path among the segment's
// distinct paths (Paths of them): sections with the same headings share
// it, so that what a query learns of a path holds for all of them.
func (ix *Segment) PathOf(s int) int {
	return int(min(ix.offs[offPath].lo[s], uint32(ix.Paths())))
}

// Paths is the number of distinct heading paths; PathOf is below it.
func (ix *Segment) Paths() int { return max(len(ix.paths.lo)-1, 0) }

// NormLen is the length in bytes of section s's normalised text as
// stored (see compact.go), read from its offsets, not from the text.
func (ix *Segment) NormLen(s int) int {
	o := &ix.offs[offNorm]
	start, end := o.at(s), o.at(s+1)
	if start > end || end > uint64(len(ix.norm)) {
		return 0 // damaged
	}
	return int(end - start)
}

// NormPath is section s's normalised heading path, read in place.
func (ix *Segment) NormPath(s int) []byte {
	p := int(ix.offs[offPath].lo[s])
	if p+1 >= len(ix.paths.lo) {
		return nil // damaged
	}
	return ix.checked(regNormPath, ix.normPath, ix.paths.at(p), ix.paths.at(p+1))
}

// Words is the bitmap of word starts over Norm(s): see IsWord. It is read
// in place.
func (ix *Segment) Words(s int) []byte {
	o := &ix.offs[offWords]
	return ix.checked(regWords, ix.words, o.at(s), o.at(s+1))
}

// TopWords lists the most frequent words of the index, most frequent first.
func (ix *Segment) TopWords() []WordCount { return ix.topWords }

// Candidate is a section that may hold a term, with the least number of
// times it holds one of the term's keys (the term's own count for a term
// of one or two characters, a bound on it for a longer term), and the rune
// offset of the term's first occurrence in its normalised text when the
// postings prove it, else -1.
type Candidate struct {
	Sec, Count uint32
	First      int32
}

// Candidates returns, in ascending order, the sections that hold every
// key of the normalised term: for a term of one or two characters exactly
// those containing it, for longer terms a superset. A candidate with a
// First holds the term; the others the caller confirms against Norm. Buf
// is reused if large enough.
func (ix *Segment) Candidates(term []byte, buf []Candidate) []Candidate {
	keys, repeated := termKeys(term)
	if len(keys) == 0 {
		return buf[:0]
	}
	type list struct {
		postings
		at int
	}
	lists := make([]list, len(keys))
	for i, k := range keys {
		p := ix.postingsOf(k.key)
		if p.n == 0 {
			return buf[:0]
		}
		lists[i] = list{p, k.at}
	}
	if lists[0].char {
		return ix.union(&lists[0].postings, buf[:0])
	}
	slices.SortFunc(lists, func(a, b list) int { return a.n - b.n })
	out := decode(&lists[0].postings, lists[0].at, uint32(ix.nsecs), slices.Grow(buf[:0], lists[0].n))
	for i := range lists[1:] {
		if len(out) == 0 {
			break
		}
		if l := &lists[1+i]; len(out)*denseRatio >= l.n {
			out = intersectDense(out, &l.postings, l.at, uint32(ix.nsecs))
		} else {
			out = intersect(out, &l.postings, l.at)
		}
	}
	if repeated { // one first occurrence per pair cannot place the term
		for i := range out {
			out[i].First = -1
		}
	}
	return out
}

// Estimate is an upper bound on the sections that hold the normalised
// term, read from its keys' postings without decoding them: what a query
// of that term will cost to match and rank.
func (ix *Segment) Estimate(term []byte) int {
	keys, _ := termKeys(term)
	best := -1
	for _, k := range keys {
		n := ix.postingsOf(k.key).n
		if best < 0 || n < best {
			best = n
		}
	}
	return max(best, 0)
}

// postingsOf returns the postings of key k, empty if it has none.
func (ix *Segment) postingsOf(k uint64) postings {
	a, b := uint32(k>>32), uint32(k)
	r, ok := slices.BinarySearchFunc(ix.runes, a, func(e runeRec, a uint32) int { return cmp.Compare(e.r, a) })
	if !ok {
		return postings{}
	}
	lo, hi := int(ix.runes[r].first), len(ix.keys)
	if r+1 < len(ix.runes) {
		hi = int(ix.runes[r+1].first)
	}
	if lo > hi || hi > len(ix.keys) {
		return postings{} // damaged
	}
	i, ok := slices.BinarySearch(ix.keys[lo:hi], b)
	if !ok {
		return postings{}
	}
	i += lo
	var start uint64
	if i > 0 {
		start = ix.ends.at(i - 1)
	}
	p := ix.checked(regPostings, ix.postings, start, ix.ends.at(i))
	if b != single {
		return parsePostings(p)
	}
	// A character: the pairs it starts are the keys before it, from the
	// first with its rune.
	n, m := uvarint(p)
	if m <= 0 || n > uint64(ix.nsecs) {
		return postings{}
	}
	return postings{n: int(n), char: true, lo: lo, hi: i}
}

// pairPostings returns the postings of the i-th key, a pair's.
func (ix *Segment) pairPostings(i int) postings {
	var start uint64
	if i > 0 {
		start = ix.ends.at(i - 1)
	}
	return parsePostings(ix.checked(regPostings, ix.postings, start, ix.ends.at(i)))
}

// unionPool holds the tables of union.
var unionPool = sync.Pool{New: func() any { return new(unionTable) }}

// unionTable adds up counts by section: a count and a bit for each.
type unionTable struct {
	counts []uint32
	seen   []uint64
}

// union is a character's candidates (see postings): the union of the
// postings of the pairs it starts, counts added up. They are added into a
// table by section, whose bits then list them in order.
func (ix *Segment) union(c *postings, out []Candidate) []Candidate {
	if c.hi-c.lo == 1 {
		p := ix.pairPostings(c.lo)
		out = decode(&p, 0, uint32(ix.nsecs), slices.Grow(out, p.n))
		for i := range out {
			out[i].First = -1
		}
		return out
	}
	t := unionPool.Get().(*unionTable)
	defer unionPool.Put(t)
	if len(t.counts) < ix.nsecs {
		t.counts = make([]uint32, ix.nsecs)
		t.seen = make([]uint64, (ix.nsecs+63)/64)
	}
	lowest, highest := ix.nsecs, -1
	var buf []Candidate
	if b := candBufPool.Get(); b != nil {
		buf = *b.(*[]Candidate)
	}
	for k := c.lo; k < c.hi; k++ {
		p := ix.pairPostings(k)
		buf = decode(&p, 0, uint32(ix.nsecs), buf[:0])
		if len(buf) == 0 {
			continue
		}
		lowest, highest = min(lowest, int(buf[0].Sec)), max(highest, int(buf[len(buf)-1].Sec))
		for _, e := range buf {
			t.counts[e.Sec] += e.Count
			t.seen[e.Sec/64] |= 1 << (e.Sec % 64)
		}
	}
	candBufPool.Put(&buf)
	out = slices.Grow(out, c.n)
	for w := lowest / 64; w <= highest/64 && highest >= 0; w++ {
		for word := t.seen[w]; word != 0; word &= word - 1 {
			s := w*64 + bits.TrailingZeros64(word)
			out = append(out, Candidate{uint32(s), t.counts[s], -1})
			t.counts[s] = 0
		}
		t.seen[w] = 0
	}
	return out
}

var candBufPool sync.Pool
