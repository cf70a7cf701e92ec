package search

import (
	"context"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"noticesearch/dict"
)

// MaxSuggestions bounds the suggestions for one prefix.
const MaxSuggestions = 8

// maxPrefixRunes bounds a suggestion prefix.
const maxPrefixRunes = 32

// suggestion is a word that may complete what is typed, with its pinyin
// spelled out and as initials, so that ygsz and yigangshuangze find 一岗双责.
type suggestion struct {
	word     string
	pinyin   string
	initials string
	weight   float64
}

// suggester holds the words suggested as one types: our dictionary's terms
// and the words most frequent in the index.
type suggester struct {
	words []suggestion // by weight, highest first
}

func newSuggester(ctx context.Context, e *Engine) (*suggester, error) {
	weights := map[string]float64{}
	terms, err := dict.Terms()
	if err != nil {
		return nil, err
	}
	for _, t := range terms {
		weights[t.Word] = t.Freq
	}
	// The words the index counted most often.
	for _, w := range e.snapshot().text.TopWords() {
		if ctx.Err() != nil {
			break
		}
		if allHan(w.Word) {
			weights[w.Word] += float64(w.Count)
		}
	}
	args := pinyin.NewArgs()
	s := &suggester{}
	for w, weight := range weights {
		var full, initials strings.Builder
		for _, syllables := range pinyin.Pinyin(w, args) {
			if len(syllables) > 0 && syllables[0] != "" {
				full.WriteString(syllables[0])
				initials.WriteByte(syllables[0][0])
			}
		}
		s.words = append(s.words, suggestion{word: w, pinyin: full.String(), initials: initials.String(), weight: weight})
	}
	sort.Slice(s.words, func(i, j int) bool {
		if s.words[i].weight != s.words[j].weight {
			return s.words[i].weight > s.words[j].weight
		}
		return s.words[i].word < s.words[j].word
	})
	return s, nil
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// suggest returns up to n words starting with prefix, in characters, in
// full pinyin or in pinyin initials.
func (s *suggester) suggest(prefix string, n int) []string {
	p := strings.ToLower(strings.TrimSpace(prefix))
	if p == "" {
		return []string{}
	}
	latin := true
	for _, r := range p {
		latin = latin && r < utf8.RuneSelf && unicode.IsLetter(r)
	}
	out := []string{}
	for _, w := range s.words {
		ok := strings.HasPrefix(w.word, p) && w.word != p
		if latin {
			ok = strings.HasPrefix(w.initials, p) || strings.HasPrefix(w.pinyin, p)
		}
		if ok {
			out = append(out, w.word)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// suggesterOnce builds an engine's suggester on first use: it reads the
// index's word list, which a server need not wait for at start.
type suggesterOnce struct {
	once sync.Once
	s    *suggester
	err  error
}

// Suggest returns words completing prefix (characters, pinyin or pinyin
// initials), the most frequent first. A prefix longer than 32 characters
// is a *QueryError.
func (e *Engine) Suggest(ctx context.Context, prefix string) ([]string, error) {
	if utf8.RuneCountInString(prefix) > maxPrefixRunes {
		return nil, queryErr(-1, "联想前缀过长", "prefix too long")
	}
	// Built once for every request to come: not under this request's context.
	e.suggest.once.Do(func() { e.suggest.s, e.suggest.err = newSuggester(context.Background(), e) })
	if e.suggest.err != nil {
		return nil, e.suggest.err
	}
	return e.suggest.s.suggest(prefix, MaxSuggestions), nil
}
