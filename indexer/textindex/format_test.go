package textindex

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A segment past 4 GiB cannot be built in a test: these check the
// encoding of its records and header with offsets past 4 GiB, and that
// offsets out of range are refused, not read.

func TestRecordsPast4GiB(t *testing.T) {
	d := docRec{data: 5<<30 + 7, idLen: 16, metaLen: 1<<32 - 1, recLen: 3, first: 1<<32 - 2}
	if got := view[docRec](appendDocRec(make([]byte, 0, 8), d), 1)[0]; got != d {
		t.Errorf("document record %+v read back as %+v", d, got)
	}
	s := secRec{doc: 1<<32 - 2, seq: 70000, textPatch: 1<<31 + 1, level: TitleLevel}
	if got := view[secRec](appendSecRec(make([]byte, 0, 8), s), 1)[0]; got != s {
		t.Errorf("section record %+v read back as %+v", s, got)
	}
}

func TestHeaderPast4GiB(t *testing.T) {
	h := header{docs: 1<<32 - 2, secs: 3_000_000_000, keys: 1 << 20, chunkShift: chunkShift}
	at := uint64(headerSize)
	for r := range h.regions {
		n := uint64(r)<<31 + uint64(r) // up to 22 GiB, some not multiples of 8
		if r == regKeys {
			n = h.keys * 4
		}
		h.regions[r] = extent{at, n}
		at += alignUp(n)
	}
	h.sums = extent{at, 4 * h.chunks()}
	h.fileSize = at + h.sums.len
	if h.fileSize < 100<<30 {
		t.Fatalf("a file of %d bytes", h.fileSize)
	}
	got, reason := decodeHeader(h.encode())
	if reason != "" || got != h {
		t.Fatalf("header read back as %+v (%s), want %+v", got, reason, h)
	}
	if n := h.chunksOf(h.regions[nRegions-1]); n != ((nRegions-1)<<31+nRegions-1+(1<<chunkShift)-1)>>chunkShift {
		t.Errorf("%d chunks in the last region", n)
	}
	// A region running past the end of the file, or leaving a gap.
	for _, bad := range []func(h *header){
		func(h *header) { h.regions[regNorm].len += 1 << 33 },
		func(h *header) { h.regions[regPostings].off += 8 },
		func(h *header) { h.fileSize += 8 },
		func(h *header) { h.regions[regDocData].len = 1<<64 - 3 },
	} {
		b := h
		bad(&b)
		if _, reason := decodeHeader(b.encode()); reason == "" {
			t.Errorf("%+v accepted", b)
		}
	}
}

func TestSpanRefusesOutOfRange(t *testing.T) {
	b := make([]byte, 16)
	for _, c := range []struct{ start, end uint64 }{
		{0, 17}, {5 << 30, 5<<30 + 1}, {8, 4}, {1<<64 - 1, 2}, {1 << 63, 1<<64 - 1},
	} {
		if s := span(b, c.start, c.end); s != nil {
			t.Errorf("span [%d,%d) of 16 bytes: %d bytes", c.start, c.end, len(s))
		}
	}
	if s := span(b, 4, 16); len(s) != 12 || cap(s) != 12 {
		t.Errorf("span [4,16): len %d cap %d", len(s), cap(s))
	}
	// Postings whose end is past the region, or whose skips or blocks
	// run past their end, are empty.
	ix := &Segment{nsecs: 100, postings: make([]byte, 64), runes: []runeRec{{'a', 0}}, keys: []uint32{'b', 'c', 'd'}, ends: offsets32{lo: []uint32{1 << 30, 17, 60}, wraps: []uint64{1}}}
	binary.PutUvarint(ix.postings[17:], 100000<<1|1) // 100000 entries: their skips are not there
	for _, k := range ix.keys {
		if p := ix.postingsOf(pairKey('a', rune(k))); p.n != 0 {
			t.Errorf("key %c: %+v", k, p)
		}
	}
	ix.ends.wraps = nil
	ix.postings[17] = 3 << 1 // 3 entries in a block whose header never ends
	for i := 18; i < 60; i++ {
		ix.postings[i] = 0x80
	}
	p := ix.postingsOf(pairKey('a', 'd'))
	if got := decode(&p, 0, 100, nil); p.n != 3 || len(got) != 0 {
		t.Errorf("a damaged block: %d entries, %v", p.n, got)
	}
	// A key of a rune past the runes' keys is none.
	ix.runes = []runeRec{{'a', 0}, {'b', 7}}
	if p := ix.postingsOf(pairKey('a', 'd')); p.n != 0 {
		t.Errorf("keys out of range: %+v", p)
	}
}

// TestOffsetsPast4GiB writes ascending offsets past 4 GiB, by steps
// small and large, and reads them back.
func TestOffsetsPast4GiB(t *testing.T) {
	want := []uint64{0, 5, 1<<32 - 1, 1 << 32, 1<<32 + 9, 3<<32 + 2, 3<<32 + 2, 7<<32 - 1, 40 << 32}
	var lo []byte
	var wraps []uint64
	var prev uint64
	for i, v := range want {
		lo, wraps = appendOffset(lo, wraps, i, prev, v)
		prev = v
	}
	o := offsets32{lo: view[uint32](lo, uint64(len(want))), wraps: wraps}
	for i, v := range want {
		if got := o.at(i); got != v {
			t.Errorf("offset %d read back as %#x, want %#x", i, got, v)
		}
	}
}

// TestOpenLeavesTextOnDisk: opening a segment of several MB grows the
// heap by a small fraction of it: the text, the postings and the records
// stay in the file.
func TestOpenLeavesTextOnDisk(t *testing.T) {
	defer func(d time.Duration) { backgroundDelay = d }(backgroundDelay)
	backgroundDelay = 0 // the pass in the background, at once
	b := NewBuilder()
	rng := rand.New(rand.NewPCG(1, 2))
	chars := []rune("党委政府人民监督管理法律责任安全生产行政处罚生态环境县级以上信访罚款消防第一条规定")
	var size int
	for d := range 400 {
		doc := &Doc{ID: fmt.Sprint("doc", d), Meta: []byte(`{"title":"通知"}`)}
		for s := range 40 {
			var text strings.Builder
			for range 120 {
				text.WriteRune(chars[rng.IntN(len(chars))])
				if rng.IntN(10) == 0 {
					text.WriteString("，")
				}
			}
			doc.Sections = append(doc.Sections, Section{Seq: s, Level: 1, Path: "第一章", Text: text.String()})
			size += text.Len()
		}
		Analyze(nil, doc)
		b.Add(doc)
	}
	path := filepath.Join(t.TempDir(), "seg.tix")
	seg, err := b.Write(path)
	if err != nil {
		t.Fatal(err)
	}
	seg.Close()
	b = nil
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix, err := OpenSegment(path)
	if err != nil {
		t.Fatal(err)
	}
	<-ix.lazy.done // its buffer is the pass's, not the segment's
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("text %d bytes, file %d, heap grown by %d on opening", size, fi.Size(), grown)
	if fi.Size() < 4<<20 || grown > fi.Size()/50 {
		t.Errorf("opening a file of %d bytes grew the heap by %d", fi.Size(), grown)
	}
	if ix.Sections() != 400*40 || len(ix.Text(ix.Sections()-1)) == 0 {
		t.Errorf("%d sections", ix.Sections())
	}
	// The pass in the background checked every chunk, batch by batch.
	l := ix.lazy
	for r := range l.h.regions {
		for c := range l.chunks(r) {
			if i := l.first[r] + c; l.sound[i/64].Load()&(1<<(i%64)) == 0 {
				t.Fatalf("%s: chunk %d of %d not checked", regionNames[r], c, l.chunks(r))
			}
		}
	}
	ix.Close()

	// A byte changed in the middle of the text, many chunks in: the pass
	// finds it.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	norm := l.h.regions[regNorm]
	data[norm.off+norm.len*2/3] ^= 1
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err = OpenSegment(path)
	if err != nil {
		t.Fatal(err)
	}
	<-ix.lazy.done
	var d *DamageError
	if err := ix.Damaged(); !errors.As(err, &d) || d.Part != regionNames[regNorm] || l.chunks(regNorm) < 20 {
		t.Errorf("after the pass: %v (text of %d chunks)", err, l.chunks(regNorm))
	}
	ix.Close()
}

// TestBackgroundPassGivesWayToSearches: while a search runs, the pass in
// the background reads nothing more (up to yieldAtMost); once it ends,
// the pass checks every chunk.
func TestBackgroundPassGivesWayToSearches(t *testing.T) {
	defer func(d time.Duration) { backgroundDelay = d }(backgroundDelay)
	backgroundDelay = 0
	path := filepath.Join(t.TempDir(), "seg.tix")
	if err := os.WriteFile(path, writeSample(t, blockOfText(3000)), 0o644); err != nil {
		t.Fatal(err)
	}
	checked := func(l *lazyCheck) int {
		n := 0
		for i := range l.sound {
			n += bits.OnesCount64(l.sound[i].Load())
		}
		return n
	}
	done := Searching()
	seg, err := OpenSegment(path)
	if err != nil {
		t.Fatal(err)
	}
	defer seg.Close()
	atOpen := checked(seg.lazy)
	time.Sleep(200 * time.Millisecond)
	if n := checked(seg.lazy); n != atOpen {
		t.Errorf("%d chunks checked while a search ran, %d at opening", n, atOpen)
	}
	done()
	total := int(seg.h.chunks())
	for deadline := time.Now().Add(5 * time.Second); checked(seg.lazy) < total && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := checked(seg.lazy); n != total {
		t.Errorf("%d of %d chunks checked after the search", n, total)
	}
}

// blockOfText is a document of n sections of varied text: a file of many
// chunks.
func blockOfText(n int) []*Doc {
	rng := rand.New(rand.NewPCG(5, 6))
	chars := []rune("党委政府人民监督管理法律责任安全生产行政处罚生态环境县级以上信访罚款消防")
	d := &Doc{ID: "big"}
	for s := range n {
		var text strings.Builder
		for range 100 {
			text.WriteRune(chars[rng.IntN(len(chars))])
		}
		d.Sections = append(d.Sections, Section{Seq: s, Text: text.String()})
	}
	return []*Doc{d}
}
