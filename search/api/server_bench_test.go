package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"

	"noticesearch/indexer"
	"noticesearch/search"
)

// BenchmarkAPISearchIndex runs bench/run.sh's twenty terms in turn through
// the whole handler (parameters, engine, highlighting, JSON, request log),
// on the index named by $NOTICESEARCH_BENCH_INDEX, with the result cache
// off as bench/run.sh measures the engine:
//
//	noticesearch index --index /tmp/laws.ix ../shared/corpus/laws
//	NOTICESEARCH_BENCH_INDEX=/tmp/laws.ix go test ./search/api -run XXX -bench APISearchIndex
func BenchmarkAPISearchIndex(b *testing.B) {
	path := os.Getenv("NOTICESEARCH_BENCH_INDEX")
	if path == "" {
		b.Skip("set NOTICESEARCH_BENCH_INDEX to an index folder")
	}
	ix, err := indexer.Open(path, indexer.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	s := &Server{Searcher: search.New(ix), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := s.Handler()
	terms := []string{"一岗双责", "廉政风险", "安全生产", "行政处罚", "生态环境", "不动产登记", "人民政府", "监督管理", "法律责任", "信访",
		"罚款", "县级以上", "消防", "疫情防控", "个人信息", "未成年人", "野生动物", "文物保护", "廉政", "党"}
	urls := make([]string, len(terms))
	for i, t := range terms {
		urls[i] = "/api/search?size=10&q=" + url.QueryEscape(t)
	}
	i := 0
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, urls[i%len(urls)], nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", urls[i%len(urls)], rec.Code, rec.Body)
		}
		i++
	}
}
