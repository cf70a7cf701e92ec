// Package api is the HTTP layer over the search engine: it parses request
// parameters, calls the engine, and turns errors into status codes. It
// holds no search logic, and no gin type leaves it.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"noticesearch/analysis"
	"noticesearch/search"
)

// Searcher is what the API needs of the engine.
type Searcher interface {
	Search(ctx context.Context, req search.Request) (*search.Result, error)
	Notice(ctx context.Context, id string, from int) (*search.NoticeView, error)
	Suggest(ctx context.Context, prefix string) ([]search.Suggestion, error)
}

// Server serves the API over a Searcher. Its zero limits take the
// defaults below; Handler is called once, before serving.
type Server struct {
	// Searcher answers the requests. It may be left nil and given later
	// with SetSearcher, once the index is open: until then /readyz and the
	// search routes answer 503.
	Searcher Searcher
	Log      *slog.Logger // errors, and each request at debug level; nil: none
	// AccessLog, if set, gets one record per request.
	AccessLog *slog.Logger

	SearchTimeout time.Duration // the deadline of one search (default DefaultSearchTimeout)
	MaxSearches   int           // searches running at once, beyond which more are shed (default DefaultMaxSearches)

	ready   atomic.Pointer[Searcher]
	slots   chan struct{}
	metrics *metrics
}

// Defaults of a Server's limits.
const (
	DefaultSearchTimeout = 3 * time.Second
	DefaultMaxSearches   = 32
)

// SetSearcher gives the server its Searcher once the index is open; from
// then on it is ready.
func (s *Server) SetSearcher(x Searcher) { s.ready.Store(&x) }

// searcher is the Searcher, or nil while the index is not open.
func (s *Server) searcher() Searcher {
	if p := s.ready.Load(); p != nil {
		return *p
	}
	return s.Searcher
}

// Handler wires every route. GET routes answer HEAD too; another method
// on a known path gets 405 with Allow; an unknown path gets 404, as JSON
// under /api/ and as a page elsewhere.
func (s *Server) Handler() http.Handler {
	if s.SearchTimeout <= 0 {
		s.SearchTimeout = DefaultSearchTimeout
	}
	if s.MaxSearches <= 0 {
		s.MaxSearches = DefaultMaxSearches
	}
	s.slots = make(chan struct{}, s.MaxSearches)
	s.metrics = newMetrics(s)

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.Use(s.observe, s.recovery, securityHeaders) // observe outside recovery, to count a panic's 500
	get := func(path string, h gin.HandlerFunc) {
		r.GET(path, h)
		r.HEAD(path, h)
	}
	get("/", s.needIndex(s.limitSearch(s.searchPage)))
	get("/notices/:id", s.needIndex(s.limitSearch(s.noticePage))) // its marks cost like a search
	r.StaticFS("/static", http.FS(mustSub(staticFiles, "static")))
	get("/healthz", s.healthz)
	get("/readyz", s.readyz)
	get("/metrics", gin.WrapH(s.metrics.handler()))
	get("/api/search", s.needIndex(s.limitSearch(s.search)))
	get("/api/notices/:id", s.needIndex(s.notice))
	get("/api/suggest", s.needIndex(s.suggest))
	get("/api/compare", s.needIndex(s.limitSearch(s.compare)))
	get("/api/keywords", s.needIndex(s.limitSearch(s.keywords)))
	get("/api/trend", s.needIndex(s.limitSearch(s.trend)))
	get("/api/notices/:id/figures", s.needIndex(s.noticeFigures))
	get("/api/notices/:id/similar", s.needIndex(s.limitSearch(s.similar)))
	get("/api/notices/:id/vs/:other", s.needIndex(s.limitSearch(s.vs)))
	get("/notices/:id/vs/:other", s.needIndex(s.limitSearch(s.vsPage)))
	get("/api/figures", s.needIndex(s.limitSearch(s.figureTable)))
	get("/compare", s.needIndex(s.limitSearch(s.comparePage)))
	get("/api/rectification", s.needIndex(s.limitSearch(s.rectification)))
	get("/rectification", s.needIndex(s.limitSearch(s.rectificationPage)))
	r.NoRoute(s.notFound)
	r.NoMethod(func(c *gin.Context) {
		if isAPI(c) {
			c.JSON(http.StatusMethodNotAllowed, gin.H{"error": "不支持该请求方法 / method not allowed"})
			return
		}
		s.errorPage(c, http.StatusMethodNotAllowed, "不支持该请求方法", "该地址只接受 GET 和 HEAD 请求。")
	})
	return guard(r)
}

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// notFound answers an unknown path: JSON under /api/, a page elsewhere.
func (s *Server) notFound(c *gin.Context) {
	if isAPI(c) {
		c.JSON(http.StatusNotFound, gin.H{"error": "没有这个地址 / no such endpoint"})
		return
	}
	s.errorPage(c, http.StatusNotFound, "页面不存在", "没有这个页面。")
}

// healthz says the process is alive and serving HTTP, index or not.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz says whether searches can be answered: 503 until the index is open.
func (s *Server) readyz(c *gin.Context) {
	if s.searcher() == nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "starting", "error": "索引尚未就绪 / index not open yet"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

// needIndex answers 503 while the index is not open.
func (s *Server) needIndex(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.searcher() == nil {
			c.Header("Retry-After", "5")
			s.unavailable(c, "索引尚未就绪，请稍后再试 / the index is not open yet, try again shortly")
			return
		}
		h(c)
	}
}

// unavailable answers 503 with a message, as JSON under /api/ and as a
// page elsewhere.
func (s *Server) unavailable(c *gin.Context, msg string) {
	if isAPI(c) {
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": msg})
		return
	}
	zh, _, _ := strings.Cut(msg, " / ")
	s.errorPage(c, http.StatusServiceUnavailable, "暂时无法检索", zh)
}

// badRequest answers 400 with a message in Chinese and English.
func badRequest(c *gin.Context, msg string) {
	c.JSON(http.StatusBadRequest, gin.H{"error": msg})
}

func (s *Server) search(c *gin.Context) {
	req := search.Request{Query: c.Query("q")}
	var err error
	if req.Size, err = intParam(c, "size"); err != nil {
		badRequest(c, "size 必须是整数 / size must be an integer")
		return
	}
	if req.From, err = intParam(c, "from"); err != nil {
		badRequest(c, "from 必须是整数 / from must be an integer")
		return
	}
	switch c.Query("sort") {
	case "", "relevance", "score":
	case "date":
		req.SortDate = true
	default:
		badRequest(c, "sort 只能是 relevance 或 date / sort must be relevance or date")
		return
	}
	// One hit per notice unless every section is asked for, as on the page.
	switch c.Query("collapse") {
	case "false", "0", "none":
	case "", "notice", "true", "1":
		req.Collapse = true
	default:
		badRequest(c, "collapse 只能是 notice 或 none / collapse must be notice or none")
		return
	}
	facets, ok := boolParam(c, "facets", false)
	if !ok {
		return
	}
	highlight, ok := boolParam(c, "highlight", true)
	if !ok {
		return
	}
	req.Facets, req.NoFragments = facets, !highlight
	dedupe, ok := boolParam(c, "dedupe", false)
	if !ok {
		return
	}
	req.FoldSameText = dedupe
	if req.FacetSize, err = intParam(c, "facet_size"); err != nil {
		badRequest(c, "facet_size 必须是整数 / facet_size must be an integer")
		return
	}
	// Counts are exact up to track_total_hits sections (default
	// DefaultCountUpTo), lower bounds past it where that spares reading
	// (total_at_least says so); track_total_hits=true counts exactly.
	switch v := c.Query("track_total_hits"); v {
	case "":
		req.CountUpTo = DefaultCountUpTo
	case "true":
	default:
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			req.CountUpTo = n
		} else {
			badRequest(c, "track_total_hits 只能是 true 或正整数 / track_total_hits must be true or a positive integer")
			return
		}
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	res, err := s.searcher().Search(ctx, req)
	s.respond(c, err, res)
}

func (s *Server) suggest(c *gin.Context) {
	prefix := c.Query("prefix")
	words, err := s.searcher().Suggest(c.Request.Context(), prefix)
	s.respond(c, err, gin.H{"prefix": prefix, "suggestions": words})
}

// notice answers a notice with a run of its sections from ?from= (0 the
// first); the answer's next is where the following run starts.
func (s *Server) notice(c *gin.Context) {
	from, err := intParam(c, "from")
	if err != nil || from < 0 {
		badRequest(c, "from 必须是非负整数 / from must be a non-negative integer")
		return
	}
	n, err := s.searcher().Notice(c.Request.Context(), c.Param("id"), from)
	if err != nil {
		s.respond(c, err, nil)
		return
	}
	// The notice's keywords, once the model of this state is built (the
	// first call starts it; see /api/notices/:id/similar).
	out := struct {
		*search.NoticeView
		Keywords []analysis.WordWeight `json:"keywords,omitempty"`
	}{NoticeView: n}
	if a, ok := s.searcher().(Analyst); ok {
		out.Keywords = analysis.NoticeKeywords(a.Corpus(), n.ID)
	}
	s.respond(c, nil, out)
}

// respond answers an API call: the body on success, else the status its
// error calls for (a bad query or analyst's request 400, an unknown notice 404, a search shed
// or past its deadline 503, anything else 500).
func (s *Server) respond(c *gin.Context, err error, body any) {
	var qe *search.QueryError
	var ae *analysis.Error
	switch {
	case errors.As(err, &qe):
		badRequest(c, qe.Error())
	case errors.As(err, &ae): // an analyst's request
		badRequest(c, ae.Error())
	case errors.Is(err, search.ErrNotFound):
		c.JSON(http.StatusNotFound, gin.H{"error": err.Error()})
	case err != nil:
		s.failed(c, err)
	default:
		c.JSON(http.StatusOK, body)
	}
}

// failed answers a request whose search failed for another reason than
// its query: 503 when it was shed or ran past its deadline, nothing when
// the client has gone, else 500.
func (s *Server) failed(c *gin.Context, err error) {
	switch {
	case errors.Is(err, search.ErrOverloaded):
		s.metrics.shed.WithLabelValues("heavy").Inc()
		c.Header("Retry-After", "1")
		s.unavailable(c, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		s.metrics.shed.WithLabelValues("deadline").Inc()
		c.Header("Retry-After", "1")
		s.unavailable(c, fmt.Sprintf("检索超时（超过%s），请缩小检索范围 / the search took longer than %s; narrow it down", s.SearchTimeout, s.SearchTimeout))
	case errors.Is(err, search.ErrDamaged):
		if s.Log != nil {
			s.Log.Error("the index is damaged", "path", c.Request.URL.Path, "err", err)
		}
		msg := "索引已损坏，请管理员运行 noticesearch check 并重建索引 / the index is damaged: run noticesearch check, then rebuild it"
		if isAPI(c) {
			c.JSON(http.StatusInternalServerError, gin.H{"error": msg})
			return
		}
		s.errorPage(c, http.StatusInternalServerError, "索引已损坏", "索引文件已损坏，无法检索。请管理员运行 noticesearch check 查看损坏之处，并重建索引。")
	case errors.Is(err, context.Canceled):
		// The client has gone and reads no answer; 499 is what the logs
		// and metrics see, as nginx records it.
		c.Status(499)
	default:
		if s.Log != nil {
			s.Log.Error("request failed", "path", c.Request.URL.Path, "err", err)
		}
		if isAPI(c) {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "内部错误 / internal error"})
			return
		}
		s.errorPage(c, http.StatusInternalServerError, "内部错误", "服务器内部错误，请稍后再试。")
	}
}

// boolParam reads an optional true/false parameter; on a bad value it
// answers 400 and reports false in ok.
func boolParam(c *gin.Context, name string, absent bool) (value, ok bool) {
	switch c.Query(name) {
	case "":
		return absent, true
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	badRequest(c, name+" 只能是 true 或 false / "+name+" must be true or false")
	return false, false
}

// intParam reads an optional integer parameter; absent is 0.
// DefaultCountUpTo is the API's track_total_hits: as Elasticsearch's,
// counts are exact up to 10,000 sections.
const DefaultCountUpTo = 10_000

func intParam(c *gin.Context, name string) (int, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	return strconv.Atoi(v)
}
