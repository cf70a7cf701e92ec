package dict

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/go-ego/gse"
)

// wordAnalyzer segments each run of normalised text between barriers with
// gse. Offsets come from gse's own segments (not from Analyze, nor from the
// gse-bleve adapter, which give a repeated word the offsets of its last
// occurrence).
type wordAnalyzer struct{}

func (wordAnalyzer) Analyze(input []byte) analysis.TokenStream {
	seg, err := Segmenter()
	if err != nil {
		// The embedded dictionaries are checked by the tests; a broken
		// build cannot analyse words at all.
		panic(fmt.Sprintf("load segmenter: %v", err))
	}
	return Words(seg, Normalize(string(input)))
}

// Words tokenises normalised text into gse words: one position a word, the
// sub-words of a dictionary word at the word's position, a BarrierToken for
// each barrier.
func Words(seg *gse.Segmenter, cs []Char) analysis.TokenStream {
	var out analysis.TokenStream
	pos := 0
	var run strings.Builder
	var runChars []int // byte offset in run → index in cs of the rune starting there
	flush := func() {
		if run.Len() == 0 {
			return
		}
		text := run.String()
		for _, s := range seg.Segment([]byte(text)) {
			pos++
			first, last := cs[runChars[s.Start()]], cs[runChars[s.End()-1]]
			word := text[s.Start():s.End()]
			out = append(out, &analysis.Token{Term: []byte(word), Start: first.Start, End: last.End, Position: pos, Type: analysis.Ideographic})
			// Sub-words at every level (廉政风险防控 → 廉政风险, 防控 → 廉政,
			// 风险), but not single characters: the char field has those.
			var subs func(tok *gse.Token, at, size int)
			subs = func(tok *gse.Token, at, size int) {
				for _, sub := range tok.Segments() {
					start, end := at+sub.Start(), at+sub.End()
					subWord := text[start:end]
					// A sub-word as long as its parent would recurse for ever.
					if end-start >= size || utf8.RuneCountInString(subWord) < 2 {
						continue
					}
					a, b := cs[runChars[start]], cs[runChars[end-1]]
					out = append(out, &analysis.Token{Term: []byte(subWord), Start: a.Start, End: b.End, Position: pos, Type: analysis.Ideographic})
					subs(sub.Token(), start, end-start)
				}
			}
			subs(s.Token(), s.Start(), s.End()-s.Start())
		}
		run.Reset()
		runChars = runChars[:0]
	}
	for i, c := range cs {
		if c.R == Barrier {
			flush()
			pos++
			out = append(out, &analysis.Token{Term: []byte(BarrierToken), Start: c.Start, End: c.End, Position: pos, Type: analysis.Ideographic})
			continue
		}
		for range utf8.RuneLen(c.R) {
			runChars = append(runChars, i)
		}
		run.WriteRune(c.R)
	}
	flush()
	return out
}
