package search

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"noticesearch/dict"
	"noticesearch/indexer/textindex"
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
	known map[string]struct{}
	snap  *snapshot // the state of the index the words and counts are of

	mu     sync.Mutex
	counts map[string]Suggestion
}

func newSuggester(ctx context.Context, snap *snapshot) (*suggester, error) {
	weights := map[string]float64{}
	terms, err := dict.Terms()
	if err != nil {
		return nil, err
	}
	for _, t := range terms {
		weights[t.Word] = t.Freq
	}
	// The words the index counted most often.
	for _, w := range snap.text.TopWords() {
		if ctx.Err() != nil {
			break
		}
		if allHan(w.Word) {
			weights[w.Word] += float64(w.Count)
		}
	}
	s := &suggester{snap: snap, counts: map[string]Suggestion{}}
	// Words in no section are skipped as candidates are looked for (see
	// candidates), not here: looking each word up in every segment would
	// make every new state of a large index wait for seconds.
	spelled.Lock()
	defer spelled.Unlock()
	if len(spelled.m)+len(weights) > maxSpelled { // words of old states: spelled again if they come back
		spelled.m = make(map[string][2]string, len(weights))
	}
	for w, weight := range weights {
		sp, ok := spelled.m[w]
		if !ok {
			sp = spell(w)
			spelled.m[w] = sp
		}
		s.words = append(s.words, suggestion{word: w, pinyin: sp[0], initials: sp[1], weight: weight})
	}
	s.known = make(map[string]struct{}, len(s.words))
	for _, w := range s.words {
		s.known[w.word] = struct{}{}
	}
	sort.Slice(s.words, func(i, j int) bool {
		if s.words[i].weight != s.words[j].weight {
			return s.words[i].weight > s.words[j].weight
		}
		return s.words[i].word < s.words[j].word
	})
	return s, nil
}

// spelled keeps the pinyin of every word spelled (full, initials), which
// no state of the index changes: our dictionary's terms and the index's
// most frequent words.
// maxSpelled bounds spelled, whose words are those of the states a
// process has read: it starts anew past that many.
const maxSpelled = 200000

var spelled = struct {
	sync.Mutex
	m map[string][2]string
}{m: map[string][2]string{}}

func spell(w string) [2]string {
	var full, initials strings.Builder
	for _, syllables := range pinyin.Pinyin(w, pinyin.NewArgs()) {
		if len(syllables) > 0 && syllables[0] != "" {
			full.WriteString(syllables[0])
			initials.WriteByte(syllables[0][0])
		}
	}
	return [2]string{full.String(), initials.String()}
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// Suggestion is a word to complete what is typed, with the sections and
// notices a search for it finds.
type Suggestion struct {
	Word     string `json:"word"`
	Sections int    `json:"sections"`
	Notices  int    `json:"notices"`
}

// maxSuggestTries bounds the words counted for one prefix: every word
// suggested has hits, and a prefix whose candidates are mostly absent
// from the index stops after this many.
const maxSuggestTries = 64

// candidates returns the words that may complete prefix (characters, full
// pinyin or pinyin initials), heaviest first, the prefix itself first when
// it is a word.
func (s *suggester) candidates(prefix string) []string {
	p := strings.ToLower(strings.TrimSpace(prefix))
	if p == "" {
		return nil
	}
	latin := true
	for _, r := range p {
		latin = latin && r < utf8.RuneSelf && unicode.IsLetter(r)
	}
	var out []string
	if s.typedFirst(p) {
		out = append(out, p) // the word typed first, when it has hits
	}
	for _, w := range s.words {
		ok := strings.HasPrefix(w.word, p) && w.word != p
		if latin {
			ok = strings.HasPrefix(w.initials, p) || strings.HasPrefix(w.pinyin, p)
		}
		// A word in no section is not offered (an upper bound of 0 is
		// exact).
		if ok && s.snap.text.Estimate(textindex.Normalize(w.word)) > 0 {
			out = append(out, w.word)
			if len(out) == maxSuggestTries {
				break
			}
		}
	}
	return out
}

// count is how many sections and notices a search for word finds, worked
// out once per word.
func (s *suggester) count(ctx context.Context, e *Engine, word string) (Suggestion, error) {
	s.mu.Lock()
	c, ok := s.counts[word]
	s.mu.Unlock()
	if ok {
		return c, nil
	}
	c = Suggestion{Word: word}
	q, err := ParseQuery(`"` + word + `"`)
	if err != nil {
		return c, nil // a word the syntax cannot hold is not suggested
	}
	comp, err := compile(q)
	if err != nil {
		return c, nil
	}
	ms, err := e.run(ctx, s.snap, comp, scoring{lazy: true})
	if err != nil {
		return c, err
	}
	last := -1
	for _, m := range ms {
		if d := int(s.snap.doc[m.sec]); d != last {
			c.Notices++
			last = d
		}
	}
	c.Sections = len(ms)
	putMatches(ms)
	s.mu.Lock()
	s.counts[word] = c
	s.mu.Unlock()
	return c, nil
}

// suggesterOnce builds an engine's suggester on first use, and again
// when the index has moved to another state: it reads the index's word
// list, which a server need not wait for at start.
type suggesterOnce struct {
	mu sync.Mutex
	s  *suggester
}

// get returns the suggester of snap's state.
func (o *suggesterOnce) get(e *Engine, snap *snapshot) (*suggester, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.s != nil && o.s.snap == snap {
		return o.s, nil
	}
	// Built once for every request to come: not under this request's context.
	s, err := newSuggester(context.Background(), snap)
	if err != nil {
		return nil, err
	}
	o.s = s
	return s, nil
}

// Suggest returns up to MaxSuggestions words completing prefix
// (characters, pinyin or pinyin initials), each with its hits, and only
// words that have hits: the prefix itself first when it is one, then the
// most frequent. A prefix longer than 32 characters is a *QueryError.
func (e *Engine) Suggest(ctx context.Context, prefix string) ([]Suggestion, error) {
	if utf8.RuneCountInString(prefix) > maxPrefixRunes {
		return nil, queryErr(-1, "联想前缀过长", "prefix too long")
	}
	s, err := e.suggest.get(e, e.snapshot())
	if err != nil {
		return nil, err
	}
	out := []Suggestion{}
	cands := s.candidates(prefix)
	for _, w := range cands {
		c, err := s.count(ctx, e, w)
		if err != nil {
			return nil, err
		}
		if c.Sections > 0 {
			out = append(out, c)
			if len(out) == 2*MaxSuggestions {
				break
			}
		}
	}
	// The word typed stays first; the others go by their hits.
	rest := out
	if p := strings.ToLower(strings.TrimSpace(prefix)); len(out) > 0 && out[0].Word == p && s.typedFirst(p) {
		rest = out[1:]
	}
	slices.SortStableFunc(rest, func(a, b Suggestion) int { return b.Sections - a.Sections })
	return out[:min(len(out), MaxSuggestions)], nil
}

// typedFirst reports whether what is typed is itself offered first (when
// it has hits): a word we know, or two characters or more of Chinese; a
// lone character is a prefix, not yet a word.
func (s *suggester) typedFirst(p string) bool {
	if _, ok := s.known[p]; ok {
		return true
	}
	return utf8.RuneCountInString(p) >= 2 && allHan(p)
}
