package search

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hint tells why a search found nothing and what to try instead. Hints
// come only with a search that has no hits.
type Hint struct {
	// Kind is what the hint is about: "filter" (a filter value no notice
	// has), "unfiltered" (hits there would be without a filter), "terms"
	// (terms found apart but never together), "excluded" (hits an excluded
	// term took away), "term" (a term found nowhere), "syntax" (something
	// the query syntax does not know), or "none" (nothing better to say).
	Kind    string `json:"kind"`
	Message string `json:"message"`         // in Chinese, for the page
	Query   string `json:"query,omitempty"` // a query to try, when there is one
	Total   int    `json:"total,omitempty"` // the sections it finds
	Notices int    `json:"notices,omitempty"`
}

// maxHints bounds the hints of one search, and maxSuggestedValues the
// values offered for a filter that matches nothing.
const (
	maxHints           = 8
	maxSuggestedValues = 3
)

// hints explain a search that found nothing. Each count is a search of
// its own, run only when it is not heavy (see admit), so that hints cost
// at most a few cheap searches.
func (e *Engine) hints(ctx context.Context, snap *snapshot, query string) ([]Hint, error) {
	q, err := ParseQuery(query)
	if err != nil {
		return nil, nil
	}
	var out []Hint
	add := func(h Hint) {
		if len(out) < maxHints && !slices.ContainsFunc(out, func(o Hint) bool { return o.Query != "" && o.Query == h.Query }) {
			out = append(out, h)
		}
	}
	// count tries a query; ok is false when it was not run (too costly)
	// or finds nothing.
	count := func(alt *Query) (sections, notices int, ok bool, err error) {
		sections, notices, ran, err := e.countQuery(ctx, snap, alt)
		return sections, notices, ran && sections > 0, err
	}

	out = append(out, syntaxHints(q)...)

	// Filter values that no notice has, with the values the index does have
	// that come closest.
	for _, f := range eachFilter(q.Filters) {
		allowed, err := e.allowedNotices(ctx, snap, f.only)
		if err != nil {
			return nil, err
		}
		if slices.Contains(allowed, true) {
			continue
		}
		h := Hint{Kind: "filter", Message: fmt.Sprintf("没有公文的%s是“%s”", f.label, f.value)}
		close := snap.closestValues(f.field, f.value)
		if len(close) == 0 {
			add(h)
			continue
		}
		h.Message += "，您是不是要找：" + strings.Join(quoted(close), "、") + "？"
		add(h)
		for _, v := range close {
			alt := *q
			alt.Filters = f.with(v)
			if s, n, ok, err := count(&alt); err != nil {
				return nil, err
			} else if ok {
				add(Hint{Kind: "filter", Message: fmt.Sprintf("%s改为“%s”", f.label, v), Query: FormatQuery(&alt), Total: s, Notices: n})
			}
		}
	}

	// What the filters took away: all of them, then each one.
	if len(q.Must) > 0 && !q.Filters.IsEmpty() {
		alt := *q
		alt.Filters = Filters{}
		if s, n, ok, err := count(&alt); err != nil {
			return nil, err
		} else if ok {
			add(Hint{Kind: "unfiltered", Message: fmt.Sprintf("去掉筛选条件后有%d条结果（%d篇公文）", s, n), Query: FormatQuery(&alt), Total: s, Notices: n})
		}
		if fs := eachFilter(q.Filters); len(fs) > 1 {
			for _, f := range fs {
				alt := *q
				alt.Filters = f.without
				if s, n, ok, err := count(&alt); err != nil {
					return nil, err
				} else if ok {
					add(Hint{Kind: "unfiltered", Message: fmt.Sprintf("去掉“%s：%s”后有%d条结果", f.label, f.value, s), Query: FormatQuery(&alt), Total: s, Notices: n})
				}
			}
		}
	}

	// Each clause alone: found apart but not together, or found nowhere.
	for i, c := range q.Must {
		alt := Query{Must: []Clause{c}, Filters: q.Filters}
		s, n, ran, err := e.countQuery(ctx, snap, &alt)
		if err != nil {
			return nil, err
		}
		switch {
		case !ran:
		case s > 0 && len(q.Must) > 1:
			add(Hint{Kind: "terms", Message: fmt.Sprintf("只查“%s”有%d条结果：没有一个章节同时包含所有的词", clauseText(c), s), Query: FormatQuery(&alt), Total: s, Notices: n})
		case s == 0 && len(c.Any) == 1:
			if !q.Filters.IsEmpty() { // found nowhere, or only where the filters do not look?
				if s, _, ran, err := e.countQuery(ctx, snap, &Query{Must: []Clause{c}}); err != nil || !ran || s > 0 {
					if err != nil {
						return nil, err
					}
					continue
				}
			}
			hs, err := e.partHints(ctx, snap, q, i)
			if err != nil {
				return nil, err
			}
			for _, h := range hs {
				add(h)
			}
		}
	}

	// What the excluded terms took away.
	if len(q.MustNot) > 0 && len(q.Must) > 0 {
		alt := *q
		alt.MustNot = nil
		if s, n, ok, err := count(&alt); err != nil {
			return nil, err
		} else if ok {
			add(Hint{Kind: "excluded", Message: fmt.Sprintf("不排除%s时有%d条结果", strings.Join(quoted(termTexts(q.MustNot)), "、"), s), Query: FormatQuery(&alt), Total: s, Notices: n})
		}
	}
	if len(out) == 0 {
		out = append(out, Hint{Kind: "none", Message: "没有找到结果。请检查用字，或减少检索词和筛选条件。"})
	}
	return out, ctx.Err()
}

// partHints offer, for the term of clause i that occurs nowhere, its
// longest beginning and end that do occur (of two characters or more).
// A part of a part occurs wherever the part does, so the longest is
// found by bisection: a few searches whatever the term's length.
func (e *Engine) partHints(ctx context.Context, snap *snapshot, q *Query, i int) ([]Hint, error) {
	t := q.Must[i].Any[0]
	runes := []rune(t.Text)
	out := []Hint{{Kind: "term", Message: fmt.Sprintf("没有章节包含“%s”", t.Text)}}
	for _, fromStart := range []bool{true, false} {
		part := func(n int) string {
			if fromStart {
				return string(runes[:n])
			}
			return string(runes[len(runes)-n:])
		}
		try := func(n int) (*Query, int, int, error) {
			alt := *q
			alt.Must = slices.Clone(q.Must)
			alt.Must[i] = Clause{Any: []Term{{Text: part(n), Phrase: t.Phrase}}}
			s, notices, ran, err := e.countQuery(ctx, snap, &alt)
			if !ran {
				s = 0
			}
			return &alt, s, notices, err
		}
		// The longest n in [2, len-1] whose part has hits: lo has them
		// (or is 1), hi has not.
		lo, hi := 1, len(runes)
		var best *Hint
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			alt, s, notices, err := try(mid)
			if err != nil {
				return nil, err
			}
			if s > 0 {
				lo = mid
				best = &Hint{Kind: "term", Message: fmt.Sprintf("“%s”有%d条结果", part(mid), s), Query: FormatQuery(alt), Total: s, Notices: notices}
			} else {
				hi = mid
			}
		}
		if best != nil && (len(out) == 1 || out[1].Query != best.Query) {
			out = append(out, *best)
		}
	}
	return out, nil
}

// countQuery counts the sections and notices a query finds, unless it is
// too costly for a hint (ran is false).
func (e *Engine) countQuery(ctx context.Context, snap *snapshot, q *Query) (sections, notices int, ran bool, err error) {
	c, err := compile(q)
	if err != nil {
		return 0, 0, false, nil
	}
	cost := 0
	for _, cl := range c.must {
		cost += snap.clauseCost(cl)
	}
	if len(c.must) == 0 {
		cost = len(snap.doc)
	}
	if cost >= e.heavyCost {
		return 0, 0, false, nil
	}
	// Scored by frequency alone: a count reads no section's length.
	ms, err := e.run(ctx, snap, c, scoring{tf: &tfScores{}})
	if err != nil {
		return 0, 0, false, err
	}
	defer putMatches(ms)
	notices, _ = countNotices(snap, ms) // none unread: c counts exactly
	return len(ms), notices, true, nil
}

// syntaxHints point at what people type from other search engines and the
// query syntax does not know: wildcards, a required +, parentheses, a field
// name we do not have. Each is searched as written; the hint offers the
// query without it.
func syntaxHints(q *Query) []Hint {
	var out []Hint
	fix := func(t *Term, msg string, repl func(string) string) {
		text := strings.TrimSpace(repl(t.Text))
		if text == "" || text == t.Text {
			return
		}
		alt := cloneQuery(q)
		for ci := range alt.Must {
			for ti := range alt.Must[ci].Any {
				if alt.Must[ci].Any[ti] == *t {
					alt.Must[ci].Any[ti].Text = text
				}
			}
		}
		out = append(out, Hint{Kind: "syntax", Message: msg, Query: FormatQuery(alt)})
	}
	for ci := range q.Must {
		for ti := range q.Must[ci].Any {
			t := &q.Must[ci].Any[ti]
			if t.Phrase {
				continue
			}
			switch {
			case strings.ContainsAny(t.Text, "*?＊？"):
				fix(t, fmt.Sprintf("“%s”中的“*”“?”不是通配符，按原文查找；检索会找出包含检索词的所有章节，不需要通配符", t.Text),
					func(s string) string { return strings.Map(dropRunes("*?＊？"), s) })
			case strings.HasPrefix(t.Text, "+") || strings.HasPrefix(t.Text, "＋"):
				fix(t, "“+”不需要：以空格分开的词都必须出现", func(s string) string { return strings.TrimLeft(s, "+＋") })
			case strings.ContainsAny(t.Text, "()（）"):
				fix(t, "括号不能给词分组，按原文查找；“或”请用 OR 或 |", func(s string) string { return strings.Map(dropRunes("()（）"), s) })
			default:
				if name, value, ok := cutUnknownField(t.Text); ok {
					fix(t, fmt.Sprintf("“%s”不是可用的筛选条件（可用：%s），按原文查找", name, filterFieldsZh), func(string) string { return value })
				}
			}
		}
	}
	return out
}

func dropRunes(set string) func(rune) rune {
	return func(r rune) rune {
		if strings.ContainsRune(set, r) {
			return -1
		}
		return r
	}
}

// cutUnknownField splits a term such as 作者：张三, a field name the syntax
// does not know (ASCII names are refused when parsed), from its value.
func cutUnknownField(text string) (name, value string, ok bool) {
	i := strings.IndexAny(text, ":：")
	if i <= 0 {
		return "", "", false
	}
	name = text[:i]
	_, size := utf8.DecodeRuneInString(text[i:])
	value = text[i+size:]
	if value == "" || utf8.RuneCountInString(name) > 6 {
		return "", "", false
	}
	for _, r := range name {
		if !unicode.Is(unicode.Han, r) {
			return "", "", false
		}
	}
	return name, value, true
}

// oneFilter is one value of one filter field of a query, with the filters
// reduced to it and the filters without it.
type oneFilter struct {
	field, label, value string
	only, without       Filters
	with                func(v string) Filters // the filters with this value replaced by v
}

// eachFilter lists the values of f one by one.
func eachFilter(f Filters) []oneFilter {
	var out []oneFilter
	list := func(field, label string, vals *[]string, get func(*Filters) *[]string) {
		for i, v := range *vals {
			o := oneFilter{field: field, label: label, value: v}
			*get(&o.only) = []string{v}
			o.without = cloneFilters(f)
			w := get(&o.without)
			*w = slices.Delete(slices.Clone(*w), i, i+1)
			o.with = func(nv string) Filters {
				g := cloneFilters(f)
				p := get(&g)
				*p = slices.Clone(*p)
				(*p)[i] = nv
				return g
			}
			out = append(out, o)
		}
	}
	list("region", "地区", &f.Region, func(g *Filters) *[]string { return &g.Region })
	list("source", "来源", &f.Source, func(g *Filters) *[]string { return &g.Source })
	list("issuer", "发文机关", &f.Issuer, func(g *Filters) *[]string { return &g.Issuer })
	list("kind", "文种", &f.Kind, func(g *Filters) *[]string { return &g.Kind })
	list("title", "标题", &f.Title, func(g *Filters) *[]string { return &g.Title })
	list("doc", "文号", &f.DocNumber, func(g *Filters) *[]string { return &g.DocNumber })
	for i, y := range f.Year {
		o := oneFilter{field: "year", label: "年份", value: strconv.Itoa(y), only: Filters{Year: []int{y}}, without: cloneFilters(f)}
		o.without.Year = slices.Delete(slices.Clone(f.Year), i, i+1)
		o.with = func(nv string) Filters {
			g := cloneFilters(f)
			g.Year = slices.Clone(g.Year)
			g.Year[i], _ = strconv.Atoi(nv)
			return g
		}
		out = append(out, o)
	}
	if f.After != "" || f.Before != "" {
		o := oneFilter{field: "date", label: "日期", value: strings.Trim(f.After+"至"+f.Before, "至"), only: Filters{After: f.After, Before: f.Before}, without: cloneFilters(f)}
		o.without.After, o.without.Before = "", ""
		o.with = func(string) Filters { return o.without }
		out = append(out, o)
	}
	return out
}

func cloneFilters(f Filters) Filters {
	f.Region, f.Source, f.Issuer, f.Kind = slices.Clone(f.Region), slices.Clone(f.Source), slices.Clone(f.Issuer), slices.Clone(f.Kind)
	f.Title, f.DocNumber, f.Year = slices.Clone(f.Title), slices.Clone(f.DocNumber), slices.Clone(f.Year)
	return f
}

func cloneQuery(q *Query) *Query {
	c := &Query{MustNot: slices.Clone(q.MustNot), Filters: cloneFilters(q.Filters)}
	for _, cl := range q.Must {
		c.Must = append(c.Must, Clause{Any: slices.Clone(cl.Any)})
	}
	return c
}

// closestValues are the values of a field that notices of the index have
// and that come closest to v: sharing the most characters in a row with
// it (two at least, or v's one), the most common first.
func (s *snapshot) closestValues(field, v string) []string {
	counts := map[string]int{}
	for i := range s.notices {
		n := &s.notices[i]
		switch field {
		case "region":
			for _, name := range []string{n.meta.Region.Province, n.meta.Region.City, n.meta.Region.County} {
				if name != "" {
					counts[name]++
				}
			}
		case "source":
			counts[n.meta.Source]++
		case "issuer":
			counts[n.meta.Issuer]++
		case "kind":
			counts[n.meta.Kind]++
		case "year":
			counts[n.year]++
		}
	}
	delete(counts, "")
	type scored struct {
		value        string
		common, freq int
	}
	var cands []scored
	want := min(2, utf8.RuneCountInString(v))
	for value, freq := range counts {
		c := commonRun(value, v)
		if field == "year" {
			c = 0
			if y, err := strconv.Atoi(value); err == nil {
				if w, err := strconv.Atoi(v); err == nil && y-w <= 2 && w-y <= 2 {
					c = 3 - max(y-w, w-y)
				}
			}
			want = 1
		}
		if c >= want {
			cands = append(cands, scored{value, c, freq})
		}
	}
	slices.SortFunc(cands, func(a, b scored) int {
		if a.common != b.common {
			return b.common - a.common
		}
		if a.freq != b.freq {
			return b.freq - a.freq
		}
		return strings.Compare(a.value, b.value)
	})
	var out []string
	for _, c := range cands[:min(len(cands), maxSuggestedValues)] {
		out = append(out, c.value)
	}
	return out
}

// commonRun is the length in runes of the longest run of runes a and b share.
func commonRun(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	best := 0
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for i := range ra {
		for j := range rb {
			cur[j+1] = 0
			if ra[i] == rb[j] {
				cur[j+1] = prev[j] + 1
				best = max(best, cur[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return best
}

func quoted(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = "“" + v + "”"
	}
	return out
}

func termTexts(ts []Term) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Text
	}
	return out
}

func clauseText(c Clause) string { return strings.Join(termTexts(c.Any), "”或“") }

// FormatQuery writes a query back in the search box syntax, so that it
// parses to the same query: terms as written (in quotes when they hold a
// blank, quote or syntax), OR between alternatives, a minus before
// excluded terms, and the filters by their Chinese names.
func FormatQuery(q *Query) string {
	var parts []string
	for _, c := range q.Must {
		var alts []string
		for _, t := range c.Any {
			alts = append(alts, formatTerm(t))
		}
		parts = append(parts, strings.Join(alts, " OR "))
	}
	for _, t := range q.MustNot {
		parts = append(parts, "-"+formatTerm(t))
	}
	f := q.Filters
	for _, kv := range []struct {
		name string
		vals []string
	}{{"地区", f.Region}, {"来源", f.Source}, {"发文机关", f.Issuer}, {"文种", f.Kind}, {"标题", f.Title}, {"文号", f.DocNumber}} {
		for _, v := range kv.vals {
			parts = append(parts, kv.name+":"+formatValue(v))
		}
	}
	for _, y := range f.Year {
		parts = append(parts, "年份:"+strconv.Itoa(y))
	}
	if f.After != "" {
		parts = append(parts, "起始:"+f.After)
	}
	if f.Before != "" {
		parts = append(parts, "截止:"+f.Before)
	}
	return strings.Join(parts, " ")
}

// formatTerm quotes a term when written bare it would not read back as
// itself.
func formatTerm(t Term) string {
	bare := !t.Phrase && t.Text != ""
	if bare {
		toks, err := lexQuery([]rune(t.Text))
		bare = err == nil && len(toks) == 1 && toks[0].kind == qtTerm && !toks[0].neg && toks[0].term.Text == t.Text
	}
	if bare {
		return t.Text
	}
	return quote(t.Text)
}

func formatValue(v string) string {
	if strings.IndexFunc(v, func(r rune) bool { return isQueryBlank(r) || isOrBar(r) || isQuoteRune(r) }) < 0 {
		return v
	}
	return quote(v)
}

// quote puts text in the quotes it does not hold.
func quote(text string) string {
	if !strings.Contains(text, "”") {
		return "“" + text + "”"
	}
	return `"` + text + `"`
}

func isQuoteRune(r rune) bool { return r == '"' || r == '＂' || r == '“' || r == '”' }
