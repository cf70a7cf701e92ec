package textindex

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// sample is a small corpus in the genre, with the cases matching must
// tell apart: barriers (三、四 against 三个四), Latin and digits, full-width
// input, a repeated term, an empty heading path.
var sample = []*Doc{
	{ID: "n1", Meta: []byte(`{"title":"一"}`), Sections: []Section{
		{Seq: 0, Text: "为深入贯彻落实全面从严治党要求，现将整改情况通报如下。"},
		{Seq: 1, Level: 1, Path: "一、落实一岗双责", Text: "一、落实一岗双责\n党委书记履行第一责任人职责，班子成员落实一岗双责。"},
		{Seq: 2, Level: 1, Path: "二、三个四", Text: "二、三个四\n完成三个四方面整改，PM2.5浓度下降。"},
	}},
	{ID: "n2", Meta: []byte(`{"title":"二"}`), Sections: []Section{
		{Seq: 0, Text: "聚焦廉政风险防控，排查廉政风险点４２个。"},
		{Seq: 1, Level: 1, Path: "三、四", Text: "三、四\n第三、四季度开展2021年度检查。"},
	}},
	{ID: "n3", Sections: []Section{{Seq: 0, Text: "党"}}},
	{ID: "n4", Sections: []Section{
		// A term whose pairs first stand apart (政府 before 人民政府), and
		// overlapping occurrences (党党 twice in 党党党).
		{Seq: 0, Text: "政府部门和人民代表，县人民政府；党党党员"},
		// Every pair of 人民政府, but not the term: a candidate to reject.
		{Seq: 1, Level: 1, Path: "二、民政", Text: "二、民政\n人民代表、民政部门、政府机关"},
	}},
}

func build(t testing.TB, docs []*Doc) *Segment {
	t.Helper()
	b := NewBuilder()
	for _, d := range docs {
		d := &Doc{ID: d.ID, Meta: d.Meta, Sections: slices.Clone(d.Sections)}
		Analyze(nil, d)
		b.Add(d)
	}
	path := filepath.Join(t.TempDir(), "text.idx")
	written, err := b.Write(path)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := OpenSegment(path)
	if err != nil {
		t.Fatal(err)
	}
	// What Write returns is what Open reads: the file, mapped.
	if written.Sections() != ix.Sections() || written.data == nil || !bytes.Equal(written.file, ix.file) {
		t.Fatal("the index Write returns differs from the one Open reads")
	}
	t.Cleanup(func() { written.Close(); ix.Close() })
	return ix
}

func TestRoundTrip(t *testing.T) {
	ix := build(t, sample)
	if ix.Docs() != len(sample) {
		t.Fatalf("%d documents, want %d", ix.Docs(), len(sample))
	}
	sec := 0
	for i, d := range sample {
		first, end := ix.DocSections(i)
		if ix.DocID(i) != d.ID || string(ix.DocMeta(i)) != string(d.Meta) || first != sec || end-first != len(d.Sections) {
			t.Errorf("document %d: %s %s sections [%d,%d)", i, ix.DocID(i), ix.DocMeta(i), first, end)
		}
		for _, s := range d.Sections {
			if ix.Text(sec) != s.Text || ix.Path(sec) != s.Path || ix.Seq(sec) != s.Seq || ix.Level(sec) != s.Level || ix.Doc(sec) != i {
				t.Errorf("section %d: %q %q %d %d", sec, ix.Text(sec), ix.Path(sec), ix.Seq(sec), ix.Level(sec))
			}
			if !bytes.Equal(ix.Norm(sec), Normalize(s.Text)) || !bytes.Equal(ix.NormPath(sec), Normalize(s.Path)) {
				t.Errorf("section %d normalised as %q", sec, ix.Norm(sec))
			}
			sec++
		}
	}
}

// TestCandidatesHoldEveryMatch checks the postings against a scan: for
// every substring of every section, the candidates include every section
// holding it, and for one or two characters they are exactly those.
func TestCandidatesHoldEveryMatch(t *testing.T) {
	t.Run("postings as written", func(t *testing.T) { testCandidatesHoldEveryMatch(t, build(t, sample)) })
	t.Run("skips of 64 bits", func(t *testing.T) {
		defer func(w bool) { forceWide = w }(forceWide)
		forceWide = true
		testCandidatesHoldEveryMatch(t, build(t, sample))
	})
}

// searchable is what Segment and Index have in common for matching.
type searchable interface {
	Sections() int
	Norm(s int) []byte
	Candidates(term []byte, buf []Candidate) []Candidate
	Confirm(cands []Candidate, term []byte) []Candidate
}

func testCandidatesHoldEveryMatch(t *testing.T, ix searchable) {
	terms := map[string]bool{"三|四": true, "三个四": true, "pm2.5": true, "42": true, "廉政": true}
	for sec := range ix.Sections() {
		runes := []rune(string(ix.Norm(sec)))
		for i := range runes {
			for n := 1; n <= 5 && i+n <= len(runes); n++ {
				terms[string(runes[i:i+n])] = true
			}
		}
	}
	for term := range terms {
		if term[0] == BarrierByte || term[len(term)-1] == BarrierByte {
			continue // queries are trimmed of barriers at their ends
		}
		var want []uint32
		for sec := range ix.Sections() {
			if bytes.Contains(ix.Norm(sec), []byte(term)) {
				want = append(want, uint32(sec))
			}
		}
		var got []uint32
		for _, c := range ix.Candidates([]byte(term), nil) {
			got = append(got, c.Sec)
			norm := ix.Norm(int(c.Sec))
			if c.First >= 0 {
				at := bytes.Index(norm, []byte(term))
				if at < 0 || utf8.RuneCount(norm[:at]) != int(c.First) {
					t.Errorf("%q: section %d said to hold it first at rune %d; it is at byte %d of %q", term, c.Sec, c.First, at, norm)
				}
			}
			if n := uint32(overlapping(ix.Norm(int(c.Sec)), []byte(term))); utf8.RuneCountInString(term) <= 2 && c.Count != n {
				t.Errorf("%q: section %d counted %d times, holds it %d times", term, c.Sec, c.Count, n)
			}
		}
		for _, w := range want {
			if _, ok := slices.BinarySearch(got, w); !ok {
				t.Errorf("%q: section %d holds it but is no candidate (%v)", term, w, got)
			}
		}
		if utf8.RuneCountInString(term) <= 2 && !slices.Equal(got, want) {
			t.Errorf("%q: candidates %v, want exactly %v", term, got, want)
		}
		var confirmed []uint32
		for _, c := range ix.Confirm(ix.Candidates([]byte(term), nil), []byte(term)) {
			confirmed = append(confirmed, c.Sec)
		}
		if !slices.Equal(confirmed, want) {
			t.Errorf("%q: confirmed %v, want %v", term, confirmed, want)
		}
	}
	if got := ix.Candidates(Normalize("三、四"), nil); len(got) != 1 {
		t.Errorf("三、四: candidates %v, want the one section with a barrier between", got)
	}
}

// TestIndexOverSegments reads segments with deletions as one index: it
// holds the live documents in order, numbered over the live ones, and
// matches exactly over them.
func TestIndexOverSegments(t *testing.T) {
	segs := []*Segment{build(t, sample[:2]), build(t, sample[2:]), build(t, sample)}
	deleted := [][]int{{0}, nil, {1, 2}}
	ix := NewIndex(segs, deleted)
	want := []*Doc{sample[1], sample[2], sample[3], sample[0], sample[3]}
	if ix.Docs() != len(want) {
		t.Fatalf("%d documents, want %d", ix.Docs(), len(want))
	}
	sec := 0
	for i, d := range want {
		first, end := ix.DocSections(i)
		if ix.DocID(i) != d.ID || first != sec || end-first != len(d.Sections) {
			t.Errorf("document %d: %s sections [%d,%d), want %s from %d", i, ix.DocID(i), first, end, d.ID, sec)
		}
		for _, s := range d.Sections {
			if ix.Text(sec) != s.Text || ix.Doc(sec) != i || ix.Seq(sec) != s.Seq {
				t.Errorf("section %d: %q of document %d", sec, ix.Text(sec), ix.Doc(sec))
			}
			sec++
		}
	}
	if ix.Sections() != sec {
		t.Errorf("%d sections, want %d", ix.Sections(), sec)
	}
	if ix.DocAt(0, 0) != -1 || ix.DocAt(0, 1) != 0 || ix.DocAt(2, 3) != 4 {
		t.Errorf("DocAt: %d %d %d", ix.DocAt(0, 0), ix.DocAt(0, 1), ix.DocAt(2, 3))
	}
	testCandidatesHoldEveryMatch(t, ix)
	t.Run("segments on all cores", func(t *testing.T) {
		defer func(n int) { parallelParts = n }(parallelParts)
		parallelParts = 0
		testCandidatesHoldEveryMatch(t, ix)
	})
	if n := Empty().Candidates(Normalize("党"), nil); len(n) != 0 || Empty().Docs() != 0 {
		t.Errorf("the empty index finds %v", n)
	}
}

// TestMergeWritesWhatABuildWrites merges segments with deletions and
// compares the segment written with one built from the live documents
// afresh: the same documents, texts and heading paths, and the same
// postings, byte for byte (keys, their runes, their ends, the blocks),
// though the merge reads them from the segments rather than the text.
// The documents are many and their alphabet small, so that keys span
// many blocks; sample's are among them, patches and barriers included.
func TestMergeWritesWhatABuildWrites(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 11))
	alphabet := []rune("党政廉风险一岗双责人民政府监督管理、，。0１A")
	var docs []*Doc
	for i := range 600 {
		d := &Doc{ID: fmt.Sprintf("g%d", i), Meta: []byte(fmt.Sprintf(`{"n":%d}`, i))}
		for s := range 1 + rnd.IntN(4) {
			var text []rune
			for range rnd.IntN(60) {
				text = append(text, alphabet[rnd.IntN(len(alphabet))])
			}
			d.Sections = append(d.Sections, Section{Seq: s, Level: min(s, 1), Path: string(alphabet[:s]), Text: string(text)})
		}
		docs = append(docs, d)
	}
	docs = slices.Insert(docs, 100, sample...)
	parts := [][]*Doc{docs[:250], docs[250:260], docs[260:]}
	segs := make([]*Segment, len(parts))
	deleted := make([][]int, len(parts))
	var live []*Doc
	for i, p := range parts {
		segs[i] = build(t, p)
		for d := range p {
			if i != 1 && rnd.IntN(4) == 0 || i == 1 { // the second segment goes whole
				deleted[i] = append(deleted[i], d)
			} else {
				live = append(live, p[d])
			}
		}
	}
	b := NewBuilder()
	b.Merge(NewIndex(segs, deleted))
	path := filepath.Join(t.TempDir(), "merged.idx")
	merged, err := b.Write(path)
	if err != nil {
		t.Fatal(err)
	}
	defer merged.Close()
	fresh := build(t, live)
	if merged.Docs() != fresh.Docs() || merged.Sections() != fresh.Sections() {
		t.Fatalf("merged %d documents, %d sections; built %d, %d", merged.Docs(), merged.Sections(), fresh.Docs(), fresh.Sections())
	}
	for d := range fresh.Docs() {
		if merged.DocID(d) != fresh.DocID(d) || !bytes.Equal(merged.DocMeta(d), fresh.DocMeta(d)) {
			t.Fatalf("document %d: merged %s %s, built %s %s", d, merged.DocID(d), merged.DocMeta(d), fresh.DocID(d), fresh.DocMeta(d))
		}
	}
	for s := range fresh.Sections() {
		if merged.Text(s) != fresh.Text(s) || merged.Path(s) != fresh.Path(s) || !bytes.Equal(merged.Words(s), fresh.Words(s)) {
			t.Fatalf("section %d: merged %q %q, built %q %q", s, merged.Path(s), merged.Text(s), fresh.Path(s), fresh.Text(s))
		}
	}
	if !slices.Equal(merged.runes, fresh.runes) || !slices.Equal(merged.keys, fresh.keys) {
		t.Fatalf("keys: merged %d, built %d", len(merged.keys), len(fresh.keys))
	}
	for i := range fresh.keys {
		if merged.ends.at(i) != fresh.ends.at(i) {
			t.Fatalf("key %d ends at %d merged, %d built", i, merged.ends.at(i), fresh.ends.at(i))
		}
	}
	if !bytes.Equal(merged.postings, fresh.postings) {
		t.Fatal("the postings differ")
	}
	if got := merged.Candidates(Normalize("廉政风险"), nil); len(got) == 0 {
		t.Error("廉政风险 is not found in the merged segment")
	}
}

// TestIsWord checks whole words against gse-free word starts: each run
// between barriers is one word.
func TestIsWord(t *testing.T) {
	norm := Normalize("廉政风险，党风廉政")
	bits := wordStarts(nil, norm, nil)
	whole := func(s string) bool {
		i := utf8.RuneCount(norm[:bytes.Index(norm, []byte(s))])
		return IsWord(bits, i, i+utf8.RuneCountInString(s))
	}
	if !whole("廉政风险") || !whole("党风廉政") || whole("廉政") || whole("风险") {
		t.Errorf("word starts %08b over %q", bits, norm)
	}
}

// TestOpenRejectsDamage: a cut or altered file is an error, never a
// panic; every byte is under a checksum, so every change is refused.
func TestOpenRejectsDamage(t *testing.T) {
	data := writeSample(t, sample)
	for n := 0; n < len(data); n++ {
		if _, err := load(data[:n], "text.idx"); !errors.Is(err, ErrFormat) {
			t.Fatalf("cut at %d of %d bytes: err = %v", n, len(data), err)
		}
	}
	for i := range data {
		bad := slices.Clone(data)
		bad[i] ^= 0xff
		if _, err := load(bad, "text.idx"); !errors.Is(err, ErrFormat) {
			t.Fatalf("byte %d of %d altered: err = %v", i, len(data), err)
		}
		bad[i] ^= 0x81
		if _, err := load(bad, "text.idx"); !errors.Is(err, ErrFormat) {
			t.Fatalf("byte %d of %d altered: err = %v", i, len(data), err)
		}
	}
	if _, err := load(append(slices.Clone(data), 0), "text.idx"); !errors.Is(err, ErrDamaged) {
		t.Fatalf("a byte appended: err = %v", err)
	}
	// A hostile file, its checksums made to agree: refused or read
	// without a read out of range.
	for i := range data {
		for _, flip := range []byte{0xff, 0x01, 0x80} {
			bad := slices.Clone(data)
			bad[i] ^= flip
			if ix, err := load(reseal(bad), "text.idx"); err == nil {
				exercise(ix)
			}
		}
	}
}

// reseal gives data the checksums of what it holds, if its header can
// say where they go.
func reseal(data []byte) []byte {
	if len(data) < headerSize {
		return data
	}
	le := binary.LittleEndian
	le.PutUint32(data[hdrCRC:], crc32.Checksum(data[:hdrCRC], castagnoli))
	h, reason := decodeHeader(data)
	if reason != "" || h.fileSize != uint64(len(data)) {
		return data
	}
	sums := data[h.sums.off:h.sums.off]
	size := uint64(1) << h.chunkShift
	for _, e := range h.regions {
		for off := uint64(0); off < e.padded(); off += size {
			sums = le.AppendUint32(sums, crc32.Checksum(data[e.off+off:e.off+min(off+size, e.padded())], castagnoli))
		}
	}
	le.PutUint32(data[hdrSums+16:], crc32.Checksum(sums, castagnoli))
	le.PutUint32(data[hdrCRC:], crc32.Checksum(data[:hdrCRC], castagnoli))
	return data
}

// exercise reads everything of ix a search could.
func exercise(ix *Segment) {
	for s := range ix.Sections() {
		ix.Text(s)
		ix.Path(s)
		ix.Words(s)
		ix.Doc(s)
		ix.Seq(s)
		ix.Level(s)
		ix.Confirm(ix.Candidates(ix.Norm(s), nil), ix.Norm(s))
		ix.Estimate(ix.NormPath(s))
	}
	for _, term := range []string{"党", "三|四", "廉政风险", "人民政府"} {
		ix.Confirm(ix.Candidates([]byte(term), nil), []byte(term))
	}
	for i := range ix.Docs() {
		ix.DocSections(i)
		ix.DocID(i)
		ix.DocMeta(i)
		ix.DocRecord(i)
	}
	ix.Verify()
}

// TestDamageNamesThePart: a damaged region is named, by OpenSegment and
// by Verify on an open segment.
func TestDamageNamesThePart(t *testing.T) {
	defer func(d time.Duration) { backgroundDelay = d }(backgroundDelay)
	backgroundDelay = 0 // the pass in the background, at once
	data := writeSample(t, sample)
	h, _ := decodeHeader(data)
	for r, e := range h.regions {
		if e.len == 0 {
			continue
		}
		bad := slices.Clone(data)
		bad[e.off+e.len/2] ^= 1
		path := filepath.Join(t.TempDir(), "seg.tix")
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		ix, err := OpenSegment(path)
		if lazyRegion(r) { // found by the pass in the background
			if err != nil {
				t.Errorf("%s altered: opening failed: %v", regionNames[r], err)
				continue
			}
			<-ix.lazy.done
			err = ix.Damaged()
			ix.Close()
		}
		var d *DamageError
		if !errors.As(err, &d) || d.Part != regionNames[r] || d.Path != path || !errors.Is(err, ErrDamaged) {
			t.Errorf("%s altered: err = %v", regionNames[r], err)
		}
	}
	// A search's read finds damage the background pass has not reached,
	// and gets nothing of the damaged chunk.
	for _, r := range []int{regNorm, regPostings} {
		bad := slices.Clone(data)
		bad[h.regions[r].off] ^= 1
		ix, err := loadFrom(bad, bytes.NewReader(bad), "seg.tix", true)
		if err != nil {
			t.Fatalf("%s altered: %v", regionNames[r], err)
		}
		if ix.Damaged() != nil {
			t.Fatalf("%s altered: damage reported before any read", regionNames[r])
		}
		norm := ix.Norm(0)
		found := ix.Candidates(Normalize("廉政风险"), nil)
		var d *DamageError
		if err := ix.Damaged(); !errors.As(err, &d) || d.Part != regionNames[r] {
			t.Errorf("%s altered: after reading, Damaged() = %v", regionNames[r], err)
		}
		if r == regNorm && norm != nil || r == regPostings && len(found) > 0 {
			t.Errorf("%s altered: read %q, found %v", regionNames[r], norm, found)
		}
	}
	for _, c := range []struct {
		name string
		at   int
		part string
	}{
		{"the header", hdrDocs, "header"},
		{"the checksum table", len(data) - 2, "checksum table"},
		{"the postings", int(h.regions[regPostings].off), "postings"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ix, err := load(slices.Clone(data), "seg.tix")
			if err != nil {
				t.Fatal(err)
			}
			if err := ix.Verify(); err != nil {
				t.Fatalf("intact: %v", err)
			}
			ix.file[c.at] ^= 0x10
			var d *DamageError
			if err := ix.Verify(); !errors.As(err, &d) || d.Part != c.part {
				t.Errorf("err = %v, want the %s named", err, c.part)
			}
		})
	}
}

// TestClose: a closed segment is empty and refuses Verify; strings it
// gave stay.
func TestClose(t *testing.T) {
	ix := build(t, sample)
	text, id := ix.Text(1), ix.DocID(0)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("closed twice: %v", err)
	}
	if ix.Docs() != 0 || ix.Sections() != 0 || ix.Verify() == nil {
		t.Errorf("closed: %d documents, %d sections, Verify %v", ix.Docs(), ix.Sections(), ix.Verify())
	}
	if text != sample[0].Sections[1].Text || id != "n1" {
		t.Errorf("after Close: %q %q", text, id)
	}
}

// writeSample writes docs as a segment and returns its file's bytes.
func writeSample(t testing.TB, docs []*Doc) []byte {
	b := NewBuilder()
	for _, d := range docs {
		d := &Doc{ID: d.ID, Meta: d.Meta, Sections: slices.Clone(d.Sections)}
		Analyze(nil, d)
		b.Add(d)
	}
	path := filepath.Join(t.TempDir(), "text.idx")
	ix, err := b.Write(path)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func FuzzOpen(f *testing.F) {
	f.Add(writeSample(f, []*Doc{{ID: "n", Sections: []Section{{Text: "三、四季度廉政风险"}}}}))
	f.Add(writeSample(f, sample))
	f.Fuzz(func(t *testing.T, data []byte) {
		if ix, err := load(data, "fuzz"); err == nil {
			exercise(ix)
		}
		// The same bytes with checksums that agree: a hostile file.
		if ix, err := load(reseal(slices.Clone(data)), "fuzz"); err == nil {
			exercise(ix)
		}
	})
}

// overlapping counts the occurrences of term in s, overlaps included.
func overlapping(s, term []byte) int {
	n := 0
	for i := range s {
		if bytes.HasPrefix(s[i:], term) {
			n++
		}
	}
	return n
}

// TestCandidatesOverLongPostings checks intersections that skip blocks of
// entries: postings far longer than skipEvery, in different proportions.
func TestCandidatesOverLongPostings(t *testing.T) {
	t.Run("postings as written", testCandidatesOverLongPostings)
	t.Run("skips of 64 bits", func(t *testing.T) {
		defer func(w bool) { forceWide = w }(forceWide)
		forceWide = true
		testCandidatesOverLongPostings(t)
	})
}

func testCandidatesOverLongPostings(t *testing.T) {
	d := &Doc{ID: "long"}
	for i := range 5000 {
		var b strings.Builder
		b.WriteString("第一条")
		if i%3 == 0 {
			b.WriteString("人民代表，")
		}
		if i%5 == 0 {
			b.WriteString("省政府，")
		}
		if i%7 == 0 || i == 4999 {
			b.WriteString("县人民政府")
		}
		if i%13 == 0 {
			b.WriteString("人民，民政，政府") // every pair of 人民政府, not the term
		}
		if i%11 == 0 {
			b.WriteString("人民政府人民政府")
		}
		d.Sections = append(d.Sections, Section{Seq: i, Text: b.String()})
	}
	ix := build(t, []*Doc{d})
	// 第一条 has more candidates than Confirm shares out among cores.
	for _, term := range []string{"人民政府", "县人民政府", "人民", "政府", "民政", "代表", "省政府", "第一条", "人", "府", "第", "，"} {
		var want, got []uint32
		for sec := range ix.Sections() {
			if bytes.Contains(ix.Norm(sec), []byte(term)) {
				want = append(want, uint32(sec))
			}
		}
		for _, c := range ix.Confirm(ix.Candidates([]byte(term), nil), []byte(term)) {
			got = append(got, c.Sec)
			if n := overlapping(ix.Norm(int(c.Sec)), []byte(term)); utf8.RuneCountInString(term) <= 2 && int(c.Count) != n {
				t.Errorf("%q: section %d counted %d, holds %d", term, c.Sec, c.Count, n)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %d sections confirmed, want %d", term, len(got), len(want))
		}
	}
}
