package textindex

import "math/bits"

// Merge takes every live document of ix, as it is, for Write to write as
// one segment, whose postings Write reads from ix's segments one key at a
// time rather than building them in memory: merging segments holds the
// documents' records and one key's postings, however large the segment it
// writes, and reads no text again. The suggestions' word counts are ix's
// (those of deleted documents included: they are approximate). Merge is
// for an empty builder, and nothing may be added after it; ix's segments
// must stay open until Write has returned.
func (b *Builder) Merge(ix *Index) {
	if len(b.docs) > 0 || len(b.keys) > 0 || b.from != nil {
		panic("textindex: Merge into a builder that is not empty")
	}
	b.from = ix
	b.docs = make([]*Doc, 0, ix.Docs())
	for i := range ix.Docs() {
		d := &Doc{ID: ix.DocID(i), Meta: ix.DocMeta(i), Record: ix.DocRecord(i)}
		first, end := ix.DocSections(i)
		d.Sections = make([]Section, 0, end-first)
		for s := first; s < end; s++ {
			p, l := ix.partOfSec(s)
			seg := p.seg
			sec := Section{Seq: seg.Seq(l), Level: seg.Level(l), normPath: seg.NormPath(l), words: seg.Words(l), from: seg, fromSec: l}
			sec.patch, sec.textPatch = seg.patches(l)
			sec.patched = true
			d.Sections = append(d.Sections, sec)
		}
		b.docs = append(b.docs, d)
		b.secs += len(d.Sections)
	}
	for _, w := range ix.topWords {
		b.words[w.Word] += w.Count
	}
}

// keyCursor walks one segment's keys in ascending order.
type keyCursor struct {
	p    *part
	r, k int // the rune record and the key reached
}

func (c *keyCursor) done() bool { return c.k >= len(c.p.seg.keys) }

// key is the key reached.
func (c *keyCursor) key() uint64 {
	seg := c.p.seg
	for c.r+1 < len(seg.runes) && int(seg.runes[c.r+1].first) <= c.k {
		c.r++
	}
	return uint64(seg.runes[c.r].r)<<32 | uint64(seg.keys[c.k])
}

// mergePostings writes the postings of ix's live sections, as numbered in
// ix, key by key: a pair's are the concatenation of its postings in each
// segment, renumbered, less the sections of deleted documents; a
// character's count is of the sections holding any pair it starts (see
// postings), counted as those pairs are written, just before it. A key no
// live section holds is left out.
func mergePostings(ix *Index, kw *keyWriter) {
	cursors := make([]keyCursor, 0, len(ix.parts))
	for i := range ix.parts {
		if p := &ix.parts[i]; p.secs > 0 && len(p.seg.keys) > 0 && len(p.seg.runes) > 0 {
			cursors = append(cursors, keyCursor{p: p})
		}
	}
	seen := make([]uint64, (ix.secs+63)/64) // sections holding the current rune's pairs
	var touched []int                       // words of seen set
	rune_ := uint32(1<<32 - 1)
	var entries, buf []Candidate
	for {
		key, any := uint64(0), false
		for i := range cursors {
			if c := &cursors[i]; !c.done() {
				if k := c.key(); !any || k < key {
					key, any = k, true
				}
			}
		}
		if !any {
			return
		}
		if r := uint32(key >> 32); r != rune_ {
			for _, w := range touched {
				seen[w] = 0
			}
			touched, rune_ = touched[:0], r
		}
		entries = entries[:0]
		for i := range cursors {
			c := &cursors[i]
			if c.done() || c.key() != key {
				continue
			}
			if isPair(key) {
				pp := c.p.seg.pairPostings(c.k)
				buf = decode(&pp, 0, uint32(c.p.seg.nsecs), buf[:0])
				for _, e := range buf {
					if c.p.secAt != nil {
						at := c.p.secAt[e.Sec]
						if at < 0 {
							continue
						}
						e.Sec = uint32(at)
					}
					e.Sec += uint32(c.p.secBase)
					entries = append(entries, e)
				}
			}
			c.k++
		}
		if !isPair(key) {
			n := 0
			for _, w := range touched {
				n += bits.OnesCount64(seen[w])
			}
			if n > 0 {
				kw.char(key, n)
			}
			continue
		}
		if len(entries) == 0 {
			continue
		}
		for _, e := range entries {
			w := e.Sec / 64
			if seen[w] == 0 {
				touched = append(touched, int(w))
			}
			seen[w] |= 1 << (e.Sec % 64)
		}
		kw.pair(key, entries)
	}
}
