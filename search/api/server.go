// Package api is the HTTP layer over the search engine: it parses request
// parameters, calls the engine, and turns errors into status codes. It
// holds no search logic, and no gin type leaves it.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"noticesearch/search"
)

// Searcher is what the API needs of the engine.
type Searcher interface {
	Search(ctx context.Context, req search.Request) (*search.Result, error)
	Notice(ctx context.Context, id string) (*search.NoticeView, error)
	Suggest(ctx context.Context, prefix string) ([]string, error)
}

// Server serves the API over a Searcher.
type Server struct {
	Searcher Searcher
	Log      *slog.Logger
	// Ready reports whether the index is open; /healthz answers 503 until it is.
	Ready func() bool
}

// Handler wires every route.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), s.logRequests())
	r.Use(securityHeaders)
	r.GET("/", s.searchPage)
	r.GET("/notices/:id", s.noticePage)
	r.StaticFS("/static", http.FS(mustSub(staticFiles, "static")))
	r.GET("/healthz", s.healthz)
	r.GET("/api/search", s.search)
	r.GET("/api/notices/:id", s.notice)
	r.GET("/api/suggest", s.suggest)
	r.NoRoute(func(c *gin.Context) {
		c.JSON(http.StatusNotFound, gin.H{"error": "没有这个地址 / no such endpoint"})
	})
	return r
}

func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if s.Log != nil {
			s.Log.Info("request", "method", c.Request.Method, "path", c.Request.URL.Path,
				"query", c.Request.URL.RawQuery, "status", c.Writer.Status(), "ms", float64(time.Since(start).Microseconds())/1000)
		}
	}
}

func (s *Server) healthz(c *gin.Context) {
	if s.Ready != nil && !s.Ready() {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "starting"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
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
	switch c.Query("collapse") {
	case "", "false", "0", "none":
	case "notice", "true", "1":
		req.Collapse = true
	default:
		badRequest(c, "collapse 只能是 notice / collapse must be notice")
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
	res, err := s.Searcher.Search(c.Request.Context(), req)
	s.respond(c, err, res)
}

func (s *Server) suggest(c *gin.Context) {
	prefix := c.Query("prefix")
	words, err := s.Searcher.Suggest(c.Request.Context(), prefix)
	s.respond(c, err, gin.H{"prefix": prefix, "suggestions": words})
}

func (s *Server) notice(c *gin.Context) {
	n, err := s.Searcher.Notice(c.Request.Context(), c.Param("id"))
	s.respond(c, err, n)
}

// respond answers an API call: the body on success, else the status its
// error calls for (a bad query 400, an unknown notice 404, anything else
// 500).
func (s *Server) respond(c *gin.Context, err error, body any) {
	var qe *search.QueryError
	switch {
	case errors.As(err, &qe):
		badRequest(c, qe.Error())
	case errors.Is(err, search.ErrNotFound):
		c.JSON(http.StatusNotFound, gin.H{"error": err.Error()})
	case err != nil:
		s.internal(c, err)
	default:
		c.JSON(http.StatusOK, body)
	}
}

func (s *Server) internal(c *gin.Context, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	if s.Log != nil {
		s.Log.Error("request failed", "path", c.Request.URL.Path, "err", err)
	}
	c.JSON(http.StatusInternalServerError, gin.H{"error": "内部错误 / internal error"})
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
func intParam(c *gin.Context, name string) (int, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	return strconv.Atoi(v)
}
