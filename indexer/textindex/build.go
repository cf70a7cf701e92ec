package textindex

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
)

// Builder collects the documents of an index and writes it. Postings are
// built as documents are added, so that building overlaps parsing.
type Builder struct {
	docs  []*Doc
	secs  int
	index map[uint64]uint32 // key → its number
	keys  []uint64          // by number
	lists [][]uint32        // sections holding each key and the key's count in each, in pairs, by number
	words map[string]int
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
		for _, k := range s.keys {
			n, ok := b.index[k]
			if !ok {
				n = uint32(len(b.keys))
				b.index[k] = n
				b.keys = append(b.keys, k)
				b.lists = append(b.lists, nil)
			}
			if l := b.lists[n]; len(l) > 0 && l[len(l)-2] == ord {
				l[len(l)-1]++
			} else {
				b.lists[n] = append(l, ord, 1)
			}
		}
		s.keys = nil
	}
	for w, n := range d.words {
		b.words[w] += n
	}
	d.words = nil
	b.docs = append(b.docs, d)
}

// Inherit adds every document of ix that drop does not reject, as it is,
// and the counts of ix's most frequent words (those of dropped documents
// included: the counts are for suggestions, and approximate).
func (b *Builder) Inherit(ix *Index, drop func(id string) bool) {
	for i, rec := range ix.docs {
		if drop(rec.id) {
			continue
		}
		d := &Doc{ID: rec.id, Meta: rec.meta}
		first, end := ix.DocSections(i)
		for s := first; s < end; s++ {
			sec := Section{
				Seq: ix.Seq(s), Level: ix.Level(s), Path: ix.Path(s), Text: ix.Text(s),
				norm: ix.Norm(s), normPath: ix.NormPath(s), words: ix.Words(s),
			}
			sec.keys = sectionKeys(sec.norm, nil)
			d.Sections = append(d.Sections, sec)
		}
		b.Add(d)
	}
	for _, w := range ix.topWords {
		b.words[w.Word] += w.Count
	}
}

// Docs is the number of documents added so far.
func (b *Builder) Docs() int { return len(b.docs) }

// File format: a magic string, then blobs, each a little-endian uint64
// length and its bytes, in the order of the blob constants. The text blobs
// are compressed in chunks (see compressBlobs); the rest are varints.
const magic = "NSTEXT\x00\x04"

const (
	blobText = iota // compressed blobs first
	blobNorm
	blobPath
	blobNormPath
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
// place so that a reader never sees half an index.
func (b *Builder) Write(path string) error {
	var blobs [nBlobs][]byte
	var secs []*Section
	for _, d := range b.docs {
		blobs[blobDocs] = appendString(blobs[blobDocs], d.ID)
		blobs[blobDocs] = appendString(blobs[blobDocs], string(d.Meta))
		blobs[blobDocs] = binary.AppendUvarint(blobs[blobDocs], uint64(len(d.Sections)))
		for i := range d.Sections {
			s := &d.Sections[i]
			secs = append(secs, s)
			for _, n := range []int{s.Seq, s.Level, len(s.Text), len(s.norm), len(s.Path), len(s.normPath)} {
				blobs[blobSections] = binary.AppendUvarint(blobs[blobSections], uint64(n))
			}
		}
	}
	compressed := compressBlobs(secs)
	copy(blobs[:nCompressed], compressed[:])
	blobs[blobKeys], blobs[blobPostings] = b.postings()
	blobs[blobTopWords] = topWords(b.words)

	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
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
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// postings encodes the keys, sorted, each with the byte length of its
// postings, and the postings: the number of sections, then for each
// section in ascending order its number, delta-coded, and how many times
// it holds the key.
func (b *Builder) postings() (keysBlob, postBlob []byte) {
	order := make([]uint32, len(b.keys))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(x, y uint32) int { return cmp.Compare(b.keys[x], b.keys[y]) })
	keysBlob = binary.AppendUvarint(make([]byte, 0, 4*len(b.keys)), uint64(len(b.keys)))
	postBlob = make([]byte, 0, 2*b.secs*64)
	prev := uint64(0)
	for _, i := range order {
		start := len(postBlob)
		list := b.lists[i]
		postBlob = binary.AppendUvarint(postBlob, uint64(len(list)/2))
		last := uint32(0)
		for j := 0; j < len(list); j += 2 {
			postBlob = binary.AppendUvarint(postBlob, uint64(list[j]-last))
			postBlob = binary.AppendUvarint(postBlob, uint64(list[j+1]))
			last = list[j]
		}
		keysBlob = binary.AppendUvarint(keysBlob, b.keys[i]-prev)
		keysBlob = binary.AppendUvarint(keysBlob, uint64(len(postBlob)-start))
		prev = b.keys[i]
	}
	return keysBlob, postBlob
}

// chunkSize is the raw size of one compressed chunk: large enough to
// compress well, small enough that the chunks of a blob spread over cores.
const chunkSize = 4 << 20

// compressBlobs writes the text blobs as chunks compressed with flate, on
// all cores: a count of chunks, then for each its raw and compressed
// lengths and its bytes. A chunk holds whole sections.
func compressBlobs(secs []*Section) [nCompressed][]byte {
	piece := [nCompressed]func(*Section) []byte{
		blobText:     func(s *Section) []byte { return []byte(s.Text) },
		blobNorm:     func(s *Section) []byte { return s.norm },
		blobPath:     func(s *Section) []byte { return []byte(s.Path) },
		blobNormPath: func(s *Section) []byte { return s.normPath },
		blobWords:    func(s *Section) []byte { return s.words },
	}
	type chunk struct {
		blob, from, to int
		raw            int
		out            []byte
	}
	var chunks []*chunk
	for blob := range nCompressed {
		c := &chunk{blob: blob}
		for i, s := range secs {
			c.raw += len(piece[blob](s))
			c.to = i + 1
			if c.raw >= chunkSize {
				chunks = append(chunks, c)
				c = &chunk{blob: blob, from: i + 1, to: i + 1}
			}
		}
		chunks = append(chunks, c)
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
				for _, s := range secs[c.from:c.to] {
					zw.Write(piece[c.blob](s))
				}
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
	var out [nCompressed][]byte
	for blob := range nCompressed {
		var mine []*chunk
		for _, c := range chunks {
			if c.blob == blob {
				mine = append(mine, c)
			}
		}
		b := binary.AppendUvarint(nil, uint64(len(mine)))
		for _, c := range mine {
			b = binary.AppendUvarint(b, uint64(c.raw))
			b = binary.AppendUvarint(b, uint64(len(c.out)))
			b = append(b, c.out...)
		}
		out[blob] = b
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
