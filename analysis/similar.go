package analysis

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"noticesearch/dict"
	"noticesearch/search"
)

// Each notice's keywords are its words weighted by TF-IDF, with document
// frequencies counted over this index's notices (gse's own IDF table
// gives our dictionary's words no weight): gse's words of two characters
// or more, our dictionary's terms among them, less the stop list. Similar
// notices are ranked by the cosine of their keyword vectors, each with
// the words they share as the reason (2 s to build at 1×; a request that
// cannot wait for it gets 503, and the model is there for the next). Place names (温州市, 鹿城区: the
// gazetteer's) are left out: they tell where a notice is from, which the
// filters and facets tell, not what it is about, and they would rank a
// district's notices alike whatever they say. The model is built once per state
// of the index (two passes over its words), on the first request.

// keywordsPerNotice bounds the keywords kept of each notice: its vector.
const keywordsPerNotice = 30

// WordWeight is a keyword of a notice and its TF-IDF weight.
type WordWeight struct {
	Word   string  `json:"word"`
	Weight float64 `json:"weight"`
}

// SimilarNotice is a notice like another, and why.
type SimilarNotice struct {
	ID     string      `json:"id"`
	Title  string      `json:"title"`
	Date   string      `json:"date,omitempty"`
	Region dict.Region `json:"region"`
	Score  float64     `json:"score"`  // cosine of the keyword vectors, 0 to 1
	Shared []string    `json:"shared"` // the keywords both have, the weightiest first
}

// Similar is a notice's keywords and the notices most like it.
type Similar struct {
	ID       string          `json:"id"`
	Title    string          `json:"title"`
	Keywords []WordWeight    `json:"keywords"`
	Similar  []SimilarNotice `json:"similar"`
}

// noticeModel is the keyword vectors of every notice of a state.
type noticeModel struct {
	words   []string  // by word id
	vecs    [][]entry // by notice: its keywords, L2-normalised, the weightiest first
	byWord  [][]int32 // by word id: the notices that have it among their keywords
	notices int
}

type entry struct {
	word   int32
	weight float32
}

// chunk is how many notices' words are counted at once.
const chunk = 1024

func buildModel(ctx context.Context, c *search.Corpus) (*noticeModel, error) {
	n := c.Notices()
	stop := dict.StopWords()
	gaz := dict.DefaultGazetteer()
	place := map[string]bool{} // words known to be, or not to be, place names
	skip := func(w string) bool {
		if stop[w] {
			return true
		}
		p, ok := place[w]
		if !ok {
			p = len(gaz.Lookup(w)) > 0
			place[w] = p
		}
		return p
	}
	group := make([]int, n)
	// eachChunk counts the words of each chunk of notices and calls f
	// with each notice's counts.
	eachChunk := func(f func(d int, each func(func(word string, count int)))) error {
		for lo := 0; lo < n; lo += chunk {
			hi := min(n, lo+chunk)
			for d := range group {
				group[d] = -1
				if d >= lo && d < hi {
					group[d] = d - lo
				}
			}
			counts, err := c.CountWords(ctx, group, hi-lo)
			if err != nil {
				return err
			}
			for d := lo; d < hi; d++ {
				f(d, func(g func(string, int)) {
					counts[d-lo].Each(func(w string, k int) {
						if !skip(w) {
							g(w, k)
						}
					})
				})
			}
		}
		return nil
	}
	df := map[string]int{}
	if err := eachChunk(func(_ int, each func(func(string, int))) {
		each(func(w string, _ int) { df[w]++ })
	}); err != nil {
		return nil, err
	}
	m := &noticeModel{vecs: make([][]entry, n), notices: n}
	ids := map[string]int32{}
	type scored struct {
		word string
		w    float64
	}
	var buf []scored
	err := eachChunk(func(d int, each func(func(string, int))) {
		buf = buf[:0]
		each(func(w string, k int) {
			idf := math.Log(float64(n+1) / float64(df[w]+1))
			if idf > 0 {
				buf = append(buf, scored{w, (1 + math.Log(float64(k))) * idf})
			}
		})
		slices.SortFunc(buf, func(a, b scored) int {
			if c := cmp.Compare(b.w, a.w); c != 0 {
				return c
			}
			return cmp.Compare(a.word, b.word)
		})
		top := buf[:min(len(buf), keywordsPerNotice)]
		norm := 0.0
		for _, s := range top {
			norm += s.w * s.w
		}
		norm = math.Sqrt(norm)
		vec := make([]entry, len(top))
		for i, s := range top {
			id, ok := ids[s.word]
			if !ok {
				id = int32(len(m.words))
				ids[s.word] = id
				m.words = append(m.words, s.word)
				m.byWord = append(m.byWord, nil)
			}
			vec[i] = entry{id, float32(s.w / norm)}
			m.byWord[id] = append(m.byWord[id], int32(d))
		}
		m.vecs[d] = vec
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// model is the state's model, built on the first call.
func model(ctx context.Context, c *search.Corpus) (*noticeModel, error) {
	v, err := c.Memo(ctx, "analysis.similar", func(ctx context.Context) (any, error) { return buildModel(ctx, c) })
	if err != nil {
		return nil, err
	}
	return v.(*noticeModel), nil
}

// NoticeKeywords is notice id's keywords if the model of this state is
// built, nil if not yet: it starts building it, and does not wait.
func NoticeKeywords(c *search.Corpus, id string) []WordWeight {
	d, ok := c.NoticeIndex(id)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	m, err := model(ctx, c)
	if err != nil {
		return nil
	}
	out := make([]WordWeight, 0, len(m.vecs[d]))
	for _, e := range m.vecs[d] {
		out = append(out, WordWeight{m.words[e.word], float64(e.weight)})
	}
	return out
}

// MaxSimilar bounds the similar notices a request lists.
const MaxSimilar = 50

// FindSimilar is notice id's keywords and the size notices most like it.
func FindSimilar(ctx context.Context, c *search.Corpus, id string, size int) (*Similar, error) {
	if size <= 0 {
		size = 10
	}
	if size > MaxSimilar {
		return nil, badf("size 最多为 %d", "size is at most %d", MaxSimilar)
	}
	d, ok := c.NoticeIndex(id)
	if !ok {
		return nil, search.ErrNotFound
	}
	m, err := model(ctx, c)
	if err != nil {
		return nil, err
	}
	out := &Similar{ID: id, Title: c.NoticeTitle(d), Keywords: []WordWeight{}, Similar: []SimilarNotice{}}
	mine := map[int32]float32{}
	for _, e := range m.vecs[d] {
		mine[e.word] = e.weight
		out.Keywords = append(out.Keywords, WordWeight{m.words[e.word], float64(e.weight)})
	}
	score := map[int32]float64{}
	for _, e := range m.vecs[d] {
		for _, o := range m.byWord[e.word] {
			if int(o) != d {
				score[o] += float64(e.weight) * float64(weightOf(m.vecs[o], e.word))
			}
		}
	}
	type hit struct {
		d     int32
		score float64
	}
	hits := make([]hit, 0, len(score))
	for o, s := range score {
		hits = append(hits, hit{o, s})
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.d, b.d)
	})
	for _, h := range hits[:min(len(hits), size)] {
		meta := c.NoticeMeta(int(h.d))
		s := SimilarNotice{ID: c.NoticeID(int(h.d)), Title: meta.Title, Date: meta.Date, Region: meta.Region, Score: h.score}
		type shared struct {
			word string
			w    float32
		}
		var both []shared
		for _, e := range m.vecs[h.d] {
			if w, ok := mine[e.word]; ok {
				both = append(both, shared{m.words[e.word], w * e.weight})
			}
		}
		slices.SortFunc(both, func(a, b shared) int { return cmp.Compare(b.w, a.w) })
		for _, b := range both {
			s.Shared = append(s.Shared, b.word)
		}
		out.Similar = append(out.Similar, s)
	}
	return out, nil
}

func weightOf(vec []entry, word int32) float32 {
	for _, e := range vec {
		if e.word == word {
			return e.weight
		}
	}
	return 0
}
