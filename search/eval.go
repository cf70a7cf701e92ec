package search

import (
	"context"
	"fmt"
	"strings"

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
	text []dict.Char
	meta *indexer.Meta
}

// Eval runs every query over the whole index, taking all its hits, and
// compares them with a plain scan of the stored sections, normalised
// afresh from their source text.
func (e *Engine) Eval(ctx context.Context, queries []string) ([]EvalResult, error) {
	type query struct {
		q     *Query
		c     *compiled
		err   error
		found map[uint32]bool
	}
	snap := e.snapshot()
	qs := make([]query, len(queries))
	for i, s := range queries {
		q, err := ParseQuery(s)
		if err == nil {
			qs[i].q = q
			qs[i].c, err = compile(q)
		}
		qs[i].err = err
		qs[i].found = map[uint32]bool{}
	}
	// One pass over every stored section evaluates every query.
	for sec := range snap.text.Sections() {
		if sec%1000 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		s := storedSection{text: dict.Normalize(snap.text.Text(sec)), meta: &snap.notices[snap.doc[sec]].meta}
		for i := range qs {
			if qs[i].err == nil && qs[i].q.matches(s) {
				qs[i].found[uint32(sec)] = true
			}
		}
	}
	out := make([]EvalResult, len(queries))
	for i, q := range qs {
		r := EvalResult{Query: queries[i], Expected: len(q.found)}
		if q.err != nil {
			r.Error = q.err.Error()
			out[i] = r
			continue
		}
		ms, err := e.run(ctx, snap, q.c, scoring{})
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			r.Returned++
			if !q.found[m.sec] {
				r.Extra++
			}
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
	if err := e.snapshot().damaged(); err != nil {
		return nil, err
	}
	return out, nil
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
	return q.Filters.matches(s.meta)
}

func (f Filters) matches(h *indexer.Meta) bool {
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
		keys := h.Region.IndexKeys()
		for _, n := range regionNames(v) {
			for _, k := range keys {
				if n == k {
					return true
				}
			}
		}
		return false
	}
	years := make([]string, len(f.Year))
	for i, y := range f.Year {
		years[i] = fmt.Sprintf("%04d", y)
	}
	return anyOf(f.Region, region) &&
		anyOf(f.Source, func(v string) bool { return nameMatches(h.Source, v) }) &&
		anyOf(f.Issuer, func(v string) bool { return nameMatches(h.Issuer, v) }) &&
		anyOf(f.Kind, func(v string) bool { return h.Kind == v }) &&
		anyOf(years, func(y string) bool { return strings.HasPrefix(h.Date, y+"-") }) &&
		(f.After == "" || h.Date != "" && h.Date >= f.After) &&
		(f.Before == "" || h.Date != "" && h.Date <= f.Before) &&
		anyOf(f.Title, func(v string) bool { return Contains(h.Title, v) }) &&
		anyOf(f.DocNumber, func(v string) bool { return Contains(h.DocNumber, v) })
}
