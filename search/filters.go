package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"noticesearch/dict"
	"noticesearch/indexer"
)

// allowedNotices runs the filters on the bleve index of notices: which
// notices they allow, by document number, or nil when there are none.
func (e *Engine) allowedNotices(ctx context.Context, snap *snapshot, f Filters) ([]bool, error) {
	if f.IsEmpty() {
		return nil, nil
	}
	allowed, err := e.allowedByMeta(ctx, snap, f)
	if err != nil || len(f.Title) == 0 && len(f.DocNumber) == 0 {
		return allowed, err
	}
	for d := range allowed {
		if d%checkEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		allowed[d] = allowed[d] && f.matchesTitleAndNumber(&snap.notices[d])
	}
	return allowed, nil
}

// matchesTitleAndNumber applies the title: and doc: filters to a notice.
func (f Filters) matchesTitleAndNumber(n *noticeInfo) bool {
	anyOf := func(vals []string, text string) bool {
		if len(vals) == 0 {
			return true
		}
		for _, v := range vals {
			if ContainsNormalized(text, v) {
				return true
			}
		}
		return false
	}
	return anyOf(f.Title, string(n.normTitle)) && anyOf(f.DocNumber, dict.NormalizeString(n.meta.DocNumber))
}

// allowedByMeta runs the filters that bleve answers: which notices they
// allow, by document number; all of them when there are none.
func (e *Engine) allowedByMeta(ctx context.Context, snap *snapshot, f Filters) ([]bool, error) {
	allowed := make([]bool, len(snap.notices))
	if f.metaEmpty() {
		for d := range allowed {
			allowed[d] = true
		}
		return allowed, nil
	}
	sr := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(filterQueries(f)...), 0, 0, false)
	if err := snap.state.Notices(ctx, sr, func(d int) { allowed[d] = true }); err != nil {
		return nil, fmt.Errorf("filter notices: %w", err)
	}
	return allowed, nil
}

// filterQueries turns metadata filters into required bleve queries.
func filterQueries(f Filters) []query.Query {
	var out []query.Query
	if len(f.Region) > 0 {
		var any []query.Query
		for _, v := range f.Region {
			for _, name := range regionNames(v) {
				any = append(any, term(indexer.FieldRegion, name))
			}
		}
		out = append(out, bleve.NewDisjunctionQuery(any...))
	}
	for _, kv := range []struct {
		field  string
		values []string
	}{{indexer.FieldSource, f.Source}, {indexer.FieldIssuer, f.Issuer}} {
		if len(kv.values) == 0 {
			continue
		}
		// Names are long and written variously: a part of one will do,
		// unless the value asks for the whole name (source:=…).
		var any []query.Query
		for _, v := range kv.values {
			if name, whole := WholeName(v); whole {
				any = append(any, term(kv.field, name))
				continue
			}
			w := bleve.NewWildcardQuery("*" + escapeWildcard(v) + "*")
			w.SetField(kv.field)
			any = append(any, w)
		}
		out = append(out, bleve.NewDisjunctionQuery(any...))
	}
	if len(f.Kind) > 0 {
		var any []query.Query
		for _, v := range f.Kind {
			any = append(any, term(indexer.FieldKind, v))
		}
		out = append(out, bleve.NewDisjunctionQuery(any...))
	}
	if len(f.Year) > 0 {
		var any []query.Query
		for _, y := range f.Year {
			any = append(any, dateRange(fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y)))
		}
		out = append(out, bleve.NewDisjunctionQuery(any...))
	}
	if f.After != "" || f.Before != "" {
		out = append(out, dateRange(f.After, f.Before))
	}
	return out
}

func term(field, v string) query.Query {
	q := bleve.NewTermQuery(v)
	q.SetField(field)
	return q
}

// dateRange matches dates from..to, both inclusive; either may be "".
func dateRange(from, to string) query.Query {
	var start, end time.Time
	if from != "" {
		start, _ = time.Parse(time.DateOnly, from)
	}
	if to != "" {
		t, _ := time.Parse(time.DateOnly, to)
		end = t.AddDate(0, 0, 1)
	}
	yes, no := true, false
	q := bleve.NewDateRangeInclusiveQuery(start, end, &yes, &no)
	q.SetField(indexer.FieldDateTime)
	return q
}

func escapeWildcard(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`).Replace(s)
}

// regionNames are the keys of the bleve region field (dict.Region.IndexKeys)
// that a region: filter value matches: those of every region the value can
// mean (dict.Gazetteer.Lookup: 温州 is 温州市, 朝阳 each 朝阳, 中央 the central
// bodies, 芦洋乡 the town in its county), or the value itself when it names
// no region.
func regionNames(v string) []string {
	var names []string
	for _, r := range dict.DefaultGazetteer().Lookup(v) {
		for _, k := range r.FilterKeys() {
			if !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
	}
	if len(names) == 0 {
		names = []string{v}
	}
	return names
}

// WholeName says whether a source: or issuer: filter's value asks for the
// whole name, written with = before it (source:=瓯海区纪委), and gives the
// name; other values match any name that holds them.
func WholeName(v string) (string, bool) {
	if name, ok := strings.CutPrefix(v, "="); ok && name != "" {
		return name, true
	}
	return v, false
}

// nameMatches applies a source: or issuer: filter's value to a name.
func nameMatches(name, v string) bool {
	if whole, ok := WholeName(v); ok {
		return name == whole
	}
	return strings.Contains(name, v)
}
