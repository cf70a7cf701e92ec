package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// MaxURI bounds a request's path and query. A query is at most
// search.MaxQueryRunes, under 3 KB percent-encoded; anything longer is
// not one of our requests.
const MaxURI = 8 << 10

// limitURI answers 414 to a request whose path and query are longer than
// MaxURI, before any routing or parsing. (Longer than the server's
// MaxHeaderBytes, the request line is refused by net/http with 431.)
func limitURI(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.RequestURI) > MaxURI {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusRequestURITooLong)
			w.Write([]byte("请求地址过长 / request URI too long\n"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitSearch runs a search only while fewer than MaxSearches are running,
// and sheds it with 503 and Retry-After otherwise: a queue would only make
// every client wait longer, and the client can try again in a second.
func (s *Server) limitSearch(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
			h(c)
		default:
			s.metrics.shed.WithLabelValues("busy").Inc()
			c.Header("Retry-After", "1")
			s.unavailable(c, "检索请求过多，请稍后再试 / too many searches at once, try again shortly")
		}
	}
}
