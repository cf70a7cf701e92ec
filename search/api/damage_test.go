package api

import (
	"bytes"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"noticesearch/indexer"
	"noticesearch/indexer/textindex"
	"noticesearch/search"
)

// TestDamagedIndexAnswers500WithTheCheckToRun: a search that reads a
// damaged chunk of the text is answered 500 with what to do, on the API
// and on the page, not with fewer hits.
func TestDamagedIndexAnswers500WithTheCheckToRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ix")
	w, err := indexer.Open(path, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Add(t.Context(), []string{"../../testdata/notices/huangdao-2023-yigang-shuangze.txt"}, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	segs, _ := filepath.Glob(filepath.Join(path, "*.tix"))
	data, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(data, textindex.StoredForm(textindex.Normalize("外贸扶持资金审核")))
	if at < 0 {
		t.Fatal("the text is not in the segment as written")
	}
	data[at+len(textindex.StoredForm(textindex.Normalize("外贸")))] ^= 1
	if err := os.WriteFile(segs[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := indexer.OpenReader(path)
	if err != nil {
		t.Skipf("the pass in the background found the damage before the search: %v", err)
	}
	defer r.Close()
	srv := httptest.NewServer((&Server{Searcher: search.New(r)}).Handler())
	defer srv.Close()
	q := url.QueryEscape("廉政风险")
	for _, path := range []string{"/api/search?q=" + q, "/?q=" + q, "/api/compare?terms=" + q, "/compare?terms=" + q} {
		code, body, _ := getPage(t, srv.URL, path)
		if code != 500 || !strings.Contains(body, "noticesearch check") || !strings.Contains(body, "索引已损坏") {
			t.Errorf("%s: %d %.300s", path, code, body)
		}
	}
}
