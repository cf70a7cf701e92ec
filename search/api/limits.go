package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// MaxURI bounds a request's path and query. A query is at most
// search.MaxQueryRunes, under 3 KB percent-encoded; anything longer is
// not one of our requests.
const MaxURI = 8 << 10

// guard answers before any routing or parsing: 414 to a request whose
// path and query are longer than MaxURI (longer than the server's
// MaxHeaderBytes, net/http refuses the request line with 431), and 413 to
// a request with a body, which no route takes: otherwise the server would
// wait up to its read timeout for a body trickled a byte at a time.
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case len(r.RequestURI) > MaxURI:
			refuseRequest(w, r, http.StatusRequestURITooLong, "请求地址过长 / request URI too long")
		case r.ContentLength != 0: // -1 (chunked) or a length
			refuseRequest(w, r, http.StatusRequestEntityTooLarge, "不接受请求正文 / no request takes a body")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// refuseRequest answers with a status and a message and closes the
// connection at once, reading no more of the request.
func refuseRequest(w http.ResponseWriter, r *http.Request, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Connection", "close")
	w.WriteHeader(status)
	w.Write([]byte(msg + "\n"))
	http.NewResponseController(w).SetReadDeadline(time.Now())
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
