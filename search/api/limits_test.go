package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"noticesearch/search"
)

// stalling is a Searcher whose searches wait until released or until
// their context ends, and which says how each ended.
type stalling struct {
	release chan struct{}
	ended   chan error
}

func newStalling() *stalling {
	return &stalling{release: make(chan struct{}), ended: make(chan error, 64)}
}

func (s *stalling) Search(ctx context.Context, _ search.Request) (*search.Result, error) {
	select {
	case <-s.release:
		s.ended <- nil
		return &search.Result{Hits: []search.Hit{}}, nil
	case <-ctx.Done():
		s.ended <- ctx.Err()
		return nil, ctx.Err()
	}
}
func (s *stalling) Notice(context.Context, string, int) (*search.NoticeView, error) {
	return nil, search.ErrNotFound
}
func (s *stalling) Suggest(context.Context, string) ([]search.Suggestion, error) { return nil, nil }

// waitFor polls cond until it holds or a generous deadline passes (a
// guard against hanging, not a measure of speed).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func metric(t *testing.T, base, name string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, name+" ") {
			return strings.TrimPrefix(line, name+" ")
		}
	}
	return ""
}

func TestSearchesPastTheLimitAreShed(t *testing.T) {
	st := newStalling()
	srv := httptest.NewServer((&Server{Searcher: st, MaxSearches: 1, SearchTimeout: time.Minute}).Handler())
	defer srv.Close()
	first := make(chan int)
	go func() {
		resp, err := http.Get(srv.URL + "/api/search?q=x")
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	waitFor(t, "the first search to run", func() bool { return metric(t, srv.URL, "noticesearch_http_in_flight_requests") == "2" })
	for _, path := range []string{"/api/search?q=y", "/?q=y"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "稍后再试") {
			t.Errorf("%s with the only slot taken: %d, Retry-After %q, %s", path, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
	if code := get(t, "/healthz", nil); code != 200 {
		t.Errorf("healthz while searches are shed: %d", code)
	}
	close(st.release)
	if code := <-first; code != 200 {
		t.Errorf("the search that held the slot: %d", code)
	}
	if got := metric(t, srv.URL, `noticesearch_searches_shed_total{reason="busy"}`); got != "2" {
		t.Errorf("shed busy = %q, want 2", got)
	}
}

func TestSearchPastItsDeadline(t *testing.T) {
	st := newStalling()
	srv := httptest.NewServer((&Server{Searcher: st, SearchTimeout: 50 * time.Millisecond}).Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/search?q=x")
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]string
	json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(v["error"], "检索超时") || !strings.Contains(v["error"], "took longer") {
		t.Errorf("search past its deadline: %d %v", resp.StatusCode, v)
	}
	if err := <-st.ended; err != context.DeadlineExceeded {
		t.Errorf("the search ended with %v, want its deadline", err)
	}
}

// TestClientGoneCancelsTheSearch: a client that hangs up ends its search.
func TestClientGoneCancelsTheSearch(t *testing.T) {
	st := newStalling()
	srv := httptest.NewServer((&Server{Searcher: st, SearchTimeout: time.Minute}).Handler())
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/search?q=x", nil)
	go func() {
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	waitFor(t, "the search to run", func() bool { return metric(t, srv.URL, "noticesearch_http_in_flight_requests") == "2" })
	cancel()
	select {
	case err := <-st.ended:
		if err != context.Canceled {
			t.Errorf("the search ended with %v, want cancelled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the search went on after its client had gone")
	}
}

func TestHTTPSemantics(t *testing.T) {
	for _, c := range []struct {
		method, path string
		status       int
		ctype, allow string
	}{
		{"HEAD", "/healthz", 200, "application/json", ""},
		{"HEAD", "/", 200, "text/html", ""},
		{"HEAD", "/api/search?q=" + url.QueryEscape("整改"), 200, "application/json", ""},
		{"HEAD", "/static/style.css", 200, "text/css", ""},
		{"POST", "/api/search?q=x", 405, "application/json", "GET, HEAD"},
		{"DELETE", "/notices/x", 405, "text/html", "GET, HEAD"},
		{"PUT", "/healthz", 405, "text/html", "GET, HEAD"},
		{"GET", "/no/such/page", 404, "text/html", ""},
		{"GET", "/api/no-such-endpoint", 404, "application/json", ""},
		{"GET", "/notices/no-such-notice", 404, "text/html", ""},
		{"GET", "/api/notices/no-such-notice", 404, "application/json", ""},
		{"GET", "/api/search?q=x&from=9223372036854775807&size=100", 400, "application/json", ""},
		{"GET", "/?q=x&page=9223372036854775807", 400, "text/html", ""},
		{"GET", "/api/notices/x?from=-1", 400, "application/json", ""},
		{"GET", "/api/search?q=" + strings.Repeat("x", MaxURI), 414, "text/plain", ""},
		{"GET with a body", "/api/search?q=x", 413, "text/plain", ""},
		{"POST with a body", "/api/search?q=x", 413, "text/plain", ""},
	} {
		var reqBody io.Reader
		method, withBody := strings.CutSuffix(c.method, " with a body")
		if withBody {
			reqBody = strings.NewReader("q=x")
		}
		req, _ := http.NewRequest(method, testServer.URL+c.path, reqBody)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		label := c.method + " " + c.path[:min(len(c.path), 60)]
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", label, resp.StatusCode, c.status)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, c.ctype) {
			t.Errorf("%s: content type %q, want %s", label, ct, c.ctype)
		}
		if resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s: Allow %q, want %q", label, resp.Header.Get("Allow"), c.allow)
		}
		if c.method == "HEAD" && len(body) != 0 {
			t.Errorf("%s: a body of %d bytes", label, len(body))
		}
	}
}

func TestReadiness(t *testing.T) {
	s := &Server{}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	status := func(path string) int {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 503, "/api/search?q=x": 503, "/?q=x": 503, "/notices/x": 503, "/metrics": 200} {
		if got := status(path); got != want {
			t.Errorf("before the index is open, %s: %d, want %d", path, got, want)
		}
	}
	if got := metric(t, srv.URL, "noticesearch_ready"); got != "0" {
		t.Errorf("noticesearch_ready = %q before", got)
	}
	s.SetSearcher(search.NewCache(testEngine, 8))
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/api/search?q=" + url.QueryEscape("整改"): 200} {
		if got := status(path); got != want {
			t.Errorf("once open, %s: %d, want %d", path, got, want)
		}
	}
	status("/api/search?q=" + url.QueryEscape("整改"))
	st := testEngine.IndexStats()
	for name, want := range map[string]string{
		"noticesearch_ready": "1", "noticesearch_cache_hits_total": "1", "noticesearch_cache_misses_total": "1",
		"noticesearch_index_notices": strconv.Itoa(st.Notices), "noticesearch_index_sections": strconv.Itoa(st.Sections),
		`noticesearch_http_requests_total{method="GET",route="/api/search",status="200"}`: "2",
	} {
		if got := metric(t, srv.URL, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// panicking is a Searcher with a bug.
type panicking struct{ failing }

func (panicking) Search(context.Context, search.Request) (*search.Result, error) {
	panic("index out of range")
}

func TestPanicIsLoggedAndAnswered500(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))
	srv := httptest.NewServer((&Server{Searcher: panicking{}, Log: log}).Handler())
	defer srv.Close()
	for range 2 {
		resp, err := http.Get(srv.URL + "/api/search?q=x")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 500 {
			t.Errorf("a panicking search: %d", resp.StatusCode)
		}
	}
	if got := metric(t, srv.URL, `noticesearch_http_requests_total{method="GET",route="/api/search",status="500"}`); got != "2" {
		t.Errorf("the panics' 500s counted %q times, want 2", got)
	}
	mu.Lock()
	defer mu.Unlock()
	var rec map[string]any
	line, _, _ := strings.Cut(logs.String(), "\n")
	if err := json.Unmarshal([]byte(line), &rec); err != nil || rec["msg"] != "panic" || rec["panic"] != "index out of range" || !strings.Contains(rec["stack"].(string), "panicking") {
		t.Errorf("panic record: %v %s", err, line)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestIdleConnectionsMakeRoom: at the bound on connections, silent and
// idle ones give way to a new client; when all are busy, the newcomer is
// told 503.
func TestIdleConnectionsMakeRoom(t *testing.T) {
	st := newStalling()
	s := &Server{Searcher: st, SearchTimeout: time.Minute}
	h := s.Handler()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, lim := s.HTTPServer(h, ln, Limits{MaxConns: 4})
	go srv.Serve(lim)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	// Ten connections that fill the bound: silent ones, and ones that
	// started a request and trickle the rest of it.
	var silent []net.Conn
	for i := range 10 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "))
		}
		silent = append(silent, c)
	}
	defer func() {
		for _, c := range silent {
			c.Close()
		}
	}()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatalf("a new client behind 10 silent and trickling connections: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	// Four connections trickling their headers fill the bound (net/http
	// says a connection is active once its headers are read, so to the
	// limiter they are idle): a new client takes the place of one.
	cl := lim.(*connLimiter)
	accepted := func(c net.Conn) bool {
		cl.mu.Lock()
		defer cl.mu.Unlock()
		for sc := range cl.open {
			if sc.RemoteAddr().String() == c.LocalAddr().String() {
				return true
			}
		}
		return false
	}
	for range 4 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "))
		silent = append(silent, c)
		waitFor(t, "the connection to be accepted", func() bool { return accepted(c) })
	}
	resp, err = client.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("a new client behind 4 trickling connections: %v %v", err, resp)
	}
	resp.Body.Close()

	// Four searches hold every connection busy; the next client is
	// refused. The connections so far are closed first (and the server
	// has seen it), so that the searches take no one's place.
	for _, c := range silent {
		c.Close()
	}
	waitFor(t, "the server to see the connections closed", func() bool {
		cl.mu.Lock()
		defer cl.mu.Unlock()
		return len(cl.open) == 0
	})
	done := make(chan struct{})
	for range 4 {
		go func() {
			if r, err := client.Get(base + "/api/search?q=x"); err == nil {
				r.Body.Close()
			}
			done <- struct{}{}
		}()
	}
	waitFor(t, "four searches to run", func() bool { return len(s.slots) == 4 })
	resp, err = client.Get(base + "/healthz")
	if err != nil {
		t.Fatalf("a client when every connection is busy: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("when every connection is busy: %d", resp.StatusCode)
	}
	close(st.release)
	for range 4 {
		<-done
	}
}

// TestMadeUpMethodsShareOneLabel: a method a client makes up is counted
// as "other", so that the metrics cannot be made to grow without bound.
func TestMadeUpMethodsShareOneLabel(t *testing.T) {
	srv := httptest.NewServer((&Server{Searcher: failing{}}).Handler())
	defer srv.Close()
	for _, m := range []string{"FOO", "BAR" + strings.Repeat("X", 1000)} {
		req, _ := http.NewRequest(m, srv.URL+"/healthz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got := metric(t, srv.URL, `noticesearch_http_requests_total{method="other",route="unmatched",status="405"}`); got != "2" {
		t.Errorf("made-up methods: %q, want 2 under method=\"other\"", got)
	}
}

// TestVictimOrder: idle connections give way first, then those read or
// answered but not being answered, then those answered for longer than a
// search may take (a client that does not read); never one being answered
// within that time.
func TestVictimOrder(t *testing.T) {
	now := time.Now()
	conn := func() net.Conn { a, b := net.Pipe(); b.Close(); return a }
	cl := newConnLimiter(nil, 4, time.Second)
	busy, stuck, written, idle := conn(), conn(), conn(), conn()
	cl.open = map[net.Conn]*connInfo{
		busy:    {state: connHandling, since: now.Add(-500 * time.Millisecond)},
		stuck:   {state: connHandling, since: now.Add(-2 * time.Second)},
		written: {state: connReading, since: now.Add(-100 * time.Millisecond)},
		idle:    {state: connIdle, since: now},
	}
	for _, want := range []net.Conn{idle, written, stuck, nil} {
		v := cl.victim()
		if v != want {
			t.Fatalf("victim %v, want %v (busy %v, stuck %v, written %v, idle %v)", v, want, busy, stuck, written, idle)
		}
		delete(cl.open, v)
	}
}
