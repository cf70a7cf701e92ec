package textindex

import (
	"encoding/binary"
	"unicode/utf8"
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
	from    *Index // set by Merge: the postings are read from its segments
}

// posting is one key's postings as they are built: for a pair, its
// entries as varints (see appendEntry), which Write packs into blocks;
// for a character, the number of its sections alone.
type posting struct {
	entries []byte
	n       uint32 // sections
	prev    uint32 // the last section written
	cur     uint32 // the section being added, plus one; 0 for none
	count   uint32 // in the section being added
	first   uint32 // rune offset of the first occurrence in the section being added
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
		touch := func(k uint64, at int) {
			n := b.number(k)
			p := &b.post[n]
			if p.cur != ord+1 {
				p.cur, p.count, p.first = ord+1, 0, uint32(at)
				b.touched = append(b.touched, n)
			}
			p.count++
		}
		prev := rune(-1)
		at := 0
		for i := 0; i < len(s.norm); at++ {
			r, size := utf8.DecodeRune(s.norm[i:])
			if s.norm[i] == BarrierByte {
				r = barrierKey
			} else {
				touch(charKey(r), at)
			}
			if prev >= 0 {
				touch(pairKey(prev, r), at-1)
			}
			prev = r
			i += size
		}
		if prev >= 0 && prev != barrierKey {
			touch(pairKey(prev, endRune), 0) // where it stands is never asked
		}
		for _, n := range b.touched {
			p := &b.post[n]
			p.n++
			if isPair(b.keys[n]) {
				p.entries = appendEntry(p.entries, ord-p.prev, p.count)
				p.entries = binary.AppendUvarint(p.entries, uint64(p.first))
				p.prev = ord
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

// nextEntry reads one entry of a pair's postings as Add builds them.
func nextEntry(p []byte) (delta, count, first uint32, rest []byte) {
	v, n := uvarint(p)
	p = p[n:]
	delta, count = uint32(v>>1), 1
	if v&1 == 1 {
		c, m := uvarint(p)
		count, p = uint32(c)+2, p[m:]
	}
	f, m := uvarint(p)
	return delta, count, uint32(f), p[m:]
}

// uvarint is binary.Uvarint with the one-byte case first: most numbers
// of postings are small.
func uvarint(p []byte) (uint64, int) {
	if len(p) > 0 && p[0] < 0x80 {
		return uint64(p[0]), 1
	}
	return binary.Uvarint(p)
}

// skipVarint returns p past its first varint (empty if there is none).
func skipVarint(p []byte) []byte {
	for i, c := range p {
		if c < 0x80 {
			return p[i+1:]
		}
	}
	return nil
}

// placed is where a term starts if one of its pairs, at rune offset at in
// the term, first stands at first, or -1 if it cannot start there.
func placed(first uint32, at int) int32 {
	if int(first) < at {
		return -1
	}
	return int32(int(first) - at)
}
