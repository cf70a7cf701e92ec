package dict

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Analyzer names, registered with bleve so that an index mapping naming
// them can be serialised and reopened.
const (
	// WordAnalyzer gives gse words, with the sub-words of a dictionary word
	// (廉政风险 → 廉政, 风险) at the word's position.
	WordAnalyzer = "noticesearch_word"
	// GramAnalyzer gives every character and every pair of adjacent
	// characters, so that any literal substring is a phrase of them.
	GramAnalyzer = "noticesearch_gram"
)

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterAnalyzer(WordAnalyzer, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		seg, err := Segmenter()
		if err != nil {
			return nil, fmt.Errorf("load segmenter: %w", err)
		}
		return wordAnalyzer{seg: seg}, nil
	}))
	must(registry.RegisterAnalyzer(GramAnalyzer, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return gramAnalyzer{}, nil
	}))
}

// BarrierToken is indexed where a barrier stands, so that a query's
// punctuation matches punctuation and nothing else ("三、四" must not find
// 三个四).
const BarrierToken = "|"

// gramAnalyzer emits, for normalised text, a unigram at every character's
// position and a bigram of it and the next character at the same position.
// A barrier (punctuation) takes a position, as BarrierToken, and breaks the
// pairs, so a term never matches across it and "A、B" is the phrase A, |, B.
type gramAnalyzer struct{}

func (gramAnalyzer) Analyze(input []byte) analysis.TokenStream {
	return Grams(Normalize(string(input)))
}

// Grams tokenises normalised text for the gram analyzer; queries build
// their phrases from the same positions.
func Grams(cs []Char) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, 2*len(cs))
	pos := 0
	for i, c := range cs {
		pos++
		if c.R == Barrier {
			out = append(out, &analysis.Token{Term: []byte(BarrierToken), Start: c.Start, End: c.End, Position: pos, Type: analysis.Ideographic})
			continue
		}
		out = append(out, &analysis.Token{Term: []byte(string(c.R)), Start: c.Start, End: c.End, Position: pos, Type: analysis.Ideographic})
		if i+1 < len(cs) && cs[i+1].R != Barrier {
			out = append(out, &analysis.Token{Term: []byte(string([]rune{c.R, cs[i+1].R})), Start: c.Start, End: cs[i+1].End, Position: pos, Type: analysis.Shingle})
		}
	}
	return out
}
