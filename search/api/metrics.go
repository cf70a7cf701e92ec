package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"noticesearch/search"
)

// metrics are what /metrics exposes, in a registry of the server's own.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec   // by route, method and status
	latency  *prometheus.HistogramVec // by route
	inFlight prometheus.Gauge
	shed     *prometheus.CounterVec // searches refused, by reason
}

// cacheStats is what a Searcher with a result cache tells of it.
type cacheStats interface {
	Stats() (hits, misses uint64)
}

// indexStats is what a Searcher tells of the index it reads.
type indexStats interface {
	IndexStats() search.IndexStats
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "noticesearch_http_requests_total", Help: "HTTP requests answered, by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "noticesearch_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "noticesearch_http_in_flight_requests", Help: "HTTP requests being answered.",
		}),
		shed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "noticesearch_searches_shed_total", Help: "Searches answered 503: busy (too many at once), heavy (too many costly ones at once), deadline (past the search timeout).",
		}, []string{"reason"}),
	}
	for _, r := range []string{"busy", "heavy", "deadline"} {
		m.shed.WithLabelValues(r)
	}
	m.reg.MustRegister(m.requests, m.latency, m.inFlight, m.shed,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	cache := func(pick func(hits, misses uint64) uint64) func() float64 {
		return func() float64 {
			if c, ok := s.searcher().(cacheStats); ok {
				return float64(pick(c.Stats()))
			}
			return 0
		}
	}
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "noticesearch_cache_hits_total", Help: "Searches answered from the result cache."},
			cache(func(h, _ uint64) uint64 { return h })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "noticesearch_cache_misses_total", Help: "Searches the result cache did not hold."},
			cache(func(_, m uint64) uint64 { return m })),
	)
	index := func(pick func(search.IndexStats) int64) func() float64 {
		return func() float64 {
			if x, ok := s.searcher().(indexStats); ok {
				return float64(pick(x.IndexStats()))
			}
			return 0
		}
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "noticesearch_index_notices", Help: "Notices in the index."},
			index(func(st search.IndexStats) int64 { return int64(st.Notices) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "noticesearch_index_sections", Help: "Sections in the index."},
			index(func(st search.IndexStats) int64 { return int64(st.Sections) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "noticesearch_index_text_bytes", Help: "Bytes of section text in the index."},
			index(func(st search.IndexStats) int64 { return st.TextBytes })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "noticesearch_ready", Help: "1 once the index is open and searches are answered."},
			func() float64 {
				if s.searcher() != nil {
					return 1
				}
				return 0
			}),
	)
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// observe counts and times each request, logs it at debug level, and
// writes it to the access log if there is one. A route is the pattern it
// matched (/notices/:id), so that the metrics do not grow with the IDs
// and queries asked for.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	s.metrics.inFlight.Inc()
	defer s.metrics.inFlight.Dec()
	c.Next()
	took := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	method := c.Request.Method
	if method != http.MethodGet && method != http.MethodHead {
		method = "other" // a label per method a client makes up would grow without bound
	}
	s.metrics.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	s.metrics.latency.WithLabelValues(route).Observe(took.Seconds())
	ms := float64(took.Microseconds()) / 1000
	if s.AccessLog != nil {
		s.AccessLog.Info("request", "remote", c.ClientIP(), "method", c.Request.Method, "uri", c.Request.RequestURI,
			"status", status, "bytes", c.Writer.Size(), "ms", ms, "agent", c.Request.UserAgent())
	}
	if s.Log != nil {
		s.Log.Debug("request", "method", c.Request.Method, "route", route, "status", status, "ms", ms)
	}
}
