package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// target is the one address this program talks to, 127.0.0.1:PORT. Every
// connection goes through dialTarget, which refuses any other.
var target string

// checkLoopback accepts 127.0.0.1:PORT and nothing else.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %v", addr, err)
	}
	if host != "127.0.0.1" {
		return fmt.Errorf("address %q: only 127.0.0.1 is allowed", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("address %q: bad port", addr)
	}
	return nil
}

// dialTarget dials target, with a 2 s timeout, and nothing else.
func dialTarget(ctx context.Context, _, addr string) (net.Conn, error) {
	if addr != target {
		return nil, fmt.Errorf("refusing to dial %s: this program only talks to %s", addr, target)
	}
	d := net.Dialer{Timeout: 2 * time.Second}
	return d.DialContext(ctx, "tcp4", target)
}

// newClient returns a client of at most conns connections to target; with
// keepAlive false every request opens a connection of its own.
func newClient(conns int, keepAlive bool) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext:           dialTarget,
			MaxIdleConns:          conns,
			MaxIdleConnsPerHost:   conns,
			MaxConnsPerHost:       conns,
			DisableKeepAlives:     !keepAlive,
			DisableCompression:    true,
			ResponseHeaderTimeout: 20 * time.Second,
			Proxy:                 nil, // never a proxy: loopback only
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second, // a backstop; each call sets its own
	}
}

// sample is one request, connection or probe.
type sample struct {
	dur        time.Duration
	status     int    // HTTP status; 0 if none was received
	kind       string // why there was no response: timeout, reset, refused, eof, canceled …; "" if there was one
	label      string // for samples that are not requests (e.g. "connected")
	retryAfter bool   // a Retry-After header came with the response
	at         time.Time
}

// key is how a sample is counted in the statuses column.
func (s sample) key() string {
	switch {
	case s.kind != "":
		return s.kind
	case s.label != "":
		return s.label
	}
	return strconv.Itoa(s.status)
}

// errKind names a transport error in a word.
func errKind(err error) string {
	var ne net.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.EPIPE):
		return "broken-pipe"
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return "no-fds"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no-ports"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), strings.Contains(err.Error(), "server closed"):
		return "eof"
	}
	return "error"
}

// get requests path (which starts with "/") from target and reads the whole
// response, all within timeout.
func get(ctx context.Context, c *http.Client, path string, timeout time.Duration) sample {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t0 := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+target+path, nil)
	if err != nil {
		return sample{kind: "bad-url", at: t0}
	}
	resp, err := c.Do(req)
	if err != nil {
		return sample{dur: time.Since(t0), kind: errKind(err), at: t0}
	}
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<20))
	resp.Body.Close()
	s := sample{dur: time.Since(t0), status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After") != "", at: t0}
	if err != nil {
		s.kind = errKind(err) + "-mid-body"
	}
	return s
}

// getBody is get for the few requests whose answer this program reads.
func getBody(ctx context.Context, c *http.Client, path string, timeout time.Duration) (int, []byte) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+target+path, nil)
	if err != nil {
		return 0, nil
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	return resp.StatusCode, b
}

// raw writes req on a connection of its own while reading the answer, both
// within timeout: a server may answer (431, 414 …) and close before a long
// request is all written, and that answer is what counts. detail says how
// much was written and how the write ended.
func raw(req []byte, timeout time.Duration) (s sample, detail string) {
	t0 := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c, err := dialTarget(ctx, "tcp", target)
	if err != nil {
		return sample{dur: time.Since(t0), kind: errKind(err), at: t0}, "dial failed"
	}
	c.SetDeadline(t0.Add(timeout))
	type written struct {
		n   int
		err error
	}
	done := make(chan written, 1)
	go func() {
		n, err := c.Write(req)
		done <- written{n, err}
	}()
	resp, rerr := http.ReadResponse(bufio.NewReader(c), nil)
	s = sample{at: t0}
	if rerr != nil {
		s.kind = errKind(rerr)
	} else {
		s.status = resp.StatusCode
		s.retryAfter = resp.Header.Get("Retry-After") != ""
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
	}
	s.dur = time.Since(t0)
	c.Close() // ends the write if it is still going
	w := <-done
	detail = fmt.Sprintf("wrote %s of %s", size(int64(w.n)), size(int64(len(req))))
	if w.err != nil && w.n < len(req) {
		detail += " (write: " + errKind(w.err) + ")"
	}
	return s, detail
}

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// row is one line of the report: a scenario's samples and what counts as a
// good answer.
type row struct {
	name       string
	samples    []sample
	ok         func(sample) bool
	rss0, rss1 int64 // server RSS before and after
	note       string
}

// expect counts responses with one of codes as fine.
func expect(codes ...int) func(sample) bool {
	return func(s sample) bool { return s.kind == "" && s.label == "" && slices.Contains(codes, s.status) }
}

func (r *row) errors() int {
	n := 0
	for _, s := range r.samples {
		if r.ok != nil && !r.ok(s) {
			n++
		}
	}
	return n
}

func (r *row) statuses() string {
	counts := map[string]int{}
	for _, s := range r.samples {
		counts[s.key()]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, counts[k])
	}
	s := strings.Join(parts, " ")
	if s == "" {
		return "-"
	}
	return s
}

// count counts the samples of the given kinds.
func (r *row) count(kinds ...string) int {
	n := 0
	for _, s := range r.samples {
		if slices.Contains(kinds, s.kind) {
			n++
		}
	}
	return n
}

// noRetryAfter counts 503 and 429 answers without a Retry-After header.
func (r *row) noRetryAfter() int {
	n := 0
	for _, s := range r.samples {
		if (s.status == 503 || s.status == 429) && !s.retryAfter {
			n++
		}
	}
	return n
}

func (r *row) percentiles() (p50, p99, mx time.Duration, ok bool) {
	if len(r.samples) == 0 {
		return 0, 0, 0, false
	}
	ds := make([]time.Duration, len(r.samples))
	for i, s := range r.samples {
		ds[i] = s.dur
	}
	slices.Sort(ds)
	at := func(q float64) time.Duration { return ds[min(len(ds)-1, int(q*float64(len(ds))))] }
	return at(0.5), at(0.99), ds[len(ds)-1], true
}

// over counts samples slower than d.
func (r *row) over(d time.Duration) int {
	n := 0
	for _, s := range r.samples {
		if s.dur > d {
			n++
		}
	}
	return n
}

func ms(d time.Duration) string {
	f := float64(d.Microseconds()) / 1000
	switch {
	case f < 10:
		return strconv.FormatFloat(f, 'f', 2, 64)
	case f < 100:
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}

func mib(b int64) string {
	if b <= 0 {
		return "?"
	}
	return strconv.FormatInt((b+(1<<19))>>20, 10)
}
