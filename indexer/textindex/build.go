package textindex

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
)

// Builder collects the documents of an index and writes it. Postings are
// built as documents are added, so that building overlaps parsing.
type Builder struct {
	docs    []*Doc
	secs    int
	index   map[uint64]uint32 // pair key → its number
	chars   []uint32          // by rune: its character key's number plus one, 0 for none
	keys    []uint64          // by number
	post    []posting         // by number
	touched []uint32          // keys of the section being added
	words   map[string]int
}

// posting is one key's postings as they are built, encoded as they will
// be written (see appendEntry).
type posting struct {
	entries []byte
	skips   []uint32 // after every skipEvery entries: the last section, and the length of entries
	n       uint32   // sections
	prev    uint32   // the last section written
	cur     uint32   // the section being added, plus one; 0 for none
	count   uint32   // in the section being added
	first   uint32   // rune offset of the first occurrence in the section being added
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{index: map[uint64]uint32{}, words: map[string]int{}}
}

// Add adds a document analysed by Analyze. Its sections are numbered
// after those added before.
func (b *Builder) Add(d *Doc) {
	for i := range d.Sections {
		s := &d.Sections[i]
		ord := uint32(b.secs)
		b.secs++
		b.touched = b.touched[:0]
		eachKey(s.norm, func(k uint64, at int) {
			n := b.number(k)
			p := &b.post[n]
			if p.cur != ord+1 {
				p.cur, p.count, p.first = ord+1, 0, uint32(at)
				b.touched = append(b.touched, n)
			}
			p.count++
		})
		for _, n := range b.touched {
			p := &b.post[n]
			p.entries = appendEntry(p.entries, ord-p.prev, p.count)
			if isPair(b.keys[n]) {
				p.entries = binary.AppendUvarint(p.entries, uint64(p.first))
			}
			p.prev = ord
			p.n++
			if p.n%skipEvery == 0 {
				p.skips = append(p.skips, ord, uint32(len(p.entries)))
			}
		}
	}
	for w, n := range d.words {
		b.words[w] += n
	}
	d.words = nil
	b.docs = append(b.docs, d)
}

// number is key k's number, given it on first sight. Characters are
// numbered through a table by rune, pairs through a map: half the keys
// then need no hashing.
func (b *Builder) number(k uint64) uint32 {
	var slot *uint32 // the table's entry for a character: its number plus one
	if !isPair(k) {
		if b.chars == nil {
			b.chars = make([]uint32, barrierKey)
		}
		if r := k >> 32; r < barrierKey {
			slot = &b.chars[r]
			if *slot > 0 {
				return *slot - 1
			}
		}
	}
	if slot == nil {
		if n, ok := b.index[k]; ok {
			return n
		}
	}
	n := uint32(len(b.keys))
	if slot != nil {
		*slot = n + 1
	} else {
		b.index[k] = n
	}
	b.keys = append(b.keys, k)
	b.post = append(b.post, posting{})
	return n
}

// Inherit adds every live document of ix that drop does not reject, as
// it is, and the counts of ix's most frequent words (those of dropped
// documents included: the counts are for suggestions, and approximate).
func (b *Builder) Inherit(ix *Index, drop func(id string) bool) {
	for i := range ix.Docs() {
		id := ix.DocID(i)
		if drop != nil && drop(id) {
			continue
		}
		d := &Doc{ID: id, Meta: ix.DocMeta(i), Record: ix.DocRecord(i)}
		first, end := ix.DocSections(i)
		for s := first; s < end; s++ {
			sec := Section{
				Seq: ix.Seq(s), Level: ix.Level(s), Path: ix.Path(s), Text: ix.Text(s),
				norm: ix.Norm(s), normPath: ix.NormPath(s), words: ix.Words(s),
			}
			d.Sections = append(d.Sections, sec)
		}
		b.Add(d)
	}
	for _, w := range ix.topWords {
		b.words[w.Word] += w.Count
	}
}

// File format: a magic string, then blobs, each a little-endian uint64
// length and its bytes, in the order of the blob constants. The text
// blobs are compressed in chunks (see compressBlob); the rest are
// varints. Normalised text is not written: Open normalises the text again,
// which costs less than reading it would.
const magic = "NSTEXT\x00\x08"

const (
	blobText = iota // compressed blobs first
	blobPath
	blobWords
	nCompressed
	blobDocs = iota - 1
	blobSections
	blobKeys
	blobPostings
	blobTopWords
	nBlobs
)

// TopWords bounds the most frequent words an index lists (for suggestions).
const TopWords = 20000

// Write writes the index to path, through a temporary file renamed into
// place so that a reader never sees half an index, and returns it as Open
// would read it.
func (b *Builder) Write(path string) (*Segment, error) {
	var raw [nBlobs][]byte
	var secs []*Section
	var textLen, pathLen, wordsLen int
	for _, d := range b.docs {
		for i := range d.Sections {
			s := &d.Sections[i]
			secs = append(secs, s)
			textLen += len(s.Text)
			pathLen += len(s.Path)
			wordsLen += len(s.words)
		}
	}
	raw[blobText] = make([]byte, 0, textLen)
	raw[blobPath] = make([]byte, 0, pathLen)
	raw[blobWords] = make([]byte, 0, wordsLen)
	for _, d := range b.docs {
		raw[blobDocs] = appendString(raw[blobDocs], d.ID)
		raw[blobDocs] = appendString(raw[blobDocs], string(d.Meta))
		raw[blobDocs] = appendString(raw[blobDocs], string(d.Record))
		raw[blobDocs] = binary.AppendUvarint(raw[blobDocs], uint64(len(d.Sections)))
		for i := range d.Sections {
			s := &d.Sections[i]
			for _, n := range []int{s.Seq, s.Level, len(s.Text), len(s.Path), len(s.words)} {
				raw[blobSections] = binary.AppendUvarint(raw[blobSections], uint64(n))
			}
			raw[blobText] = append(raw[blobText], s.Text...)
			raw[blobPath] = append(raw[blobPath], s.Path...)
			raw[blobWords] = append(raw[blobWords], s.words...)
		}
	}
	raw[blobKeys], raw[blobPostings] = b.postings()
	raw[blobTopWords] = topWords(b.words)
	var normLen int
	for _, s := range secs {
		normLen += len(s.norm)
	}
	// Offsets in the index are 32-bit.
	if uint64(max(textLen, pathLen, wordsLen, normLen, len(raw[blobPostings]))) > math.MaxUint32 {
		return nil, fmt.Errorf("write %s: more than 4 GiB of text, which one index cannot hold", path)
	}
	blobs := raw
	for i, c := range compressBlobs(raw[:nCompressed]) {
		blobs[i] = c
	}

	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(magic)
	for _, blob := range blobs {
		w.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(blob))))
		w.Write(blob)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	ix, err := fromBlobs(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err) // a bug, not a bad file
	}
	norm := make([][]byte, len(secs))
	normPath := make([][]byte, len(secs))
	for i, s := range secs {
		norm[i], normPath[i] = s.norm, s.normPath
	}
	ix.setNorms(norm, normPath)
	return ix, nil
}

// appendEntry encodes one section of a key's postings: the delta of its
// number from the last section's (from zero for the first), shifted left,
// with the low bit set when the count is more than one, and then the count
// less two. Most counts are one. A pair's entry ends with the rune offset
// where the pair first stands in the section: when the pairs of a term
// first stand one after the other, the section holds the term there, and
// its text need not be read to know it.

func appendEntry(b []byte, delta, count uint32) []byte {
	if count == 1 {
		return binary.AppendUvarint(b, uint64(delta)<<1)
	}
	b = binary.AppendUvarint(b, uint64(delta)<<1|1)
	return binary.AppendUvarint(b, uint64(count-2))
}

// skipEvery is how many entries of postings a skip passes over: skips let
// an intersection pass over long postings without decoding them.
const skipEvery = 64

// postings encodes the keys, sorted, each with the byte length of its
// postings; and the postings: for each key the number of sections, the
// number of skips, the skips (each the last section before it and the
// offset in the entries after it, two little-endian uint32s), and the
// entries (see appendEntry).
func (b *Builder) postings() (keysBlob, postBlob []byte) {
	order := make([]uint32, len(b.keys))
	size := 0
	for i := range order {
		order[i] = uint32(i)
		size += len(b.post[i].entries) + 4*len(b.post[i].skips) + 8
	}
	slices.SortFunc(order, func(x, y uint32) int { return cmp.Compare(b.keys[x], b.keys[y]) })
	keysBlob = binary.AppendUvarint(make([]byte, 0, 4*len(b.keys)), uint64(len(b.keys)))
	postBlob = make([]byte, 0, size)
	prev := uint64(0)
	for _, i := range order {
		start := len(postBlob)
		p := &b.post[i]
		postBlob = binary.AppendUvarint(postBlob, uint64(p.n))
		postBlob = binary.AppendUvarint(postBlob, uint64(len(p.skips)/2))
		for _, v := range p.skips {
			postBlob = binary.LittleEndian.AppendUint32(postBlob, v)
		}
		postBlob = append(postBlob, p.entries...)
		p.entries, p.skips = nil, nil
		keysBlob = binary.AppendUvarint(keysBlob, b.keys[i]-prev)
		keysBlob = binary.AppendUvarint(keysBlob, uint64(len(postBlob)-start))
		prev = b.keys[i]
	}
	return keysBlob, postBlob
}

// chunkSize is the raw size of one compressed chunk: large enough to
// compress well, small enough that the chunks of a blob spread over cores.
const chunkSize = 4 << 20

// compressBlobs compresses blobs as chunks with flate, on all cores: each
// becomes a count of chunks, then for each chunk its raw and compressed
// lengths and its bytes.
func compressBlobs(blobs [][]byte) [][]byte {
	type chunk struct {
		blob int
		raw  []byte
		out  []byte
	}
	var chunks []*chunk
	for i, b := range blobs {
		for len(b) > chunkSize {
			chunks = append(chunks, &chunk{blob: i, raw: b[:chunkSize]})
			b = b[chunkSize:]
		}
		chunks = append(chunks, &chunk{blob: i, raw: b})
	}
	jobs := make(chan *chunk)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			zw, _ := flate.NewWriter(&buf, flate.BestSpeed)
			for c := range jobs {
				buf.Reset()
				zw.Reset(&buf)
				zw.Write(c.raw)
				zw.Close()
				c.out = bytes.Clone(buf.Bytes())
			}
		}()
	}
	for _, c := range chunks {
		jobs <- c
	}
	close(jobs)
	wg.Wait()
	out := make([][]byte, len(blobs))
	for i := range blobs {
		var mine []*chunk
		for _, c := range chunks {
			if c.blob == i {
				mine = append(mine, c)
			}
		}
		b := binary.AppendUvarint(nil, uint64(len(mine)))
		for _, c := range mine {
			b = binary.AppendUvarint(b, uint64(len(c.raw)))
			b = binary.AppendUvarint(b, uint64(len(c.out)))
			b = append(b, c.out...)
		}
		out[i] = b
	}
	return out
}

// topWords lists the TopWords most frequent words, most frequent first.
func topWords(counts map[string]int) []byte {
	list := make([]WordCount, 0, len(counts))
	for w, n := range counts {
		list = append(list, WordCount{w, n})
	}
	slices.SortFunc(list, func(a, b WordCount) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Word, b.Word)) })
	list = list[:min(len(list), TopWords)]
	out := binary.AppendUvarint(nil, uint64(len(list)))
	for _, e := range list {
		out = appendString(out, e.Word)
		out = binary.AppendUvarint(out, uint64(e.Count))
	}
	return out
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
