package search

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func tm(text string, pos int) Term { return Term{Text: text, Pos: pos} }
func ph(text string, pos int) Term { return Term{Text: text, Phrase: true, Pos: pos} }
func anyOf(ts ...Term) Clause      { return Clause{Any: ts} }

// must lists clauses of one term each, the common case.
func must(ts ...Term) []Clause {
	var cs []Clause
	for _, t := range ts {
		cs = append(cs, anyOf(t))
	}
	return cs
}

// Positions in the wants are rune offsets counted by hand from the input.
var validQueries = []struct {
	name string
	in   string
	want Query
}{
	{"one Chinese term", "纪委", Query{Must: must(tm("纪委", 0))}},
	{"blank-separated terms are each required", "浙江 纪委  通报",
		Query{Must: must(tm("浙江", 0), tm("纪委", 3), tm("通报", 7))}},
	{"the ideographic space separates terms", "浙江\u3000纪委", Query{Must: must(tm("浙江", 0), tm("纪委", 3))}},
	{"tabs and newlines separate terms", "\t浙江\n纪委\r\n", Query{Must: must(tm("浙江", 1), tm("纪委", 4))}},
	{"no-break and zero-width spaces separate terms", "浙江\u00a0纪委\u200b通报",
		Query{Must: must(tm("浙江", 0), tm("纪委", 3), tm("通报", 6))}},
	{"blanks around the query are ignored", "  纪委  ", Query{Must: must(tm("纪委", 2))}},
	{"a term as long as the limit", strings.Repeat("字", MaxQueryRunes),
		Query{Must: must(tm(strings.Repeat("字", MaxQueryRunes), 0))}},
	{"a valid replacement character is an ordinary character", "\uFFFD", Query{Must: must(tm("\uFFFD", 0))}},

	{"a quoted phrase keeps its blanks", `"巡察 整改"`, Query{Must: must(ph("巡察 整改", 1))}},
	{"Chinese quotes make a phrase", "“巡察 整改”", Query{Must: must(ph("巡察 整改", 1))}},
	{"full-width ASCII quotes make a phrase", "＂巡察＂", Query{Must: must(ph("巡察", 1))}},
	{"ASCII quotes inside Chinese quotes are text", `“他说"好"”`, Query{Must: must(ph(`他说"好"`, 1))}},
	{"a phrase glued to a term makes two clauses", `浙江"纪委 通报"`,
		Query{Must: must(tm("浙江", 0), ph("纪委 通报", 3))}},
	{"a quoted OR is a term", `"OR"`, Query{Must: must(ph("OR", 1))}},

	{"a leading minus excludes a term", "纪委 -通报", Query{Must: must(tm("纪委", 0)), MustNot: []Term{tm("通报", 4)}}},
	{"a leading minus excludes a phrase", `纪委 -"巡察 整改"`,
		Query{Must: must(tm("纪委", 0)), MustNot: []Term{ph("巡察 整改", 5)}}},
	{"a minus inside a term is part of it", "2021-2023 covid-19",
		Query{Must: must(tm("2021-2023", 0), tm("covid-19", 10))}},
	{"a minus right after a phrase excludes the next term", `"巡察"-整改`,
		Query{Must: must(ph("巡察", 1)), MustNot: []Term{tm("整改", 5)}}},
	{"a double minus excludes a term that starts with a minus", "纪委 --x",
		Query{Must: must(tm("纪委", 0)), MustNot: []Term{tm("-x", 4)}}},
	{"an excluded OR word is a term", "纪委 -OR", Query{Must: must(tm("纪委", 0)), MustNot: []Term{tm("OR", 4)}}},

	{"OR joins two terms into one clause", "巡察 OR 巡视", Query{Must: []Clause{anyOf(tm("巡察", 0), tm("巡视", 6))}}},
	{"a bar joins two terms", "巡察 | 巡视", Query{Must: []Clause{anyOf(tm("巡察", 0), tm("巡视", 5))}}},
	{"a glued bar joins two terms", "巡察|巡视", Query{Must: []Clause{anyOf(tm("巡察", 0), tm("巡视", 3))}}},
	{"the full-width bar joins two terms", "巡察｜巡视", Query{Must: []Clause{anyOf(tm("巡察", 0), tm("巡视", 3))}}},
	{"the full-width OR joins two terms", "巡察 ＯＲ 巡视", Query{Must: []Clause{anyOf(tm("巡察", 0), tm("巡视", 6))}}},
	{"ORs and bars chain into one clause", "A OR B | C", Query{Must: []Clause{anyOf(tm("A", 0), tm("B", 5), tm("C", 9))}}},
	{"an OR clause sits beside other clauses", "浙江 巡察 OR 巡视 -通报", Query{
		Must:    []Clause{anyOf(tm("浙江", 0)), anyOf(tm("巡察", 3), tm("巡视", 9))},
		MustNot: []Term{tm("通报", 13)},
	}},
	{"a phrase can be one side of an OR", `"巡察 整改"|巡视`, Query{Must: []Clause{anyOf(ph("巡察 整改", 1), tm("巡视", 8))}}},
	{"lower-case or joins two terms", "巡察 or 巡视", Query{Must: []Clause{anyOf(tm("巡察", 0), tm("巡视", 6))}}},
	{"OR between Chinese words needs no blanks", "巡察OR巡视", Query{Must: []Clause{anyOf(tm("巡察", 0), tm("巡视", 4))}}},
	{"lower-case or between Chinese words", "巡察or巡视 整改", Query{Must: []Clause{anyOf(tm("巡察", 0), tm("巡视", 4)), anyOf(tm("整改", 7))}}},
	{"OR glued on one side only is text", "巡察OR 巡视", Query{Must: must(tm("巡察OR", 0), tm("巡视", 5))}},
	{"AND says what a blank says", "廉政 AND 风险", Query{Must: must(tm("廉政", 0), tm("风险", 7))}},
	{"lower-case and", "廉政 and 风险", Query{Must: must(tm("廉政", 0), tm("风险", 7))}},
	{"AND between Chinese words", "廉政AND风险", Query{Must: must(tm("廉政", 0), tm("风险", 5))}},
	{"AND before a filter", "廉政 AND year:2021", Query{Must: must(tm("廉政", 0)), Filters: Filters{Year: []int{2021}}}},
	{"NOT excludes the next term", "廉政 NOT 风险", Query{Must: must(tm("廉政", 0)), MustNot: []Term{tm("风险", 7)}}},
	{"lower-case not", "廉政 not 风险", Query{Must: must(tm("廉政", 0)), MustNot: []Term{tm("风险", 7)}}},
	{"NOT between Chinese words", "廉政NOT风险", Query{Must: must(tm("廉政", 0)), MustNot: []Term{tm("风险", 5)}}},
	{"AND NOT", "廉政 AND NOT 风险", Query{Must: must(tm("廉政", 0)), MustNot: []Term{tm("风险", 11)}}},
	{"NOT before a phrase", `廉政 NOT "风险 防控"`, Query{Must: must(tm("廉政", 0)), MustNot: []Term{ph("风险 防控", 8)}}},
	{"a quoted AND is a term", `"AND"`, Query{Must: must(ph("AND", 1))}},
	{"the full-width minus excludes a term", "廉政 －风险", Query{Must: must(tm("廉政", 0)), MustNot: []Term{tm("风险", 4)}}},
	{"the minus sign excludes a term", "廉政 −风险", Query{Must: must(tm("廉政", 0)), MustNot: []Term{tm("风险", 4)}}},
	{"an opening Chinese quote with no closing one is text", "“巡察", Query{Must: must(tm("“巡察", 0))}},
	{"a closing Chinese quote alone is text", "巡察” 整改", Query{Must: must(tm("巡察”", 0), tm("整改", 4))}},
	{"a pasted title cut after a quote", "英雄”改革", Query{Must: must(tm("英雄”改革", 0))}},
	{"OR inside a word is an ordinary term", "ORACLE", Query{Must: must(tm("ORACLE", 0))}},

	{"a region filter", "region:瓯海区", Query{Filters: Filters{Region: []string{"瓯海区"}}}},
	{"title and doc filters", "title:巡察整改 doc:〔2021〕9号", Query{Filters: Filters{Title: []string{"巡察整改"}, DocNumber: []string{"〔2021〕9号"}}}},
	{"标题 and 文号 filters", "标题：巡察整改 文号：[2021]9号", Query{Filters: Filters{Title: []string{"巡察整改"}, DocNumber: []string{"[2021]9号"}}}},
	{"every English field name", "region:温州 source:纪委网站 issuer:区委 kind:通报 year:2021 after:2021-01-01 before:2021-12-31",
		Query{Filters: Filters{Region: []string{"温州"}, Source: []string{"纪委网站"}, Issuer: []string{"区委"},
			Kind: []string{"通报"}, Year: []int{2021}, After: "2021-01-01", Before: "2021-12-31"}}},
	{"every Chinese alias with the full-width colon", "地区：温州 来源：纪委网站 发文机关：区委 文种：通报 年份：2021 起始：2021-01-01 截止：2021-12-31",
		Query{Filters: Filters{Region: []string{"温州"}, Source: []string{"纪委网站"}, Issuer: []string{"区委"},
			Kind: []string{"通报"}, Year: []int{2021}, After: "2021-01-01", Before: "2021-12-31"}}},
	{"a quoted filter value may hold blanks", `source:"浙江省纪委 网站"`, Query{Filters: Filters{Source: []string{"浙江省纪委 网站"}}}},
	{"a filter value in Chinese quotes", "来源：“浙江省纪委 网站”", Query{Filters: Filters{Source: []string{"浙江省纪委 网站"}}}},
	{"blanks at the edges of a quoted value are dropped", `kind:" 通报 "`, Query{Filters: Filters{Kind: []string{"通报"}}}},
	{"a field given twice keeps both values", "year:2020 year:2021 kind:通报 kind:通知",
		Query{Filters: Filters{Year: []int{2020, 2021}, Kind: []string{"通报", "通知"}}}},
	{"field names ignore case", "Region:温州 YEAR:2021", Query{Filters: Filters{Region: []string{"温州"}, Year: []int{2021}}}},
	{"full-width field names are fields", "ｒｅｇｉｏｎ：温州", Query{Filters: Filters{Region: []string{"温州"}}}},
	{"full-width digits in a year are read", "year:２０２１", Query{Filters: Filters{Year: []int{2021}}}},
	{"the first and last years allowed", "year:1949 year:2100", Query{Filters: Filters{Year: []int{1949, 2100}}}},
	{"a one-digit month and day are padded", "after:2021-3-5", Query{Filters: Filters{After: "2021-03-05"}}},
	{"29 February of a leap year is a date", "before:2020-02-29", Query{Filters: Filters{Before: "2020-02-29"}}},
	{"after and before may be the same day", "after:2021-03-05 before:2021-3-5",
		Query{Filters: Filters{After: "2021-03-05", Before: "2021-03-05"}}},
	{"the same after written twice is one date", "after:2021-03-05 after:2021-3-5", Query{Filters: Filters{After: "2021-03-05"}}},
	{"a filter value may hold a colon", "source:a:b", Query{Filters: Filters{Source: []string{"a:b"}}}},
	{"an unquoted value stops at a glued quote", `region:温州"纪委"`,
		Query{Must: must(ph("纪委", 10)), Filters: Filters{Region: []string{"温州"}}}},
	{"only filters is a valid query", "kind:通报 year:2021", Query{Filters: Filters{Kind: []string{"通报"}, Year: []int{2021}}}},
	{"filters with excluded terms are valid", "kind:通报 -通知",
		Query{MustNot: []Term{tm("通知", 9)}, Filters: Filters{Kind: []string{"通报"}}}},
	{"filters beside terms", "瓯海区 纪委 kind:通报",
		Query{Must: must(tm("瓯海区", 0), tm("纪委", 4)), Filters: Filters{Kind: []string{"通报"}}}},

	{"a Chinese non-field word before a full-width colon is a term", "时间：2021", Query{Must: must(tm("时间：2021", 0))}},
	{"a Chinese non-field word before an ASCII colon is a term", "第一条:总则", Query{Must: must(tm("第一条:总则", 0))}},
	{"a colon with nothing before it is a term", ":纪委", Query{Must: must(tm(":纪委", 0))}},
	{"a clock time is a term", "10:30", Query{Must: must(tm("10:30", 0))}},
	{"letters and digits before a colon are a term", "abc1:x", Query{Must: must(tm("abc1:x", 0))}},
	{"full-width letters that are no field are a term", "ｆｏｏ：bar", Query{Must: must(tm("ｆｏｏ：bar", 0))}},
	{"a Chinese word ending in a colon is a term", "时间:", Query{Must: must(tm("时间:", 0))}},
}

func TestParseQueryValid(t *testing.T) {
	for _, tc := range validQueries {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseQuery(tc.in)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tc.in, err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("ParseQuery(%q)\n got %+v\nwant %+v", tc.in, *got, tc.want)
			}
		})
	}
}

var invalidQueries = []struct {
	name string
	in   string
	pos  int
	en   string // part of the English half of the message
}{
	{"an empty query", "", -1, "empty query"},
	{"a query of blanks", " \u3000\t\n", -1, "empty query"},
	{"a query one rune over the limit", strings.Repeat("字", MaxQueryRunes+1), -1, "too long"},
	{"invalid UTF-8", "纪委\xff通报", 2, "UTF-8"},
	{"a truncated UTF-8 sequence", "纪委\xe7\xba", 2, "UTF-8"},
	{"a NUL character", "纪委\x00", 2, "control character U+0000"},
	{"an escape character", "a\x1bb", 1, "control character"},
	{"a DEL character", "\x7f", 0, "control character"},
	{"a C1 control character", "纪\u0090委", 1, "control character"},

	{"an unbalanced quote", `纪委 "巡察`, 3, "unbalanced quote"},
	{"a Chinese quote closed by an ASCII one", `“巡察"`, 3, "unbalanced quote"},
	{"an odd third quote", `"巡察" "整改`, 5, "unbalanced quote"},
	{"an empty phrase", `""`, 0, "empty phrase"},
	{"a phrase of blanks", "“\u3000”", 0, "empty phrase"},
	{"an excluded empty phrase", `纪委 -""`, 4, "empty phrase"},

	{"a minus at the end", "纪委 -", 3, "nothing to exclude"},
	{"a minus before a blank", "纪委 - 通报", 3, "nothing to exclude"},
	{"a minus before a bar", "纪委 -|通报", 3, "nothing to exclude"},

	{"OR at the start", "OR 纪委", 0, "needs a term before it"},
	{"a bar at the start", "|纪委", 0, "needs a term before it"},
	{"OR alone", "OR", 0, "needs a term before it"},
	{"OR at the end", "纪委 OR", 3, "needs a term after it"},
	{"a glued bar at the end", "纪委|", 2, "needs a term after it"},
	{"two ORs in a row", "巡察 OR OR 巡视", 6, "two ORs in a row"},
	{"two bars glued", "巡察||巡视", 3, "two ORs in a row"},
	{"OR before a filter", "纪委 OR kind:通报", 3, "cannot join a filter"},
	{"a bar after a filter", "kind:通报 | 纪委", 8, "cannot join a filter"},
	{"OR before an excluded term", "纪委 OR -通报", 3, "cannot join an excluded term"},
	{"OR after an excluded term", "-通报 OR 纪委", 4, "cannot join an excluded term"},
	{"AND at the start", "AND 纪委", 0, "AND needs a term before it"},
	{"AND at the end", "纪委 and", 3, "AND needs a term after it"},
	{"AND before OR", "纪委 AND OR 通报", 3, "AND must stand between two terms"},
	{"NOT at the end", "纪委 NOT", 3, "NOT needs a term to exclude"},
	{"NOT before a filter", "纪委 NOT kind:通报", 3, "NOT needs a term to exclude"},
	{"NOT alone", "not", 0, "NOT needs a term to exclude"},
	{"OR NOT", "巡察 OR NOT 巡视", 6, "cannot stand next to NOT"},
	{"NOT only", "NOT 风险", -1, "only excluded terms"},

	{"a filter with no value", "region:", 0, "has no value"},
	{"a blank after the colon", "region: 温州", 0, "has no value"},
	{"an empty quoted value", `source:""`, 0, "has no value"},
	{"a quoted value of blanks", `source:"  "`, 0, "has no value"},
	{"an unbalanced quoted value", `source:"纪委`, 7, "unbalanced quote"},
	{"an unknown field", "foo:bar", 0, "unknown field"},
	{"a doc filter of punctuation only", "doc:〔〕", 4, "only punctuation"},
	{"an unknown field after a term", "纪委 author:通报", 3, "unknown field"},
	{"a URL reads as an unknown field", "http://www.example.gov.cn", 0, "unknown field"},
	{"an excluded filter", "纪委 -kind:通报", 3, "cannot be excluded"},

	{"a two-digit year", "year:21", 5, "year must be"},
	{"a year before 1949", "year:1948", 5, "year must be"},
	{"a year after 2100", "year:2101", 5, "year must be"},
	{"a year with a letter", "year:20x1", 5, "year must be"},
	{"a year with a sign", "year:+202", 5, "year must be"},
	{"a date with slashes", "after:2021/03/05", 6, "YYYY-MM-DD"},
	{"a date with a two-digit year", "after:21-03-05", 6, "YYYY-MM-DD"},
	{"a date with a three-digit month", "before:2021-003-05", 7, "YYYY-MM-DD"},
	{"a date with a sign in it", "after:2021-+3-05", 6, "YYYY-MM-DD"},
	{"30 February", "before:2021-02-30", 7, "no such date"},
	{"29 February of a common year", "after:2021-02-29", 6, "no such date"},
	{"a thirteenth month", "after:2021-13-01", 6, "no such date"},
	{"day zero", "after:2021-01-00", 6, "no such date"},
	{"a quoted bad date points inside the quotes", `after:"2021-02-30"`, 7, "no such date"},
	{"after later than before", "after:2021-06-01 before:2021-05-31", 17, "later than"},
	{"before written before a later after", "before:2021-05-31 after:2021-06-01", 18, "later than"},
	{"after given twice with different dates", "after:2021-01-01 after:2021-02-01", 17, "given twice"},

	{"only excluded terms", "-通报 -通知", -1, "only excluded terms"},
	{"only an excluded phrase", `-"巡察 整改"`, -1, "only excluded terms"},
}

func TestParseQueryInvalid(t *testing.T) {
	for _, tc := range invalidQueries {
		t.Run(tc.name, func(t *testing.T) {
			q, err := ParseQuery(tc.in)
			if err == nil {
				t.Fatalf("ParseQuery(%q) = %+v, want an error", tc.in, *q)
			}
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuery(%q) error %T %v, want *QueryError", tc.in, err, err)
			}
			if qe.Pos != tc.pos {
				t.Errorf("ParseQuery(%q) error at %d, want %d: %v", tc.in, qe.Pos, tc.pos, err)
			}
			checkBilingual(t, qe.Msg)
			if _, en, _ := strings.Cut(qe.Msg, " / "); !strings.Contains(en, tc.en) {
				t.Errorf("ParseQuery(%q) message %q, want its English half to say %q", tc.in, qe.Msg, tc.en)
			}
		})
	}
}

// checkBilingual wants "中文 / English": a Chinese half with Han characters
// and an English half in printable ASCII, for readers of either language.
func checkBilingual(t *testing.T, msg string) {
	t.Helper()
	zh, en, ok := strings.Cut(msg, " / ")
	if !ok {
		t.Fatalf("message %q has no \" / \"", msg)
	}
	if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("message %q: Chinese half has no Chinese", msg)
	}
	if en == "" || strings.ContainsFunc(en, func(r rune) bool { return r < ' ' || r > '~' }) {
		t.Errorf("message %q: English half is not printable ASCII", msg)
	}
}

func TestQueryErrorText(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *QueryError
		want string
	}{
		{"a position shows 1-based in both languages", queryErr(4, "引号不成对", "unbalanced quote"),
			"第5个字符处：引号不成对 / unbalanced quote at character 5"},
		{"a whole-query error is the message alone", queryErr(-1, "查询为空", "empty query"), "查询为空 / empty query"},
		{"a message without two halves still shows its position", &QueryError{Pos: 0, Msg: "坏"}, "第1个字符处：坏"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
	_, err := ParseQuery(`abcd"efg`)
	if got, want := err.Error(), "第5个字符处：引号不成对 / unbalanced quote at character 5"; got != want {
		t.Errorf("ParseQuery(`abcd\"efg`) error %q, want %q", got, want)
	}
}

func TestFiltersIsEmpty(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Filters
		want bool
	}{
		{"no filter restricts nothing", Filters{}, true},
		{"empty slices restrict nothing", Filters{Region: []string{}, Year: []int{}}, true},
		{"a region restricts", Filters{Region: []string{"温州"}}, false},
		{"a source restricts", Filters{Source: []string{"网站"}}, false},
		{"an issuer restricts", Filters{Issuer: []string{"区委"}}, false},
		{"a kind restricts", Filters{Kind: []string{"通报"}}, false},
		{"a year restricts", Filters{Year: []int{2021}}, false},
		{"an after date restricts", Filters{After: "2021-01-01"}, false},
		{"a before date restricts", Filters{Before: "2021-01-01"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.IsEmpty(); got != tc.want {
				t.Errorf("%+v.IsEmpty() = %v, want %v", tc.f, got, tc.want)
			}
		})
	}
}

// FuzzParseQuery: on any input, ParseQuery does not panic, refuses with a
// bilingual *QueryError pointing inside the query, or returns a query with
// something to match whose terms are where their Pos says.
func FuzzParseQuery(f *testing.F) {
	for _, tc := range validQueries {
		f.Add(tc.in)
	}
	for _, tc := range invalidQueries {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("error %T %v, want *QueryError", err, err)
			}
			if !strings.Contains(qe.Msg, " / ") {
				t.Fatalf("message %q has no \" / \"", qe.Msg)
			}
			if n := utf8.RuneCountInString(s); qe.Pos < -1 || qe.Pos >= max(n, 1) {
				t.Fatalf("error at %d outside a query of %d runes: %v", qe.Pos, n, err)
			}
			return
		}
		if len(q.Must) == 0 && q.Filters.IsEmpty() {
			t.Fatalf("query %+v matches nothing in particular", *q)
		}
		r := []rune(s)
		terms := q.MustNot
		for _, c := range q.Must {
			if len(c.Any) == 0 {
				t.Fatalf("empty clause in %+v", *q)
			}
			terms = append(terms[:len(terms):len(terms)], c.Any...)
		}
		for _, term := range terms {
			n := utf8.RuneCountInString(term.Text)
			if n == 0 || term.Pos < 0 || term.Pos+n > len(r) || string(r[term.Pos:term.Pos+n]) != term.Text {
				t.Fatalf("term %+v is not at its Pos in %q", term, s)
			}
		}
		fl := q.Filters
		for _, vs := range [][]string{fl.Region, fl.Source, fl.Issuer, fl.Kind} {
			for _, v := range vs {
				if v == "" {
					t.Fatalf("empty filter value in %+v", fl)
				}
			}
		}
		for _, y := range fl.Year {
			if y < 1949 || y > 2100 {
				t.Fatalf("year %d out of range", y)
			}
		}
		for _, d := range []string{fl.After, fl.Before} {
			if d != "" && (len(d) != 10 || d[4] != '-' || d[7] != '-') {
				t.Fatalf("date %q not YYYY-MM-DD", d)
			}
		}
		if fl.After != "" && fl.Before != "" && fl.After > fl.Before {
			t.Fatalf("after %s later than before %s", fl.After, fl.Before)
		}
	})
}

func BenchmarkParseQuery(b *testing.B) {
	const in = `浙江 巡察 OR 巡视|"整改 情况" -通知 地区：瓯海区 kind:通报 after:2021-1-1 before:2021-12-31`
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := ParseQuery(in); err != nil {
			b.Fatal(err)
		}
	}
}

func TestQueryFilterTokens(t *testing.T) {
	got := QueryFilterTokens(`整改 region:温州市 地区：瓯海区 source:"浙江 网站" -风险`)
	want := []FilterToken{
		{`region:温州市`, `整改 地区：瓯海区 source:"浙江 网站" -风险`},
		{`地区：瓯海区`, `整改 region:温州市 source:"浙江 网站" -风险`},
		{`source:"浙江 网站"`, `整改 region:温州市 地区：瓯海区 -风险`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("QueryFilterTokens = %q\nwant %q", got, want)
	}
	if QueryFilterTokens(`"unbalanced`) != nil {
		t.Error("a query that does not lex has filter tokens")
	}
}
