package api

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// connLimiter bounds the open connections of a server. At the bound, a new
// connection takes the place of another that is not being answered: the
// one idle longest (a new connection that has sent nothing or only part of
// its headers, or an idle keep-alive), else one whose request is read but
// not yet handled; so that thousands of silent or slow connections cannot
// keep a new client out. Only when every connection is being answered is the new
// one told 503 and closed.
type connLimiter struct {
	net.Listener
	max   int
	stuck time.Duration // a connection answered longer than this is stuck writing to a client that does not read

	mu   sync.Mutex
	open map[net.Conn]*connInfo

	refusing         chan struct{} // a slot for each refusal being written
	evicted, refused prometheus.Counter
	gauge            prometheus.GaugeFunc
}

// What a connection is doing, as far as the limiter can tell. net/http
// calls a connection active once it has read a request's headers: one
// that trickles its headers is idle here, and a body is refused (guard).
const (
	connIdle     = iota // no request read yet, or between requests
	connReading         // a request's headers read and its handler not started, or its handler returned
	connHandling        // its handler running, or its answer being written
)

type connInfo struct {
	state int
	since time.Time // in this state since
}

// maxRefusing bounds the refusals written at once; past it a connection
// is closed without a word, so that a flood costs no goroutines.
const maxRefusing = 64

// busyReply is what a connection refused at the bound reads.
var busyReply = func() string {
	body := "服务器连接已满，请稍后再试 / too many connections, try again shortly\n"
	return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\nConnection: close\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}()

func newConnLimiter(l net.Listener, max int, stuck time.Duration) *connLimiter {
	c := &connLimiter{Listener: l, max: max, stuck: stuck, open: map[net.Conn]*connInfo{}, refusing: make(chan struct{}, maxRefusing),
		evicted: prometheus.NewCounter(prometheus.CounterOpts{Name: "noticesearch_connections_evicted_total", Help: "Idle, silent or slow connections closed to make room for a new one."}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{Name: "noticesearch_connections_refused_total", Help: "New connections refused because every open one was being answered."}),
	}
	c.gauge = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "noticesearch_connections_open", Help: "Open HTTP connections."}, func() float64 {
		c.mu.Lock()
		defer c.mu.Unlock()
		return float64(len(c.open))
	})
	return c
}

func (c *connLimiter) Accept() (net.Conn, error) {
	for {
		conn, err := c.Listener.Accept()
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if len(c.open) >= c.max {
			victim := c.victim()
			if victim == nil {
				c.mu.Unlock()
				c.refused.Inc()
				select {
				case c.refusing <- struct{}{}:
					go func() {
						defer func() { <-c.refusing }()
						refuse(conn)
					}()
				default:
					conn.Close()
				}
				continue
			}
			delete(c.open, victim)
			victim.Close() // its server goroutine sees the error and ends
			c.evicted.Inc()
		}
		c.open[conn] = &connInfo{state: connIdle, since: time.Now()}
		c.mu.Unlock()
		return conn, nil
	}
}

// victim is the connection to close for a new one: the idle one waiting
// longest, else the one longest read or written but not being answered,
// else the one answered longest if that is longer than c.stuck (its
// client does not read what it asked for), else none. c.mu is held.
func (c *connLimiter) victim() net.Conn {
	var best net.Conn
	var bestInfo *connInfo
	now := time.Now()
	for conn, info := range c.open {
		if info.state == connHandling && now.Sub(info.since) <= c.stuck {
			continue
		}
		if best == nil || info.state < bestInfo.state || info.state == bestInfo.state && info.since.Before(bestInfo.since) {
			best, bestInfo = conn, info
		}
	}
	return best
}

// refuse answers 503 on a connection and closes it. It waits for the
// request's headers first (for a moment at most): a client that has not
// sent its request yet takes an early answer for a broken connection. And
// it reads what follows for a moment before closing: closing a socket with
// unread data resets the connection, and the client would lose the answer.
func refuse(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Second))
	var head []byte
	buf := make([]byte, 4096)
	for len(head) < 64<<10 && !bytes.Contains(head, []byte("\r\n\r\n")) {
		n, err := conn.Read(buf)
		head = append(head, buf[:n]...)
		if err != nil {
			break
		}
	}
	conn.SetDeadline(time.Now().Add(time.Second))
	conn.Write([]byte(busyReply))
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
	io.Copy(io.Discard, io.LimitReader(conn, 1<<20))
}

// connState is the server's ConnState hook: it tells which connections
// are idle and which have started a request.
func (c *connLimiter) connState(conn net.Conn, state http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	info, ok := c.open[conn]
	switch state {
	case http.StateActive:
		if ok && info.state == connIdle {
			info.state, info.since = connReading, time.Now()
		}
	case http.StateIdle:
		if ok {
			info.state, info.since = connIdle, time.Now()
		}
	case http.StateClosed, http.StateHijacked:
		delete(c.open, conn)
	}
}

// connKey is the request context's key of its connection.
type connKey struct{}

// handling marks a request's connection as being answered, which only a
// connection whose request is complete is.
func (c *connLimiter) handling(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if conn, ok := r.Context().Value(connKey{}).(net.Conn); ok {
			c.mu.Lock()
			if info, ok := c.open[conn]; ok {
				info.state, info.since = connHandling, time.Now()
			}
			c.mu.Unlock()
		}
		next.ServeHTTP(w, r)
		// Answered: what is left is writing it out, which a client that
		// does not read can hold up; such a connection may give way.
		if conn, ok := r.Context().Value(connKey{}).(net.Conn); ok {
			c.mu.Lock()
			if info, ok := c.open[conn]; ok && info.state == connHandling {
				info.state, info.since = connReading, time.Now()
			}
			c.mu.Unlock()
		}
	})
}

// Limits of the HTTP server around the handler.
type Limits struct {
	MaxConns          int           // open connections (default DefaultMaxConns)
	ReadHeaderTimeout time.Duration // to read a request's headers (default 5 s)
	ReadTimeout       time.Duration // to read a whole request (default 10 s)
	WriteTimeout      time.Duration // to write an answer, from the end of the request's headers (default the search timeout + 10 s)
	IdleTimeout       time.Duration // a keep-alive connection may wait for its next request (default 60 s)
	MaxHeaderBytes    int           // request line and headers (default 64 KiB)
}

// DefaultMaxConns is the default bound on open connections: far below the
// file descriptors a process has here (20,000), far above what a search
// box on an intranet sees at once.
const DefaultMaxConns = 1024

// HTTPServer is an http.Server for the handler with these limits, and the
// listener it is to serve on, which enforces MaxConns. The connection
// metrics join the server's /metrics.
func (s *Server) HTTPServer(h http.Handler, ln net.Listener, lim Limits) (*http.Server, net.Listener) {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&lim.ReadHeaderTimeout, 5*time.Second)
	def(&lim.ReadTimeout, 10*time.Second)
	def(&lim.WriteTimeout, s.SearchTimeout+10*time.Second)
	def(&lim.IdleTimeout, 60*time.Second)
	if lim.MaxConns <= 0 {
		lim.MaxConns = DefaultMaxConns
	}
	if lim.MaxHeaderBytes <= 0 {
		lim.MaxHeaderBytes = 64 << 10
	}
	cl := newConnLimiter(ln, lim.MaxConns, s.SearchTimeout+time.Second)
	if s.metrics != nil {
		s.metrics.reg.MustRegister(cl.evicted, cl.refused, cl.gauge) // a second HTTPServer of one Server is a mistake
	}
	srv := &http.Server{
		Handler:           cl.handling(h),
		ConnContext:       func(ctx context.Context, c net.Conn) context.Context { return context.WithValue(ctx, connKey{}, c) },
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
		ConnState:         cl.connState,
	}
	if s.Log != nil {
		srv.ErrorLog = slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn)
	}
	return srv, cl
}
