package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"noticesearch/indexer"
	"noticesearch/search"
)

// buildCorpus indexes files (name → text) and returns the corpus.
func buildCorpus(t *testing.T, files map[string]string) *search.Corpus {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "files"), 0o755)
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, "files", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := indexer.Open(filepath.Join(dir, "index"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Add(t.Context(), []string{filepath.Join(dir, "files")}, nil); err != nil {
		t.Fatal(err)
	}
	return search.New(ix).Corpus()
}

// TestSimilarFindsTheFamily: of three families of notices, each
// notice's most similar are its own family's, for the words they share.
func TestSimilarFindsTheFamily(t *testing.T) {
	families := map[string][]string{
		"rural": {"乡村振兴", "人居环境整治", "村级集体经济", "农村改革"},
		"biz":   {"营商环境", "招商引资", "企业开办", "信用监管"},
		"safe":  {"安全生产", "隐患排查", "应急管理", "消防安全"},
	}
	files := map[string]string{}
	for fam, words := range families {
		for i := range 3 {
			var body strings.Builder
			for k, w := range words {
				// Each notice stresses its family's words differently.
				body.WriteString(strings.Repeat(fmt.Sprintf("县委部署%s工作。\n\n", w), 1+(i+k)%3))
			}
			files[fmt.Sprintf("%s%d.txt", fam, i)] = fmt.Sprintf("关于%s第%d号工作安排的通知\n时间:2021-0%d-06 来源:县委办公室\n\n%s", words[0], i+1, i+1, body.String())
		}
	}
	c := buildCorpus(t, files)
	fam := func(d int) string {
		for f, words := range families {
			if strings.Contains(c.NoticeTitle(d), words[0]) {
				return f
			}
		}
		return ""
	}
	for d := range c.Notices() {
		sim, err := FindSimilar(t.Context(), c, c.NoticeID(d), 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(sim.Keywords) == 0 || len(sim.Similar) < 2 {
			t.Fatalf("%s: %+v", c.NoticeTitle(d), sim)
		}
		for _, s := range sim.Similar[:2] {
			o, _ := c.NoticeIndex(s.ID)
			if fam(o) != fam(d) || s.Score <= 0 || s.Score > 1.0001 || len(s.Shared) == 0 {
				t.Errorf("%s: %s (%v, shared %v) among the two most similar", c.NoticeTitle(d), s.Title, s.Score, s.Shared)
			}
			if !slices.Contains(s.Shared, families[fam(d)][1]) && !slices.Contains(s.Shared, families[fam(d)][0]) {
				t.Errorf("%s and %s share %v", c.NoticeTitle(d), s.Title, s.Shared)
			}
		}
		if len(sim.Similar) == 3 && sim.Similar[2].Score > sim.Similar[1].Score {
			t.Errorf("%s: not in order: %+v", c.NoticeTitle(d), sim.Similar)
		}
	}
	if _, err := FindSimilar(t.Context(), c, "nosuch", 3); err != search.ErrNotFound {
		t.Errorf("unknown notice: %v", err)
	}
	if _, err := FindSimilar(t.Context(), c, c.NoticeID(0), MaxSimilar+1); !errAs(err, new(*Error)) {
		t.Errorf("too many: %v", err)
	}
}
