package search

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSameTextFolded: a notice republished twice (in other chrome, a few
// words changed) is one hit with its two copies counted, when folded;
// three hits when not; the totals are the same either way.
func TestSameTextFolded(t *testing.T) {
	dir := t.TempDir()
	files := filepath.Join(dir, "files")
	os.MkdirAll(files, 0o755)
	orig, err := os.ReadFile(filepath.Join(noticeDir, "huangdao-2023-yigang-shuangze.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"lucheng-2021-xunshi-zhenggai.txt", "ouhai-2022-xuncha-zhenggai.txt", "huangdao-2023-yigang-shuangze.txt"} {
		b, err := os.ReadFile(filepath.Join(noticeDir, name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(files, name), b, 0o644)
	}
	copy1 := "当前位置：首页 > 转载 > 工作动态\n" + strings.Replace(string(orig), "全年", "全 年", 1)
	copy2 := strings.Replace(strings.Replace(string(orig), "9次", "九次", 1), "商务", "商贸", 2) + "\n【打印本页】【关闭窗口】\n"
	os.WriteFile(filepath.Join(files, "copy1.txt"), []byte(copy1), 0o644)
	os.WriteFile(filepath.Join(files, "copy2.txt"), []byte(copy2), 0o644)
	e, _ := engineOver(t, files)
	tested := 0
	for _, q := range []string{"一岗双责", "党组", "整改"} {
		plain, err := e.Search(t.Context(), Request{Query: q, Size: 10, Collapse: true})
		if err != nil {
			t.Fatal(err)
		}
		folded, err := e.Search(t.Context(), Request{Query: q, Size: 10, Collapse: true, FoldSameText: true})
		if err != nil {
			t.Fatal(err)
		}
		if plain.Total != folded.Total || plain.Notices != folded.Notices {
			t.Errorf("%s: totals %d/%d folded, %d/%d not", q, folded.Total, folded.Notices, plain.Total, plain.Notices)
		}
		huangdao := func(r *Result) (hits, same int) {
			for _, h := range r.Hits {
				if strings.Contains(h.Title, "一岗双责") {
					hits++
					same = max(same, h.SameText)
				}
			}
			return
		}
		ph, ps := huangdao(plain)
		fh, fs := huangdao(folded)
		if ph == 0 {
			continue // the term is not in that notice
		}
		tested++
		if ph != 3 || ps != 2 || fh != 1 || fs != 2 {
			t.Errorf("%s: %d hits of the notice and its copies (same text %d) unfolded, %d (%d) folded", q, ph, ps, fh, fs)
		}
		if len(folded.Hits) != len(plain.Hits)-2 {
			t.Errorf("%s: %d hits folded, %d not", q, len(folded.Hits), len(plain.Hits))
		}
	}
	if tested == 0 {
		t.Error("no query found the republished notice")
	}
}
