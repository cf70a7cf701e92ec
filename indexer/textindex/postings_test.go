package textindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBlocksReadBack packs blocks of values of every width, with and
// without exceptions, and reads them back whole and one by one.
func TestBlocksReadBack(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct {
		name string
		gen  func(i int) uint32
	}{
		{"zeros", func(int) uint32 { return 0 }},
		{"small", func(int) uint32 { return rng.Uint32N(8) }},
		{"small with a few large", func(i int) uint32 {
			if i%37 == 5 {
				return rng.Uint32()
			}
			return rng.Uint32N(100)
		}},
		{"9 to 16 bits", func(i int) uint32 { return rng.Uint32N(1 << (9 + i%8)) }},
		{"12 bits", func(i int) uint32 { return rng.Uint32N(1<<12) | 1<<11 }},
		{"16 bits", func(i int) uint32 { return rng.Uint32N(1<<16) | 1<<15 }},
		{"32 bits", func(int) uint32 { return rng.Uint32() | 1<<31 }},
		{"every width", func(i int) uint32 { return rng.Uint32() >> (i % 32) }},
	} {
		for _, m := range []int{1, 2, 7, 64, 127, blockSize} {
			gaps, counts, firsts := make([]uint32, m), make([]uint32, m), make([]uint32, m)
			for i := range m {
				gaps[i], counts[i], firsts[i] = c.gen(i)/blockSize, c.gen(i), c.gen(i)
			}
			b := appendBlock([]byte{7}, gaps, counts, firsts)
			b = append(b, 0xEE) // what follows
			var bl block
			if !bl.read(b[1:], m, 1000) {
				t.Fatalf("%s, %d: not read", c.name, m)
			}
			if b[1+bl.end] != 0xEE {
				t.Errorf("%s, %d: block ends at %d", c.name, m, bl.end)
			}
			sec := uint32(1000)
			all := make([]uint32, m)
			bl.counts.all(all)
			for i := range m {
				sec += gaps[i] + 1
				if bl.secs[i] != sec || bl.counts.at(i) != counts[i] || bl.firsts.at(i) != firsts[i] || all[i] != counts[i] {
					t.Fatalf("%s, %d: entry %d read back as %d %d %d, want %d %d %d", c.name, m, i, bl.secs[i], bl.counts.at(i), bl.firsts.at(i), sec, counts[i], firsts[i])
				}
			}
			for cut := 1; cut < bl.end; cut += max(1, bl.end/7) {
				var short block
				if short.read(b[1:1+cut], m, 1000) && short.end > cut {
					t.Errorf("%s, %d: cut at %d, read to %d", c.name, m, cut, short.end)
				}
			}
		}
	}
}

// TestIntersectDenseAsBlockByBlock: intersecting candidates with a pair's
// postings decoded whole (intersectDense) keeps what looking them up block
// by block (intersect) keeps, counts and first places included, for
// candidates sparse and dense, placed and not.
func TestIntersectDenseAsBlockByBlock(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []rune("党政廉风险一岗双责人民")
	var docs []*Doc
	for i := range 1500 {
		d := &Doc{ID: fmt.Sprint("d", i)}
		for s := range 1 + rng.IntN(5) {
			var text []rune
			for range 1 + rng.IntN(60) {
				text = append(text, alphabet[rng.IntN(len(alphabet))])
			}
			d.Sections = append(d.Sections, Section{Seq: s, Text: string(text)})
		}
		docs = append(docs, d)
	}
	seg := build(t, docs)
	pairs := 0
	for _, a := range alphabet[:5] {
		for _, b := range alphabet[5:] {
			p := seg.postingsOf(pairKey(a, b))
			if p.n < 2*blockSize {
				continue
			}
			pairs++
			for _, every := range []int{1, 2, 5, 40} {
				var cands []Candidate
				for s := range seg.Sections() {
					if rng.IntN(every) == 0 {
						first := int32(rng.IntN(4)) - 1
						cands = append(cands, Candidate{uint32(s), 1 + rng.Uint32N(3), first})
					}
				}
				for _, at := range []int{0, 1} {
					want := intersect(slices.Clone(cands), &p, at)
					got := intersectDense(slices.Clone(cands), &p, at, uint32(seg.Sections()))
					if !slices.Equal(got, want) {
						t.Fatalf("%c%c, one candidate in %d, at %d: %d kept, want %d", a, b, every, at, len(got), len(want))
					}
				}
			}
		}
	}
	if pairs == 0 {
		t.Fatal("no pair spans two blocks: the test tests nothing")
	}
}
