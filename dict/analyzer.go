package dict

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Analyzer names, registered with bleve so that an index mapping naming
// them can be serialised and reopened.
const (
	// WordAnalyzer gives gse words, with the sub-words of a dictionary word
	// (廉政风险 → 廉政, 风险) at the word's position.
	WordAnalyzer = "noticesearch_word"
	// GramAnalyzer gives every pair of adjacent characters, a barrier
	// counting as a character, so that any literal substring of two or more
	// characters is a phrase of them.
	GramAnalyzer = "noticesearch_gram"
	// CharAnalyzer gives every character, for one-character queries; it
	// needs no positions.
	CharAnalyzer = "noticesearch_char"
)

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	// The segmenter loads on first analysis, not here: bleve builds every
	// analyzer when it opens an index, and a server should not wait a
	// second or two for the dictionary before it answers.
	must(registry.RegisterAnalyzer(WordAnalyzer, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return wordAnalyzer{}, nil
	}))
	must(registry.RegisterAnalyzer(GramAnalyzer, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return analyzerFunc(func(in []byte) analysis.TokenStream { return Bigrams(Normalize(string(in))) }), nil
	}))
	must(registry.RegisterAnalyzer(CharAnalyzer, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return analyzerFunc(func(in []byte) analysis.TokenStream { return Chars(Normalize(string(in))) }), nil
	}))
}

type analyzerFunc func([]byte) analysis.TokenStream

func (f analyzerFunc) Analyze(in []byte) analysis.TokenStream { return f(in) }

// BarrierToken stands for a barrier in tokens, so that a query's
// punctuation matches punctuation and nothing else ("三、四" must not find
// 三个四).
const BarrierToken = "|"

// tokenRune is the rune a normalised character contributes to a token.
func tokenRune(c Char) rune {
	if c.R == Barrier {
		return '|'
	}
	return c.R
}

// Bigrams tokenises normalised text for the gram analyzer: the pair of
// every character and the next at the first one's position, barriers
// included ("三、四" gives 三| and |四), so a term never matches across a
// barrier and a query's barrier matches only a barrier. Queries build their
// phrases from the same pairs. Offsets are left out: highlighting finds
// matches in the stored text itself, and zero offsets cost less to store.
func Bigrams(cs []Char) analysis.TokenStream {
	if len(cs) < 2 {
		return nil
	}
	// One backing array for every term and every token: analysis allocates
	// per section, not per pair.
	toks := make([]analysis.Token, len(cs)-1)
	out := make(analysis.TokenStream, len(cs)-1)
	buf := make([]byte, 0, 2*utf8.UTFMax*len(cs))
	for i := range toks {
		start := len(buf)
		buf = utf8.AppendRune(buf, tokenRune(cs[i]))
		buf = utf8.AppendRune(buf, tokenRune(cs[i+1]))
		toks[i] = analysis.Token{Term: buf[start:len(buf):len(buf)], Position: i + 1, Type: analysis.Shingle}
		out[i] = &toks[i]
	}
	return out
}

// Chars tokenises normalised text for the char analyzer: each character
// that is not a barrier.
func Chars(cs []Char) analysis.TokenStream {
	toks := make([]analysis.Token, 0, len(cs))
	buf := make([]byte, 0, utf8.UTFMax*len(cs))
	for i, c := range cs {
		if c.R != Barrier {
			start := len(buf)
			buf = utf8.AppendRune(buf, c.R)
			toks = append(toks, analysis.Token{Term: buf[start:len(buf):len(buf)], Position: i + 1, Type: analysis.Ideographic})
		}
	}
	out := make(analysis.TokenStream, len(toks))
	for i := range toks {
		out[i] = &toks[i]
	}
	return out
}
