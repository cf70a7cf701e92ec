package api

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"noticesearch/indexer"
	"noticesearch/search"
)

func getPage(t *testing.T, base, path string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func TestSearchPageStates(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		status int
		want   []string
		not    []string
	}{
		{"the empty page has the box and the help", "/", 200, []string{`name="q"`, "检索语法", `href="/static/style.css"`}, []string{"共 <strong>"}},
		{"results show marked passages, counts, facets and notice links", "/?q=" + url.QueryEscape("廉政风险"), 200,
			[]string{"<mark>廉政风险</mark>", "共 <strong>", "篇公文", "<h3>省份</h3>", `href="/notices/`, "相关度"}, nil},
		{"no hit gives a clear empty state", "/?q=" + url.QueryEscape("这个词组不会出现在任何公文里"), 200, []string{"没有找到匹配的章节", "去掉部分筛选条件"}, nil},
		{"a bad query shows the parser's message", "/?q=" + url.QueryEscape(`"一岗双责`), 400, []string{"检索式有误", "引号"}, nil},
		{"a filter shows as a chip that removes it", "/?q=" + url.QueryEscape("整改 region:温州市"), 200, []string{"region:温州市 ×", "温州市"}, nil},
		{"paging moves through the hits", "/?q=" + url.QueryEscape("的") + "&page=2", 200, []string{"第 2 /", `rel="prev"`, `rel="next"`}, nil},
		{"collapse and date sort are links", "/?q=" + url.QueryEscape("整改") + "&collapse=notice&sort=date", 200, []string{"显示全部章节", "<b>日期</b>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, h := getPage(t, testServer.URL, tt.path)
			if code != tt.status {
				t.Errorf("status %d, want %d", code, tt.status)
			}
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("content type %q", ct)
			}
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
				t.Errorf("security headers: %v", h)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
			// Our own script file is the only script; nothing comes from outside.
			if strings.Count(body, "<script") != 1 || !strings.Contains(body, `<script src="/static/app.js" defer></script>`) {
				t.Error("page has a script other than /static/app.js")
			}
			if regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).MatchString(body) {
				t.Error("page loads an outside resource")
			}
		})
	}
}

func TestFacetLinkNarrowsTheCount(t *testing.T) {
	_, body, _ := getPage(t, testServer.URL, "/?q="+url.QueryEscape("整改"))
	if regexp.MustCompile(`<li><a href="[^"]*"></a>`).MatchString(body) {
		t.Error("a facet lists an empty value")
	}
	m := regexp.MustCompile(`<h3>年份</h3>\s*<ul><li><a href="([^"]+)">(\d{4})</a> <span class="count">(\d+)</span>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no year facet")
	}
	_, narrowed, _ := getPage(t, testServer.URL, html.UnescapeString(m[1]))
	if !strings.Contains(narrowed, "共 <strong>"+m[3]+"</strong> 节") || !strings.Contains(narrowed, "year:"+m[2]+" ×") {
		t.Errorf("after clicking year %s (count %s) the page says something else", m[2], m[3])
	}
}

func TestNoticePage(t *testing.T) {
	var res search.Result
	get(t, "/api/search?q="+url.QueryEscape("一岗双责"), &res)
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	code, body, _ := getPage(t, testServer.URL, "/notices/"+res.Hits[0].NoticeID+"?q="+url.QueryEscape("一岗双责"))
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, w := range []string{"<h1>", "目录", `<mark id="m1">一岗双责</mark>`, `href="#s`, "返回检索结果"} {
		if !strings.Contains(body, w) {
			t.Errorf("notice page lacks %q", w)
		}
	}
	if strings.Count(body, `id="m1"`) != 1 {
		t.Errorf("%d first-match anchors", strings.Count(body, `id="m1"`))
	}
	code, body, _ = getPage(t, testServer.URL, "/notices/nosuchnotice")
	if code != 404 || !strings.Contains(body, "未找到") {
		t.Errorf("unknown notice: %d", code)
	}
}

func TestStaticStylesheet(t *testing.T) {
	code, body, h := getPage(t, testServer.URL, "/static/style.css")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/css") || !strings.Contains(body, "mark") {
		t.Errorf("stylesheet: %d %q", code, h.Get("Content-Type"))
	}
}

// TestNoticeTextIsEscaped: markup written in a notice reaches the page as
// text, on the results page and the notice page alike.
func TestNoticeTextIsEscaped(t *testing.T) {
	dir := t.TempDir()
	text := "关于加强网络安全管理的通知\n各单位要防范在网页中插入<script>alert('x')</script>等恶意代码的行为，落实网络安全责任。\n联系人：<b>张三</b> & 李四。"
	if err := os.WriteFile(filepath.Join(dir, "n.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := indexer.Open(filepath.Join(dir, "ix"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(context.Background(), []string{dir}, nil); err != nil {
		t.Fatal(err)
	}
	eng := search.New(ix)
	srv := httptest.NewServer((&Server{Searcher: eng}).Handler())
	defer srv.Close()
	_, body, _ := getPage(t, srv.URL, "/?q="+url.QueryEscape("恶意代码"))
	if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") || !strings.Contains(body, "<mark>恶意代码</mark>") {
		t.Errorf("results page does not escape the notice text:\n%s", body)
	}
	m := regexp.MustCompile(`href="(/notices/[^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no notice link")
	}
	_, page, _ := getPage(t, srv.URL, html.UnescapeString(m[1]))
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<b>张三</b>") || !strings.Contains(page, "&lt;b&gt;张三&lt;/b&gt; &amp; 李四") {
		t.Errorf("notice page does not escape the notice text")
	}
}

// TestLongNoticeInRuns: a notice of many sections is shown a run at a
// time, with links to the next and previous runs, and a hit deep in it
// links to the run that holds it.
func TestLongNoticeInRuns(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("关于虚构县第九轮专项检查情况的通报\n\n发布时间：2024-03-01\n\n")
	const sections = 450
	for i := 1; i < sections; i++ {
		b.WriteString(strconv.Itoa(i) + ".第" + strconv.Itoa(i) + "项检查内容已经完成整改，台账编号" + strconv.Itoa(1000+i) + "。\n")
	}
	b.WriteString(strconv.Itoa(sections) + ".最后一项涉及独角兽牧场的整改已经完成。\n")
	file := filepath.Join(dir, "long.txt")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := indexer.Open(filepath.Join(dir, "index"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(t.Context(), []string{file}, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Searcher: search.New(ix)}).Handler())
	defer srv.Close()

	code, body, _ := getPage(t, srv.URL, "/?q="+url.QueryEscape("独角兽牧场"))
	link := regexp.MustCompile(`href="(/notices/[^"]+)"`).FindStringSubmatch(body)
	if code != 200 || link == nil {
		t.Fatalf("search: %d, no notice link", code)
	}
	href := html.UnescapeString(link[1])
	if !strings.Contains(href, "sec=") {
		t.Errorf("a hit past the first run links to %s, without its section", href)
	}
	code, body, _ = getPage(t, srv.URL, href)
	if code != 200 || !strings.Contains(body, `<mark id="m1">独角兽牧场</mark>`) || !strings.Contains(body, "上一段") || strings.Contains(body, "下一段") {
		t.Errorf("the hit's run: %d, mark %t, prev %t, next %t", code, strings.Contains(body, `id="m1"`), strings.Contains(body, "上一段"), strings.Contains(body, "下一段"))
	}
	var n search.NoticeView
	id := strings.TrimPrefix(strings.SplitN(href, "?", 2)[0], "/notices/")
	seen := 0
	for from := 0; from < sections; from = n.Next {
		n = search.NoticeView{}
		if code := getJSON(t, srv.URL+"/api/notices/"+id+"?from="+strconv.Itoa(from), &n); code != 200 {
			t.Fatalf("from %d: %d", from, code)
		}
		if len(n.Sections) == 0 || len(n.Sections) > search.NoticeSections || n.From != from || n.SectionsTotal < sections {
			t.Fatalf("from %d: %d sections, from %d, of %d", from, len(n.Sections), n.From, n.SectionsTotal)
		}
		for i, s := range n.Sections {
			if s.Seq != from+i {
				t.Fatalf("from %d: section %d has seq %d", from, i, s.Seq)
			}
		}
		seen += len(n.Sections)
	}
	if seen != n.SectionsTotal {
		t.Errorf("paged through %d sections of %d", seen, n.SectionsTotal)
	}
	code, body, _ = getPage(t, srv.URL, "/notices/"+id)
	if code != 200 || !strings.Contains(body, "下一段") || strings.Count(body, "<section") != search.NoticeSections {
		t.Errorf("first run: %d, %d sections shown", code, strings.Count(body, "<section"))
	}
}

func getJSON(t *testing.T, u string, into any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}
