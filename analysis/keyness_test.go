package analysis

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"noticesearch/indexer"
	"noticesearch/search"
)

func TestG2AndLogRatio(t *testing.T) {
	// 10 in 100 words against 0 in 100: expected 5 each, so
	// G² = 2·10·ln 2.
	if g := G2(10, 0, 100, 100); math.Abs(g-20*math.Ln2) > 1e-9 {
		t.Errorf("G2(10, 0) = %v", g)
	}
	if g := G2(7, 7, 50, 50); math.Abs(g) > 1e-9 {
		t.Errorf("G2 of equal frequencies = %v", g)
	}
	if r := LogRatio(8, 2, 100, 100); math.Abs(r-2) > 1e-9 {
		t.Errorf("LogRatio(8, 2) = %v", r)
	}
	if r := LogRatio(4, 0, 100, 100); math.Abs(r-3) > 1e-9 { // 0 taken as 0.5
		t.Errorf("LogRatio(4, 0) = %v", r)
	}
}

// TestKeywordsOfConstructedGroups builds two groups of notices whose
// distinctive words are known: 乡村振兴 in the first, 营商环境 in the
// second, 党委 and the genre's words in both alike.
func TestKeywordsOfConstructedGroups(t *testing.T) {
	dir := t.TempDir()
	write := func(name, title, body string) {
		text := title + "\n时间:2021-05-06 来源:县委办公室\n\n" + body + "\n"
		if err := os.WriteFile(filepath.Join(dir, "files", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(dir, "files"), 0o755)
	for i := range 4 {
		write(fmt.Sprintf("a%d.txt", i), fmt.Sprintf("甲组关于第%d项工作的通知", i+1),
			strings.Repeat("县委党委研究部署乡村振兴工作，推动乡村振兴取得实效，乡村振兴示范村建设有序开展。\n\n", 2))
		write(fmt.Sprintf("b%d.txt", i), fmt.Sprintf("乙组关于第%d项工作的通知", i+1),
			strings.Repeat("县委党委研究部署营商环境工作，推动营商环境取得实效，营商环境示范村建设有序开展。\n\n", 2))
	}
	ix, err := indexer.Open(filepath.Join(dir, "index"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(t.Context(), []string{filepath.Join(dir, "files")}, nil); err != nil {
		t.Fatal(err)
	}
	c := search.New(ix).Corpus()
	for _, tc := range []struct {
		group, vs, want, not string
	}{
		{"title:甲组", "title:乙组", "乡村振兴", "营商环境"},
		{"title:乙组", "all", "营商环境", "乡村振兴"},
	} {
		res, err := Keywords{Group: tc.group, Vs: tc.vs, Min: 2}.Run(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		g := res.Groups[0]
		if g.Notices != 4 || g.RefNotices != 4 || g.Words == 0 {
			t.Fatalf("%s vs %s: %+v", tc.group, tc.vs, g)
		}
		if len(g.Keywords) == 0 || g.Keywords[0].Word != tc.want {
			t.Fatalf("%s vs %s: %+v, want %s first", tc.group, tc.vs, g.Keywords, tc.want)
		}
		top := g.Keywords[0]
		if top.Ref != 0 || top.Group != 24 || top.G2 <= 10 || top.LogRatio <= 3 {
			t.Errorf("%s: %+v", tc.want, top)
		}
		for _, k := range g.Keywords {
			if k.Word == tc.not || k.Word == "党委" || k.Word == "县委" || k.Word == "工作" || k.Word == "研究部署" {
				t.Errorf("%s vs %s: %s among the distinctive words (%+v)", tc.group, tc.vs, k.Word, k)
			}
		}
	}
	// Every notice by a field: one group here, nothing set apart.
	res, err := Keywords{By: "kind", Min: 2}.Run(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 1 || res.Groups[0].RefNotices != 0 || res.Groups[0].Notices != 8 {
		t.Fatalf("by kind: %+v", res.Groups)
	}
}

func TestKeywordsByCounty(t *testing.T) {
	res, err := Keywords{By: "county", Top: 10}.Run(t.Context(), testEngine.Corpus())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, g := range res.Groups {
		total += g.Notices
		if g.Notices+g.RefNotices != len(testNotices) {
			t.Errorf("%s: %d notices and %d in the reference", g.Value, g.Notices, g.RefNotices)
		}
		if len(g.Keywords) > 10 {
			t.Errorf("%s: %d words", g.Value, len(g.Keywords))
		}
		for _, k := range g.Keywords {
			if k.Group < 3 || k.G2 <= 0 {
				t.Errorf("%s: %+v", g.Value, k)
			}
		}
	}
	if total != len(testNotices) {
		t.Errorf("%d notices in the groups, %d in all", total, len(testNotices))
	}
	for _, bad := range []Keywords{{}, {Group: "x", Top: 500}, {By: "town"}, {By: "county", Vs: "year:2021"}} {
		if _, err := bad.Run(t.Context(), testEngine.Corpus()); !errAs(err, new(*Error)) {
			t.Errorf("%+v: err = %v", bad, err)
		}
	}
}
