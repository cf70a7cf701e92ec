package textindex

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"sync"
	"unsafe"
)

// Index is a text index read into memory. It is safe for concurrent use.
type Segment struct {
	docs                              []docRec
	secs                              []secRec
	text, norm, path, normPath, words []byte

	keys     []uint64
	postOff  []uint32 // postings of keys[i]: postings[postOff[i]:postOff[i+1]]
	postings []byte

	topWords []WordCount
	byteFreq *[256]uint32         // of norm, for Finder
	decoded  map[uint64][]decoded // postings of the most frequent keys
}

type docRec struct {
	id           string
	meta, record []byte
	first, n     uint32
}

type secRec struct {
	doc, seq                uint32
	level                   uint16
	text, norm, path, nPath uint32 // offsets in their blobs, which are under 4 GiB (see Builder.Write)
	words                   uint32
}

// WordCount is a word and the number of its occurrences.
type WordCount struct {
	Word  string
	Count int
}

// ErrFormat says a file is not a text index this program can read.
var ErrFormat = errors.New("not a text index of this version")

// Open reads the index in the file at path.
func OpenSegment(path string) (*Segment, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ix, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ix, nil
}

func parse(data []byte) (*Segment, error) {
	if len(data) < len(magic) || string(data[:len(magic)]) != magic {
		return nil, ErrFormat
	}
	rest := data[len(magic):]
	var blobs [nBlobs][]byte
	for i := range blobs {
		if len(rest) < 8 {
			return nil, ErrFormat
		}
		n := binary.LittleEndian.Uint64(rest)
		rest = rest[8:]
		if n > uint64(len(rest)) {
			return nil, ErrFormat
		}
		blobs[i], rest = rest[:n:n], rest[n:]
	}
	if len(rest) != 0 {
		return nil, ErrFormat
	}
	raw, err := decompressBlobs(blobs[:nCompressed])
	if err != nil {
		return nil, err
	}
	copy(blobs[:nCompressed], raw)
	ix, err := fromBlobs(blobs)
	if err != nil {
		return nil, err
	}
	ix.normalizeAll()
	return ix, nil
}

// fromBlobs builds an index from its blobs, uncompressed; the normalised
// text is left to normalizeAll or setNorms.
func fromBlobs(blobs [nBlobs][]byte) (*Segment, error) {
	ix := &Segment{text: blobs[blobText], path: blobs[blobPath], words: blobs[blobWords], postings: blobs[blobPostings]}
	r := reader{b: blobs[blobDocs]}
	for len(r.b) > 0 && r.err == nil {
		d := docRec{id: r.str(), meta: []byte(r.str()), record: []byte(r.str())}
		d.first = uint32(len(ix.secs))
		d.n = uint32(r.uvarint())
		if uint64(d.n) > uint64(len(blobs[blobSections])) {
			return nil, ErrFormat
		}
		ix.docs = append(ix.docs, d)
		for range d.n {
			ix.secs = append(ix.secs, secRec{doc: uint32(len(ix.docs) - 1)})
		}
	}
	r = reader{b: blobs[blobSections]}
	var text, path, words uint64
	for i := range ix.secs {
		s := &ix.secs[i]
		s.seq, s.level = uint32(r.uvarint()), uint16(r.uvarint())
		s.text, s.path, s.words = uint32(text), uint32(path), uint32(words)
		text += r.uvarint()
		path += r.uvarint()
		words += r.uvarint()
	}
	if r.err != nil || len(r.b) != 0 || text != uint64(len(ix.text)) || path != uint64(len(ix.path)) || words != uint64(len(ix.words)) {
		return nil, ErrFormat
	}
	r = reader{b: blobs[blobKeys]}
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		return nil, ErrFormat
	}
	ix.keys = make([]uint64, n)
	ix.postOff = make([]uint32, n+1)
	var key, off uint64
	for i := range ix.keys {
		key += r.uvarint()
		off += r.uvarint()
		ix.keys[i] = key
		ix.postOff[i+1] = uint32(off)
	}
	if r.err != nil || off != uint64(len(ix.postings)) {
		return nil, ErrFormat
	}
	r = reader{b: blobs[blobTopWords]}
	n = r.uvarint()
	if n > uint64(len(r.b)) {
		return nil, ErrFormat
	}
	for range n {
		ix.topWords = append(ix.topWords, WordCount{r.str(), int(r.uvarint())})
	}
	if r.err != nil {
		return nil, ErrFormat
	}
	ix.decodeFrequent()
	return ix, nil
}

// normalizeAll normalises every section's text and heading path, on all
// cores.
func (ix *Segment) normalizeAll() {
	norm := make([][]byte, len(ix.secs))
	normPath := make([][]byte, len(ix.secs))
	parallel(len(ix.secs), func(s int) {
		norm[s] = Normalize(ix.Text(s))
		normPath[s] = Normalize(ix.Path(s))
	})
	ix.setNorms(norm, normPath)
}

// parallel calls f for 0 ≤ i < n, on all cores.
func parallel(n int, f func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// setNorms lays the sections' normalised texts and paths out in one blob
// each.
func (ix *Segment) setNorms(norm, normPath [][]byte) {
	var n, np int
	for i := range norm {
		n += len(norm[i])
		np += len(normPath[i])
	}
	ix.norm, ix.normPath = make([]byte, 0, n), make([]byte, 0, np)
	for i := range ix.secs {
		ix.secs[i].norm, ix.secs[i].nPath = uint32(len(ix.norm)), uint32(len(ix.normPath))
		ix.norm = append(ix.norm, norm[i]...)
		ix.normPath = append(ix.normPath, normPath[i]...)
	}
	ix.byteFreq = byteFrequencies(ix.norm)
}

// decompressBlobs inflates the chunks of the compressed blobs on all cores.
func decompressBlobs(blobs [][]byte) ([][]byte, error) {
	type chunk struct {
		in, out []byte
	}
	var chunks []chunk
	out := make([][]byte, len(blobs))
	for i, b := range blobs {
		r := reader{b: b}
		n := r.uvarint()
		type head struct{ raw, comp uint64 }
		var heads []head
		var total uint64
		for range min(n, uint64(len(b))) {
			h := head{r.uvarint(), r.uvarint()}
			if h.comp > uint64(len(r.b)) || h.raw > 1<<32 {
				return nil, ErrFormat
			}
			heads = append(heads, h)
			total += h.raw
			chunks = append(chunks, chunk{in: r.b[:h.comp]})
			r.b = r.b[h.comp:]
		}
		if r.err != nil || len(r.b) != 0 || uint64(len(heads)) != n || total > 1<<32 {
			return nil, ErrFormat
		}
		out[i] = make([]byte, total)
		off := uint64(0)
		for j, h := range heads {
			chunks[len(chunks)-len(heads)+j].out = out[i][off : off+h.raw]
			off += h.raw
		}
	}
	jobs := make(chan chunk)
	errs := make(chan error, len(chunks))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				zr := flate.NewReader(bytes.NewReader(c.in))
				if _, err := io.ReadFull(zr, c.out); err != nil {
					errs <- ErrFormat
				}
			}
		}()
	}
	for _, c := range chunks {
		jobs <- c
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return out, nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = ErrFormat
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) str() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = ErrFormat
		r.b = nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// Docs is the number of documents.
func (ix *Segment) Docs() int { return len(ix.docs) }

// Sections is the number of sections, in all documents.
func (ix *Segment) Sections() int { return len(ix.secs) }

// DocID and DocMeta describe document i.
func (ix *Segment) DocID(i int) string   { return ix.docs[i].id }
func (ix *Segment) DocMeta(i int) []byte { return ix.docs[i].meta }

// DocRecord is document i's record (see Doc.Record).
func (ix *Segment) DocRecord(i int) []byte { return ix.docs[i].record }

// DocSections is the range [first, end) of document i's sections.
func (ix *Segment) DocSections(i int) (first, end int) {
	d := ix.docs[i]
	return int(d.first), int(d.first + d.n)
}

// Doc is the document section s belongs to.
func (ix *Segment) Doc(s int) int { return int(ix.secs[s].doc) }

// Seq and Level of section s.
func (ix *Segment) Seq(s int) int   { return int(ix.secs[s].seq) }
func (ix *Segment) Level(s int) int { return int(ix.secs[s].level) }

// IsTitle reports whether section s is its document's title.
func (ix *Segment) IsTitle(s int) bool { return ix.secs[s].level == TitleLevel }

func (ix *Segment) end(s int, off func(*secRec) uint32, blob []byte) uint32 {
	if s+1 < len(ix.secs) {
		return off(&ix.secs[s+1])
	}
	return uint32(len(blob))
}

// Text is section s as displayed.
func (ix *Segment) Text(s int) string {
	return bytesString(ix.text[ix.secs[s].text:ix.end(s, func(r *secRec) uint32 { return r.text }, ix.text)])
}

// Path is section s's headings from the root, joined by "\n".
func (ix *Segment) Path(s int) string {
	return bytesString(ix.path[ix.secs[s].path:ix.end(s, func(r *secRec) uint32 { return r.path }, ix.path)])
}

// Norm is section s's normalised text. The caller must not change it.
func (ix *Segment) Norm(s int) []byte {
	return ix.norm[ix.secs[s].norm:ix.end(s, func(r *secRec) uint32 { return r.norm }, ix.norm)]
}

// NormPath is section s's normalised heading path.
func (ix *Segment) NormPath(s int) []byte {
	return ix.normPath[ix.secs[s].nPath:ix.end(s, func(r *secRec) uint32 { return r.nPath }, ix.normPath)]
}

// Words is the bitmap of word starts over Norm(s): see IsWord.
func (ix *Segment) Words(s int) []byte {
	return ix.words[ix.secs[s].words:ix.end(s, func(r *secRec) uint32 { return r.words }, ix.words)]
}

// TopWords lists the most frequent words of the index, most frequent first.
func (ix *Segment) TopWords() []WordCount { return ix.topWords }

// bytesString views b as a string without copying: the index's blobs
// are never written to once read.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

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
			c := Candidate{e.sec, uint32(e.count), -1}
			if lead.pair && e.first != 0xFFFF {
				c.First = placed(uint32(e.first), lead.at)
			}
			out = append(out, c)
		}
	} else {
		out = decode(lead.entries, lead.n, lead.pair, lead.at, buf[:0])
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
	skips   []byte // pairs of little-endian uint32: the last section before the skip, the offset in entries after it
	entries []byte
	decoded []decoded
}

// decoded is an entry of postings kept decoded in memory.
type decoded struct {
	sec          uint32
	count, first uint16 // saturated: a count of 65535 is a bound, a first of 65535 unknown
}

// decodedFrom is the number of sections from which a key's postings are
// kept decoded in memory: the postings of the most frequent pairs are the
// longest to decode and the most often intersected. On the laws corpus,
// 403 keys and 7.7M entries (61 MB, decoded in 0.07-0.09 s on opening).
// A variable, so that the tests can have every key decoded.
var decodedFrom = 8192

// postingsOf returns the postings of key k, empty if it has none.
func (ix *Segment) postingsOf(k uint64) postings {
	i, ok := slices.BinarySearch(ix.keys, k)
	if !ok {
		return postings{}
	}
	if d, ok := ix.decoded[k]; ok {
		return postings{n: len(d), decoded: d}
	}
	return ix.rawPostings(i)
}

// rawPostings are the postings of the i-th key as the file holds them.
func (ix *Segment) rawPostings(i int) postings {
	r := reader{b: ix.postings[ix.postOff[i]:ix.postOff[i+1]]}
	n, skips := r.uvarint(), r.uvarint()
	if r.err != nil || skips*8 > uint64(len(r.b)) || skips*skipEvery > n {
		return postings{}
	}
	return postings{n: int(n), skips: r.b[:skips*8], entries: r.b[skips*8:]}
}

// decodeFrequent decodes the postings of the keys held by decodedFrom
// sections or more, on all cores.
func (ix *Segment) decodeFrequent() {
	var frequent []int
	for i := range ix.keys {
		if p := ix.rawPostings(i); p.n >= decodedFrom {
			frequent = append(frequent, i)
		}
	}
	lists := make([][]decoded, len(frequent))
	parallel(len(frequent), func(j int) {
		i := frequent[j]
		p, pair := ix.rawPostings(i), isPair(ix.keys[i])
		list := make([]decoded, 0, p.n)
		var v uint32
		for range p.n {
			e, rest := next(p.entries, pair)
			if rest == nil {
				break // damaged: the rest is lost
			}
			p.entries = rest
			v += e.delta
			list = append(list, decoded{v, uint16(min(e.count, 0xFFFF)), uint16(min(e.first, 0xFFFF))})
		}
		lists[j] = list
	})
	ix.decoded = make(map[uint64][]decoded, len(frequent))
	for j, i := range frequent {
		ix.decoded[ix.keys[i]] = lists[j]
	}
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

func decode(p []byte, n int, pair bool, at int, out []Candidate) []Candidate {
	out = slices.Grow(out, n)
	var v uint32
	for range n {
		e, rest := next(p, pair)
		if rest == nil {
			break // damaged
		}
		p = rest
		v += e.delta
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
		for j := read / skipEvery; 8*j+8 <= len(p.skips); j++ {
			last := binary.LittleEndian.Uint32(p.skips[8*j:])
			if last >= x.Sec {
				break
			}
			off := int(binary.LittleEndian.Uint32(p.skips[8*j+4:]))
			if off > len(p.entries) {
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
