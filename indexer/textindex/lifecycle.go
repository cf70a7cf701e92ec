package textindex

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/blevesearch/mmap-go"
)

// ErrFormat says a file is not a text index segment this program can
// read: another file, another version, or a damaged one.
var ErrFormat = errors.New("not a text index of this version")

// ErrDamaged says a segment file is damaged: cut short, or altered. Such
// errors are *DamageError, and are ErrFormat too.
var ErrDamaged = errors.New("damaged")

// DamageError says what part of a segment file is damaged.
type DamageError struct {
	Path   string // the file
	Part   string // "header", "file", "checksum table", or a region: "postings", "text", "normalised text" …
	Reason string // "checksum mismatch", "cut short" …
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("%s: %s damaged: %s", e.Path, e.Part, e.Reason)
}

func (e *DamageError) Unwrap() []error { return []error{ErrDamaged, ErrFormat} }

// OpenSegment maps the segment file at path and checks it: its header and
// the checksums of its small regions at once, on all cores; those of its
// text and postings on first read, and in the background (see verify.go).
// The checks at opening and in the background read the file, not the
// mapping, so that they map no page in: the program's resident memory
// grows only with what searches read. A file whose header or small
// regions are damaged is refused with a *DamageError naming the damaged
// parts, damage elsewhere is reported by Damaged once found; a file that
// is not a segment of this version is refused with an error wrapping
// ErrFormat. Segments are read in
// place on little-endian machines only.
func OpenSegment(path string) (*Segment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	ix, err := openFile(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return ix, nil
}

func openFile(f *os.File, path string) (*Segment, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case !littleEndian:
		return nil, fmt.Errorf("%s: text index segments are read in place, on little-endian machines only", path)
	case fi.Size() > math.MaxInt:
		return nil, fmt.Errorf("%s: %d bytes, more than this machine can map", path, fi.Size())
	case fi.Size() < headerSize: // too short to map, and to be a segment
		data, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		_, err = load(data, path)
		return nil, err
	}
	data, err := mmap.Map(f, mmap.RDONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", path, err)
	}
	ix, err := loadFrom(data, f, path, true)
	if err != nil {
		data.Unmap()
		return nil, err
	}
	ix.data = data
	ix.lazy.checkInBackground(f)
	return ix, nil
}

// load reads a segment from the bytes of its file, in place, after
// checking them.
func load(data []byte, path string) (*Segment, error) {
	return loadFrom(data, nil, path, false)
}

// loadFrom is load, the checksums checked against what src reads (the
// file that data maps), or against data itself if src is nil; when lazy,
// those of the regions lazyRegion names are left for their first read.
func loadFrom(data []byte, src io.ReaderAt, path string, lazy bool) (*Segment, error) {
	if len(data) < len(magic) || string(data[:len(magic)]) != magic {
		if strings.HasPrefix(magic, string(data)) {
			return nil, &DamageError{path, "header", fmt.Sprintf("cut short at %d bytes", len(data))}
		}
		return nil, fmt.Errorf("%s: %w", path, ErrFormat)
	}
	if uintptr(unsafe.Pointer(unsafe.SliceData(data)))%8 != 0 {
		// Records are read in place, aligned; a mapping always is.
		aligned := make([]uint64, (len(data)+7)/8)
		buf := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(aligned))), len(data))
		copy(buf, data)
		data = buf
	}
	if src == nil {
		src = bytes.NewReader(data)
	}
	if len(data) < headerSize {
		return nil, &DamageError{path, "header", fmt.Sprintf("cut short at %d bytes", len(data))}
	}
	ix := &Segment{path: path, file: data, src: src}
	sums, err := ix.check(lazy)
	if err != nil {
		return nil, err
	}
	if lazy {
		ix.lazy = newLazyCheck(path, data, src, ix.h, sums)
	}
	if part, reason := ix.assemble(); reason != "" {
		return nil, &DamageError{path, part, reason}
	}
	return ix, nil
}

// check reads the header, the file's size and every checksum from the
// file (but those of the regions lazyRegion names, when lazy), and sets
// ix.h from the header; ix.file must be as long as the file. It returns
// the checksum table.
func (ix *Segment) check(lazy bool) ([]byte, error) {
	head := make([]byte, headerSize)
	if _, err := ix.src.ReadAt(head, 0); err != nil {
		return nil, &DamageError{ix.path, "header", "unreadable: " + err.Error()}
	}
	h, reason := decodeHeader(head)
	if reason != "" {
		return nil, &DamageError{ix.path, "header", reason}
	}
	ix.h = h
	if h.fileSize != uint64(len(ix.file)) {
		how := "cut short"
		if h.fileSize < uint64(len(ix.file)) {
			how = "with bytes after its end"
		}
		return nil, &DamageError{ix.path, "file", fmt.Sprintf("%s: %d bytes where its header says %d", how, len(ix.file), h.fileSize)}
	}
	sums := make([]byte, h.sums.len)
	if _, err := ix.src.ReadAt(sums, int64(h.sums.off)); err != nil || crc32.Checksum(sums, castagnoli) != h.sumsCRC {
		return nil, &DamageError{ix.path, "checksum table", "checksum mismatch"}
	}
	if bad := h.damagedRegions(ix.src, sums, lazy); len(bad) > 0 {
		return nil, &DamageError{ix.path, strings.Join(bad, ", "), "checksum mismatch"}
	}
	return sums, nil
}

// damagedRegions reads every chunk of every region (but those lazyRegion
// names, when lazy) from src and checks it against its checksum in sums,
// on all cores, and names the regions where one differs.
func (h *header) damagedRegions(src io.ReaderAt, sums []byte, lazy bool) []string {
	type chunk struct {
		region int
		off, n uint64
		sum    uint32
	}
	var chunks []chunk
	size, largest := uint64(1)<<h.chunkShift, uint64(0)
	i := 0 // the chunk's index in sums
	for r, e := range h.regions {
		for off := uint64(0); off < e.padded(); off += size {
			c := chunk{r, e.off + off, min(size, e.padded()-off), binary.LittleEndian.Uint32(sums[4*i:])}
			i++
			if lazy && lazyRegion(r) {
				continue
			}
			chunks = append(chunks, c)
			largest = max(largest, c.n)
		}
	}
	var bad [nRegions]atomic.Bool
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(chunks)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, largest)
			for i := next.Add(1) - 1; i < int64(len(chunks)); i = next.Add(1) - 1 {
				c := &chunks[i]
				b := buf[:c.n]
				if _, err := src.ReadAt(b, int64(c.off)); err != nil || crc32.Checksum(b, castagnoli) != c.sum {
					bad[c.region].Store(true)
				}
			}
		}()
	}
	wg.Wait()
	var names []string
	for r := range bad {
		if bad[r].Load() {
			names = append(names, regionNames[r])
		}
	}
	return names
}

// assemble lays the segment over its checked regions; it names the part
// that does not agree with the header, if one does not.
func (ix *Segment) assemble() (part, reason string) {
	h := &ix.h
	region := func(r int) []byte {
		e := h.regions[r]
		return ix.file[e.off : e.off+e.len : e.off+e.len]
	}
	sizes := []struct {
		region int
		size   uint64
	}{
		{regDocs, (h.docs + 1) * docRecSize},
		{regSecs, (h.secs + 1) * secRecSize},
		{regOffsets, (h.secs + 1) * 4 * nOffsets},
		{regKeys, h.keys * 4},
		{regEnds, h.keys * 4},
		{regByteFreq, 2 * 256 * 4},
	}
	for _, s := range sizes {
		if h.regions[s.region].len != s.size {
			return regionNames[s.region], "its size disagrees with the header"
		}
	}
	if n := h.regions[regPaths].len; n%4 != 0 || n == 0 {
		return regionNames[regPaths], "their size is not a whole number of offsets"
	}
	if h.regions[regRunes].len%runeRecSize != 0 {
		return regionNames[regRunes], "their size is not a whole number of records"
	}
	ix.ndocs, ix.nsecs = int(h.docs), int(h.secs)
	ix.docs = view[docRec](region(regDocs), h.docs+1)
	ix.secs = view[secRec](region(regSecs), h.secs+1)
	var wraps [nWraps][]uint64
	r := reader{b: region(regWraps)}
	for k := range wraps {
		n := r.uvarint()
		if n > uint64(len(r.b)) {
			return regionNames[regWraps], "their count is out of range"
		}
		for range n {
			wraps[k] = append(wraps[k], r.uvarint())
		}
		if !slices.IsSorted(wraps[k]) {
			return regionNames[regWraps], "they are out of order"
		}
	}
	if r.err != nil {
		return regionNames[regWraps], "they are cut short"
	}
	for k := range ix.offs {
		ix.offs[k] = offsets32{lo: view[uint32](region(regOffsets)[(h.secs+1)*4*uint64(k):], h.secs+1)}
		if k != offPath {
			ix.offs[k].wraps = wraps[k]
		}
	}
	ix.paths = offsets32{view[uint32](region(regPaths), h.regions[regPaths].len/4), wraps[wrapPaths]}
	ix.ends = offsets32{view[uint32](region(regEnds), h.keys), wraps[wrapEnds]}
	if ix.docs[0].first != 0 || int(ix.docs[ix.ndocs].first) != ix.nsecs || ix.nsecs > 0 && ix.ndocs == 0 {
		return regionNames[regDocs], "their sections disagree with the header"
	}
	ix.docData, ix.norm, ix.normPath = region(regDocData), region(regNorm), region(regNormPath)
	ix.words, ix.patch, ix.postings = region(regWords), region(regPatch), region(regPostings)
	ix.runes = view[runeRec](region(regRunes), h.regions[regRunes].len/runeRecSize)
	ix.keys = view[uint32](region(regKeys), h.keys)

	ix.byteFreq = new(byteFreqs)
	for c, b := 0, region(regByteFreq); c < 256; c++ {
		ix.byteFreq.stored[c] = binary.LittleEndian.Uint32(b[4*c:])
		ix.byteFreq.plain[c] = binary.LittleEndian.Uint32(b[4*(256+c):])
	}
	r = reader{b: region(regTopWords)}
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		return regionNames[regTopWords], "their count is out of range"
	}
	ix.topWords = make([]WordCount, 0, n)
	for range n {
		ix.topWords = append(ix.topWords, WordCount{r.str(), int(min(r.uvarint(), math.MaxInt32))})
	}
	if r.err != nil {
		return regionNames[regTopWords], "they are cut short"
	}
	return "", ""
}

// Verify checks every checksum of the segment's file again, reading it
// (the file it was opened from, even if removed or renamed over since),
// on all cores: a *DamageError names the damaged parts.
func (ix *Segment) Verify() error {
	if ix.closed {
		return fmt.Errorf("%s: verify: segment closed", ix.path)
	}
	_, err := ix.check(false)
	return err
}

// Release drops the pages of the segment's file that this process has
// read through its mapping from its resident memory: the file stays
// mapped and its pages in the page cache, from which the next read maps
// them again. A merge, which reads whole segments, releases them after,
// so that an indexer's memory does not grow with the index it merges.
func (ix *Segment) Release() error {
	if ix.closed || ix.data == nil {
		return nil
	}
	return release(ix.data)
}

// Close unmaps the segment's file and closes it. Once closed, a segment
// is empty (Docs and Sections are 0, Verify fails) and its other methods
// panic; and the slices it returned (Norm, NormPath, Words, DocMeta,
// DocRecord, the postings behind Candidates) are gone with the mapping:
// reading one faults, which kills the program. Strings it returned (Text,
// Path, DocID, TopWords) are copies and stay valid. So a segment must be
// closed only when nothing reads it any more; an unclosed segment keeps
// its mapping and its file, and the file's disk space if it was removed,
// until the program ends.
func (ix *Segment) Close() error {
	if ix.closed {
		return nil
	}
	if ix.lazy != nil {
		ix.lazy.halt()
	}
	data, src := ix.data, ix.src
	*ix = Segment{path: ix.path, closed: true}
	var err error
	if data != nil {
		err = data.Unmap()
	}
	if f, ok := src.(io.Closer); ok {
		if e := f.Close(); err == nil {
			err = e
		}
	}
	return err
}

// parallel calls f for 0 ≤ i < n, on all cores.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
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

// reader reads varints and strings from b, until an error.
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

// str reads a string, copied.
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
