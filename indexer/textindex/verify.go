package textindex

import (
	"encoding/binary"
	"hash/crc32"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Opening a segment checks its header, its checksum table and the
// checksums of its small regions, those read to find anything (records,
// offsets, keys: a few per cent of the file). The large ones, the text and
// the postings (lazyRegion), are checked a chunk at a time on the first
// read of each chunk, through the mapping, and by a pass that reads the
// file in the background from ten seconds after opening: opening an index
// of gigabytes takes a fraction of a second however large it is, and still
// nothing is read from a chunk that was not checked. A chunk found damaged
// is never read: what reads it gets nothing, and Damaged says so from then
// on, which the searches check (see Index.Damaged), so that a damaged
// index is refused, not searched silently wrong. Verify checks every chunk
// at once.

// lazyRegion says which regions are checked on first read.
func lazyRegion(r int) bool {
	switch r {
	case regDocData, regNorm, regNormPath, regWords, regPatch, regPostings:
		return true
	}
	return false
}

// lazyCheck is the state of a segment's chunks checked on first read.
type lazyCheck struct {
	path   string
	file   []byte      // the mapping
	src    io.ReaderAt // the file, or nil to read the mapping
	h      header
	sums   []byte
	first  [nRegions]int   // each region's first chunk, an index into sums
	sound  []atomic.Uint64 // a bit per chunk: checked, and sound
	bad    []atomic.Uint64 // a bit per chunk: checked, and damaged
	damage atomic.Pointer[DamageError]

	stop chan struct{} // closed by Close: the background pass ends
	done chan struct{} // closed by the background pass when it ends
}

func newLazyCheck(path string, file []byte, src io.ReaderAt, h header, sums []byte) *lazyCheck {
	l := &lazyCheck{path: path, file: file, src: src, h: h, sums: sums}
	n := 0
	for r := range h.regions {
		l.first[r] = n
		n += l.chunks(r)
	}
	l.sound = make([]atomic.Uint64, (n+63)/64)
	l.bad = make([]atomic.Uint64, (n+63)/64)
	for r := range h.regions { // the others are checked already
		if !lazyRegion(r) {
			for c := range l.chunks(r) {
				i := l.first[r] + c
				l.sound[i/64].Or(1 << (i % 64))
			}
		}
	}
	return l
}

// chunks is the number of chunks of region r.
func (l *lazyCheck) chunks(r int) int {
	size := uint64(1) << l.h.chunkShift
	return int((l.h.regions[r].padded() + size - 1) / size)
}

// chunk is the extent in the file of chunk c of region r.
func (l *lazyCheck) chunk(r, c int) (off, n uint64) {
	e, size := l.h.regions[r], uint64(1)<<l.h.chunkShift
	at := uint64(c) * size
	return e.off + at, min(size, e.padded()-at)
}

// ok reports whether bytes [start, end) of region r are sound, checking
// the chunks that hold them if they were not yet.
func (l *lazyCheck) ok(r int, start, end uint64) bool {
	shift := l.h.chunkShift
	for c := int(start >> shift); c <= int((end-1)>>shift); c++ {
		i := l.first[r] + c
		if l.sound[i/64].Load()&(1<<(i%64)) != 0 {
			continue
		}
		if l.bad[i/64].Load()&(1<<(i%64)) != 0 || !l.record(r, i, l.sum(r, c)) {
			return false
		}
	}
	return true
}

// sum is the checksum of chunk c of region r as the file holds it. The
// chunk is read with one read of the file where there is one (src), not
// through the mapping: a chunk not in the page cache then costs one read
// from disk, not a page fault for every page of it; once read, the
// mapping finds its pages in the cache.
func (l *lazyCheck) sum(r, c int) uint32 {
	off, n := l.chunk(r, c)
	if l.src == nil {
		return crc32.Checksum(l.file[off:off+n], castagnoli)
	}
	buf := chunkBufs.Get().(*[]byte)
	defer chunkBufs.Put(buf)
	if uint64(cap(*buf)) < n {
		*buf = make([]byte, n)
	}
	b := (*buf)[:n]
	if _, err := l.src.ReadAt(b, int64(off)); err != nil {
		return crc32.Checksum(l.file[off:off+n], castagnoli) // closed under it, or unreadable: the mapping says
	}
	return crc32.Checksum(b, castagnoli)
}

var chunkBufs = sync.Pool{New: func() any { return new([]byte) }}

// record records the checksum sum found for chunk i of region r, and
// says whether it is the one written.
func (l *lazyCheck) record(r, i int, sum uint32) bool {
	if l.bad[i/64].Load()&(1<<(i%64)) != 0 {
		return false
	}
	if sum == binary.LittleEndian.Uint32(l.sums[4*i:]) {
		l.sound[i/64].Or(1 << (i % 64))
		return true
	}
	l.bad[i/64].Or(1 << (i % 64))
	l.damage.CompareAndSwap(nil, &DamageError{l.path, regionNames[r], "checksum mismatch"})
	return false
}

// backgroundChecks bounds the background passes running at once, so that
// they leave the other cores to the searches.
var backgroundChecks = make(chan struct{}, 1)

// backgroundDelay is how long after opening a segment its background
// pass starts: the start-up's own reads and the first searches go first.
var backgroundDelay = 10 * time.Second

// checkInBackground checks, reading src, every chunk not checked yet,
// until done or stopped.
func (l *lazyCheck) checkInBackground(src io.ReaderAt) {
	l.stop, l.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(l.done)
		wait := time.NewTimer(backgroundDelay)
		defer wait.Stop()
		select {
		case <-wait.C:
		case <-l.stop:
			return
		}
		select {
		case backgroundChecks <- struct{}{}:
			defer func() { <-backgroundChecks }()
		case <-l.stop:
			return
		}
		// Chunks are read a batch at a time (a whole batch even where
		// some are checked already), and the pass rests as long as it
		// worked: it takes half a core at most, and leaves the disk to
		// the searches' first reads. It gives way to running searches
		// (see Searching).
		size := 1 << l.h.chunkShift
		batch := max(1, backgroundBatch/size)
		buf := make([]byte, batch*size)
		for r := range l.h.regions {
			if !lazyRegion(r) {
				continue
			}
			for c := 0; c < l.chunks(r); c += batch {
				select {
				case <-l.stop:
					return
				default:
				}
				if !l.yield() {
					return
				}
				m := min(batch, l.chunks(r)-c)
				off, _ := l.chunk(r, c)
				last, n := l.chunk(r, c+m-1)
				b := buf[:last+n-off]
				start := time.Now()
				if _, err := src.ReadAt(b, int64(off)); err != nil {
					return // closed, or unreadable: reads through the mapping still check
				}
				for k := range m {
					i := l.first[r] + c + k
					if l.sound[i/64].Load()&(1<<(i%64)) == 0 {
						at, n := l.chunk(r, c+k)
						l.record(r, i, crc32.Checksum(b[at-off:at-off+n], castagnoli))
					}
				}
				rest := time.NewTimer(time.Since(start))
				select {
				case <-rest.C:
				case <-l.stop:
					rest.Stop()
					return
				}
			}
		}
	}()
}

// backgroundBatch is how many bytes the background pass reads at once.
const backgroundBatch = 1 << 20

// searching counts the searches running (see Searching), which the
// background passes give way to.
var searching atomic.Int64

// Searching tells the background passes that a search is running until
// the function it returns is called: a pass waits for the searches to end
// before it reads on, up to yieldAtMost at a time, so that on a busy
// server it still ends. A search needs no pass done: whatever it reads is
// checked first (see checked).
func Searching() (done func()) {
	searching.Add(1)
	return func() { searching.Add(-1) }
}

// yieldAtMost bounds how long a background pass waits for searches to end
// before reading its next batch.
const yieldAtMost = time.Second

// yield waits, up to yieldAtMost, for no search to be running; false if
// the pass is stopped meanwhile.
func (l *lazyCheck) yield() bool {
	deadline := time.Now().Add(yieldAtMost)
	for searching.Load() > 0 && time.Now().Before(deadline) {
		t := time.NewTimer(2 * time.Millisecond)
		select {
		case <-t.C:
		case <-l.stop:
			t.Stop()
			return false
		}
	}
	return true
}

// halt stops the background pass and waits for it.
func (l *lazyCheck) halt() {
	if l.stop != nil {
		close(l.stop)
		<-l.done
		l.stop = nil
	}
}

// checked reads bytes [start, end) of region r, whose bytes are b: span,
// after checking the chunks that hold them; nil if one is damaged.
func (ix *Segment) checked(r int, b []byte, start, end uint64) []byte {
	out := span(b, start, end)
	if l := ix.lazy; l != nil && len(out) > 0 && !l.ok(r, start, end) {
		return nil
	}
	return out
}

// Damaged is the damage found in the segment's chunks checked so far
// (see lazyRegion), nil if none; once found it stays.
func (ix *Segment) Damaged() error {
	if l := ix.lazy; l != nil {
		if d := l.damage.Load(); d != nil {
			return d
		}
	}
	return nil
}

// Damaged is the damage found so far in the index's segments, nil if
// none: a search that read damaged bytes found nothing in them, and must
// not be answered.
func (ix *Index) Damaged() error {
	for i := range ix.parts {
		if err := ix.parts[i].seg.Damaged(); err != nil {
			return err
		}
	}
	return nil
}
