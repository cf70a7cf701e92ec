// Package analysis answers analysts' questions over a search.Corpus: how
// often terms occur in each group of notices (by region, year, kind,
// source or issuer, or two of them crossed), what words set a group apart
// from the rest, and how a term's use changes by year; as tables, as
// files Excel and WPS open, and as charts drawn on the server. Every count
// is exact, and agrees with the searches of the same state of the index.
package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"noticesearch/indexer"
	"noticesearch/search"
)

// MaxTerms bounds the terms compared at once.
const MaxTerms = 20

// MaxGroups bounds the groups of one field, or the cells of two crossed,
// that a comparison or keyness request answers with: past it, the request
// is refused and the person asked to narrow it. A variable for tests.
var MaxGroups = 1000

// Error is a bad request: what to tell the person who made it, in Chinese
// and in English.
type Error struct{ Zh, En string }

func (e *Error) Error() string { return e.Zh + " / " + e.En }

func badf(zh, en string, args ...any) error {
	return &Error{fmt.Sprintf(zh, args...), fmt.Sprintf(en, args...)}
}

// FieldNames are the fields' names in Chinese, for tables and charts.
var FieldNames = map[string]string{
	indexer.FieldProvince: "省份",
	indexer.FieldCity:     "城市",
	indexer.FieldCounty:   "区县",
	indexer.FieldYear:     "年份",
	indexer.FieldKind:     "文种",
	indexer.FieldSource:   "来源",
	indexer.FieldIssuer:   "发文机关",
}

// Compare is what a comparison asks.
type Compare struct {
	Terms []string // at least one, at most MaxTerms
	By    []string // one or two of search.GroupFields
	Query string   // narrows the notices compared: any search query or filter
	Sort  string   // "name" (default), "count" or "share": of the first term's notices, the largest first
}

// Table is a comparison's answer. Groups are every value of the first
// field (Rows) crossed with every value of the second (Cols), if any, in
// row-major order: groups without notices, or whose notices do not
// mention a term, are there with zeros.
type Table struct {
	Terms  []string `json:"terms"`
	By     []string `json:"by"`
	Query  string   `json:"q,omitempty"`
	Rows   []string `json:"rows"`           // values of By[0], in the table's order; "" for notices without one
	Cols   []string `json:"cols,omitempty"` // values of By[1], by name
	Groups []Group  `json:"groups"`
	Total  Group    `json:"total"` // every notice compared
}

// Group is one group's counts.
type Group struct {
	Values  []string     `json:"values"` // its value of each field of By
	Notices int          `json:"notices"`
	Chars   int64        `json:"chars"` // characters of its notices' text, punctuation and blanks not counted
	Terms   []TermCounts `json:"terms"` // in the order of Table.Terms
}

// TermCounts are a term's counts in a group.
type TermCounts struct {
	Notices     int     `json:"notices"`       // notices that mention it
	Share       float64 `json:"share"`         // of the group's notices that do, 0 to 1
	Sections    int     `json:"sections"`      // sections that hold it
	Occurrences int     `json:"occurrences"`   // places where it starts
	Per10k      float64 `json:"per_10k_chars"` // occurrences per 10,000 characters
}

// Check validates and normalises the request: terms trimmed, empty and
// repeated ones dropped.
func (r *Compare) Check() error {
	var terms []string
	for _, t := range r.Terms {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	}
	r.Terms = terms
	switch {
	case len(terms) == 0:
		return badf("请至少输入一个比较的词", "no terms to compare")
	case len(terms) > MaxTerms:
		return badf("比较的词过多（%d 个，最多 %d 个）", "too many terms (%d, at most %d)", len(terms), MaxTerms)
	}
	var err error
	if r.By, err = checkBy(r.By); err != nil {
		return err
	}
	switch r.Sort {
	case "":
		r.Sort = "name"
	case "name", "count", "share":
	default:
		return badf("sort 只能是 name、count 或 share（收到“%s”）", "sort must be name, count or share (got %q)", r.Sort)
	}
	return nil
}

// checkBy checks the fields notices are grouped by: one or two of
// search.GroupFields, county when none is given.
func checkBy(by []string) ([]string, error) {
	if len(by) == 0 {
		return []string{indexer.FieldCounty}, nil
	}
	if len(by) > 2 {
		return nil, badf("最多按两个字段分组（by=%s）", "group by two fields at most (by=%s)", strings.Join(by, ","))
	}
	for _, f := range by {
		if !slices.Contains(search.GroupFields, f) {
			return nil, badf("不支持按“%s”分组（可用：%s）", "unknown group field %q (known: %s)", f, strings.Join(search.GroupFields, ", "))
		}
	}
	if len(by) == 2 && by[0] == by[1] {
		return nil, badf("两个分组字段相同（%s）", "the two group fields are the same (%s)", by[0])
	}
	return by, nil
}

// Run answers the comparison over c.
func (r Compare) Run(ctx context.Context, c *search.Corpus) (*Table, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	in, err := c.Select(ctx, r.Query)
	if err != nil {
		return nil, err
	}
	gr, err := newGrouping(c, in, r.By)
	if err != nil {
		return nil, err
	}
	cell := gr.cell
	t := &Table{Terms: r.Terms, By: r.By, Query: r.Query, Rows: gr.rows}
	if len(r.By) == 2 {
		t.Cols = gr.cols
	}
	t.Groups = make([]Group, gr.size())
	for i := range t.Groups {
		t.Groups[i] = Group{Values: gr.values(i), Terms: make([]TermCounts, len(r.Terms))}
	}
	t.Total.Terms = make([]TermCounts, len(r.Terms))
	chars := c.Chars()
	for d := range c.Notices() {
		if k := cell(d); k >= 0 {
			t.Groups[k].Notices++
			t.Groups[k].Chars += chars[d]
			t.Total.Notices++
			t.Total.Chars += chars[d]
		}
	}
	mentioned := make([]int, c.Notices()) // the term last counted in each notice, plus one
	for i, term := range r.Terms {
		secs, err := c.TermSections(ctx, term, in)
		if err != nil {
			return nil, err
		}
		for _, s := range secs {
			k := cell(s.Notice)
			if k < 0 {
				continue // not possible: in, and grouped
			}
			tc, tot := &t.Groups[k].Terms[i], &t.Total.Terms[i]
			tc.Sections++
			tc.Occurrences += s.Count
			tot.Sections++
			tot.Occurrences += s.Count
			if mentioned[s.Notice] != i+1 {
				mentioned[s.Notice] = i + 1
				tc.Notices++
				tot.Notices++
			}
		}
	}
	for k := range t.Groups {
		t.Groups[k].rates()
	}
	t.Total.rates()
	t.sortRows(r.Sort)
	return t, nil
}

// rates works out the shares and rates from the counts.
func (g *Group) rates() {
	for i := range g.Terms {
		tc := &g.Terms[i]
		if g.Notices > 0 {
			tc.Share = float64(tc.Notices) / float64(g.Notices)
		}
		if g.Chars > 0 {
			tc.Per10k = float64(tc.Occurrences) * 10000 / float64(g.Chars)
		}
	}
}

// grouping is how the notices compared fall in groups: by the values of
// one field (rows), or of two crossed (rows by cols), every combination a
// group, numbered row by row.
type grouping struct {
	two          bool
	rows, cols   []string // cols is [""] for one field
	rowOf, colOf []int    // by notice: -1 for those left out
}

// newGrouping groups the notices of in (all if nil) by one or two fields;
// past MaxGroups it is a bad request.
func newGrouping(c *search.Corpus, in []bool, by []string) (*grouping, error) {
	g := &grouping{two: len(by) == 2, cols: []string{""}}
	g.rowOf, g.rows = groupsOf(c, in, by[0])
	if g.two {
		g.colOf, g.cols = groupsOf(c, in, by[1])
	}
	if n := g.size(); n > MaxGroups {
		return nil, badf("分组过多（%d 组，最多 %d 组），请用 q= 缩小范围或换一个字段", "too many groups (%d, at most %d): narrow them with q= or group by another field", n, MaxGroups)
	}
	return g, nil
}

func (g *grouping) size() int { return len(g.rows) * len(g.cols) }

// cell is notice d's group, -1 if it is left out.
func (g *grouping) cell(d int) int {
	switch {
	case g.rowOf[d] < 0:
		return -1
	case !g.two:
		return g.rowOf[d]
	}
	return g.rowOf[d]*len(g.cols) + g.colOf[d]
}

// values are group k's values of the fields.
func (g *grouping) values(k int) []string {
	if !g.two {
		return []string{g.rows[k]}
	}
	return []string{g.rows[k/len(g.cols)], g.cols[k%len(g.cols)]}
}

// groupsOf numbers the values of field among the notices of in (all if
// nil), sorted by name ("" last): each notice's value's number, -1 for
// the notices left out, and the values.
func groupsOf(c *search.Corpus, in []bool, field string) ([]int, []string) {
	of := make([]int, c.Notices())
	seen := map[string]bool{}
	for d := range of {
		if in != nil && !in[d] {
			of[d] = -1
			continue
		}
		seen[c.Field(d, field)] = true
	}
	values := make([]string, 0, len(seen))
	for v := range seen {
		values = append(values, v)
	}
	slices.SortFunc(values, compareValues)
	index := make(map[string]int, len(values))
	for i, v := range values {
		index[v] = i
	}
	for d := range of {
		if of[d] >= 0 {
			of[d] = index[c.Field(d, field)]
		}
	}
	return of, values
}

// compareValues orders group values by name, the empty value (notices
// that have none) last.
func compareValues(a, b string) int {
	if (a == "") != (b == "") {
		if a == "" {
			return 1
		}
		return -1
	}
	return strings.Compare(a, b)
}

// sortRows puts the rows in the order asked: by name as they are, or by
// the first term's notices or share over the row's groups, the largest
// first, ties by name.
func (t *Table) sortRows(by string) {
	if by == "name" || len(t.Rows) < 2 {
		return
	}
	ncols := max(1, len(t.Cols))
	type row struct {
		name      string
		groups    []Group
		mentioned int
		notices   int
	}
	rows := make([]row, len(t.Rows))
	for i := range rows {
		rows[i] = row{name: t.Rows[i], groups: t.Groups[i*ncols : (i+1)*ncols]}
		for _, g := range rows[i].groups {
			rows[i].mentioned += g.Terms[0].Notices
			rows[i].notices += g.Notices
		}
	}
	key := func(r row) float64 {
		if by == "share" && r.notices > 0 {
			return float64(r.mentioned) / float64(r.notices)
		}
		return float64(r.mentioned)
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if c := cmp.Compare(key(b), key(a)); c != 0 {
			return c
		}
		return compareValues(a.name, b.name)
	})
	groups := make([]Group, 0, len(t.Groups))
	for i, r := range rows {
		t.Rows[i] = r.name
		groups = append(groups, r.groups...)
	}
	t.Groups = groups
}

// Label is how a group value shows: itself, or 「未注明」 for notices
// without one.
func Label(v string) string {
	if v == "" {
		return "未注明"
	}
	return v
}

// FilterFor is the search filter that selects the notices of value v of
// field, "" if none does (a value that is not known).
func FilterFor(field, v string) string {
	if v == "" {
		return ""
	}
	name := "region"
	switch field {
	case indexer.FieldYear:
		name = "year"
	case indexer.FieldKind:
		name = "kind"
	case indexer.FieldSource:
		name, v = "source", "="+v // the whole name: source: matches a part otherwise
	case indexer.FieldIssuer:
		name, v = "issuer", "="+v
	}
	if strings.ContainsAny(v, " \t\"") {
		v = `"` + strings.ReplaceAll(v, `"`, "") + `"`
	}
	return name + ":" + v
}
