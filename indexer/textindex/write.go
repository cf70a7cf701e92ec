package textindex

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"unsafe"
)

// TopWords bounds the most frequent words an index lists (for suggestions).
const TopWords = 20000

// Write writes the segment to path (see format.go) and returns it as
// OpenSegment reads it, mapped from the file written. It writes a
// temporary file beside path, path+".tmp", syncs it and renames it into
// place, so that path is either absent, the old file or the whole new
// one; the caller syncs the folder when the rename must survive a crash.
// The regions are streamed to the file as they are made: building holds
// little beside the documents themselves.
func (b *Builder) Write(path string) (*Segment, error) {
	secs := make([]*Section, 0, b.secs)
	for _, d := range b.docs {
		for i := range d.Sections {
			secs = append(secs, &d.Sections[i])
		}
	}
	if len(secs) >= 1<<32-1 || len(b.docs) >= 1<<32-1 {
		return nil, fmt.Errorf("write %s: %d documents and %d sections, more than one segment holds (2^32-1 of each)", path, len(b.docs), len(secs))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return nil, err
	}
	w := &segWriter{f: f, buf: bufio.NewWriterSize(f, 1<<20), region: -1}
	w.h.docs, w.h.secs, w.h.keys, w.h.chunkShift = uint64(len(b.docs)), uint64(len(secs)), uint64(len(b.keys)), chunkShift
	err = b.writeRegions(w, secs)
	if err == nil {
		err = w.finish()
	}
	if err == nil {
		err = f.Sync()
	}
	if e := f.Close(); err == nil {
		err = e
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return OpenSegment(path)
}

// writeRegions writes the regions in order.
func (b *Builder) writeRegions(w *segWriter, secs []*Section) error {
	w.begin(regDocData)
	for _, d := range b.docs {
		w.writeString(d.ID)
		w.write(d.Meta)
		w.write(d.Record)
	}
	w.end()

	var freq [256]uint32
	w.begin(regNorm)
	for _, s := range secs {
		w.write(s.norm)
		for _, c := range s.norm {
			freq[c]++
		}
	}
	w.end()
	w.begin(regNormPath)
	for _, s := range secs {
		w.write(s.normPath)
	}
	w.end()
	w.begin(regWords)
	for _, s := range secs {
		w.write(s.words)
	}
	w.end()

	textPatch, patch, err := writePatches(w, secs)
	if err != nil {
		return err
	}

	w.begin(regDocs)
	var data uint64
	first := uint32(0)
	for _, d := range b.docs {
		if len(d.ID) > 1<<32-1 || len(d.Meta) > 1<<32-1 || len(d.Record) > 1<<32-1 {
			return fmt.Errorf("document %s: metadata over 4 GiB", d.ID)
		}
		r := docRec{data, uint32(len(d.ID)), uint32(len(d.Meta)), uint32(len(d.Record)), first}
		w.scratch = appendDocRec(w.scratch, r)
		w.flushScratch(false)
		data += uint64(len(d.ID) + len(d.Meta) + len(d.Record))
		first += uint32(len(d.Sections))
	}
	w.scratch = appendDocRec(w.scratch, docRec{data: data, first: first})
	w.flushScratch(true)
	w.end()

	w.begin(regSecs)
	var r secRec
	i := 0
	for doc, d := range b.docs {
		for k := range d.Sections {
			s := &d.Sections[k]
			if textPatch[i] > 1<<32-1 {
				return fmt.Errorf("document %s: a section of more than 4 GiB", d.ID)
			}
			r.doc, r.seq, r.level, r.textPatch = uint32(doc), uint32(s.Seq), uint16(s.Level), uint32(textPatch[i])
			w.scratch = appendSecRec(w.scratch, r)
			w.flushScratch(false)
			r.patch += patch[i]
			i++
		}
	}
	r.doc, r.seq, r.level, r.textPatch = 0, 0, 0, 0
	w.scratch = appendSecRec(w.scratch, r)
	w.flushScratch(true)
	w.end()

	w.begin(regOffsets)
	for k := range nOffsets {
		var off uint64
		for _, s := range secs {
			w.scratch = binary.LittleEndian.AppendUint64(w.scratch, off)
			w.flushScratch(false)
			off += uint64(len(s.offsetsRegion(k)))
		}
		w.scratch = binary.LittleEndian.AppendUint64(w.scratch, off)
	}
	w.flushScratch(true)
	w.end()

	b.writePostings(w)

	w.begin(regTopWords)
	w.write(topWords(b.words))
	w.end()
	w.begin(regByteFreq)
	for _, n := range freq {
		w.scratch = binary.LittleEndian.AppendUint32(w.scratch, n)
	}
	w.flushScratch(true)
	w.end()
	return w.err
}

// offsetsRegion is the bytes of s the k-th array of the offsets region
// locates.
func (s *Section) offsetsRegion(k int) []byte {
	switch k {
	case offNorm:
		return s.norm
	case offWords:
		return s.words
	}
	return s.normPath
}

// patchBatch is how many sections' patches are made at once, on all
// cores, before they are written.
const patchBatch = 4096

// writePatches writes the patch region: each section's text patch, then
// its path patch. It returns the length of each section's text patch and
// of both.
func writePatches(w *segWriter, secs []*Section) (textLen, total []uint64, err error) {
	textLen = make([]uint64, len(secs))
	total = make([]uint64, len(secs))
	patches := make([][]byte, min(patchBatch, len(secs)))
	w.begin(regPatch)
	for start := 0; start < len(secs); start += patchBatch {
		batch := secs[start:min(start+patchBatch, len(secs))]
		parallel(len(batch), func(i int) {
			s := batch[i]
			if s.patched {
				patches[i] = s.patch
				textLen[start+i] = uint64(min(s.textPatch, len(s.patch)))
				return
			}
			p := appendPatch(patches[i][:0], s.norm, s.Text)
			textLen[start+i] = uint64(len(p))
			patches[i] = appendPatch(p, s.normPath, s.Path)
		})
		for i, s := range batch {
			w.write(patches[i])
			total[start+i] = uint64(len(patches[i]))
			if s.patched {
				patches[i] = nil // not ours to reuse
			}
		}
	}
	w.end()
	return textLen, total, w.err
}

// writePostings writes the postings region, then the keys and their ends:
// the keys sorted, each with its postings (see postings.go), freed as
// they are written.
func (b *Builder) writePostings(w *segWriter) {
	order := make([]uint32, len(b.keys))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(x, y uint32) int { return cmp.Compare(b.keys[x], b.keys[y]) })
	ends := make([]uint64, 0, len(b.keys))
	var blocks, skips []byte
	var gaps, counts, firsts [blockSize]uint32
	w.begin(regPostings)
	for _, i := range order {
		p := &b.post[i]
		if !isPair(b.keys[i]) {
			w.scratch = binary.AppendUvarint(w.scratch, uint64(p.n))
			w.flushScratch(false)
			ends = append(ends, w.at-w.start+uint64(len(w.scratch)))
			continue
		}
		blocks, skips = blocks[:0], skips[:0]
		e, sec := p.entries, uint32(0)
		var starts []uint64
		for left := int(p.n); left > 0; left -= blockSize {
			m := min(left, blockSize)
			for k := range m {
				var delta, first uint32
				delta, counts[k], first, e = nextEntry(e)
				gaps[k] = delta - 1
				if left == int(p.n) && k == 0 {
					gaps[k] = delta // the first section as it is
				}
				sec += delta
				counts[k]--
				firsts[k] = first
				if b.keys[i]&(1<<32-1) == endRune {
					firsts[k] = 0 // never asked: see Builder.Add
				}
			}
			if len(blocks) > 0 {
				starts = append(starts, uint64(len(blocks)))
			}
			blocks = appendBlock(blocks, gaps[:m], counts[:m], firsts[:m])
			if left > blockSize {
				skips = binary.LittleEndian.AppendUint32(skips, sec)
				skips = append(skips, 0, 0, 0, 0) // the offset, below
			}
		}
		wide := uint64(len(blocks)) > 1<<32-1 || forceWide
		h := uint64(p.n) << 1
		if wide {
			h |= 1
			var s []byte
			for k, off := range starts {
				s = append(s, skips[8*k:8*k+4]...)
				s = binary.LittleEndian.AppendUint64(s, off)
			}
			skips = s
		} else {
			for k, off := range starts {
				binary.LittleEndian.PutUint32(skips[8*k+4:], uint32(off))
			}
		}
		w.scratch = binary.AppendUvarint(w.scratch, h)
		w.flushScratch(true)
		w.write(skips)
		w.write(blocks)
		ends = append(ends, w.at-w.start)
		p.entries = nil
	}
	w.flushScratch(true)
	w.end()
	w.begin(regKeys)
	for _, i := range order {
		w.scratch = binary.LittleEndian.AppendUint64(w.scratch, b.keys[i])
		w.flushScratch(false)
	}
	w.flushScratch(true)
	w.end()
	w.begin(regEnds)
	for _, e := range ends {
		w.scratch = binary.LittleEndian.AppendUint64(w.scratch, e)
		w.flushScratch(false)
	}
	w.flushScratch(true)
	w.end()
}

// forceWide has the tests write 64-bit skips, which only postings of
// more than 4 GiB need.
var forceWide = false

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
		out = binary.AppendUvarint(out, uint64(len(e.Word)))
		out = append(out, e.Word...)
		out = binary.AppendUvarint(out, uint64(e.Count))
	}
	return out
}

// segWriter writes a segment file: its regions in order, each padded to
// a multiple of 8 and checksummed in chunks as it is written, then the
// checksums, then the header at the start.
type segWriter struct {
	f       *os.File
	buf     *bufio.Writer
	h       header
	at      uint64 // offset of the next byte
	region  int    // being written, -1 for none
	start   uint64 // of the region being written
	crc     uint32 // of the chunk being written
	inChunk uint64 // its bytes so far
	sums    []byte
	scratch []byte // records on their way to write
	err     error
}

// begin starts region r at the next byte, which is a multiple of 8.
func (w *segWriter) begin(r int) {
	if w.at == 0 {
		w.buf.Write(make([]byte, headerSize)) // written at the end
		w.at = headerSize
	}
	if r != w.region+1 {
		panic("textindex: regions written out of order")
	}
	w.region, w.start = r, w.at
}

// write writes p to the region being written.
func (w *segWriter) write(p []byte) {
	if w.err != nil || len(p) == 0 {
		return
	}
	if _, err := w.buf.Write(p); err != nil {
		w.err = err
		return
	}
	w.at += uint64(len(p))
	size := uint64(1) << chunkShift
	for len(p) > 0 {
		n := min(uint64(len(p)), size-w.inChunk)
		w.crc = crc32.Update(w.crc, castagnoli, p[:n])
		w.inChunk += n
		p = p[n:]
		if w.inChunk == size {
			w.endChunk()
		}
	}
}

func (w *segWriter) writeString(s string) {
	w.write(unsafe.Slice(unsafe.StringData(s), len(s))) // only read
}

// flushScratch writes the records gathered in scratch, when they are
// many or when all is true.
func (w *segWriter) flushScratch(all bool) {
	if all || len(w.scratch) >= 64<<10 {
		w.write(w.scratch)
		w.scratch = w.scratch[:0]
	}
}

func (w *segWriter) endChunk() {
	w.sums = binary.LittleEndian.AppendUint32(w.sums, w.crc)
	w.crc, w.inChunk = 0, 0
}

// end ends the region being written: pads it to a multiple of 8 and
// closes its last chunk.
func (w *segWriter) end() {
	n := w.at - w.start
	var zeros [8]byte
	w.write(zeros[:alignUp(n)-n])
	if w.inChunk > 0 {
		w.endChunk()
	}
	w.h.regions[w.region] = extent{w.start, n}
}

// finish writes the checksums and the header.
func (w *segWriter) finish() error {
	if w.region != nRegions-1 {
		return errors.New("textindex: regions missing")
	}
	w.h.sums = extent{w.at, uint64(len(w.sums))}
	w.h.sumsCRC = crc32.Checksum(w.sums, castagnoli)
	if w.err == nil {
		_, w.err = w.buf.Write(w.sums)
	}
	if w.err == nil {
		w.err = w.buf.Flush()
	}
	if w.err != nil {
		return w.err
	}
	w.h.fileSize = w.at + uint64(len(w.sums))
	_, err := w.f.WriteAt(w.h.encode(), 0)
	return err
}
