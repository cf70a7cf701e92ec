package search

import (
	"context"
	"slices"
	"strings"
	"testing"

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

// TestTitleParts: the parts of titles people type, as the issue lists
// them, find first a notice with it in its title, marked, whenever a
// bundled notice's title holds it.
func TestTitleParts(t *testing.T) {
	files, errs := indexer.Files(context.Background(), []string{noticeDir})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var titles []string
	for _, f := range files {
		if n, err := indexer.ReadFile(f); err == nil {
			titles = append(titles, n.Title)
		}
	}
	held := 0
	for _, q := range []string{"关于2022年度落实全面从严治党", "巡视整改进展情况的通报", "巡察整改进展情况的通报", "整改进展情况"} {
		inTitles := slices.ContainsFunc(titles, func(title string) bool { return Contains(title, q) })
		res, err := testEngine.Search(t.Context(), Request{Query: q, Collapse: true})
		if err != nil {
			t.Fatal(err)
		}
		if !inTitles {
			continue
		}
		held++
		if len(res.Hits) == 0 {
			t.Errorf("%q: in a title, found nowhere", q)
			continue
		}
		if top := res.Hits[0]; !top.InTitle || !strings.Contains(top.TitleHTML, "<mark>") {
			t.Errorf("%q: first hit %q is not a title match", q, top.Title)
		}
	}
	if held < 2 {
		t.Errorf("only %d of the parts are in testdata's titles", held)
	}
}
