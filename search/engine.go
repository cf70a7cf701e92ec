package search

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"noticesearch/dict"
	"noticesearch/indexer"
)

// Paging limits.
const (
	DefaultSize = 10
	MaxSize     = 100
	MaxWindow   = 10000 // from+size
	// maxNotices bounds the distinct notices counted for one query.
	maxNotices = 1 << 20
)

// Boosts: a term inside the notice title or the heading path ranks above
// one only in the body; a term that is a whole gse word ranks above one
// spanning a word boundary.
const (
	boostTitle   = 3.0
	boostHeading = 2.0
	boostWord    = 1.5
)

// Engine answers queries over a notice index.
type Engine struct {
	index   bleve.Index
	suggest suggesterOnce
}

// New returns an engine over ix. The segmenter (a second or two to load)
// is not loaded here but on first need, so that a server can answer
// /healthz at once; call dict.Segmenter in the background to warm it.
func New(ix *indexer.Index) *Engine {
	return &Engine{index: ix.Bleve()}
}

// Request is one search.
type Request struct {
	Query    string
	Size     int  // hits per page, default DefaultSize, at most MaxSize
	From     int  // offset of the first hit
	SortDate bool // newest first instead of by relevance
	Collapse bool // one hit per notice
	// NoFragments skips highlighting: hits come without passages, and the
	// section text is not read.
	NoFragments bool
	// Facets asks for the counts of sections by region, year, kind and
	// source among all matches; they cost a pass over every match's values.
	Facets bool
}

// Facet fields, in the order a page shows them.
var FacetFields = []string{indexer.FieldProvince, indexer.FieldCity, indexer.FieldCounty, indexer.FieldYear, indexer.FieldKind, indexer.FieldSource}

// maxFacetValues bounds the values listed per facet.
const maxFacetValues = 20

// FacetValue is one value of a facet with the number of matching sections
// that have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is the answer to a Request, in the API's JSON.
type Result struct {
	Query   string  `json:"query"`
	Total   uint64  `json:"total"`   // matching sections
	Notices int     `json:"notices"` // distinct notices among them
	TookMS  float64 `json:"took_ms"`
	Hits    []Hit   `json:"hits"`
	// Facets, when asked for: field name → values, most frequent first.
	Facets map[string][]FacetValue `json:"facets,omitempty"`
}

// Hit is one matching section with its notice.
type Hit struct {
	NoticeID    string      `json:"notice_id"`
	Path        string      `json:"path"`
	Title       string      `json:"title"`
	Date        string      `json:"date"`
	Region      dict.Region `json:"region"`
	Source      string      `json:"source"`
	Issuer      string      `json:"issuer"`
	Kind        string      `json:"kind"`
	DocNumber   string      `json:"doc_number"`
	SectionID   string      `json:"section_id"`
	SectionPath []string    `json:"section_path"`
	Score       float64     `json:"score"`
	Fragments   []string    `json:"fragments"`
}

// ErrNotFound says no notice has the ID asked for.
var ErrNotFound = errors.New("notice not found / 未找到该公文")

// validate checks paging, returning a *QueryError for bad values.
func (r *Request) validate() error {
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	switch {
	case r.Size < 0 || r.Size > MaxSize:
		return queryErr(-1, fmt.Sprintf("每页条数须在1到%d之间", MaxSize), fmt.Sprintf("size must be between 1 and %d", MaxSize))
	case r.From < 0:
		return queryErr(-1, "起始位置不能为负数", "from must not be negative")
	case r.From+r.Size > MaxWindow:
		return queryErr(-1, fmt.Sprintf("只能翻阅前%d条结果", MaxWindow), fmt.Sprintf("from+size must not exceed %d", MaxWindow))
	}
	return nil
}

// storedFields are what a hit shows.
var storedFields = []string{
	indexer.FieldNoticeID, indexer.FieldFile, indexer.FieldTitle, indexer.FieldDate,
	indexer.FieldProvince, indexer.FieldCity, indexer.FieldCounty, indexer.FieldSource,
	indexer.FieldIssuer, indexer.FieldKind, indexer.FieldDocNumber, indexer.FieldPath,
	indexer.FieldBody, // last: left out when there is nothing to highlight
}

// Search runs a request. Bad queries and paging come back as *QueryError.
func (e *Engine) Search(ctx context.Context, req Request) (*Result, error) {
	// The first search of a process waits for the segmenter; took_ms is the
	// search's own time.
	dict.Segmenter()
	start := time.Now()
	if err := req.validate(); err != nil {
		return nil, err
	}
	q, err := ParseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	bq, terms, err := e.compile(q)
	if err != nil {
		return nil, err
	}
	res := &Result{Query: req.Query, Hits: []Hit{}}

	// Relevance is the default order, and needs no doc values; sorting by
	// anything else reads them for every match.
	var sortBy []string
	if req.SortDate {
		sortBy = []string{"-" + indexer.FieldDateTime, "-_score"}
	}
	if req.NoFragments {
		terms = nil
	}
	fields := storedFields
	if req.NoFragments {
		fields = storedFields[:len(storedFields)-1] // all but the body
	}
	// The first request also counts the distinct notices, in the same pass.
	first := true
	fetch := func(from, size int, fields []string) (*bleve.SearchResult, error) {
		sr := bleve.NewSearchRequestOptions(bq, size, from, false)
		sr.Fields = fields
		if sortBy != nil {
			sr.SortBy(sortBy)
		}
		if first {
			sr.AddFacet("notices", bleve.NewFacetRequest(indexer.FieldNoticeID, maxNotices))
			if req.Facets {
				for _, f := range FacetFields {
					sr.AddFacet(f, bleve.NewFacetRequest(f, maxFacetValues))
				}
			}
		}
		r, err := e.index.SearchInContext(ctx, sr)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if first {
			first = false
			res.Total = r.Total
			if f := r.Facets["notices"]; f != nil {
				res.Notices = f.Terms.Len()
			}
			if req.Facets {
				res.Facets = map[string][]FacetValue{}
				for _, name := range FacetFields {
					res.Facets[name] = []FacetValue{}
					if f := r.Facets[name]; f != nil {
						for _, t := range f.Terms.Terms() {
							res.Facets[name] = append(res.Facets[name], FacetValue{Value: t.Term, Count: t.Count})
						}
					}
				}
			}
		}
		return r, nil
	}
	hits, err := func() (search.DocumentMatchCollection, error) {
		if req.Collapse {
			return e.collapse(ctx, req, fetch, fields)
		}
		sr, err := fetch(req.From, req.Size, fields)
		if err != nil {
			return nil, err
		}
		return sr.Hits, nil
	}()
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		res.Hits = append(res.Hits, toHit(h, terms))
	}
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

// collapse returns the page of a query's best section per notice. It
// ranks sections reading only their notice IDs, in windows that grow
// fourfold until the page is full or the hits run out, then reads the
// page's sections in full.
func (e *Engine) collapse(ctx context.Context, req Request, fetch func(from, size int, fields []string) (*bleve.SearchResult, error), fields []string) (search.DocumentMatchCollection, error) {
	want := req.From + req.Size
	var best search.DocumentMatchCollection
	for window := max(256, 4*want); ; window *= 4 {
		sr, err := fetch(0, window, []string{indexer.FieldNoticeID})
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		best = best[:0]
		for _, h := range sr.Hits {
			id, _ := h.Fields[indexer.FieldNoticeID].(string)
			if !seen[id] {
				seen[id] = true
				best = append(best, h)
			}
		}
		if len(best) >= want || len(sr.Hits) < window {
			break
		}
	}
	if req.From >= len(best) {
		return nil, nil
	}
	page := best[req.From:min(want, len(best))]
	ids := make([]string, len(page))
	for i, h := range page {
		ids[i] = h.ID
	}
	sr := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	sr.Fields = fields
	full, err := e.index.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	byID := map[string]*search.DocumentMatch{}
	for _, h := range full.Hits {
		byID[h.ID] = h
	}
	out := make(search.DocumentMatchCollection, 0, len(page))
	for _, h := range page {
		if f, ok := byID[h.ID]; ok {
			f.Score = h.Score // the query's score, not the ID query's
			out = append(out, f)
		}
	}
	return out, nil
}

// toHit reads a hit and cuts its passages around terms; without terms
// (NoFragments) it has none.
func toHit(h *search.DocumentMatch, terms [][]dict.Char) Hit {
	hit := hitMeta(h)
	hit.Fragments = []string{}
	if terms != nil {
		body, _ := h.Fields[indexer.FieldBody].(string)
		hit.Fragments = fragments(body, terms)
	}
	return hit
}

// hitMeta reads a hit's notice metadata and section path from its stored fields.
func hitMeta(h *search.DocumentMatch) Hit {
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	hit := Hit{
		NoticeID:    str(indexer.FieldNoticeID),
		Path:        str(indexer.FieldFile),
		Title:       str(indexer.FieldTitle),
		Date:        str(indexer.FieldDate),
		Region:      dict.Region{Province: str(indexer.FieldProvince), City: str(indexer.FieldCity), County: str(indexer.FieldCounty)},
		Source:      str(indexer.FieldSource),
		Issuer:      str(indexer.FieldIssuer),
		Kind:        str(indexer.FieldKind),
		DocNumber:   str(indexer.FieldDocNumber),
		SectionID:   h.ID,
		Score:       h.Score,
		SectionPath: []string{},
	}
	if p := str(indexer.FieldPath); p != "" {
		hit.SectionPath = strings.Split(p, indexer.PathSep)
	}
	return hit
}

// compile turns a parsed query into a bleve query, and returns the
// normalised positive terms for highlighting.
func (e *Engine) compile(q *Query) (query.Query, [][]dict.Char, error) {
	var must []query.Query
	terms := [][]dict.Char{} // not nil: a filter-only query still shows a passage
	for _, c := range q.Must {
		var any []query.Query
		for _, t := range c.Any {
			cs := dict.NormalizeTerm(t.Text)
			if len(cs) == 0 {
				return nil, nil, queryErr(t.Pos, fmt.Sprintf("“%s”中没有可检索的文字", t.Text), fmt.Sprintf("%q has no characters to search for", t.Text))
			}
			terms = append(terms, cs)
			any = append(any, e.termQuery(cs))
		}
		if len(any) == 1 {
			must = append(must, any[0])
		} else {
			must = append(must, bleve.NewDisjunctionQuery(any...))
		}
	}
	must = append(must, filterQueries(q.Filters)...)
	if len(must) == 0 {
		return nil, nil, queryErr(-1, "请输入检索词", "empty query")
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(must...)
	for _, t := range q.MustNot {
		cs := dict.NormalizeTerm(t.Text)
		if len(cs) == 0 {
			return nil, nil, queryErr(t.Pos, fmt.Sprintf("“%s”中没有可检索的文字", t.Text), fmt.Sprintf("%q has no characters to search for", t.Text))
		}
		bq.AddMustNot(exactQuery(cs))
	}
	return bq, terms, nil
}

// termQuery finds the sections whose text holds the term literally, and
// ranks them by where it stands: title, headings, whole words. The boosts
// ask only that every pair (or word) of the term be present, without
// positions: they rank, the exact query decides.
func (e *Engine) termQuery(cs []dict.Char) query.Query {
	bq := bleve.NewBooleanQuery()
	bq.AddMust(exactQuery(cs))
	var pairs []string
	for _, t := range dict.Bigrams(cs) {
		pairs = append(pairs, string(t.Term))
	}
	if len(pairs) > 0 {
		bq.AddShould(allOf(indexer.FieldTitle, pairs, boostTitle), allOf(indexer.FieldHeading, pairs, boostHeading))
	}
	if seg, err := dict.Segmenter(); err == nil {
		var words []string
		seen := map[int]bool{}
		for _, t := range dict.Words(seg, cs) {
			if !seen[t.Position] && string(t.Term) != dict.BarrierToken { // the word, not its sub-words
				seen[t.Position] = true
				words = append(words, string(t.Term))
			}
		}
		// Only a term that is one word can stand as a whole word; for a
		// longer term the clause would cost much and rank nothing.
		if len(words) == 1 {
			bq.AddShould(allOf(indexer.FieldBodyWord, words, boostWord))
		}
	}
	return bq
}

// allOf matches documents holding every term in field.
func allOf(field string, terms []string, boost float64) query.Query {
	qs := make([]query.Query, len(terms))
	for i, t := range terms {
		tq := bleve.NewTermQuery(t)
		tq.SetField(field)
		qs[i] = tq
	}
	c := bleve.NewConjunctionQuery(qs...)
	c.SetBoost(boost)
	return c
}

type boostable interface {
	query.Query
	SetBoost(float64)
}

// exactQuery matches exactly the sections whose normalised text holds the
// term: one character through the char field, more through the pairs of
// the gram field.
func exactQuery(cs []dict.Char) query.Query {
	if len(cs) == 1 {
		tq := bleve.NewTermQuery(string(cs[0].R))
		tq.SetField(indexer.FieldBodyChar)
		return tq
	}
	return gramPhrase(cs, indexer.FieldBody)
}

// gramPhrase is the phrase of a term's character pairs, as the gram
// analyzer indexed them (barriers included): it matches exactly where the
// term stands literally. Every other pair is enough (AB at p and CD at p+2
// spell ABCD), plus the last for an odd length; the pairs between are gaps.
// Terms of one character have no pairs: the caller uses the char field.
func gramPhrase(cs []dict.Char, field string) boostable {
	toks := dict.Bigrams(cs)
	if len(toks) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	if len(toks) == 1 {
		tq := bleve.NewTermQuery(string(toks[0].Term))
		tq.SetField(field)
		return tq
	}
	phrase := make([]string, len(toks))
	for i := 0; i < len(toks); i += 2 {
		phrase[i] = string(toks[i].Term)
	}
	phrase[len(toks)-1] = string(toks[len(toks)-1].Term)
	return bleve.NewPhraseQuery(phrase, field)
}
