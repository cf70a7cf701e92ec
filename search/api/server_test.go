package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"noticesearch/indexer"
	"noticesearch/search"
)

var (
	testServer *httptest.Server
	testEngine *search.Engine
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "noticesearch-api-")
	if err != nil {
		panic(err)
	}
	code := func() int {
		ix, err := indexer.Open(filepath.Join(dir, "index"), indexer.Options{})
		if err != nil {
			panic(err)
		}
		defer ix.Close()
		if _, err := ix.Add(context.Background(), []string{"../../testdata/notices"}, nil); err != nil {
			panic(err)
		}
		testEngine = search.New(ix)
		testServer = httptest.NewServer((&Server{Searcher: testEngine}).Handler())
		defer testServer.Close()
		return m.Run()
	}()
	os.RemoveAll(dir)
	os.Exit(code)
}

func get(t *testing.T, path string, into any) int {
	t.Helper()
	resp, err := http.Get(testServer.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: content type %q", path, ct)
	}
	if into != nil {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, body)
		}
	}
	return resp.StatusCode
}

func TestHealthz(t *testing.T) {
	var v map[string]string
	if code := get(t, "/healthz", &v); code != 200 || v["status"] != "ok" {
		t.Errorf("healthz: %d %v", code, v)
	}
}

func TestSearchEndpoint(t *testing.T) {
	var res search.Result
	code := get(t, "/api/search?q="+url.QueryEscape("廉政风险")+"&size=5", &res)
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	if res.Query != "廉政风险" || res.Total == 0 || len(res.Hits) == 0 || len(res.Hits) > 5 {
		t.Fatalf("result: %+v", res)
	}
	h := res.Hits[0]
	if h.NoticeID == "" || h.SectionID == "" || h.Title == "" || len(h.Fragments) == 0 || !strings.Contains(h.Fragments[0], "<mark>廉政风险</mark>") {
		t.Errorf("hit: %+v", h)
	}
	// The raw JSON has every documented key.
	resp, _ := http.Get(testServer.URL + "/api/search?q=" + url.QueryEscape("廉政风险"))
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, k := range []string{"query", "total", "notices", "took_ms", "hits", "notice_id", "path", "title", "date", "region", "source", "issuer", "kind", "doc_number", "section_id", "section_path", "score", "fragments"} {
		if !strings.Contains(string(raw), `"`+k+`":`) {
			t.Errorf("JSON lacks %q", k)
		}
	}
	var sorted search.Result
	if code := get(t, "/api/search?q=%E6%95%B4%E6%94%B9&sort=date&collapse=notice&size=20", &sorted); code != 200 {
		t.Fatalf("sort+collapse: %d", code)
	}
	seen := map[string]bool{}
	for i, h := range sorted.Hits {
		if seen[h.NoticeID] || (i > 0 && h.Date > sorted.Hits[i-1].Date) {
			t.Errorf("sort=date&collapse=notice: hit %d %s %s", i, h.NoticeID, h.Date)
		}
		seen[h.NoticeID] = true
	}
}

func TestSearchErrors(t *testing.T) {
	for _, q := range []string{
		"",
		"q=",
		"q=" + url.QueryEscape(`"一岗双责`),
		"q=" + url.QueryEscape("foo:bar"),
		"q=" + url.QueryEscape("after:2021-13-01"),
		"q=" + url.QueryEscape(strings.Repeat("党", 300)),
		"q=%E5%85%9A&size=abc",
		"q=%E5%85%9A&size=1000",
		"q=%E5%85%9A&from=-1",
		"q=%E5%85%9A&from=9999&size=10",
		"q=%E5%85%9A&sort=random",
		"q=%E5%85%9A&collapse=yes",
		"q=%E5%85%9A&highlight=maybe",
		"q=%E5%85%9A&track_total_hits=0",
		"q=%E5%85%9A&track_total_hits=false",
		"q=%FF%FE",
		"q=%00",
	} {
		var v map[string]string
		code := get(t, "/api/search?"+q, &v)
		if code != 400 {
			t.Errorf("%s: status %d, want 400", q, code)
		}
		if !strings.Contains(v["error"], " / ") {
			t.Errorf("%s: error %q is not in Chinese and English", q, v["error"])
		}
	}
}

// TestTrackTotalHits: past track_total_hits sections the API may count a
// lower bound and says so; with track_total_hits=true it counts exactly,
// as the search's own count of every section does.
func TestTrackTotalHits(t *testing.T) {
	q := url.QueryEscape("整改工作")
	var exact, every, bounded search.Result
	get(t, "/api/search?track_total_hits=true&q="+q, &exact)
	get(t, "/api/search?collapse=none&size=100&q="+q, &every)
	if exact.TotalAtLeast || exact.Total != every.Total || exact.Total == 0 {
		t.Fatalf("track_total_hits=true: %d sections (at least: %t), %d listed", exact.Total, exact.TotalAtLeast, every.Total)
	}
	if code := get(t, "/api/search?track_total_hits=1&q="+q, &bounded); code != 200 {
		t.Fatalf("status %d", code)
	}
	if !bounded.TotalAtLeast || bounded.Total > exact.Total {
		t.Errorf("track_total_hits=1: %d sections (at least: %t), of %d", bounded.Total, bounded.TotalAtLeast, exact.Total)
	}
	if len(bounded.Hits) != len(exact.Hits) || len(exact.Hits) == 0 || bounded.Hits[0].SectionID != exact.Hits[0].SectionID {
		t.Errorf("track_total_hits=1 changed the page")
	}
}

func TestNoticeEndpoint(t *testing.T) {
	var res search.Result
	get(t, "/api/search?q="+url.QueryEscape("巡视整改"), &res)
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	var n search.NoticeView
	if code := get(t, "/api/notices/"+res.Hits[0].NoticeID, &n); code != 200 {
		t.Fatalf("status %d", code)
	}
	if n.ID != res.Hits[0].NoticeID || n.Title == "" || len(n.Sections) < 2 {
		t.Errorf("notice: %+v", n)
	}
	var v map[string]string
	if code := get(t, "/api/notices/nosuchid", &v); code != 404 || v["error"] == "" {
		t.Errorf("unknown notice: %d %v", code, v)
	}
	if code := get(t, "/api/nothing", &v); code != 404 {
		t.Errorf("unknown route: %d", code)
	}
}

// failing is a Searcher whose engine breaks: the API must answer 500
// without leaking the error.
type failing struct{}

func (failing) Search(context.Context, search.Request) (*search.Result, error) {
	return nil, errors.New("disk on fire")
}
func (failing) Notice(context.Context, string, int) (*search.NoticeView, error) {
	return nil, errors.New("disk on fire")
}
func (failing) Suggest(context.Context, string) ([]search.Suggestion, error) {
	return nil, errors.New("disk on fire")
}

func TestInternalErrors(t *testing.T) {
	srv := httptest.NewServer((&Server{Searcher: failing{}}).Handler())
	defer srv.Close()
	for _, p := range []string{"/api/search?q=x", "/api/notices/x", "/api/suggest?prefix=x"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 500 || strings.Contains(string(body), "fire") {
			t.Errorf("%s: %d %s", p, resp.StatusCode, body)
		}
	}
}

func TestSuggestEndpoint(t *testing.T) {
	for prefix, want := range map[string]string{"ygsz": "一岗双责", "yigangshuang": "一岗双责", "lzfx": "廉政风险", "一岗": "一岗双责", "廉政风": "廉政风险"} {
		var v struct {
			Prefix      string
			Suggestions []search.Suggestion
		}
		if code := get(t, "/api/suggest?prefix="+url.QueryEscape(prefix), &v); code != 200 {
			t.Fatalf("%s: status %d", prefix, code)
		}
		found := false
		for _, s := range v.Suggestions {
			found = found || s.Word == want
			if s.Sections == 0 || s.Notices == 0 || s.Notices > s.Sections {
				t.Errorf("%s: suggestion %+v", prefix, s)
			}
		}
		if !found || len(v.Suggestions) > search.MaxSuggestions {
			t.Errorf("%s: suggestions %v, want %s among them", prefix, v.Suggestions, want)
		}
	}
	var v map[string]string
	if code := get(t, "/api/suggest?prefix="+url.QueryEscape(strings.Repeat("党", 40)), &v); code != 400 || !strings.Contains(v["error"], " / ") {
		t.Errorf("long prefix: %d %v", code, v)
	}
}
