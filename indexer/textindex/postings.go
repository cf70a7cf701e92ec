package textindex

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"sync"
)

// A pair's postings, as written (see Builder.writePostings):
//
//	uvarint     the number of sections n, shifted left, with the low bit
//	            set when the skips' offsets are 64-bit
//	skips       for each block but the last, the last section it holds
//	            (uint32) and the offset of the next block from the first
//	            (uint32, or uint64 when wide)
//	blocks      of blockSize entries, the last one shorter
//
// A block packs, each at the fewest bits that hold most of its values
// (patched frame of reference): the gaps between its sections (the
// section less the one before, less one; the first block's first
// section as it is), its counts less one, and the rune offsets where the
// pair first stands. A value too wide for its stream's bits is an
// exception: its low bits packed with the others, its index and high
// bits after the packed streams. Laid out:
//
//	uvarint     bits of the gaps | of the counts<<6 | of the offsets<<12,
//	            with bit 18 set when there are exceptions
//	3 bytes     if so, the number of exceptions of each stream
//	packed      the gaps, the counts, the offsets, each padded to a byte
//	exceptions  for each stream, the indexes of its exceptions (a byte
//	            each), then their high bits (uvarints)
//
// On the laws corpus a pair's entry takes 2.4 bytes where varints took
// 3.6; the gaps of frequent pairs take a few bits. A block is unpacked
// only where an intersection needs it; the counts and offsets of an entry
// only when it is a match.
//
// A character's postings are the number of sections holding it, and no
// entries: every occurrence of a character starts a pair, with the next
// character, a barrier or the end of the section (endRune), so its
// sections are the union of the postings of the pairs it starts, which
// are the keys just before its own, and its count in a section the sum
// of theirs.

// blockSize is the number of entries of a block.
const blockSize = 128

// endRune stands, as the second of a pair, for the end of a section.
const endRune = barrierKey + 1

// postings are one key's.
type postings struct {
	n      int
	skips  []byte // skipSize(wide) bytes each
	wide   bool
	blocks []byte
	lo, hi int // for a character: the keys of the pairs it starts
	char   bool
}

func skipSize(wide bool) int {
	if wide {
		return 12
	}
	return 8
}

// nblocks is the number of blocks of n entries.
func nblocks(n int) int { return (n + blockSize - 1) / blockSize }

// skip is the last section of block j and the offset of block j+1.
func (p *postings) skip(j int) (last uint32, off uint64) {
	size := skipSize(p.wide)
	r := p.skips[j*size:]
	last = binary.LittleEndian.Uint32(r)
	if p.wide {
		return last, binary.LittleEndian.Uint64(r[4:])
	}
	return last, uint64(binary.LittleEndian.Uint32(r[4:]))
}

// blockAt is block j's bytes, from its start to the end of the blocks;
// nil if the skips are damaged.
func (p *postings) blockAt(j int) []byte {
	if j == 0 {
		return p.blocks
	}
	_, off := p.skip(j - 1)
	if off >= uint64(len(p.blocks)) {
		return nil
	}
	return p.blocks[off:]
}

// parsePostings reads a pair's postings from b; n is 0 if they are
// damaged.
func parsePostings(b []byte) postings {
	h, k := uvarint(b)
	if k <= 0 || h>>1 > uint64(len(b))*blockSize { // a block takes a byte at least
		return postings{}
	}
	p := postings{n: int(h >> 1), wide: h&1 == 1}
	b = b[k:]
	size := uint64(skipSize(p.wide)) * uint64(max(nblocks(p.n)-1, 0))
	if size > uint64(len(b)) {
		return postings{}
	}
	p.skips, p.blocks = b[:size], b[size:]
	return p
}

// stream is one packed stream of a block: its values at bits bits each,
// and its exceptions.
type stream struct {
	packed []byte
	bits   uint
	excIdx []byte // indexes of the exceptions
	excHi  []byte // their high bits, uvarints
}

// block is a block of postings being read: its sections unpacked, its
// counts and offsets where they lie.
type block struct {
	m      int
	secs   [blockSize]uint32
	counts stream
	firsts stream
	end    int // of the block in the bytes it was read from

	// The counts and offsets unpacked, once unpacked is set: an
	// intersection unpacks them at a block's first match.
	unpacked   bool
	inPlace    int // entries read in place, before unpacked
	cnts, fsts [blockSize]uint32
}

// entry is the count and first offset of entry k of the block.
func (bl *block) entry(k int) (count, first uint32) {
	if len(bl.counts.excIdx) == 0 && len(bl.firsts.excIdx) == 0 {
		// Read in place: a block's matches are often a few of its entries.
		return bitsAt(bl.counts.packed, k, bl.counts.bits) + 1, bitsAt(bl.firsts.packed, k, bl.firsts.bits)
	}
	if !bl.unpacked {
		// A few entries are read in place, exceptions looked up; past
		// that, the block's counts and offsets are unpacked whole.
		if bl.inPlace < unpackAfter {
			bl.inPlace++
			return bl.counts.at(k) + 1, bl.firsts.at(k)
		}
		bl.counts.all(bl.cnts[:bl.m])
		bl.firsts.all(bl.fsts[:bl.m])
		bl.unpacked = true
	}
	return bl.cnts[k] + 1, bl.fsts[k]
}

// unpackAfter is how many entries of a block with exceptions entry reads
// in place before it unpacks them all.
const unpackAfter = 8

// read unpacks the block at the start of b, of m entries, whose first
// section follows prev (prev is -1 for a key's first block, as a uint32:
// 1<<32-1), and says whether it could: a damaged block is not read.
func (bl *block) read(b []byte, m int, prev uint32) bool {
	h, k := uvarint(b)
	if k <= 0 || m > blockSize || m <= 0 {
		return false
	}
	bd, bc, bf := uint(h&63), uint(h>>6&63), uint(h>>12&63)
	if bd > 32 || bc > 32 || bf > 32 || h>>19 != 0 {
		return false
	}
	at := k
	var nexc [3]int
	if h>>18&1 == 1 {
		if len(b) < at+3 {
			return false
		}
		for s := range 3 {
			nexc[s] = int(b[at+s])
		}
		at += 3
	}
	var st [3]stream
	for s, w := range [3]uint{bd, bc, bf} {
		size := (m*int(w) + 7) / 8
		if len(b)-at < size {
			return false
		}
		st[s] = stream{packed: b[at : at+size], bits: w}
		at += size
	}
	for s := range 3 {
		n := nexc[s]
		if len(b)-at < n {
			return false
		}
		st[s].excIdx = b[at : at+n]
		at += n
		start := at
		for range n {
			for at < len(b) && b[at] >= 0x80 {
				at++
			}
			if at == len(b) {
				return false
			}
			at++
		}
		st[s].excHi = b[start:at]
	}
	bl.m, bl.counts, bl.firsts, bl.end, bl.unpacked, bl.inPlace = m, st[1], st[2], at, false, 0
	gaps := bl.secs[:m]
	unpack(gaps, st[0].packed, bd)
	st[0].patch(gaps)
	v := prev
	for i, g := range gaps {
		v += g + 1
		gaps[i] = v
	}
	return true
}

// at is the i-th value of the stream.
func (s *stream) at(i int) uint32 {
	v := bitsAt(s.packed, i, s.bits)
	if len(s.excIdx) > 0 {
		if k := bytes.IndexByte(s.excIdx, byte(i)); k >= 0 {
			hi := s.excHi
			for range k {
				hi = skipVarint(hi)
			}
			x, _ := uvarint(hi)
			v |= uint32(x) << s.bits
		}
	}
	return v
}

// all unpacks the stream's m values into dst.
func (s *stream) all(dst []uint32) {
	unpack(dst, s.packed, s.bits)
	s.patch(dst)
}

// patch adds the exceptions' high bits to the values unpacked.
func (s *stream) patch(dst []uint32) {
	hi := s.excHi
	for _, i := range s.excIdx {
		x, k := uvarint(hi)
		if k <= 0 {
			return
		}
		hi = hi[k:]
		if int(i) < len(dst) {
			dst[i] |= uint32(x) << s.bits
		}
	}
}

// bitsAt is the i-th value of w bits packed in p, which holds it.
func bitsAt(p []byte, i int, w uint) uint32 {
	if w == 0 {
		return 0
	}
	bit := uint(i) * w
	at := bit >> 3
	var x uint64
	if int(at)+8 <= len(p) {
		x = binary.LittleEndian.Uint64(p[at:])
	} else {
		var buf [8]byte
		copy(buf[:], p[at:])
		x = binary.LittleEndian.Uint64(buf[:])
	}
	return uint32(x>>(bit&7)) & uint32(1<<w-1)
}

// unpack reads len(dst) values of w bits from p, which holds them.
func unpack(dst []uint32, p []byte, w uint) {
	if w == 0 {
		clear(dst)
		return
	}
	need := (len(dst)*int(w)+7)/8 + 8
	if len(p) < need {
		var buf [blockSize*4 + 8]byte
		copy(buf[:], p)
		p = buf[:need]
	}
	mask := uint64(1)<<w - 1
	i := 0
	// Eight values take w bytes: up to 16 bits, one or two loads hold
	// them.
	switch {
	case w <= 8:
		for ; i+8 <= len(dst); i += 8 {
			x := binary.LittleEndian.Uint64(p[i/8*int(w):])
			d := dst[i : i+8 : i+8]
			for k := range d {
				d[k] = uint32(x & mask)
				x >>= w
			}
		}
	case w <= 16:
		for ; i+8 <= len(dst); i += 8 {
			at := i / 8 * int(w)
			x := binary.LittleEndian.Uint64(p[at:])
			y := binary.LittleEndian.Uint64(p[at+int(4*w/8):]) >> (4 * w % 8)
			d := dst[i : i+8 : i+8]
			for k := range 4 {
				d[k] = uint32(x & mask)
				x >>= w
				d[4+k] = uint32(y & mask)
				y >>= w
			}
		}
	}
	for bit := uint(i) * w; i < len(dst); i++ {
		x := binary.LittleEndian.Uint64(p[bit>>3:])
		dst[i] = uint32(x >> (bit & 7) & mask)
		bit += w
	}
}

// pack appends vs at w bits each.
func pack(b []byte, vs []uint32, w uint) []byte {
	var acc uint64
	var n uint
	for _, v := range vs {
		acc |= uint64(v&uint32(1<<w-1)) << n
		n += w
		for n >= 8 {
			b = append(b, byte(acc))
			acc >>= 8
			n -= 8
		}
	}
	if n > 0 {
		b = append(b, byte(acc))
	}
	return b
}

// width is the number of bits to pack vs at: the fewest that cost least
// with the exceptions they make.
func width(vs []uint32) uint {
	var hist [33]int // values by their length in bits
	for _, v := range vs {
		hist[bits.Len32(v)]++
	}
	top := 32
	for top > 0 && hist[top] == 0 {
		top--
	}
	best, bestCost := uint(top), len(vs)*top
	if len(vs) > 255 {
		return best
	}
	for w := top - 1; w >= 0; w-- {
		// An exception costs its index and a varint of its high bits.
		cost := len(vs) * w
		for l := w + 1; l <= top; l++ {
			cost += hist[l] * 8 * (1 + (l-w+6)/7)
		}
		if cost < bestCost {
			best, bestCost = uint(w), cost
		}
	}
	return best
}

// appendBlock appends a block of the entries (gaps as described above).
func appendBlock(b []byte, gaps, counts, firsts []uint32) []byte {
	streams := [3][]uint32{gaps, counts, firsts}
	var w [3]uint
	var exc [3]int
	for s, vs := range streams {
		w[s] = width(vs)
		for _, v := range vs {
			if bits.Len32(v) > int(w[s]) {
				exc[s]++
			}
		}
	}
	h := uint64(w[0] | w[1]<<6 | w[2]<<12)
	if exc != [3]int{} {
		h |= 1 << 18
	}
	b = binary.AppendUvarint(b, h)
	if exc != [3]int{} {
		b = append(b, byte(exc[0]), byte(exc[1]), byte(exc[2]))
	}
	for s, vs := range streams {
		b = pack(b, vs, w[s])
	}
	for s, vs := range streams {
		for i, v := range vs {
			if bits.Len32(v) > int(w[s]) {
				b = append(b, byte(i))
			}
		}
		for _, v := range vs {
			if bits.Len32(v) > int(w[s]) {
				b = binary.AppendUvarint(b, uint64(v>>w[s]))
			}
		}
	}
	return b
}

// decode decodes the n entries of the postings p (of a pair at rune
// offset at in the term) as candidates, of sections under nsecs.
func decode(p *postings, at int, nsecs uint32, out []Candidate) []Candidate {
	var bl block
	var counts, firsts [blockSize]uint32
	prev, last := uint32(1<<32-1), int64(-1)
	b := p.blocks
	for left := p.n; left > 0; left -= blockSize {
		m := min(left, blockSize)
		if !bl.read(b, m, prev) {
			return out // damaged
		}
		b = b[bl.end:]
		bl.counts.all(counts[:m])
		bl.firsts.all(firsts[:m])
		for i, s := range bl.secs[:m] {
			if s >= nsecs || int64(s) <= last {
				return out // damaged
			}
			last = int64(s)
			out = append(out, Candidate{s, counts[i] + 1, placed(firsts[i], at)})
		}
		prev = bl.secs[m-1]
	}
	return out
}

// intersect keeps the members of a (ascending) that the postings p (of a
// pair at rune offset at in the term) hold, in place, with the lesser
// count; a First stays only if this pair first stands where it puts the
// term too. Only the blocks that may hold a member are unpacked, and of
// their entries only the members' counts and offsets.
func intersect(a []Candidate, p *postings, at int) []Candidate {
	out := a[:0]
	nb := nblocks(p.n)
	bl := blockPool.Get().(*block)
	defer blockPool.Put(bl)
	cur, k := -1, 0 // the block unpacked, and the entry reached in it
	j := 0
	last := uint32(1<<32 - 1) // of block j, unless it is the last
	if nb > 1 {
		last, _ = p.skip(0)
	}
	for _, x := range a {
		for j < nb-1 && last < x.Sec {
			j++
			if j < nb-1 {
				last, _ = p.skip(j)
			}
		}
		if j != cur {
			prev := uint32(1<<32 - 1)
			if j > 0 {
				prev, _ = p.skip(j - 1)
			}
			b := p.blockAt(j)
			if b == nil || !bl.read(b, min(blockSize, p.n-j*blockSize), prev) {
				return out // damaged
			}
			cur, k = j, 0
		}
		for k < bl.m && bl.secs[k] < x.Sec {
			k++
		}
		if k == bl.m {
			if j == nb-1 {
				return out
			}
			continue // damaged skips
		}
		if bl.secs[k] == x.Sec {
			count, first := bl.entry(k)
			if x.First != placed(first, at) {
				x.First = -1
			}
			x.Count = min(x.Count, count)
			out = append(out, x)
		}
	}
	return out
}

var blockPool = sync.Pool{New: func() any { return new(block) }}

// denseRatio: a list of candidates at least 1/denseRatio as long as the
// postings it is intersected with meets a member in most of their blocks;
// they are then decoded whole and merged (intersectDense) rather than
// looked up block by block.
const denseRatio = 16

// intersectDense is intersect for candidates dense in p: p is decoded
// whole, a block at a time, and merged with a.
func intersectDense(a []Candidate, p *postings, at int, nsecs uint32) []Candidate {
	out := a[:0]
	bl := blockPool.Get().(*block)
	defer blockPool.Put(bl)
	var counts, firsts [blockSize]uint32
	prev := uint32(1<<32 - 1)
	b := p.blocks
	i := 0
	for left := p.n; left > 0 && i < len(a); left -= blockSize {
		m := min(left, blockSize)
		if !bl.read(b, m, prev) {
			return out // damaged
		}
		b = b[bl.end:]
		prev = bl.secs[m-1]
		if a[i].Sec > prev {
			continue // no candidate in this block
		}
		bl.counts.all(counts[:m])
		bl.firsts.all(firsts[:m])
		k := 0
		for ; i < len(a) && a[i].Sec <= prev; i++ {
			x := a[i]
			for bl.secs[k] < x.Sec {
				k++
			}
			if bl.secs[k] != x.Sec || x.Sec >= nsecs {
				continue
			}
			if x.First != placed(firsts[k], at) {
				x.First = -1
			}
			x.Count = min(x.Count, counts[k]+1)
			out = append(out, x)
		}
	}
	return out
}
