package search

import (
	"context"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"noticesearch/dict"
	"noticesearch/indexer"
)

// EvalResult compares one query's hits with a substring scan of every
// stored section under the shared normalisation.
type EvalResult struct {
	Query     string  `json:"query"`
	Expected  int     `json:"expected"`
	Returned  int     `json:"returned"`
	Missing   int     `json:"missing"`
	Extra     int     `json:"extra"`
	Recall    float64 `json:"recall"`
	Precision float64 `json:"precision"`
	Error     string  `json:"error,omitempty"`
}

// Exact reports whether the query found exactly what the scan found.
func (r EvalResult) Exact() bool { return r.Error == "" && r.Missing == 0 && r.Extra == 0 }

// storedSection is what the scan reads of each section.
type storedSection struct {
	id   string
	text []dict.Char
	hit  Hit
}

// Eval runs every query over the whole index, through all its hits, and
// compares them with a plain scan of the stored sections.
func (e *Engine) Eval(ctx context.Context, queries []string) ([]EvalResult, error) {
	type compiled struct {
		q     *Query
		bq    query.Query
		err   error
		found map[string]bool
	}
	cs := make([]compiled, len(queries))
	for i, s := range queries {
		q, err := ParseQuery(s)
		if err == nil {
			cs[i].q = q
			cs[i].bq, _, err = e.compile(q)
		}
		cs[i].err = err
		cs[i].found = map[string]bool{}
	}
	// One pass over every stored section evaluates every query.
	err := e.eachDocument(ctx, bleve.NewMatchAllQuery(), true, func(s storedSection) {
		for i := range cs {
			if cs[i].err == nil && cs[i].q.matches(s) {
				cs[i].found[s.id] = true
			}
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]EvalResult, len(queries))
	for i, c := range cs {
		r := EvalResult{Query: queries[i], Expected: len(c.found)}
		if c.err != nil {
			r.Error = c.err.Error()
			out[i] = r
			continue
		}
		err := e.eachDocument(ctx, c.bq, false, func(s storedSection) {
			r.Returned++
			if !c.found[s.id] {
				r.Extra++
			}
		})
		if err != nil {
			return nil, err
		}
		r.Missing = r.Expected - (r.Returned - r.Extra)
		r.Recall, r.Precision = 1, 1
		if r.Expected > 0 {
			r.Recall = float64(r.Expected-r.Missing) / float64(r.Expected)
		}
		if r.Returned > 0 {
			r.Precision = float64(r.Returned-r.Extra) / float64(r.Returned)
		}
		out[i] = r
	}
	return out, nil
}

// eachDocument visits every document matching q, in pages, reading the
// stored fields only when withText.
func (e *Engine) eachDocument(ctx context.Context, q query.Query, withText bool, visit func(storedSection)) error {
	const page = 2000
	var after []string
	for {
		sr := bleve.NewSearchRequestOptions(q, page, 0, false)
		sr.SortBy([]string{"_id"})
		if after != nil {
			sr.SearchAfter = after
		}
		if withText {
			sr.Fields = storedFields
		}
		res, err := e.index.SearchInContext(ctx, sr)
		if err != nil {
			return fmt.Errorf("scan index: %w", err)
		}
		for _, h := range res.Hits {
			s := storedSection{id: h.ID}
			if withText {
				s.hit = hitMeta(h)
				body, _ := h.Fields[indexer.FieldBody].(string)
				s.text = dict.Normalize(body)
			}
			visit(s)
		}
		if len(res.Hits) < page {
			return nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// matches is the reference meaning of a query, evaluated on one section
// by scanning its text: what the index must agree with.
func (q *Query) matches(s storedSection) bool {
	has := func(t Term) bool { return len(findAll(s.text, dict.NormalizeTerm(t.Text))) > 0 }
	for _, c := range q.Must {
		ok := false
		for _, t := range c.Any {
			ok = ok || has(t)
		}
		if !ok {
			return false
		}
	}
	for _, t := range q.MustNot {
		if has(t) {
			return false
		}
	}
	return q.Filters.matches(s.hit)
}

func (f Filters) matches(h Hit) bool {
	anyOf := func(vals []string, ok func(string) bool) bool {
		if len(vals) == 0 {
			return true
		}
		for _, v := range vals {
			if ok(v) {
				return true
			}
		}
		return false
	}
	region := func(v string) bool {
		for _, n := range regionNames(v) {
			if n == h.Region.Province || n == h.Region.City || n == h.Region.County {
				return true
			}
		}
		return false
	}
	years := make([]string, len(f.Year))
	for i, y := range f.Year {
		years[i] = fmt.Sprintf("%04d", y)
	}
	return anyOf(f.Region, region) &&
		anyOf(f.Source, func(v string) bool { return strings.Contains(h.Source, v) }) &&
		anyOf(f.Issuer, func(v string) bool { return strings.Contains(h.Issuer, v) }) &&
		anyOf(f.Kind, func(v string) bool { return h.Kind == v }) &&
		anyOf(years, func(y string) bool { return strings.HasPrefix(h.Date, y+"-") }) &&
		(f.After == "" || h.Date != "" && h.Date >= f.After) &&
		(f.Before == "" || h.Date != "" && h.Date <= f.Before)
}
