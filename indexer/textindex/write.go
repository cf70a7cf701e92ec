package textindex

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/maphash"
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
	if len(secs) >= 1<<32-1 || len(b.docs) >= 1<<32-1 || len(b.keys) >= 1<<32-1 {
		return nil, fmt.Errorf("write %s: %d documents, %d sections and %d keys, more than one segment holds (2^32-1 of each)", path, len(b.docs), len(secs), len(b.keys))
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
	w.h.docs, w.h.secs, w.h.chunkShift = uint64(len(b.docs)), uint64(len(secs)), chunkShift // keys: see keyWriter.finish
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

	// The text as stored (see compact.go), and its length for the
	// offsets; the frequencies of its bytes, stored and not (a merge
	// takes its segments', deleted documents' included: Finder's
	// heuristic).
	var freq byteFreqs
	if b.from != nil {
		freq.plain = b.from.byteFreq.plain
	}
	normLen := make([]uint64, len(secs))
	var buf []byte
	w.begin(regNorm)
	for i, s := range secs {
		var stored []byte
		if s.from != nil { // a merge's: copied as stored
			stored = s.from.stored(s.fromSec)
			if len(stored) != s.from.NormLen(s.fromSec) {
				return fmt.Errorf("section %d of %s: %w", s.fromSec, s.from.path, ErrDamaged)
			}
		} else {
			buf = appendSwapped(buf[:0], s.norm)
			stored = buf
			for _, c := range s.norm {
				freq.plain[c]++
			}
		}
		w.write(stored)
		normLen[i] = uint64(len(stored))
		for _, c := range stored {
			freq.stored[c]++
		}
	}
	w.end()
	// Each distinct path once, found by its hash (and compared, as
	// hashes may collide).
	pathOf := make([]uint32, len(secs))
	pathOffs := []uint64{0}
	var rep []*Section // a section of each path
	byHash := map[uint64][]uint32{}
	seed := maphash.MakeSeed()
	w.begin(regNormPath)
	for i, s := range secs {
		h := maphash.Bytes(seed, s.normPath)
		id := -1
		for _, p := range byHash[h] {
			if bytes.Equal(rep[p].normPath, s.normPath) {
				id = int(p)
				break
			}
		}
		if id < 0 {
			id = len(rep)
			rep = append(rep, s)
			byHash[h] = append(byHash[h], uint32(id))
			w.write(s.normPath)
			pathOffs = append(pathOffs, pathOffs[id]+uint64(len(s.normPath)))
		}
		pathOf[i] = uint32(id)
	}
	byHash, rep = nil, nil
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
			i++
		}
	}
	w.scratch = appendSecRec(w.scratch, secRec{})
	w.flushScratch(true)
	w.end()

	var wraps [nWraps][]uint64
	w.begin(regOffsets)
	for k := range nOffsets {
		var off, prev uint64
		for i, s := range secs {
			switch k {
			case offPath:
				w.scratch = binary.LittleEndian.AppendUint32(w.scratch, pathOf[i])
			default:
				w.scratch, wraps[k] = appendOffset(w.scratch, wraps[k], i, prev, off)
				prev = off
				switch k {
				case offNorm:
					off += normLen[i]
				case offWords:
					off += uint64(len(s.words))
				case offPatch:
					off += patch[i]
				}
			}
			w.flushScratch(false)
		}
		w.scratch, wraps[k] = appendOffset(w.scratch, wraps[k], len(secs), prev, off)
		if k == offPath {
			wraps[k] = nil
		}
	}
	w.flushScratch(true)
	w.end()
	w.begin(regPaths)
	for i, off := range pathOffs {
		var prev uint64
		if i > 0 {
			prev = pathOffs[i-1]
		}
		w.scratch, wraps[wrapPaths] = appendOffset(w.scratch, wraps[wrapPaths], i, prev, off)
		w.flushScratch(false)
	}
	w.flushScratch(true)
	w.end()

	wraps[wrapEnds] = b.writePostings(w)
	w.begin(regWraps)
	for _, ws := range wraps {
		w.scratch = binary.AppendUvarint(w.scratch, uint64(len(ws)))
		for _, i := range ws {
			w.scratch = binary.AppendUvarint(w.scratch, i)
		}
	}
	w.flushScratch(true)
	w.end()
	w.begin(regTopWords)
	w.write(topWords(b.words))
	w.end()
	w.begin(regByteFreq)
	for _, n := range append(freq.stored[:], freq.plain[:]...) {
		w.scratch = binary.LittleEndian.AppendUint32(w.scratch, n)
	}
	w.flushScratch(true)
	w.end()
	return w.err
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

// writePostings writes the postings region, then the keys and their ends,
// and returns the wraps of the ends: the keys sorted, each with its
// postings (see postings.go). A builder's own postings are freed as they
// are written; a merge's (see Merge) are read from its segments, one key
// at a time.
func (b *Builder) writePostings(w *segWriter) (wraps []uint64) {
	kw := &keyWriter{w: w}
	w.begin(regPostings)
	if b.from != nil {
		mergePostings(b.from, kw)
	} else {
		order := make([]uint32, len(b.keys))
		for i := range order {
			order[i] = uint32(i)
		}
		slices.SortFunc(order, func(x, y uint32) int { return cmp.Compare(b.keys[x], b.keys[y]) })
		kw.keys = make([]uint64, 0, len(b.keys))
		kw.ends = make([]uint64, 0, len(b.keys))
		var entries []Candidate
		for _, i := range order {
			p := &b.post[i]
			if !isPair(b.keys[i]) {
				kw.char(b.keys[i], int(p.n))
				continue
			}
			entries = entries[:0]
			e, sec := p.entries, uint32(0)
			for range p.n {
				var delta, count, first uint32
				delta, count, first, e = nextEntry(e)
				sec += delta
				entries = append(entries, Candidate{sec, count, int32(first)})
			}
			kw.pair(b.keys[i], entries)
			p.entries = nil
		}
	}
	return kw.finish()
}

// keyWriter writes the postings region, key by key in ascending order,
// and then the regions that find them.
type keyWriter struct {
	w                    *segWriter
	keys                 []uint64 // written
	ends                 []uint64 // of each key's postings in the region
	blocks, skips        []byte
	gaps, counts, firsts [blockSize]uint32
}

// char writes a character's postings: the number of sections holding it.
func (kw *keyWriter) char(key uint64, n int) {
	w := kw.w
	w.scratch = binary.AppendUvarint(w.scratch, uint64(n))
	w.flushScratch(false)
	kw.keys = append(kw.keys, key)
	kw.ends = append(kw.ends, w.at-w.start+uint64(len(w.scratch)))
}

// pair writes a pair's postings: its entries, by ascending section, with
// their counts and first offsets.
func (kw *keyWriter) pair(key uint64, entries []Candidate) {
	w := kw.w
	blocks, skips := kw.blocks[:0], kw.skips[:0]
	gaps, counts, firsts := &kw.gaps, &kw.counts, &kw.firsts
	n := len(entries)
	var starts []uint64
	prev := uint32(0)
	for at := 0; at < n; at += blockSize {
		m := min(n-at, blockSize)
		for k := range m {
			e := entries[at+k]
			gaps[k] = e.Sec - prev - 1
			if at == 0 && k == 0 {
				gaps[k] = e.Sec // the first section as it is
			}
			prev = e.Sec
			counts[k] = e.Count - 1
			firsts[k] = uint32(e.First)
			if key&(1<<32-1) == endRune {
				firsts[k] = 0 // never asked: see Builder.Add
			}
		}
		if len(blocks) > 0 {
			starts = append(starts, uint64(len(blocks)))
		}
		blocks = appendBlock(blocks, gaps[:m], counts[:m], firsts[:m])
		if at+blockSize < n {
			skips = binary.LittleEndian.AppendUint32(skips, prev)
			skips = append(skips, 0, 0, 0, 0) // the offset, below
		}
	}
	wide := uint64(len(blocks)) > 1<<32-1 || forceWide
	h := uint64(n) << 1
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
	kw.keys = append(kw.keys, key)
	kw.ends = append(kw.ends, w.at-w.start)
	if !wide {
		kw.skips = skips
	}
	kw.blocks = blocks
}

// finish ends the postings region and writes the runes, keys and ends
// regions; it returns the wraps of the ends.
func (kw *keyWriter) finish() (wraps []uint64) {
	w := kw.w
	w.flushScratch(true)
	w.end()
	w.h.keys = uint64(len(kw.keys))
	w.begin(regRunes)
	for k, key := range kw.keys {
		if a := uint32(key >> 32); k == 0 || a != uint32(kw.keys[k-1]>>32) {
			w.scratch = binary.LittleEndian.AppendUint32(w.scratch, a)
			w.scratch = binary.LittleEndian.AppendUint32(w.scratch, uint32(k))
			w.flushScratch(false)
		}
	}
	w.flushScratch(true)
	w.end()
	w.begin(regKeys)
	for _, key := range kw.keys {
		w.scratch = binary.LittleEndian.AppendUint32(w.scratch, uint32(key))
		w.flushScratch(false)
	}
	w.flushScratch(true)
	w.end()
	w.begin(regEnds)
	for i, e := range kw.ends {
		var prev uint64
		if i > 0 {
			prev = kw.ends[i-1]
		}
		w.scratch, wraps = appendOffset(w.scratch, wraps, i, prev, e)
		w.flushScratch(false)
	}
	w.flushScratch(true)
	w.end()
	return wraps
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
