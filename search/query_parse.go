package search

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"noticesearch/dict"
)

// The search box syntax, for people typing in a Chinese input method: the
// full-width forms of the syntax characters (space U+3000, colon ：, bar ｜,
// quotes “…” and ＂…＂) work like the ASCII ones. Parsing is two passes over
// at most MaxQueryRunes runes: lexQuery cuts the query into tokens, and
// buildQuery checks how they sit next to each other and fills the Query.

// ParseQuery parses the search box syntax.
func ParseQuery(s string) (*Query, error) {
	if err := checkQueryText(s); err != nil {
		return nil, err
	}
	toks, err := lexQuery([]rune(s))
	if err != nil {
		return nil, err
	}
	return buildQuery(toks)
}

// checkQueryText rejects what no query may hold before any token is cut, so
// that lexQuery sees valid, short, printable text.
func checkQueryText(s string) error {
	n := 0 // runes seen, each invalid byte counting as one as range does
	for i := 0; i < len(s); n++ {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return queryErr(n, "查询不是有效的UTF-8文本", "query is not valid UTF-8")
		}
		i += size
	}
	if n > MaxQueryRunes {
		return queryErr(-1, fmt.Sprintf("查询过长（%d个字符，最多%d个）", n, MaxQueryRunes),
			fmt.Sprintf("query too long (%d characters, at most %d)", n, MaxQueryRunes))
	}
	blank := true
	for i, r := range []rune(s) {
		if unicode.IsControl(r) && !isQueryBlank(r) {
			return queryErr(i, "查询含有控制字符", fmt.Sprintf("control character U+%04X in query", r))
		}
		blank = blank && isQueryBlank(r)
	}
	if blank {
		return queryErr(-1, "查询为空", "empty query")
	}
	return nil
}

// isQueryBlank separates terms. Besides ASCII whitespace and the ideographic space,
// it takes every Unicode space (no-break spaces come with text pasted from web
// pages) and the invisible zero-width space and BOM, which would otherwise
// glue two words into one term that matches nothing.
func isQueryBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

func isOrBar(r rune) bool { return r == '|' || r == '｜' }

// closingQuote gives the quote that ends a phrase opened by r.
func closingQuote(r rune) (rune, bool) {
	switch r {
	case '"', '＂':
		return r, true
	case '“':
		return '”', true
	}
	return 0, false
}

// opensPhrase reports whether r[i] starts a phrase. ASCII quotes always do
// (and must be closed); a Chinese “ does only when a ” follows, and a ”
// never does, so that text pasted with one curly quote of a pair cut off
// is searched as written, the quote standing for any punctuation.
func opensPhrase(r []rune, i int) bool {
	switch r[i] {
	case '"', '＂':
		return true
	case '“':
		return slices.Contains(r[i+1:], '”')
	}
	return false
}

// isMinus reports whether r negates the term it starts: the ASCII
// hyphen-minus, the full-width minus an input method gives (－) and the
// minus sign (−).
func isMinus(r rune) bool { return r == '-' || r == '－' || r == '−' }

type queryTokenKind int

const (
	qtTerm   queryTokenKind = iota
	qtOr                    // OR, | or ｜
	qtAnd                   // AND: what two terms side by side mean anyway
	qtNot                   // NOT: excludes the term after it, as '-' does
	qtFilter                // field:value
)

type queryToken struct {
	kind  queryTokenKind
	pos   int    // rune offset where the token starts, for messages
	text  string // qtOr: the operator as typed
	term  Term   // qtTerm
	neg   bool   // qtTerm: written with a leading '-'
	field string // qtFilter: canonical field name, one of the English names
	value string // qtFilter
	vpos  int    // qtFilter: rune offset of the value
	end   int    // rune offset after the token
}

// lexQuery cuts the query into tokens. A token starts after a blank, at the
// start, or where the previous token ended without one: `A|B` is three tokens
// and `浙江"纪委 通报"` two, as they read.
func lexQuery(r []rune) ([]queryToken, error) {
	var toks []queryToken
	for i := 0; i < len(r); {
		switch {
		case isQueryBlank(r[i]):
			i++
		case isOrBar(r[i]):
			toks = append(toks, queryToken{kind: qtOr, pos: i, text: string(r[i]), end: i + 1})
			i++
		default:
			t, next, err := lexQueryToken(r, i)
			if err != nil {
				return nil, err
			}
			t.end = next
			toks = append(toks, splitOperators(t)...)
			i = next
		}
	}
	return toks, nil
}

// lexQueryToken reads the term, phrase, OR or filter starting at r[start],
// which is neither blank nor a bar, and returns it with the offset after it.
func lexQueryToken(r []rune, start int) (queryToken, int, error) {
	i := start
	neg := isMinus(r[i])
	if neg {
		i++
		if i == len(r) || isQueryBlank(r[i]) || isOrBar(r[i]) {
			return queryToken{}, 0, queryErr(start, "“-”后面缺少要排除的词", "nothing to exclude after '-'")
		}
	}
	if opensPhrase(r, i) {
		cq, _ := closingQuote(r[i])
		text, next, err := readQuoted(r, i, cq)
		if err != nil {
			return queryToken{}, 0, err
		}
		if strings.TrimFunc(text, isQueryBlank) == "" {
			return queryToken{}, 0, queryErr(i, "引号里没有内容", "empty phrase")
		}
		return queryToken{kind: qtTerm, pos: start, neg: neg, term: Term{Text: text, Phrase: true, Pos: i + 1}}, next, nil
	}
	end := i
	for end < len(r) && !isQueryBlank(r[end]) && !isOrBar(r[end]) && !opensPhrase(r, end) {
		end++
	}
	word := r[i:end]
	if c := indexColon(word); c >= 0 {
		name := word[:c]
		if field, ok := filterField(name); ok {
			if neg {
				return queryToken{}, 0, queryErr(start, "筛选条件不能排除", "a filter cannot be excluded with '-'")
			}
			return lexFilter(r, i, i+c+1, end, field)
		}
		if isASCIILetters(name) {
			return queryToken{}, 0, queryErr(i, fmt.Sprintf("未知字段“%s”（可用：%s）", string(name), filterFieldsZh),
				fmt.Sprintf("unknown field %q (known: %s)", string(name), filterFieldsEn))
		}
	}
	if k, ok := operator(string(word)); ok && !neg {
		return queryToken{kind: k, pos: start, text: string(word)}, end, nil
	}
	return queryToken{kind: qtTerm, pos: start, neg: neg, term: Term{Text: string(word), Pos: i}}, end, nil
}

// operator names the operator a word is, in capitals or lower case, in
// half or full width: OR, AND, NOT (or, and, not). To search for the word
// itself, quote it.
func operator(word string) (queryTokenKind, bool) {
	switch strings.ToUpper(foldFullWidth(word)) {
	case "OR":
		return qtOr, true
	case "AND":
		return qtAnd, true
	case "NOT":
		return qtNot, true
	}
	return 0, false
}

// splitOperators cuts a term written with operators between Chinese
// characters and no blanks (巡察OR巡视, 廉政AND风险) into its terms and
// operators; any other token is returned as it is.
func splitOperators(t queryToken) []queryToken {
	if t.kind != qtTerm || t.term.Phrase {
		return []queryToken{t}
	}
	r := []rune(t.term.Text)
	var out []queryToken
	from := 0 // start of the term not yet cut off, in r
	for i := 1; i < len(r); i++ {
		if !unicode.Is(unicode.Han, r[i-1]) {
			continue
		}
		for _, n := range []int{2, 3} {
			if i+n >= len(r) || !unicode.Is(unicode.Han, r[i+n]) {
				continue
			}
			k, ok := operator(string(r[i : i+n]))
			if !ok {
				continue
			}
			first := t
			first.term.Text, first.end = string(r[from:i]), t.term.Pos+i
			if from > 0 {
				first.neg, first.pos = false, t.term.Pos+from
			}
			first.term.Pos = t.term.Pos + from
			out = append(out, first, queryToken{kind: k, pos: t.term.Pos + i, text: string(r[i : i+n]), end: t.term.Pos + i + n})
			from = i + n
			i += n
			break
		}
	}
	if from == 0 {
		return []queryToken{t}
	}
	last := t
	last.neg, last.pos = false, t.term.Pos+from
	last.term.Text, last.term.Pos = string(r[from:]), t.term.Pos+from
	return append(out, last)
}

// readQuoted reads the text between the quote at r[open] and the first cq
// after it; quotes do not nest, so “…” may hold ASCII quotes and back.
func readQuoted(r []rune, open int, cq rune) (string, int, error) {
	for j := open + 1; j < len(r); j++ {
		if r[j] == cq {
			return string(r[open+1 : j]), j + 1, nil
		}
	}
	return "", 0, queryErr(open, "引号不成对", "unbalanced quote")
}

// lexFilter reads the value of the filter whose name starts at r[start] and
// whose value starts at r[vstart]; end is where an unquoted value stops.
func lexFilter(r []rune, start, vstart, end int, field string) (queryToken, int, error) {
	t := queryToken{kind: qtFilter, pos: start, field: field, vpos: vstart}
	next := end
	if vstart == end && end < len(r) {
		if opensPhrase(r, end) {
			cq, _ := closingQuote(r[end])
			text, after, err := readQuoted(r, end, cq)
			if err != nil {
				return queryToken{}, 0, err
			}
			// A value matches metadata, where edge blanks can only be mistakes.
			t.value = strings.TrimFunc(text, isQueryBlank)
			t.vpos = end + 1
			next = after
		}
	} else {
		t.value = string(r[vstart:end])
	}
	if t.value == "" {
		return queryToken{}, 0, queryErr(start, fmt.Sprintf("筛选条件“%s”缺少值（冒号后不要空格）", string(r[start:vstart])),
			fmt.Sprintf("filter %s: has no value (no space after the colon)", field))
	}
	return t, next, nil
}

func indexColon(w []rune) int {
	for k, r := range w {
		if r == ':' || r == '：' {
			return k
		}
	}
	return -1
}

// filterFields maps every name a filter may be written with to its English name.
var filterFields = map[string]string{
	"region": "region", "source": "source", "issuer": "issuer", "kind": "kind",
	"year": "year", "after": "after", "before": "before", "title": "title", "doc": "doc",
	"地区": "region", "来源": "source", "发文机关": "issuer", "文种": "kind",
	"年份": "year", "起始": "after", "截止": "before", "标题": "title", "文号": "doc",
}

// The lists the unknown-field message offers, each half in its own language.
const (
	filterFieldsZh = "地区、来源、发文机关、文种、年份、起始、截止、标题、文号，或region、source、issuer、kind、year、after、before、title、doc"
	filterFieldsEn = "region, source, issuer, kind, year, after, before, title, doc"
)

// filterField names the filter a word before a colon asks for. English names
// ignore case and width (Year:, ｙｅａｒ:), since an input method left in
// full-width mode should not turn a filter into a term.
func filterField(name []rune) (string, bool) {
	f, ok := filterFields[strings.ToLower(foldFullWidth(string(name)))]
	return f, ok
}

func isASCIILetters(w []rune) bool {
	for _, r := range w {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return len(w) > 0
}

// foldFullWidth maps full-width ASCII (U+FF01–U+FF5E) to ASCII. It is applied only
// where the parser reads syntax — field names, years, dates — never to terms,
// whose normalisation belongs to the analyzer.
func foldFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if '！' <= r && r <= '～' {
			return r - '！' + '!'
		}
		return r
	}, s)
}

// buildQuery checks how the tokens sit next to each other and fills the Query:
// a positive term opens a clause unless an OR joins it to the one before.
func buildQuery(toks []queryToken) (*Query, error) {
	q := &Query{}
	var afterPos, beforePos int
	for k, t := range toks {
		switch t.kind {
		case qtOr:
			if err := checkOr(toks, k); err != nil {
				return nil, err
			}
		case qtAnd:
			if err := checkAnd(toks, k); err != nil {
				return nil, err
			}
		case qtNot:
			if err := checkNot(toks, k); err != nil {
				return nil, err
			}
		case qtTerm:
			switch {
			case t.neg || k > 0 && toks[k-1].kind == qtNot:
				q.MustNot = append(q.MustNot, t.term)
			case k > 0 && toks[k-1].kind == qtOr && len(q.Must) > 0:
				last := &q.Must[len(q.Must)-1]
				last.Any = append(last.Any, t.term)
			default:
				q.Must = append(q.Must, Clause{Any: []Term{t.term}})
			}
		case qtFilter:
			if err := addFilter(&q.Filters, t); err != nil {
				return nil, err
			}
			switch t.field {
			case "after":
				afterPos = t.pos
			case "before":
				beforePos = t.pos
			}
		}
	}
	if f := q.Filters; f.After != "" && f.Before != "" && f.After > f.Before {
		return nil, queryErr(max(afterPos, beforePos), fmt.Sprintf("起始日期%s晚于截止日期%s", f.After, f.Before),
			fmt.Sprintf("after:%s is later than before:%s", f.After, f.Before))
	}
	if len(q.Must) == 0 && q.Filters.IsEmpty() {
		return nil, queryErr(-1, "只有要排除的词，请至少给出一个要找的词或一个筛选条件",
			"only excluded terms: give at least one term to find or one filter")
	}
	return q, nil
}

// checkOr accepts the OR at toks[k] only between two terms to find: joining a
// filter or an excluded term has no meaning a user could expect.
func checkOr(toks []queryToken, k int) error {
	t := toks[k]
	en := "OR"
	if isOrBar([]rune(t.text)[0]) {
		en = "'|'"
	}
	if k == 0 {
		return queryErr(t.pos, fmt.Sprintf("“%s”前面缺少词", t.text), en+" needs a term before it")
	}
	if k == len(toks)-1 {
		return queryErr(t.pos, fmt.Sprintf("“%s”后面缺少词", t.text), en+" needs a term after it")
	}
	for _, n := range []queryToken{toks[k-1], toks[k+1]} {
		switch {
		case n.kind == qtOr:
			return queryErr(max(t.pos, n.pos), "两个“或”连在一起", "two ORs in a row")
		case n.kind == qtAnd || n.kind == qtNot:
			return queryErr(max(t.pos, n.pos), fmt.Sprintf("“%s”不能与“%s”连用", t.text, n.text), en+" cannot stand next to "+strings.ToUpper(n.text))
		case n.kind == qtFilter:
			return queryErr(t.pos, fmt.Sprintf("“%s”不能连接筛选条件", t.text), en+" cannot join a filter")
		case n.neg:
			return queryErr(t.pos, fmt.Sprintf("“%s”不能连接要排除的词", t.text), en+" cannot join an excluded term")
		}
	}
	return nil
}

// checkAnd accepts the AND at toks[k] between two terms or filters: it
// says what a blank says.
func checkAnd(toks []queryToken, k int) error {
	t := toks[k]
	switch {
	case k == 0:
		return queryErr(t.pos, fmt.Sprintf("“%s”前面缺少词", t.text), "AND needs a term before it")
	case k == len(toks)-1:
		return queryErr(t.pos, fmt.Sprintf("“%s”后面缺少词", t.text), "AND needs a term after it")
	case toks[k-1].kind != qtTerm && toks[k-1].kind != qtFilter || toks[k+1].kind != qtTerm && toks[k+1].kind != qtFilter && toks[k+1].kind != qtNot:
		return queryErr(t.pos, fmt.Sprintf("“%s”须连接两个词", t.text), "AND must stand between two terms")
	}
	return nil
}

// checkNot accepts the NOT at toks[k] before a term to exclude.
func checkNot(toks []queryToken, k int) error {
	t := toks[k]
	if k == len(toks)-1 || toks[k+1].kind != qtTerm || toks[k+1].neg {
		return queryErr(t.pos, fmt.Sprintf("“%s”后面缺少要排除的词", t.text), "NOT needs a term to exclude after it")
	}
	if k > 0 && toks[k-1].kind == qtOr {
		return queryErr(t.pos, fmt.Sprintf("“%s”不能连接要排除的词", toks[k-1].text), "OR cannot join an excluded term")
	}
	return nil
}

// addFilter checks a filter's value and records it. A second after: or
// before: with another date is refused rather than guessed at: the user may
// mean the narrower range or the wider one.
func addFilter(f *Filters, t queryToken) error {
	switch t.field {
	case "region":
		f.Region = append(f.Region, t.value)
	case "source":
		f.Source = append(f.Source, t.value)
	case "issuer":
		f.Issuer = append(f.Issuer, t.value)
	case "kind":
		f.Kind = append(f.Kind, t.value)
	case "title", "doc":
		if strings.Trim(dict.NormalizeString(t.value), "|") == "" {
			return queryErr(t.vpos, fmt.Sprintf("%s:的值只有标点", t.field), fmt.Sprintf("%s: value is only punctuation", t.field))
		}
		if t.field == "title" {
			f.Title = append(f.Title, t.value)
		} else {
			f.DocNumber = append(f.DocNumber, t.value)
		}
	case "year":
		y, ok := parseFilterYear(foldFullWidth(t.value))
		if !ok {
			return queryErr(t.vpos, "年份应为1949至2100之间的四位数字", "year must be four digits from 1949 to 2100")
		}
		f.Year = append(f.Year, y)
	case "after", "before":
		d, err := parseFilterDate(t.value, t.vpos)
		if err != nil {
			return err
		}
		dst := &f.After
		if t.field == "before" {
			dst = &f.Before
		}
		if *dst != "" && *dst != d {
			return queryErr(t.pos, fmt.Sprintf("%s:给出了两个不同的日期", t.field),
				fmt.Sprintf("%s: given twice with different dates", t.field))
		}
		*dst = d
	}
	return nil
}

func parseFilterYear(s string) (int, bool) {
	if len(s) != 4 {
		return 0, false
	}
	y, ok := atoiDigits(s)
	return y, ok && 1949 <= y && y <= 2100
}

// parseFilterDate reads YYYY-MM-DD or YYYY-M-D (full-width digits and hyphens too)
// and writes it back as YYYY-MM-DD, so that dates compare as strings.
func parseFilterDate(v string, pos int) (string, error) {
	parts := strings.Split(foldFullWidth(v), "-")
	if len(parts) == 3 && len(parts[0]) == 4 && inRange(len(parts[1]), 1, 2) && inRange(len(parts[2]), 1, 2) {
		y, oky := atoiDigits(parts[0])
		m, okm := atoiDigits(parts[1])
		d, okd := atoiDigits(parts[2])
		if oky && okm && okd {
			if !inRange(m, 1, 12) || !inRange(d, 1, daysInMonth(y, m)) {
				return "", queryErr(pos, fmt.Sprintf("没有%s这一天", v), "no such date: "+strings.Join(parts, "-"))
			}
			return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
		}
	}
	return "", queryErr(pos, "日期应写作YYYY-MM-DD，如2021-03-05", "date must be written YYYY-MM-DD, e.g. 2021-03-05")
}

func daysInMonth(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func inRange(n, lo, hi int) bool { return lo <= n && n <= hi }

// atoiDigits reads ASCII digits only: strconv.Atoi would take a sign.
func atoiDigits(s string) (int, bool) {
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, s != ""
}

// FilterToken is a filter as the query writes it, and the query without it.
type FilterToken struct {
	Text, Without string
}

// QueryFilterTokens lists the filters of a query as written, each with the
// query that remains when it is taken out, so that a page can offer to
// remove one. A query that does not lex has none.
func QueryFilterTokens(q string) []FilterToken {
	r := []rune(q)
	toks, err := lexQuery(r)
	if err != nil {
		return nil
	}
	var out []FilterToken
	for _, t := range toks {
		if t.kind != qtFilter {
			continue
		}
		without := strings.Join(strings.Fields(string(r[:t.pos])+" "+string(r[t.end:])), " ")
		out = append(out, FilterToken{Text: string(r[t.pos:t.end]), Without: without})
	}
	return out
}
