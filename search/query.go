package search

import (
	"fmt"
	"slices"
	"strings"
)

// Query is a parsed search-box query: clauses that must all match, terms
// that must not, and filters on the notice's metadata.
type Query struct {
	Must    []Clause
	MustNot []Term
	Filters Filters
}

// Clause matches when any one of its terms matches (A OR B OR C).
type Clause struct {
	Any []Term
}

// Term is a literal to find, as the user typed it (normalisation is done later).
type Term struct {
	Text   string
	Phrase bool // written in quotes
	// Pos is the offset in runes of Text's first rune in the query (after a
	// leading '-' and an opening quote), so that the query's runes
	// [Pos, Pos+len(Text in runes)) are Text and a message can underline it.
	Pos int
}

// Filters restrict hits by notice metadata. Each slice holds the values given;
// a hit must match every filter field that is set (for a field given twice, any value).
type Filters struct {
	Region []string // region:瓯海区 — matches province, city or county
	Source []string
	Issuer []string
	Kind   []string
	Year   []int
	After  string // YYYY-MM-DD, inclusive
	Before string // YYYY-MM-DD, inclusive
	// Title and DocNumber match a part of the notice's title or 文号 as
	// terms match text: under normalisation, where any punctuation stands
	// for any other, so that 〔2021〕9号, [2021]9号 and （2021）9号 are one.
	Title     []string // title:巡察整改
	DocNumber []string // doc:〔2021〕9号
}

// IsEmpty reports whether the filters restrict nothing.
func (f Filters) IsEmpty() bool {
	return f.metaEmpty() && len(f.Title) == 0 && len(f.DocNumber) == 0
}

// metaEmpty reports whether the filters that bleve's notice index
// answers restrict nothing (title and 文号 are matched in memory).
func (f Filters) metaEmpty() bool {
	return len(f.Region) == 0 && len(f.Source) == 0 && len(f.Issuer) == 0 &&
		len(f.Kind) == 0 && len(f.Year) == 0 && f.After == "" && f.Before == ""
}

// canonical is f with each field's values sorted and each given once.
func (f Filters) canonical() Filters {
	set := func(v []string) []string { slices.Sort(v); return slices.Compact(v) }
	f.Region, f.Source, f.Issuer, f.Kind = set(slices.Clone(f.Region)), set(slices.Clone(f.Source)), set(slices.Clone(f.Issuer)), set(slices.Clone(f.Kind))
	f.Title, f.DocNumber = set(slices.Clone(f.Title)), set(slices.Clone(f.DocNumber))
	f.Year = slices.Compact(slices.Sorted(slices.Values(f.Year)))
	return f
}

// QueryError is a query the parser cannot accept. Msg holds the message in Chinese
// and English, "中文说明 / English explanation"; Pos is the rune offset where the
// problem is (or -1 when it is about the whole query).
type QueryError struct {
	Pos int
	Msg string
}

// Error puts the position in each language's half of the message, 1-based
// because it is read by people: "第5个字符处：引号不成对 / unbalanced quote at character 5".
func (e *QueryError) Error() string {
	if e.Pos < 0 {
		return e.Msg
	}
	n := e.Pos + 1
	zh, en, ok := strings.Cut(e.Msg, " / ")
	if !ok {
		return fmt.Sprintf("第%d个字符处：%s", n, e.Msg)
	}
	return fmt.Sprintf("第%d个字符处：%s / %s at character %d", n, zh, en, n)
}

// queryErr builds a QueryError from its two halves, so no message can lack one.
func queryErr(pos int, zh, en string) *QueryError {
	return &QueryError{Pos: pos, Msg: zh + " / " + en}
}

// MaxQueryRunes bounds the length of a query. A search box needs no more, and
// the bound keeps the cost of one query small whatever is typed.
const MaxQueryRunes = 256
