package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
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

	"github.com/xuri/excelize/v2"

	"noticesearch/analysis"
	"noticesearch/indexer"
	"noticesearch/search"
)

func TestCompareEndpoint(t *testing.T) {
	var tab analysis.Table
	if code := get(t, "/api/compare?terms="+url.QueryEscape("一岗双责,廉政风险")+"&by=county,year&q="+url.QueryEscape("region:浙江省"), &tab); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if len(tab.Terms) != 2 || len(tab.Groups) != len(tab.Rows)*len(tab.Cols) || tab.Total.Notices == 0 {
		t.Fatalf("%+v", tab)
	}
	// The totals are the search's under the same filter.
	for i, term := range tab.Terms {
		res, err := testEngine.Search(t.Context(), search.Request{Query: term + " region:浙江省", Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := tab.Total.Terms[i]; uint64(got.Sections) != res.Total || got.Notices != res.Notices {
			t.Errorf("%s: %+v; the search %d sections, %d notices", term, got, res.Total, res.Notices)
		}
	}
}

func TestCompareErrors(t *testing.T) {
	many := make([]string, analysis.MaxTerms+1)
	for i := range many {
		many[i] = "词" + strconv.Itoa(i)
	}
	for _, q := range []string{
		"terms=",
		"by=county",
		"terms=" + url.QueryEscape(strings.Join(many, ",")),
		"terms=" + url.QueryEscape("整改") + "&by=town",
		"terms=" + url.QueryEscape("整改") + "&by=county,year,kind",
		"terms=" + url.QueryEscape("整改") + "&sort=size",
		"terms=" + url.QueryEscape("整改") + "&format=pdf",
		"terms=" + url.QueryEscape("整改") + "&q=" + url.QueryEscape("year:twenty"),
		"terms=" + url.QueryEscape("「」"),
	} {
		var body struct{ Error string }
		if code := get(t, "/api/compare?"+q, &body); code != http.StatusBadRequest || !regexp.MustCompile(`\p{Han}.* / \S`).MatchString(body.Error) {
			t.Errorf("%s: %d %q", q, code, body.Error)
		}
	}
	defer func(n int) { analysis.MaxGroups = n }(analysis.MaxGroups)
	analysis.MaxGroups = 3
	var body struct{ Error string }
	if code := get(t, "/api/compare?terms="+url.QueryEscape("整改")+"&by=county", &body); code != http.StatusBadRequest || !strings.Contains(body.Error, "too many groups") {
		t.Errorf("too many groups: %d %q", code, body.Error)
	}
}

// download fetches a comparison's file.
func download(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(testServer.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
	}
	return resp, body
}

func TestCompareDownloads(t *testing.T) {
	base := "/api/compare?terms=" + url.QueryEscape("一岗双责,整改") + "&by=city"
	var tab analysis.Table
	get(t, base, &tab)
	resp, body := download(t, base+"&format=csv")
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV headers %v", resp.Header)
	}
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Fatal("no byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(tab.Groups)+2 || rows[0][0] != "城市" || rows[len(rows)-1][1] != strconv.Itoa(tab.Total.Notices) {
		t.Fatalf("CSV %v, table %+v", rows, tab.Total)
	}
	resp, body = download(t, base+"&format=xlsx")
	if !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Errorf("XLSX headers %v", resp.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("比较")
	if err != nil || len(got) != len(rows) || got[len(got)-1][1] != rows[len(rows)-1][1] {
		t.Fatalf("workbook %v (%v), CSV %v", got, err, rows)
	}
}

func TestKeywordsAndTrendEndpoints(t *testing.T) {
	var kw struct {
		Groups []struct {
			Value    string
			Notices  int
			Keywords []struct {
				Word string
				Href string
				G2   float64 `json:"g2"`
			}
		}
	}
	if code := get(t, "/api/keywords?by=county&top=5", &kw); code != http.StatusOK || len(kw.Groups) < 3 {
		t.Fatalf("status %d, %+v", code, kw)
	}
	words := 0
	for _, g := range kw.Groups {
		for _, k := range g.Keywords {
			words++
			if !strings.HasPrefix(k.Href, "/?") || !strings.Contains(k.Href, url.QueryEscape(k.Word)) || k.G2 < analysis.MinG2 {
				t.Errorf("%s: %+v", g.Value, k)
			}
		}
	}
	if words == 0 {
		t.Error("no distinctive word in any county")
	}
	var body struct{ Error string }
	for _, q := range []string{"", "by=town", "group=x&top=0x"} {
		if code := get(t, "/api/keywords?"+q, &body); code != http.StatusBadRequest || body.Error == "" {
			t.Errorf("%q: %d %q", q, code, body.Error)
		}
	}
	var series []analysis.TrendSeries
	if code := get(t, "/api/trend?terms="+url.QueryEscape("整改,党")+"&region=province", &series); code != http.StatusOK || len(series) == 0 {
		t.Fatalf("trend: %d %v", code, series)
	}
	for _, s := range series {
		if s.Region == "" && len(series) > 2 || len(s.Points) == 0 {
			t.Errorf("series %+v", s)
		}
	}
	if code := get(t, "/api/trend?terms=x&region=town", &body); code != http.StatusBadRequest {
		t.Errorf("trend by town: %d", code)
	}
}

// TestComparePage checks the page: the table with links to searches, the
// chart, the downloads; and a bad request shown as such.
func TestComparePage(t *testing.T) {
	for _, by := range []string{"county", "year", "county,year"} {
		resp, body := download(t, "/compare?terms="+url.QueryEscape("一岗双责,整改")+"&by="+url.QueryEscape(by))
		page := string(body)
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("content type %s", resp.Header.Get("Content-Type"))
		}
		for _, want := range []string{"<svg", "compare-table", "format=csv", "format=xlsx", `href="/?q=`, "合计"} {
			if !strings.Contains(page, want) {
				t.Errorf("by %s: the page lacks %q", by, want)
			}
		}
		if strings.Contains(page, "http://") && !strings.Contains(page, `xmlns="http://www.w3.org/2000/svg"`) {
			t.Errorf("by %s: an outside resource", by)
		}
	}
	// Each group's distinctive words, when asked, each a search link.
	_, body := download(t, "/compare?terms="+url.QueryEscape("整改")+"&by=city")
	if !strings.Contains(string(body), "words=1") {
		t.Error("no link to the distinctive words")
	}
	_, body = download(t, "/compare?terms="+url.QueryEscape("整改")+"&by=city&words=1")
	if !strings.Contains(string(body), "各组特有词") || !regexp.MustCompile(`<dd><a href="/\?q=[^"]+region%3A`).Match(body) {
		t.Errorf("no distinctive words with links:\n%s", body)
	}
	resp, err := http.Get(testServer.URL + "/compare?terms=" + url.QueryEscape("整改") + "&by=town")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "不支持按") {
		t.Errorf("by town: %d", resp.StatusCode)
	}
	// The search page offers the comparison of its terms within its
	// filters.
	_, body = download(t, "/?q="+url.QueryEscape("一岗双责 region:浙江省"))
	if !strings.Contains(string(body), `/compare?by=county&amp;q=region%3A%E6%B5%99%E6%B1%9F%E7%9C%81&amp;terms=`) {
		t.Errorf("no comparison link on the search page")
	}
}

func TestFigureEndpoints(t *testing.T) {
	var res search.Result
	get(t, "/api/search?q="+url.QueryEscape("办结率 region:温州市鹿城区"), &res)
	if len(res.Hits) == 0 {
		t.Fatal("no rectification report of 鹿城区 in testdata")
	}
	id := res.Hits[0].NoticeID
	var nf struct {
		ID       string
		Sections []struct {
			Section string
			Figures []struct {
				Label string
				Value float64
				Unit  string
				Text  string
			}
		}
	}
	if code := get(t, "/api/notices/"+id+"/figures", &nf); code != http.StatusOK || nf.ID != id || len(nf.Sections) == 0 {
		t.Fatalf("%d %+v", code, nf)
	}
	found := false
	for _, s := range nf.Sections {
		for _, f := range s.Figures {
			found = found || f.Label == "办结率" && f.Value == 97.7 && f.Unit == "%"
		}
	}
	if !found {
		t.Errorf("办结率 97.7%% not among %+v", nf.Sections)
	}
	if code := get(t, "/api/notices/nosuch/figures", nil); code != http.StatusNotFound {
		t.Errorf("unknown notice: %d", code)
	}
	var ft analysis.FigureTable
	if code := get(t, "/api/figures?label="+url.QueryEscape("办结率")+"&by=county", &ft); code != http.StatusOK || ft.Total.Figures == 0 || len(ft.Figures) != ft.Total.Figures {
		t.Fatalf("%d %+v", code, ft)
	}
	var body struct{ Error string }
	if code := get(t, "/api/figures?by=county", &body); code != http.StatusBadRequest || !strings.Contains(body.Error, " / ") {
		t.Errorf("no label: %d %q", code, body.Error)
	}
	_, csvBody := download(t, "/api/figures?label="+url.QueryEscape("办结率")+"&format=csv")
	if !bytes.HasPrefix(csvBody, []byte("\ufeff区县,公文数,报告该数据的公文数")) {
		t.Errorf("CSV %.80q", csvBody)
	}
	_, cmp := download(t, "/compare?terms="+url.QueryEscape("办结率")+"&by=county&figure="+url.QueryEscape("办结率"))
	if !strings.Contains(string(cmp), "数据项：办结率") || !strings.Contains(string(cmp), "/api/figures?") {
		t.Error("the comparison page shows no figure table")
	}
	var sim analysis.Similar
	if code := get(t, "/api/notices/"+id+"/similar?size=3", &sim); code != http.StatusOK || len(sim.Keywords) == 0 || len(sim.Similar) != 3 {
		t.Errorf("similar: %d %+v", code, sim)
	}
	// Once the model is built, a notice comes with its keywords.
	var withKw struct {
		ID       string
		Keywords []analysis.WordWeight
	}
	if code := get(t, "/api/notices/"+id, &withKw); code != http.StatusOK || len(withKw.Keywords) == 0 || withKw.Keywords[0].Word != sim.Keywords[0].Word {
		t.Errorf("the notice's keywords: %d %+v", code, withKw)
	}
	if code := get(t, "/api/notices/nosuch/similar", nil); code != http.StatusNotFound {
		t.Errorf("similar of an unknown notice: %d", code)
	}
	if code := get(t, "/api/notices/"+id+"/similar?size=500", nil); code != http.StatusBadRequest {
		t.Errorf("similar, size 500: %d", code)
	}
	_, simPage := download(t, "/notices/"+id+"?similar=1")
	if !strings.Contains(string(simPage), "相似公文") || !strings.Contains(string(simPage), "共同关键词") {
		t.Error("the notice page lists no similar notices")
	}
	var vs analysis.SideBySide
	if code := get(t, "/api/notices/"+id+"/vs/similar", &vs); code != http.StatusOK || vs.A.ID != id || vs.B.ID == "" || vs.B.ID == id || len(vs.Pairs) == 0 {
		t.Errorf("side by side with the most similar: %d %+v", code, vs.A)
	}
	if code := get(t, "/api/notices/"+id+"/vs/nosuch", nil); code != http.StatusNotFound {
		t.Errorf("side by side with an unknown notice: %d", code)
	}
	_, vsPage := download(t, "/notices/"+id+"/vs/"+vs.B.ID)
	if !strings.Contains(string(vsPage), "逐节对照") || !strings.Contains(string(vsPage), "报告的问题") {
		t.Error("the side by side page lacks its parts")
	}
	_, page := download(t, "/notices/"+id)
	if !strings.Contains(string(page), "文中数据") || !strings.Contains(string(page), "97.7") {
		t.Error("the notice page shows no figures")
	}
	// The model built (above), the page shows the notice's keywords, and
	// links to the side by side with the most similar notice.
	if !strings.Contains(string(page), `class="keywords-line"`) || !strings.Contains(string(page), "/vs/similar") {
		t.Error("the notice page shows no keywords or no link to compare with the most similar notice")
	}
	resp, xlsx := download(t, "/api/figures?label="+url.QueryEscape("办结率")+"&format=xlsx")
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("figures as XLSX: %v %v", err, resp.Header)
	}
	defer f.Close()
	if rows, err := f.GetRows("数据"); err != nil || len(rows) < 2 || rows[0][0] != "区县" {
		t.Errorf("figures as XLSX: %v %v", rows, err)
	}
}

func TestRectificationEndpoints(t *testing.T) {
	var res analysis.Rectification
	if code := get(t, "/api/rectification?by=county", &res); code != http.StatusOK || len(res.Reports) < 2 || len(res.ByTerm) == 0 {
		t.Fatalf("%d %+v", code, res)
	}
	var body struct{ Error string }
	if code := get(t, "/api/rectification?by=town", &body); code != http.StatusBadRequest || !strings.Contains(body.Error, " / ") {
		t.Errorf("by town: %d %q", code, body.Error)
	}
	_, page := download(t, "/rectification")
	if !strings.Contains(string(page), "整改报告") || !strings.Contains(string(page), `href="/notices/`) {
		t.Error("the rectification page lists no problems")
	}
}

func TestDedupeParam(t *testing.T) {
	var body struct{ Error string }
	if code := get(t, "/api/search?q=x&dedupe=maybe", &body); code != http.StatusBadRequest {
		t.Errorf("dedupe=maybe: %d", code)
	}
	var res search.Result
	if code := get(t, "/api/search?q="+url.QueryEscape("整改")+"&dedupe=true", &res); code != http.StatusOK || len(res.Hits) == 0 {
		t.Errorf("dedupe=true: %d", code)
	}
}

// TestSameTextOnThePage: a notice republished twice is one hit on the
// page, 同文另见 2 处; the API marks the group and folds it only when asked.
func TestSameTextOnThePage(t *testing.T) {
	dir := t.TempDir()
	orig, err := os.ReadFile("../../testdata/notices/huangdao-2023-yigang-shuangze.txt")
	if err != nil {
		t.Fatal(err)
	}
	files := filepath.Join(dir, "files")
	os.MkdirAll(files, 0o755)
	os.WriteFile(filepath.Join(files, "a.txt"), orig, 0o644)
	os.WriteFile(filepath.Join(files, "b.txt"), []byte("当前位置：首页 > 转载\n"+strings.Replace(string(orig), "全年", "全 年", 1)), 0o644)
	os.WriteFile(filepath.Join(files, "c.txt"), []byte(strings.Replace(string(orig), "商务", "商贸", 2)+"\n【关闭窗口】\n"), 0o644)
	ix, err := indexer.Open(filepath.Join(dir, "index"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(t.Context(), []string{files}, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Searcher: search.New(ix)}).Handler())
	defer srv.Close()
	q := url.QueryEscape("一岗双责")
	_, page, _ := getPage(t, srv.URL, "/?q="+q)
	if strings.Count(page, `class="hit"`) != 1 || !strings.Contains(page, "同文另见 2 处") {
		t.Errorf("the page: %d hits, %v", strings.Count(page, `class="hit"`), strings.Contains(page, "同文另见"))
	}
	for _, c := range []struct {
		dedupe string
		hits   int
	}{{"", 3}, {"&dedupe=true", 1}} {
		_, body, _ := getPage(t, srv.URL, "/api/search?q="+q+c.dedupe)
		var res search.Result
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != c.hits || res.Hits[0].SameText != 2 || len(res.Hits[0].SameTextIDs) != 2 {
			t.Errorf("API%s: %d hits, first same_text %d", c.dedupe, len(res.Hits), res.Hits[0].SameText)
		}
	}
}
