package textindex

import (
	"bytes"
	"runtime"
	"sync"
)

// Finder finds a normalised term: in the sections of an index, as they
// are stored (see Segment.Find), and in other normalised text (Index). It
// looks for the term's rarest byte in the index and compares the rest
// around it: Chinese UTF-8 starts nearly every character with one of a
// few lead bytes, which makes a search for the first byte stop at every
// other character.
type Finder struct {
	plain, stored pattern
}

// pattern is a term to find, in one form.
type pattern struct {
	pat []byte
	off int  // of the rare byte in pat
	b   byte // pat[off]
}

// Finder returns a finder for term, which must not be empty.
func (ix *Segment) Finder(term []byte) Finder { return newFinder(ix.byteFreq, term) }

// byteFreqs are the frequencies of the bytes of normalised text, as
// stored and as normalised text.
type byteFreqs struct{ stored, plain [256]uint32 }

func (f *byteFreqs) add(o *byteFreqs) {
	for c := range 256 {
		f.stored[c] += o.stored[c]
		f.plain[c] += o.plain[c]
	}
}

// newFinder returns a finder for term in text of the byte frequencies
// freq.
func newFinder(freq *byteFreqs, term []byte) Finder {
	return Finder{newPattern(&freq.plain, term), newPattern(&freq.stored, appendSwapped(nil, term))}
}

func newPattern(freq *[256]uint32, term []byte) pattern {
	p := pattern{pat: term}
	for i, c := range term {
		if freq[c] < freq[p.b] || i == 0 {
			p.off, p.b = i, c
		}
	}
	return p
}

// Index returns the offset of the first occurrence of the term in the
// normalised text s, or -1.
func (f *Finder) Index(s []byte) int { return f.plain.index(s) }

func (p *pattern) index(s []byte) int {
	for i := p.off; i < len(s); {
		j := bytes.IndexByte(s[i:], p.b)
		if j < 0 {
			return -1
		}
		start := i + j - p.off
		if start+len(p.pat) > len(s) {
			return -1
		}
		if bytes.Equal(s[start:start+len(p.pat)], p.pat) {
			return start
		}
		i += j + 1
	}
	return -1
}

// byteFrequencies counts the bytes of normalised text, as it is and as
// stored.
func byteFrequencies(norm []byte) *byteFreqs {
	var f byteFreqs
	for _, c := range norm {
		f.plain[c]++
	}
	for _, c := range appendSwapped(nil, norm) {
		f.stored[c]++
	}
	return &f
}

// parallelConfirm is the number of candidates from which confirming them
// is shared among cores.
const parallelConfirm = 4096

// Confirm keeps, in place, the candidates of a term (from Candidates) whose
// normalised text holds it: with Candidates, the exact matches. The
// postings place the term in most (First is its rune offset); only the
// others are looked for in their text, and keep a First of -1.
func (ix *Segment) Confirm(cands []Candidate, term []byte) []Candidate {
	return confirm(ix, ix.Finder(term), cands)
}

// confirm is Confirm over the normalised text of ix.
func confirm(ix interface{ Contains(s int, f *Finder) bool }, find Finder, cands []Candidate) []Candidate {
	part := func(cands []Candidate) []Candidate {
		kept := cands[:0]
		for _, c := range cands {
			if c.First >= 0 || ix.Contains(int(c.Sec), &find) {
				kept = append(kept, c)
			}
		}
		return kept
	}
	workers := min(runtime.GOMAXPROCS(0), len(cands)/parallelConfirm+1)
	if workers <= 1 {
		return part(cands)
	}
	parts := make([][]Candidate, workers)
	var wg sync.WaitGroup
	size := (len(cands) + workers - 1) / workers
	for w := range workers {
		chunk := cands[w*size : min(len(cands), (w+1)*size)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w] = part(chunk)
		}()
	}
	wg.Wait()
	kept := cands[:0]
	for _, p := range parts {
		kept = append(kept, p...) // in place: each part lies within its own span, at or after kept's end
	}
	return kept
}
