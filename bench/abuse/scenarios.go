package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// search returns the path of an API search for q with extra parameters.
func searchPath(q string, extra ...string) string {
	v := url.Values{"q": {q}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/api/search?" + v.Encode()
}

// bust returns a size parameter that no earlier request of this run used,
// so that the server's result cache, keyed by the whole request, does not
// answer: an attacker varies a parameter too.
var bustSeq atomic.Int64

func bust() string { return fmt.Sprint(11 + bustSeq.Add(1)%90) }

// endpoints checks the basic endpoints, those of today and those the
// hardened server adds (/readyz, /metrics).
func (r *run) endpoints(when string) {
	s := r.section("Endpoints, " + when)
	if r.left() < 3*time.Second {
		r.note(s, "skipped: out of time")
		return
	}
	c := newClient(1, true)
	for _, p := range []string{"/healthz", "/readyz", "/metrics", searchPath(r.terms[0], "size", "10")} {
		name, _ := url.QueryUnescape(p)
		r.measure(s, "GET "+name, expect(200), func() []sample {
			return []sample{get(context.Background(), c, p, min(2*time.Second, r.left()))}
		})
	}
}

// paging is item 4: from, size and page at and past the edges of int64.
// A hardened server answers 400, and never 500.
func (r *run) paging() {
	s := r.section("4. Paging overflow: expect 400, never 500")
	const maxInt = "9223372036854775807"
	const minInt = "-9223372036854775808"
	cases := []struct {
		name, path string
		ok         []int
	}{
		{"api from=MaxInt64&size=100", searchPath("的", "from", maxInt, "size", "100"), []int{400}},
		{"api from=MaxInt64", searchPath("的", "from", maxInt), []int{400}},
		{"api from=MaxInt64-7&size=100", searchPath("的", "from", "9223372036854775800", "size", "100"), []int{400}},
		{"api from=MinInt64&size=100", searchPath("的", "from", minInt, "size", "100"), []int{400}},
		{"api from=-1", searchPath("的", "from", "-1"), []int{400}},
		{"api from=1e20 (past int64)", searchPath("的", "from", "99999999999999999999"), []int{400}},
		{"api from=9990&size=100 (window)", searchPath("的", "from", "9990", "size", "100"), []int{400}},
		{"api size=-1", searchPath("的", "size", "-1"), []int{400}},
		{"api size=MaxInt64", searchPath("的", "size", maxInt), []int{400}},
		{"api size=101", searchPath("的", "size", "101"), []int{400}},
		{"html page=MaxInt64", "/?" + url.Values{"q": {"的"}, "page": {maxInt}}.Encode(), []int{400}},
		{"html page=MinInt64", "/?" + url.Values{"q": {"的"}, "page": {minInt}}.Encode(), []int{400}},
		{"html page=-1", "/?" + url.Values{"q": {"的"}, "page": {"-1"}}.Encode(), []int{400}},
		{"html page=1e20 (past int64)", "/?" + url.Values{"q": {"的"}, "page": {"99999999999999999999"}}.Encode(), []int{400}},
		{"html page=1001 (past the window)", "/?" + url.Values{"q": {"的"}, "page": {"1001"}}.Encode(), []int{400}},
		{"html page=0", "/?" + url.Values{"q": {"的"}, "page": {"0"}}.Encode(), []int{200, 400}},
	}
	c := newClient(1, true)
	for _, tc := range cases {
		if r.left() < 2*time.Second {
			r.note(s, "rest skipped: out of time")
			return
		}
		rw := r.measure(s, tc.name, expect(tc.ok...), func() []sample {
			return []sample{get(context.Background(), c, tc.path, 5*time.Second)}
		})
		want := strings.Trim(strings.ReplaceAll(fmt.Sprint(tc.ok), " ", "/"), "[]")
		switch st := rw.samples[0]; {
		case st.kind != "":
			rw.note = "NO ANSWER (" + st.kind + "), want " + want
		case st.status >= 500:
			rw.note = fmt.Sprintf("SERVER ERROR %d, want %s", st.status, want)
		case slices.Contains(tc.ok, st.status):
			rw.note = "ok"
		default:
			rw.note = fmt.Sprintf("got %d, want %s", st.status, want)
		}
	}
}

// slowConn is one connection held open in the background.
type slowConn struct {
	opened    time.Time
	status    int           // status of the first answer, 0 if none
	answerAt  time.Duration // when the first byte of an answer came, 0 if none
	closedAt  time.Duration // when the server closed the connection, 0 if it did not
	closeKind string        // eof, reset …
	sent      int
	conn      net.Conn
	again     sample // keep-alive: a second request after the hold
}

// slowState holds the background connections of item 5: header and body
// tricklers (slowloris) and idle keep-alive connections.
type slowState struct {
	s                      *section
	rss0                   int64
	hold                   time.Duration
	end                    time.Time
	wg                     sync.WaitGroup
	headers, bodies, alive []*slowConn
}

const (
	trickleConns   = 16
	keepAliveConns = 256
)

// startSlow opens, in the background, trickleConns connections that send
// their request one byte a second from the first byte on, trickleConns
// that send whole headers announcing a 64-byte body and then the body one
// byte a second, and keepAliveConns connections that make one request and
// then idle. They are held for hold (cut to the time left); finishSlow
// reports on them.
func (r *run) startSlow(hold time.Duration) *slowState {
	st := &slowState{s: r.section("5. Connections held in the background during the mixed load: trickled requests, idle keep-alive")}
	st.rss0 = r.rss()
	st.end = r.until(hold)
	st.hold = time.Until(st.end)
	if st.hold < 2*time.Second {
		r.note(st.s, "skipped: out of time")
		return st
	}
	header := []byte("GET /healthz HTTP/1.1\r\nHost: " + target + "\r\nUser-Agent: abuse-slowloris\r\nX-Padding: " + strings.Repeat("a", 64) + "\r\n\r\n")
	body := []byte("GET " + searchPath("廉政风险") + " HTTP/1.1\r\nHost: " + target + "\r\nContent-Type: text/plain\r\nContent-Length: 64\r\n\r\n")
	for range trickleConns {
		h := &slowConn{}
		st.headers = append(st.headers, h)
		st.wg.Go(func() { st.trickle(h, nil, header) })
		b := &slowConn{}
		st.bodies = append(st.bodies, b)
		st.wg.Go(func() { st.trickle(b, body, []byte(strings.Repeat("x", 64))) })
	}
	// Keep-alive connections are opened 32 at a time.
	sem := make(chan struct{}, 32)
	for range keepAliveConns {
		k := &slowConn{}
		st.alive = append(st.alive, k)
		st.wg.Go(func() {
			sem <- struct{}{}
			st.keepAlive(k, sem)
		})
	}
	return st
}

// trickle sends head at once, then slow one byte a second, while reading
// whatever the server sends, until the hold ends or the server closes.
func (st *slowState) trickle(sc *slowConn, head, slow []byte) {
	sc.opened = time.Now()
	c, err := dialTarget(context.Background(), "tcp", target)
	if err != nil {
		sc.closeKind = "dial-" + errKind(err)
		return
	}
	defer c.Close()
	c.SetDeadline(st.end)
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if n > 0 && sc.answerAt == 0 {
				sc.answerAt = time.Since(sc.opened)
				sc.status = statusOf(buf[:n])
			}
			if err != nil {
				if errKind(err) != "timeout" {
					sc.closedAt, sc.closeKind = time.Since(sc.opened), errKind(err)
				}
				return
			}
		}
	}()
	if len(head) > 0 {
		if _, err := c.Write(head); err != nil {
			slow = nil // wait for the reader below
		}
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for i := 0; i < len(slow); i++ {
		if _, err := c.Write(slow[i : i+1]); err != nil {
			break
		}
		sc.sent++
		select {
		case <-closed:
			return
		case <-tick.C:
		}
		if !time.Now().Before(st.end) {
			break
		}
	}
	<-closed // the reader ends at st.end at the latest
}

// statusOf reads the status code of "HTTP/1.1 408 …".
func statusOf(b []byte) int {
	var code int
	if _, err := fmt.Sscanf(string(b), "HTTP/1.%d %d", new(int), &code); err != nil {
		return -1
	}
	return code
}

// keepAlive makes one request on a connection of its own and then holds it
// idle, watching for the server closing it.
func (st *slowState) keepAlive(k *slowConn, sem chan struct{}) {
	k.opened = time.Now()
	c, err := dialTarget(context.Background(), "tcp", target)
	if err != nil {
		<-sem
		k.closeKind = "dial-" + errKind(err)
		return
	}
	k.conn = c
	c.SetDeadline(time.Now().Add(3 * time.Second))
	_, err = c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: " + target + "\r\n\r\n"))
	var buf [4096]byte
	n := 0
	if err == nil {
		// The answer to /healthz is small: read until its end.
		for err == nil && !strings.Contains(string(buf[:n]), "}") && n < len(buf) {
			var m int
			m, err = c.Read(buf[n:])
			n += m
		}
	}
	<-sem
	k.answerAt = time.Since(k.opened)
	k.status = statusOf(buf[:n])
	if err != nil {
		k.closedAt, k.closeKind = time.Since(k.opened), errKind(err)
		return
	}
	c.SetDeadline(st.end)
	if _, err := c.Read(buf[:]); err != nil && errKind(err) != "timeout" {
		k.closedAt, k.closeKind = time.Since(k.opened), errKind(err)
	}
}

// finishSlow waits for the background connections and reports on them.
func (r *run) finishSlow(st *slowState) {
	if st.hold < 2*time.Second {
		return
	}
	st.wg.Wait() // every connection's reads end at st.end
	hold := fmt.Sprintf("%.0f s", st.hold.Seconds())
	slow := func(name string, conns []*slowConn, what string) {
		rw := &row{name: name, rss0: st.rss0, rss1: r.rss(), ok: func(s sample) bool { return s.label != "open" && s.label != "waiting" }}
		var sent []int
		for _, sc := range conns {
			sm := sample{at: sc.opened}
			switch {
			case sc.status != 0:
				sm.status, sm.dur = sc.status, sc.answerAt
			case sc.closedAt > 0:
				sm.label, sm.dur = "closed-"+sc.closeKind, sc.closedAt
			case strings.HasPrefix(sc.closeKind, "dial-"):
				sm.kind = sc.closeKind
			default:
				sm.label, sm.dur = what, st.hold
			}
			sent = append(sent, sc.sent)
			rw.samples = append(rw.samples, sm)
		}
		slices.Sort(sent)
		rw.note = fmt.Sprintf("latency = until answer or close; slow bytes sent: median %d", sent[len(sent)/2])
		r.add(st.s, rw)
	}
	slow("header trickle, 1 B/s", st.headers, "open")
	slow("body trickle, 1 B/s of 64", st.bodies, "waiting")

	// Keep-alive: the first answers, then who is still open, then a second
	// request on those.
	first := &row{name: fmt.Sprintf("keep-alive: first request (%d conns)", len(st.alive)), ok: expect(200), rss0: st.rss0, rss1: r.rss()}
	second := &row{name: fmt.Sprintf("keep-alive: 2nd request after %s idle", hold), ok: func(s sample) bool {
		return (s.kind == "" && s.status == 200) || strings.HasPrefix(s.label, "closed")
	}, rss0: st.rss0}
	var wg sync.WaitGroup
	var mu sync.Mutex
	closed := 0
	for _, k := range st.alive {
		switch {
		case k.conn == nil:
			first.samples = append(first.samples, sample{kind: k.closeKind})
			continue
		case k.status <= 0:
			first.samples = append(first.samples, sample{kind: "no-answer", dur: k.answerAt})
		default:
			first.samples = append(first.samples, sample{status: k.status, dur: k.answerAt})
		}
		if k.closedAt > 0 {
			closed++
			second.samples = append(second.samples, sample{label: "closed-by-server", dur: k.closedAt})
			k.conn.Close()
			continue
		}
		wg.Go(func() {
			defer k.conn.Close()
			t0 := time.Now()
			k.conn.SetDeadline(t0.Add(2 * time.Second))
			sm := sample{at: t0}
			if _, err := k.conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: " + target + "\r\nConnection: close\r\n\r\n")); err != nil {
				sm.kind = errKind(err)
			} else {
				var buf [4096]byte
				n, err := k.conn.Read(buf[:])
				if n > 0 {
					sm.status = statusOf(buf[:n])
				} else {
					sm.kind = errKind(err)
				}
			}
			sm.dur = time.Since(t0)
			mu.Lock()
			second.samples = append(second.samples, sm)
			mu.Unlock()
		})
	}
	wg.Wait()
	second.rss1 = r.rss()
	second.note = fmt.Sprintf("%d of %d closed by the server while idle", closed, len(st.alive))
	r.add(st.s, first)
	r.add(st.s, second)
	r.note(st.s, "held %s; the server should close tricklers (header/read timeouts) and may close idle keep-alives; open/waiting at the end count as errors", hold)
}

// connections is the rest of item 5: thousands of idle TCP connections
// while new clients are timed, then oversized requests.
func (r *run) connections(want int) {
	s := r.section("5. Connections: idle TCP connections held while new clients come; oversized requests")
	if r.left() < 5*time.Second {
		r.note(s, "skipped: out of time")
		return
	}
	// Stay under both processes' fd limits, with room for everything else
	// this run holds, and under the ephemeral ports.
	const spare = 1000
	ours, theirs := fileLimit(0), fileLimit(r.pid)
	n := min(want, ours-openFiles(0)-spare)
	if theirs > 0 {
		n = min(n, theirs-openFiles(r.pid)-spare)
	}
	if p := localPorts(); p > 0 {
		n = min(n, p/2)
	}
	n = max(n, 0)
	r.note(s, "RLIMIT_NOFILE: this program %d, server %s; holding %d idle connections (asked %d)", ours, limitString(theirs), n, want)

	// Dial, 64 at a time, for at most 4 s.
	conns := make([]net.Conn, 0, n)
	var mu sync.Mutex
	dialRow := r.measure(s, fmt.Sprintf("%d idle TCP conns: dial", n), func(s sample) bool { return s.kind == "" }, func() []sample {
		var samples []sample
		var next atomic.Int64
		stop := r.until(4 * time.Second)
		var wg sync.WaitGroup
		for range 64 {
			wg.Go(func() {
				for int(next.Add(1)) <= n && time.Now().Before(stop) {
					t0 := time.Now()
					ctx, cancel := context.WithTimeout(context.Background(), time.Second)
					c, err := dialTarget(ctx, "tcp", target)
					cancel()
					sm := sample{dur: time.Since(t0), at: t0, label: "connected", kind: errKind(err)}
					mu.Lock()
					samples = append(samples, sm)
					if err == nil {
						conns = append(conns, c)
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return samples
	})
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	if n := n - len(dialRow.samples); n > 0 {
		dialRow.note = fmt.Sprintf("%d not tried: out of time", n)
	}
	time.Sleep(300 * time.Millisecond) // let the server accept them all
	rssHeld := r.rss()
	r.note(s, "while held: server open fds %s, RSS %s MiB", fdString(openFiles(r.pid), r.pid), mib(rssHeld))

	// New clients, each on a connection of its own: 200 requests, 8 at a
	// time, for at most 5 s.
	var reqs atomic.Int64
	fresh := newClient(8, false)
	r.measure(s, fmt.Sprintf("new clients while %d held", len(conns)), expect(200), func() []sample {
		var samples []sample
		stop := r.until(5 * time.Second)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for {
					i := reqs.Add(1)
					if i > 200 || !time.Now().Before(stop) {
						return
					}
					p := "/healthz"
					if i%2 == 0 {
						p = searchPath(r.terms[int(i/2)%len(r.terms)], "size", "10")
					}
					sm := get(context.Background(), fresh, p, 3*time.Second)
					mu.Lock()
					samples = append(samples, sm)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return samples
	})

	// Did the server close any of them while they were held?
	closed := 0
	var buf [1]byte
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(time.Millisecond))
		if _, err := c.Read(buf[:]); err != nil && errKind(err) != "timeout" {
			closed++
		}
	}
	held := time.Since(dialRow.samples[0].at)
	r.note(s, "idle connections closed by the server after %.1f s held: %d of %d", held.Seconds(), closed, len(conns))
	for _, c := range conns {
		c.Close()
	}
	conns = nil

	// Oversized requests, each on a connection of its own; the answer
	// should be an HTTP status, not a reset.
	mibQ := strings.Repeat("a", 1<<20)
	han := url.QueryEscape("的")
	hanQ := strings.Repeat(han, (1<<20)/len(han))
	oversized := []struct {
		name, target string
		ok           []int
	}{
		{"q of 1 MiB (ASCII)", "/api/search?q=" + mibQ, []int{400, 414, 431}},
		{"q of 1 MiB (%-escaped 的)", "/api/search?q=" + hanQ, []int{400, 414, 431}},
		{"request line of 100 KiB (q=a…)", "/api/search?q=" + mibQ[:100<<10], []int{200, 400, 414, 431}},
		{"request line of 100 KiB (path)", "/notices/" + mibQ[:100<<10], []int{400, 404, 414, 431}},
	}
	for _, o := range oversized {
		if r.left() < 6*time.Second {
			r.note(s, "oversized requests skipped: out of time")
			return
		}
		req := []byte("GET " + o.target + " HTTP/1.1\r\nHost: " + target + "\r\nConnection: close\r\n\r\n")
		var detail string
		rw := r.measure(s, o.name, expect(o.ok...), func() []sample {
			sm, d := raw(req, 5*time.Second)
			detail = d
			return []sample{sm}
		})
		rw.note = detail
	}
}

func limitString(n int) string {
	if n == 0 {
		return "unknown"
	}
	return fmt.Sprint(n)
}

func fdString(n, pid int) string {
	if pid == 0 || n < 0 {
		return "?"
	}
	return fmt.Sprint(n)
}

// mixedLoad runs 64 keep-alive connections for d: searches from the terms
// file, the HTML search page, suggestions, notices as JSON and as pages,
// and health checks.
func (r *run) mixedLoad(d time.Duration) {
	const conns = 64
	s := r.section(fmt.Sprintf("Mixed load: %d connections, %s (expect 200)", conns, d))
	if r.left() < d+3*time.Second {
		d = r.left() - 3*time.Second
		if d < time.Second {
			r.note(s, "skipped: out of time")
			return
		}
		r.note(s, "cut to %s: out of time", d)
	}
	// Notice ids to ask for, from a few searches.
	c := newClient(1, true)
	var ids []string
	for _, t := range r.terms[:min(5, len(r.terms))] {
		_, b := getBody(context.Background(), c, searchPath(t, "size", "50"), 5*time.Second)
		var res struct {
			Hits []struct {
				NoticeID string `json:"notice_id"`
			} `json:"hits"`
		}
		json.Unmarshal(b, &res)
		for _, h := range res.Hits {
			if !slices.Contains(ids, h.NoticeID) {
				ids = append(ids, h.NoticeID)
			}
		}
	}
	prefixes := []string{"ygsz", "lzfx", "aqsc", "xzcf", "sthj", "rmzf"}
	for _, t := range r.terms {
		rs := []rune(t)
		prefixes = append(prefixes, string(rs[:1]), string(rs[:min(2, len(rs))]))
	}
	kinds := []struct {
		name   string
		weight int
		path   func(rng *rand.Rand) string
	}{
		{"api/search", 50, func(rng *rand.Rand) string {
			extra := []string{"size", "10"}
			switch rng.IntN(10) {
			case 0, 1:
				extra = append(extra, "sort", "date")
			case 2, 3:
				extra = append(extra, "from", "10")
			case 4:
				extra = append(extra, "facets", "true")
			}
			return searchPath(r.terms[rng.IntN(len(r.terms))], extra...)
		}},
		{"search page /?q=", 10, func(rng *rand.Rand) string {
			return "/?" + url.Values{"q": {r.terms[rng.IntN(len(r.terms))]}}.Encode()
		}},
		{"api/suggest", 15, func(rng *rand.Rand) string {
			return "/api/suggest?" + url.Values{"prefix": {prefixes[rng.IntN(len(prefixes))]}}.Encode()
		}},
		{"api/notices/ID", 10, func(rng *rand.Rand) string {
			if len(ids) == 0 {
				return "/healthz"
			}
			return "/api/notices/" + url.PathEscape(ids[rng.IntN(len(ids))])
		}},
		{"notice page", 5, func(rng *rand.Rand) string {
			if len(ids) == 0 {
				return "/healthz"
			}
			return "/notices/" + url.PathEscape(ids[rng.IntN(len(ids))]) + "?" + url.Values{"q": {r.terms[rng.IntN(len(r.terms))]}}.Encode()
		}},
		{"healthz", 10, func(*rand.Rand) string { return "/healthz" }},
	}
	if len(ids) == 0 {
		r.note(s, "no notice ids found: notice requests went to /healthz")
	}
	type result struct {
		kind int
		sample
	}
	rss0 := r.rss()
	t0 := time.Now()
	end := t0.Add(d)
	ctx, cancel := context.WithDeadline(context.Background(), end.Add(3*time.Second))
	defer cancel()
	perWorker := make([][]result, conns)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 9))
			client := newClient(1, true)
			for i := 0; i < 1_000_000 && time.Now().Before(end); i++ {
				x := rng.IntN(100)
				k := 0
				for x >= kinds[k].weight {
					x -= kinds[k].weight
					k++
				}
				perWorker[w] = append(perWorker[w], result{k, get(ctx, client, kinds[k].path(rng), 5*time.Second)})
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(t0)
	rss1 := r.rss()
	total := &row{name: "all", ok: expect(200), rss0: rss0, rss1: rss1}
	byKind := make([]*row, len(kinds))
	for k := range kinds {
		byKind[k] = &row{name: kinds[k].name, ok: expect(200), rss0: rss0, rss1: rss1}
	}
	for _, rs := range perWorker {
		for _, res := range rs {
			byKind[res.kind].samples = append(byKind[res.kind].samples, res.sample)
			total.samples = append(total.samples, res.sample)
		}
	}
	for _, rw := range byKind {
		rw.note = fmt.Sprintf("%.0f req/s", float64(len(rw.samples))/elapsed.Seconds())
		r.add(s, rw)
	}
	total.note = fmt.Sprintf("%.0f req/s over %.1f s", float64(len(total.samples))/elapsed.Seconds(), elapsed.Seconds())
	r.add(s, total)
}
