package analysis

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"noticesearch/dict"
	"noticesearch/indexer"
	"noticesearch/search"
)

const noticeDir = "../testdata/notices"

// The testdata index, built once, and its notices read again for scans.
var (
	testEngine  *search.Engine
	testNotices []*indexer.Notice
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "noticesearch-analysis-")
	if err != nil {
		panic(err)
	}
	code := func() int {
		ix, err := indexer.Open(filepath.Join(dir, "index"), indexer.Options{})
		if err != nil {
			panic(err)
		}
		defer ix.Close()
		if _, err := ix.Add(context.Background(), []string{noticeDir}, nil); err != nil {
			panic(err)
		}
		files, _ := indexer.Files(context.Background(), []string{noticeDir})
		for _, f := range files {
			n, err := indexer.ReadFile(f)
			if err != nil {
				panic(err)
			}
			testNotices = append(testNotices, n)
		}
		testEngine = search.New(ix)
		return m.Run()
	}()
	os.RemoveAll(dir)
	os.Exit(code)
}

// scanField is a notice's value of a field, read from the file.
func scanField(n *indexer.Notice, field string) string {
	switch field {
	case indexer.FieldProvince:
		return n.Region.Province
	case indexer.FieldCity:
		return n.Region.City
	case indexer.FieldCounty: // with its city, or province
		switch {
		case n.Region.County == "":
			return ""
		case n.Region.City != "":
			return n.Region.City + n.Region.County
		}
		return n.Region.Province + n.Region.County
	case indexer.FieldYear:
		if len(n.Date) >= 4 {
			return n.Date[:4]
		}
		return ""
	case indexer.FieldKind:
		return n.Kind
	case indexer.FieldSource:
		return n.Source
	case indexer.FieldIssuer:
		return n.Issuer
	}
	panic(field)
}

// texts are a notice's title and sections, as the index searches them.
func texts(n *indexer.Notice) []string {
	var out []string
	if n.Title != "" {
		out = append(out, n.Title)
	}
	for _, s := range n.Sections {
		out = append(out, s.Text)
	}
	return out
}

// occurrences counts where term starts in text under the shared
// normalisation: a plain scan, rune by rune.
func occurrences(text, term string) int {
	t, p := dict.Normalize(text), dict.NormalizeTerm(term)
	n := 0
outer:
	for i := 0; i+len(p) <= len(t); i++ {
		for k := range p {
			if t[i+k].R != p[k].R {
				continue outer
			}
		}
		n++
	}
	return n
}

func chars(text string) int64 {
	n := int64(0)
	for _, c := range dict.Normalize(text) {
		if c.R != dict.Barrier {
			n++
		}
	}
	return n
}

// scanTable is the comparison worked out by reading every notice: each
// group's counts keyed by its values joined with "|".
func scanTable(terms, by []string, in func(*indexer.Notice) bool) map[string]*Group {
	out := map[string]*Group{}
	for _, n := range testNotices {
		if in != nil && !in(n) {
			continue
		}
		var values []string
		for _, f := range by {
			values = append(values, scanField(n, f))
		}
		key := strings.Join(values, "|")
		g := out[key]
		if g == nil {
			g = &Group{Values: values, Terms: make([]TermCounts, len(terms))}
			out[key] = g
		}
		g.Notices++
		for _, s := range texts(n) {
			g.Chars += chars(s)
		}
		for i, term := range terms {
			mentioned := false
			for _, s := range texts(n) {
				if k := occurrences(s, term); k > 0 {
					g.Terms[i].Sections++
					g.Terms[i].Occurrences += k
					mentioned = true
				}
			}
			if mentioned {
				g.Terms[i].Notices++
			}
		}
	}
	return out
}

var compareTerms = []string{"一岗双责", "廉政风险", "整改", "党", "巡察整改", "问题", "ＰＭ２.５"}

// TestCompareAgreesWithAScan checks every count of every group against a
// scan of the files, grouping by each field and by two crossed.
func TestCompareAgreesWithAScan(t *testing.T) {
	c := testEngine.Corpus()
	bys := [][]string{{"county", "year"}, {"kind", "source"}}
	for _, f := range search.GroupFields {
		bys = append(bys, []string{f})
	}
	for _, by := range bys {
		t.Run(strings.Join(by, ","), func(t *testing.T) {
			tab, err := Compare{Terms: compareTerms, By: by}.Run(t.Context(), c)
			if err != nil {
				t.Fatal(err)
			}
			want := scanTable(compareTerms, by, nil)
			seen := 0
			var total Group
			total.Terms = make([]TermCounts, len(compareTerms))
			for _, g := range tab.Groups {
				w := want[strings.Join(g.Values, "|")]
				if w == nil {
					if g.Notices != 0 || len(by) == 1 {
						t.Errorf("group %v: %d notices, none in the files", g.Values, g.Notices)
					}
					for _, tc := range g.Terms {
						if tc != (TermCounts{}) {
							t.Errorf("empty group %v counts %+v", g.Values, tc)
						}
					}
					continue
				}
				seen++
				if g.Notices != w.Notices || g.Chars != w.Chars {
					t.Errorf("group %v: %d notices, %d characters; the scan %d, %d", g.Values, g.Notices, g.Chars, w.Notices, w.Chars)
				}
				for i, term := range compareTerms {
					got, exp := g.Terms[i], w.Terms[i]
					if got.Notices != exp.Notices || got.Sections != exp.Sections || got.Occurrences != exp.Occurrences {
						t.Errorf("group %v, %s: %+v; the scan %+v", g.Values, term, got, exp)
					}
					if got.Notices > 0 && math.Abs(got.Share-float64(got.Notices)/float64(g.Notices)) > 1e-12 ||
						got.Occurrences > 0 && math.Abs(got.Per10k-float64(got.Occurrences)*1e4/float64(g.Chars)) > 1e-9 {
						t.Errorf("group %v, %s: share %v, rate %v", g.Values, term, got.Share, got.Per10k)
					}
					total.Terms[i].Occurrences += got.Occurrences
				}
				total.Notices += g.Notices
			}
			if seen != len(want) {
				t.Errorf("%d groups of the scan's %d in the table", seen, len(want))
			}
			if len(by) == 2 && len(tab.Groups) != len(tab.Rows)*len(tab.Cols) {
				t.Errorf("%d groups for %d rows and %d columns", len(tab.Groups), len(tab.Rows), len(tab.Cols))
			}
			if tab.Total.Notices != len(testNotices) || total.Notices != len(testNotices) {
				t.Errorf("total %d notices, groups %d; %d files", tab.Total.Notices, total.Notices, len(testNotices))
			}
			for i := range compareTerms {
				if tab.Total.Terms[i].Occurrences != total.Terms[i].Occurrences {
					t.Errorf("%s: total %d occurrences, groups %d", compareTerms[i], tab.Total.Terms[i].Occurrences, total.Terms[i].Occurrences)
				}
			}
		})
	}
	// Somewhere in testdata every term but the last is found, so that the
	// test compares counts, not zeros.
	all := scanTable(compareTerms, []string{"kind"}, nil)
	for i, term := range compareTerms[:len(compareTerms)-1] {
		n := 0
		for _, g := range all {
			n += g.Terms[i].Occurrences
		}
		if n == 0 {
			t.Errorf("%s is in no notice of testdata", term)
		}
	}
}

// TestCompareAgreesWithSearch checks that, narrowed by a filter, a term's
// notices and sections are the search's own totals under that filter.
func TestCompareAgreesWithSearch(t *testing.T) {
	c := testEngine.Corpus()
	for _, q := range []string{"", "region:浙江省", "year:2021", "kind:通报", "region:温州市 after:2020-01-01"} {
		tab, err := Compare{Terms: compareTerms[:5], By: []string{"county"}, Query: q}.Run(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		for i, term := range compareTerms[:5] {
			res, err := testEngine.Search(t.Context(), search.Request{Query: strings.TrimSpace(term + " " + q), Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			got := tab.Total.Terms[i]
			if uint64(got.Sections) != res.Total || got.Notices != res.Notices || res.TotalAtLeast {
				t.Errorf("%s within %q: %d sections of %d notices; the search %d of %d", term, q, got.Sections, got.Notices, res.Total, res.Notices)
			}
		}
		if q == "" {
			continue
		}
		// The notices compared are those the filter selects.
		res, err := testEngine.Search(t.Context(), search.Request{Query: q, Size: 1, Collapse: true})
		if err != nil {
			t.Fatal(err)
		}
		if tab.Total.Notices != res.Notices {
			t.Errorf("%q: %d notices compared, the search finds %d", q, tab.Total.Notices, res.Notices)
		}
	}
}

func TestCompareRefusesBadRequests(t *testing.T) {
	c := testEngine.Corpus()
	many := make([]string, MaxTerms+1)
	for i := range many {
		many[i] = fmt.Sprintf("词%d", i)
	}
	for _, r := range []Compare{
		{},
		{Terms: []string{" ", ""}},
		{Terms: many},
		{Terms: []string{"整改"}, By: []string{"town"}},
		{Terms: []string{"整改"}, By: []string{"county", "year", "kind"}},
		{Terms: []string{"整改"}, By: []string{"year", "year"}},
		{Terms: []string{"整改"}, Sort: "size"},
	} {
		_, err := r.Run(t.Context(), c)
		var e *Error
		if !errAs(err, &e) || e.Zh == "" || e.En == "" || !strings.Contains(err.Error(), " / ") {
			t.Errorf("%+v: err = %v", r, err)
		}
	}
	defer func(n int) { MaxGroups = n }(MaxGroups)
	MaxGroups = 5
	_, err := Compare{Terms: []string{"整改"}, By: []string{"county", "year"}}.Run(t.Context(), c)
	var e *Error
	if !errAs(err, &e) || !strings.Contains(e.Zh, "分组过多") {
		t.Errorf("too many groups: err = %v", err)
	}
	var qe *search.QueryError
	if _, err := (Compare{Terms: []string{"整改"}, Query: "year:twenty"}).Run(t.Context(), c); !errAs(err, &qe) {
		t.Errorf("a bad query: err = %v", err)
	}
}

// TestCompareSorts checks the orders of rows: by name, empty value last;
// by the first term's notices or share, the largest first.
func TestCompareSorts(t *testing.T) {
	c := testEngine.Corpus()
	for _, by := range []string{"name", "count", "share"} {
		tab, err := Compare{Terms: []string{"整改", "党"}, By: []string{"county"}, Sort: by}.Run(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		key := func(g Group) float64 {
			if by == "share" {
				return g.Terms[0].Share
			}
			return float64(g.Terms[0].Notices)
		}
		for i := 1; i < len(tab.Groups); i++ {
			a, b := tab.Groups[i-1], tab.Groups[i]
			if by == "name" && compareValues(a.Values[0], b.Values[0]) >= 0 || by != "name" && key(a) < key(b) {
				t.Errorf("sort=%s: %v (%v) before %v (%v)", by, a.Values, key(a), b.Values, key(b))
			}
			if !slices.Equal(tab.Rows, groupValues(tab.Groups)) {
				t.Errorf("sort=%s: rows %v, groups %v", by, tab.Rows, groupValues(tab.Groups))
			}
		}
	}
}

func groupValues(gs []Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Values[0])
	}
	return out
}

// TestExports reads the CSV and the workbook back: the same cells as the
// table's text, a byte order mark before the CSV, numbers as numbers in
// the workbook.
func TestExports(t *testing.T) {
	tab, err := Compare{Terms: []string{"一岗双责", "廉政风险"}, By: []string{"county", "year"}}.Run(t.Context(), testEngine.Corpus())
	if err != nil {
		t.Fatal(err)
	}
	want := tab.Text()
	var b bytes.Buffer
	if err := tab.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("\xef\xbb\xbf")) {
		t.Fatal("the CSV has no byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(b.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Fatalf("CSV read back as %v, want %v", rows[:2], want[:2])
	}
	if len(rows) != len(tab.Groups)+2 || rows[0][0] != "区县" || rows[0][2] != "公文数" || rows[len(rows)-1][0] != "合计" {
		t.Fatalf("CSV rows %d, header %v, last %v", len(rows), rows[0], rows[len(rows)-1])
	}

	b.Reset()
	if err := tab.WriteXLSX(&b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("比较")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows in the workbook, want %d", len(got), len(want))
	}
	for r := range want {
		for c := range want[r] {
			g := ""
			if c < len(got[r]) {
				g = got[r][c]
			}
			w := want[r][c]
			if gf, err1 := strconv.ParseFloat(g, 64); err1 == nil {
				if wf, err2 := strconv.ParseFloat(w, 64); err2 == nil && gf == wf {
					continue
				}
			}
			if g != w {
				t.Errorf("cell %d,%d: %q, want %q", r, c, g, w)
			}
		}
	}
	// Numbers are stored as numbers: no type attribute (t="s" or
	// t="str" would make them text).
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	sheet := readZip(t, zr, "xl/worksheets/sheet1.xml")
	for _, cell := range []string{"C2", "D2", "E2", "H2"} {
		m := regexp.MustCompile(`<c r="` + cell + `"([^>]*)>`).FindStringSubmatch(sheet)
		if m == nil || strings.Contains(m[1], ` t=`) {
			t.Errorf("cell %s is not a number: %v", cell, m)
		}
	}
}

func readZip(t *testing.T, zr *zip.Reader, name string) string {
	t.Helper()
	for _, f := range zr.File {
		if f.Name == name {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("%s not in the workbook", name)
	return ""
}

// TestChartsEscapeLabels checks each kind of chart is drawn, with the
// groups' labels escaped.
func TestChartsEscapeLabels(t *testing.T) {
	tab := &Table{Terms: []string{"整改<b>"}, By: []string{"county"}, Rows: []string{"<script>alert(1)</script>", ""},
		Groups: []Group{
			{Values: []string{"<script>alert(1)</script>"}, Notices: 2, Chars: 100, Terms: []TermCounts{{Notices: 1, Share: 0.5, Occurrences: 3, Per10k: 300}}},
			{Values: []string{""}, Notices: 1, Chars: 10, Terms: []TermCounts{{}}},
		}}
	for _, by := range [][]string{{"county"}, {"year"}} {
		tab.By = by
		svg := tab.Chart("share")
		if !strings.HasPrefix(svg, "<svg") || strings.Contains(svg, "<script") || strings.Contains(svg, "<b>") || !strings.Contains(svg, "&lt;script&gt;") || !strings.Contains(svg, "未注明") {
			t.Errorf("by %v: %s", by, svg)
		}
	}
	tab.By, tab.Cols = []string{"county", "year"}, []string{"2021"}
	if svg := tab.Chart("per10k"); strings.Contains(svg, "<script") || !strings.Contains(svg, "<rect") {
		t.Errorf("heat: %s", svg)
	}
}

func errAs[T error](err error, target *T) bool { return errors.As(err, target) }

// TestGroupFiltersSelectTheGroup checks the filter a table links each
// group with: it selects the group's notices, no more, no fewer.
func TestGroupFiltersSelectTheGroup(t *testing.T) {
	c := testEngine.Corpus()
	for _, field := range search.GroupFields {
		tab, err := Compare{Terms: []string{"的"}, By: []string{field}}.Run(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range tab.Groups {
			f := FilterFor(field, g.Values[0])
			if f == "" {
				continue
			}
			res, err := testEngine.Search(t.Context(), search.Request{Query: f, Size: 1, Collapse: true})
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if res.Notices != g.Notices {
				t.Errorf("%s selects %d notices, the group has %d", f, res.Notices, g.Notices)
			}
		}
	}
}

// TestCSVKeepsFormulasOut: a name from a notice that a spreadsheet would
// run as a formula is written as text.
func TestCSVKeepsFormulasOut(t *testing.T) {
	tab := &Table{Terms: []string{"=1+1"}, By: []string{"source"}, Rows: []string{"=HYPERLINK(\"http://x\")", "@SUM(A1)", "纪委"},
		Groups: []Group{
			{Values: []string{"=HYPERLINK(\"http://x\")"}, Notices: 1, Terms: []TermCounts{{}}},
			{Values: []string{"@SUM(A1)"}, Notices: 1, Terms: []TermCounts{{}}},
			{Values: []string{"纪委"}, Notices: 1, Terms: []TermCounts{{}}},
		}, Total: Group{Notices: 3, Terms: []TermCounts{{}}}}
	var b bytes.Buffer
	if err := tab.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				t.Errorf("cell %q would run as a formula", c)
			}
		}
	}
	if rows[1][0] != `'=HYPERLINK("http://x")` || rows[3][0] != "纪委" || rows[1][1] != "1" {
		t.Errorf("rows %q", rows)
	}
}
