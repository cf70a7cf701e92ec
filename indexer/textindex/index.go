package textindex

import (
	"encoding/binary"
	"io"
	"slices"
	"sort"

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
	closed bool

	docs         []docRec           // one past the last too
	secs         []secRec           // one past the last too
	offs         [nOffsets][]uint64 // one past the last too
	ndocs, nsecs int

	docData, norm, normPath, words, patch []byte

	keys     []uint64 // sorted
	ends     []uint64 // of each key's postings, with decodedBit
	postings []byte

	topWords []WordCount  // copied to the heap: they outlive the segment in suggestions
	byteFreq *[256]uint32 // of norm, for Finder; copied too
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
	id = span(ix.docData, at, at+uint64(r.idLen))
	at += uint64(r.idLen)
	meta = span(ix.docData, at, at+uint64(r.metaLen))
	at += uint64(r.metaLen)
	record = span(ix.docData, at, at+uint64(r.recLen))
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
	r := ix.secs[s : s+2]
	p = span(ix.patch, r[0].patch, r[1].patch)
	return p, min(int(r[0].textPatch), len(p))
}

// Norm is section s's normalised text, read in place: the caller must not
// change it, nor use it after Close.
func (ix *Segment) Norm(s int) []byte {
	o := ix.offs[offNorm][s : s+2]
	return span(ix.norm, o[0], o[1])
}

// NormPath is section s's normalised heading path, read in place.
func (ix *Segment) NormPath(s int) []byte {
	o := ix.offs[offNormPath][s : s+2]
	return span(ix.normPath, o[0], o[1])
}

// Words is the bitmap of word starts over Norm(s): see IsWord. It is read
// in place.
func (ix *Segment) Words(s int) []byte {
	o := ix.offs[offWords][s : s+2]
	return span(ix.words, o[0], o[1])
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
		at   int
		pair bool
	}
	lists := make([]list, len(keys))
	for i, k := range keys {
		p := ix.postingsOf(k.key)
		if p.n == 0 {
			return buf[:0]
		}
		lists[i] = list{p, k.at, isPair(k.key)}
	}
	slices.SortFunc(lists, func(a, b list) int { return a.n - b.n })
	var out []Candidate
	if lead := lists[0]; lead.decoded != nil {
		out = slices.Grow(buf[:0], len(lead.decoded))
		for _, e := range lead.decoded {
			if int(e.sec) >= ix.nsecs {
				break // damaged
			}
			c := Candidate{e.sec, uint32(e.count), -1}
			if lead.pair && e.first != 0xFFFF {
				c.First = placed(uint32(e.first), lead.at)
			}
			out = append(out, c)
		}
	} else {
		out = decode(lead.entries, lead.n, lead.pair, lead.at, uint32(ix.nsecs), buf[:0])
	}
	for _, l := range lists[1:] {
		if len(out) == 0 {
			break
		}
		if l.decoded != nil {
			out = intersectDecoded(out, l.decoded, l.at)
		} else {
			out = intersect(out, l.postings, l.at)
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

// postings are one key's: the number of sections, the skips, the entries;
// or, for the most frequent keys, the entries decoded.
type postings struct {
	n       int
	skips   []byte // skipSize bytes each: the last section before the skip (uint32), the offset in entries after it (uint64)
	entries []byte
	decoded []decoded
}

const skipSize = 12

// decoded is an entry of postings stored decoded.
type decoded struct {
	sec          uint32
	count, first uint16 // saturated: a count of 65535 is a bound, a first of 65535 unknown
}

// decodedFrom is the number of sections from which a key's postings are
// stored decoded (see Builder.writePostings), in a segment of up to
// decodedShare·decodedFrom sections; in a larger one, from
// 1/decodedShare of its sections. The postings of the most frequent pairs
// are the longest to decode and the most often intersected; but a decoded
// entry takes 8 bytes where one of varints takes 2.3 on average, so the
// share decoded must not grow with the segment. On the laws corpus (125k
// sections), 404 keys and 7.7M entries: 62 MB, a third of the file, for
// the search of 人民政府 in 0.7 of the time. A variable, so that the tests
// can have every key decoded.
var decodedFrom = 8192

const decodedShare = 16

// decodedAt is the number of sections from which a key's postings are
// stored decoded in a segment of secs sections.
func decodedAt(secs int) int { return max(decodedFrom, secs/decodedShare) }

// postingsOf returns the postings of key k, empty if it has none.
func (ix *Segment) postingsOf(k uint64) postings {
	i, ok := slices.BinarySearch(ix.keys, k)
	if !ok {
		return postings{}
	}
	return ix.postingsAt(i)
}

// postingsAt returns the postings of the i-th key, empty if they are
// damaged.
func (ix *Segment) postingsAt(i int) postings {
	var start uint64
	if i > 0 {
		start = ix.ends[i-1] &^ decodedBit
	}
	end := ix.ends[i]
	if end&decodedBit != 0 {
		end &^= decodedBit
		start = alignUp(start)
		b := span(ix.postings, start, end)
		if b == nil || len(b)%entrySize != 0 {
			return postings{}
		}
		n := len(b) / entrySize
		return postings{n: n, decoded: view[decoded](b, uint64(n))}
	}
	r := reader{b: span(ix.postings, start, end)}
	n, skips := r.uvarint(), r.uvarint()
	if r.err != nil || skips > uint64(len(r.b))/skipSize || skips*skipEvery > n || n > uint64(len(r.b)) {
		return postings{}
	}
	return postings{n: int(n), skips: r.b[:skips*skipSize], entries: r.b[skips*skipSize:]}
}

// intersectDecoded is intersect over decoded postings, galloping through
// them.
func intersectDecoded(a []Candidate, d []decoded, at int) []Candidate {
	out := a[:0]
	j := 0
	for _, x := range a {
		// Gallop to the first entry at or after x, then search back.
		step := 1
		for j+step < len(d) && d[j+step].sec < x.Sec {
			j += step
			step *= 2
		}
		end := min(j+step+1, len(d))
		j += sort.Search(end-j, func(k int) bool { return d[j+k].sec >= x.Sec })
		if j == len(d) {
			return out
		}
		if e := d[j]; e.sec == x.Sec {
			if x.First != placed(uint32(e.first), at) || e.first == 0xFFFF {
				x.First = -1
			}
			x.Count = min(x.Count, uint32(e.count))
			out = append(out, x)
		}
	}
	return out
}

// entry is one section of a key's postings, decoded.
type entry struct {
	delta, count, first uint32 // first: the rune offset of a pair's first occurrence
}

// next reads one entry of postings (see appendEntry); rest is nil if p is
// damaged.
func next(p []byte, pair bool) (e entry, rest []byte) {
	// Most entries are one byte of delta and, for a pair, one of offset.
	if len(p) >= 2 && p[0] < 0x80 && p[0]&1 == 0 && pair && p[1] < 0x80 {
		return entry{uint32(p[0] >> 1), 1, uint32(p[1])}, p[2:]
	}
	v, n := uvarint(p)
	if n <= 0 {
		return e, nil
	}
	p = p[n:]
	e.delta, e.count = uint32(v>>1), 1
	if v&1 == 1 {
		c, m := uvarint(p)
		if m <= 0 {
			return e, nil
		}
		e.count, p = uint32(c)+2, p[m:]
	}
	if pair {
		f, m := uvarint(p)
		if m <= 0 {
			return e, nil
		}
		e.first, p = uint32(f), p[m:]
	}
	return e, p
}

// uvarint is binary.Uvarint with the one-byte case first: most numbers
// of postings are small.
func uvarint(p []byte) (uint64, int) {
	if len(p) > 0 && p[0] < 0x80 {
		return uint64(p[0]), 1
	}
	return binary.Uvarint(p)
}

// placed is where a term starts if one of its pairs, at rune offset at in
// the term, first stands at first, or -1 if it cannot start there.
func placed(first uint32, at int) int32 {
	if int(first) < at {
		return -1
	}
	return int32(int(first) - at)
}

// decode decodes n entries of the postings p of a key (a pair if pair is
// set, at rune offset at in the term) as candidates, of sections under
// nsecs.
func decode(p []byte, n int, pair bool, at int, nsecs uint32, out []Candidate) []Candidate {
	out = slices.Grow(out, n)
	var v uint32
	for range n {
		e, rest := next(p, pair)
		if rest == nil {
			break // damaged
		}
		p = rest
		v += e.delta
		if v >= nsecs {
			break // damaged
		}
		c := Candidate{v, e.count, -1}
		if pair {
			c.First = placed(e.first, at)
		}
		out = append(out, c)
	}
	return out
}

// intersect keeps the members of a (ascending) that the postings p (of a
// pair at rune offset at in the term) hold, in place, with the lesser
// count; a First stays only if this pair first stands where it puts the
// term too. Blocks of entries before the next member are skipped whole,
// and entries passed over within a block are skipped, not decoded.
func intersect(a []Candidate, p postings, at int) []Candidate {
	out := a[:0]
	entries := p.entries
	var v uint32
	var entry []byte // of the section at v
	read := 0
	for _, x := range a {
		// Blocks that end before x: skip j passes over entries
		// [0, (j+1)·skipEvery), whose last section it records.
		for j := read / skipEvery; skipSize*j+skipSize <= len(p.skips); j++ {
			last := binary.LittleEndian.Uint32(p.skips[skipSize*j:])
			if last >= x.Sec {
				break
			}
			off := binary.LittleEndian.Uint64(p.skips[skipSize*j+4:])
			if off > uint64(len(p.entries)) {
				return out // damaged
			}
			v, entries, read = last, p.entries[off:], (j+1)*skipEvery
		}
		for read == 0 || v < x.Sec {
			if read == p.n || len(entries) == 0 {
				return out
			}
			entry = entries
			d, k := uvarint(entries)
			if k <= 0 {
				return out
			}
			entries = skipVarint(entries[k:]) // the first occurrence, or the count
			if d&1 == 1 {
				entries = skipVarint(entries) // the first occurrence
			}
			v += uint32(d >> 1)
			read++
		}
		if v == x.Sec {
			e, rest := next(entry, true)
			if rest == nil {
				return out
			}
			if x.First != placed(e.first, at) {
				x.First = -1
			}
			x.Count = min(x.Count, e.count)
			out = append(out, x)
		}
	}
	return out
}

// skipVarint returns p past its first varint (empty if there is none).
func skipVarint(p []byte) []byte {
	for i, c := range p {
		if c < 0x80 {
			return p[i+1:]
		}
	}
	return nil
}
