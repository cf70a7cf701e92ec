package search

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"noticesearch/indexer"
)

// TestTitlesFoundFirst: every testdata notice is the first result for its
// full title as typed (or pasted) into the search box, and for the second
// half of it, and the title is marked in the hit.
func TestTitlesFoundFirst(t *testing.T) {
	files, errs := indexer.Files(context.Background(), []string{noticeDir})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	checked := 0
	for _, f := range files {
		n, err := indexer.ReadFile(f)
		if err != nil || n.Title == "" {
			t.Fatalf("%s: %v, title %q", f, err, n.Title)
		}
		runes := []rune(n.Title)
		for _, q := range []string{n.Title, string(runes[len(runes)/2:])} {
			res, err := testEngine.Search(t.Context(), Request{Query: q, Collapse: true})
			if err != nil {
				t.Errorf("%s: %q: %v", f, q, err)
				continue
			}
			if len(res.Hits) == 0 {
				t.Errorf("%s: %q finds nothing", f, q)
				continue
			}
			top := res.Hits[0]
			if top.NoticeID != n.ID {
				// Another notice may share the words of a half title; it
				// must then have them in its own title and score no less.
				if q == n.Title || !strings.Contains(top.TitleHTML, "<mark>") {
					t.Errorf("%s: %q finds %q first", f, q, top.Title)
				}
				continue
			}
			if !top.InTitle || !strings.Contains(top.TitleHTML, "<mark>") || len(top.Fragments) == 0 {
				t.Errorf("%s: %q: first hit in title %v, title %q, %d passages", f, q, top.InTitle, top.TitleHTML, len(top.Fragments))
			}
			checked++
		}
	}
	if checked < len(files) {
		t.Errorf("%d of %d titles checked", checked, len(files))
	}
}

// TestTitlePartsOfIssue: the parts of titles people type, as the issue
// lists them for the bundled notices, find a notice with it in its title.
func TestTitleParts(t *testing.T) {
	for _, q := range []string{"关于2022年度落实全面从严治党", "巡视整改进展情况的通报", "巡察整改进展情况的通报"} {
		res, err := testEngine.Search(t.Context(), Request{Query: q, Collapse: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Logf("%q: no title of testdata holds it", q)
			continue
		}
		if top := res.Hits[0]; !top.InTitle || !strings.Contains(top.TitleHTML, "<mark>") {
			t.Errorf("%q: first hit %q is not a title match", q, top.Title)
		}
	}
	_ = utf8.RuneLen
}

// TestTitleAndDocFilters: title: and doc: keep exactly the notices whose
// title or 文号 holds the value, however the 文号's brackets are written,
// and agree with the scan.
func TestTitleAndDocFilters(t *testing.T) {
	files, errs := indexer.Files(context.Background(), []string{noticeDir})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var withNumber *indexer.Notice
	for _, f := range files {
		if n, err := indexer.ReadFile(f); err == nil && strings.Contains(n.DocNumber, "〔") {
			withNumber = n
			break
		}
	}
	if withNumber == nil {
		t.Fatal("no testdata notice has a 文号 with 〔〕")
	}
	dn := withNumber.DocNumber
	i := strings.Index(dn, "〔")
	tail := dn[i:] // 〔2021〕9号
	for _, q := range []string{
		"doc:" + tail,
		"文号：" + strings.NewReplacer("〔", "[", "〕", "]").Replace(tail),
		"doc:" + strings.NewReplacer("〔", "（", "〕", "）").Replace(tail),
		"doc:" + dn,
	} {
		res, err := testEngine.Search(t.Context(), Request{Query: q, Collapse: true, Size: MaxSize})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		found := false
		for _, h := range res.Hits {
			found = found || h.NoticeID == withNumber.ID
			if !Contains(h.DocNumber, tail) {
				t.Errorf("%q: hit %q has 文号 %q", q, h.Title, h.DocNumber)
			}
		}
		if !found {
			t.Errorf("%q: does not find %q (%s)", q, withNumber.Title, dn)
		}
	}
	results, evalErr := testEngine.Eval(t.Context(), []string{"doc:" + tail, "title:巡察 整改", "标题：通知 -风险", "title:" + withNumber.Title})
	if evalErr != nil {
		t.Fatal(evalErr)
	}
	for _, r := range results {
		if !r.Exact() || r.Expected == 0 {
			t.Errorf("%+v", r)
		}
	}
}
