// Command abuse replays hostile clients against a noticesearch server on
// loopback and reports what the server did (issue 9, "Hardened"):
//
//  1. query cost: long OR'd, AND'd, negated and phrase queries, one at a
//     time and 16 at once, with /healthz timed meanwhile; clients that hang
//     up after 100 ms, and the server's CPU time in the seconds after;
//  4. paging overflow: from, size and page at the edges of int64;
//  5. connections: idle keep-alive connections, trickled headers and
//     bodies (one byte a second), thousands of idle TCP connections while
//     new clients are timed, a 1 MiB q parameter, a 100 KiB request line;
//
// and a 64-connection mixed load (searches from bench/terms.txt, suggest,
// notice pages, health) with requests/s, p50/p99 and errors by status. For
// each scenario it prints the count, the statuses, p50/p99/max latency,
// errors (answers other than the ones a hardened server should give) and
// the server's RSS before and after; at the end VmHWM, the peak.
//
// It reports and does not assert: the server before issue 9 fails several
// scenarios, and the exit status is 0 whenever the run itself completed.
//
//	go run ./bench/abuse -bin bench/out/noticesearch -index bench/out/abuse.index
//	go run ./bench/abuse -addr 127.0.0.1:8080 -pid 1234
//
// With -bin it starts `serve --addr 127.0.0.1:0` on the index (a running
// server locks its index: give it a copy no other server uses), reads the
// address from the "serving on" line, and at the end stops it with SIGTERM
// while requests are in flight, to see them drain. It passes
// --search-timeout, --max-searches, --max-conns and --log-level when they
// are given and `serve -h` lists them; by default the server runs with its
// own limits, as an operator would start it. It talks to 127.0.0.1 only, every loop is bounded
// in count and time, every dial, read and write has a deadline, and the
// whole run is cut at -budget (at most 60 s): the server it started is then
// killed, as it is when this program is interrupted.
//
// bench/abuse.sh builds the binary and an index of a corpus, then runs this.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"
)

const maxBudget = 60 * time.Second

func main() {
	bin := flag.String("bin", "", "noticesearch binary: start `serve` on a free loopback port and stop it at the end")
	index := flag.String("index", "", "index folder for -bin (one that no other server has open)")
	addr := flag.String("addr", "", "a server already running, 127.0.0.1:PORT (instead of -bin)")
	pid := flag.Int("pid", 0, "that server's pid, for RSS and CPU time (optional)")
	termsFile := flag.String("terms", "bench/terms.txt", "normal queries for the mixed load, one a line")
	budget := flag.Duration("budget", maxBudget, "hard limit on the whole run, at most 60s")
	loadFor := flag.Duration("load", 10*time.Second, "length of the 64-connection mixed load")
	idle := flag.Int("idle", 5000, "idle TCP connections to hold (lowered to stay under both processes' fd limits)")
	slowFor := flag.Duration("slow", 11*time.Second, "how long trickling and idle keep-alive connections are held, during the mixed load (the old header timeout was 10s)")
	searchTimeout := flag.String("search-timeout", "", "value for serve --search-timeout, if serve has it (empty: leave out, the server's default)")
	maxSearches := flag.String("max-searches", "", "value for serve --max-searches, if serve has it (empty: leave out, the server's default)")
	maxConns := flag.String("max-conns", "", "value for serve --max-conns, if serve has it (empty: leave out, the server's default)")
	logFile := flag.String("log", "", "file for the started server's standard error (default: a temporary file, removed at the end)")
	logLevel := flag.String("log-level", "warn", "value for serve --log-level, if serve has it (empty: leave out)")
	flag.Parse()

	if (*bin == "") == (*addr == "") {
		fatalf("give either -bin and -index (start a server) or -addr (a server already running)")
	}
	if *budget <= 0 || *budget > maxBudget {
		fatalf("-budget must be in (0, %s]", maxBudget)
	}
	terms, err := readTerms(*termsFile)
	if err != nil {
		fatalf("%v", err)
	}

	r := &run{start: time.Now(), terms: terms}
	r.deadline = r.start.Add(*budget)
	// The hard deadline: whatever is running, kill the server we started,
	// print what was measured, exit.
	time.AfterFunc(*budget, func() { r.abort(fmt.Sprintf("hard deadline of %s reached", *budget), 2) })
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() { s := <-sigs; r.abort("interrupted by "+s.String(), 130) }()

	if *bin != "" {
		if *index == "" {
			fatalf("-bin needs -index")
		}
		flags := map[string]string{"search-timeout": *searchTimeout, "max-searches": *maxSearches, "max-conns": *maxConns, "log-level": *logLevel}
		if err := r.startServer(*bin, *index, *logFile, flags); err != nil {
			r.abort("server did not start: "+err.Error(), 1)
		}
		// Kept for the drain test and the server's own shutdown (10 s at
		// most, --grace by default).
		r.reserve = 13 * time.Second
	} else {
		if err := checkLoopback(*addr); err != nil {
			fatalf("%v", err)
		}
		target = *addr
		r.pid = *pid
		if r.pid != 0 && !alive(r.pid) {
			fatalf("no process %d", r.pid)
		}
		r.head(fmt.Sprintf("server: %s, pid %s, already running (not stopped at the end)", target, pidString(r.pid)))
	}
	if err := r.waitReady(); err != nil {
		r.abort(err.Error(), 1)
	}
	rss, _ := memory(r.pid)
	r.mu.Lock()
	r.rssStart = rss
	r.mu.Unlock()
	r.head(fmt.Sprintf("machine: %d cores, load average %s at the start (other work on the machine skews latencies)", runtime.NumCPU(), loadAverage()))

	r.endpoints("before")
	r.paging()
	r.connections(*idle)
	bg := r.startSlow(*slowFor)
	r.mixedLoad(*loadFor)
	r.finishSlow(bg)
	r.queryCost()
	r.endpoints("after")
	if r.srv != nil {
		r.shutdown()
	}
	r.abort("", 0)
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "abuse: "+format+"\n", args...)
	os.Exit(2)
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:min(3, len(strings.Fields(string(b))))], " ")
}

func pidString(pid int) string {
	if pid == 0 {
		return "unknown (no RSS or CPU figures)"
	}
	return strconv.Itoa(pid)
}

func readTerms(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("terms: %v (run from the repository root, or pass -terms)", err)
	}
	var terms []string
	for line := range strings.SplitSeq(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			terms = append(terms, line)
		}
	}
	if len(terms) == 0 {
		return nil, fmt.Errorf("terms: no queries in %s", path)
	}
	return terms, nil
}

// run is the state of one abuse run.
type run struct {
	start    time.Time
	deadline time.Time     // hard: the run ends here whatever happens
	reserve  time.Duration // kept at the end for stopping the server
	pid      int
	srv      *server // nil when the server was already running
	terms    []string
	rssStart int64 // server RSS when the run began
	rssEnd   int64 // and when the scenarios were over
	peak     int64 // VmHWM then

	mu       sync.Mutex // guards what follows, which abort prints
	header   []string
	sections []*section
	printed  bool
}

type section struct {
	title string
	rows  []*row
	notes []string
}

// head adds a line to the report's header.
func (r *run) head(line string) {
	r.mu.Lock()
	r.header = append(r.header, line)
	r.mu.Unlock()
}

func (r *run) section(title string) *section {
	s := &section{title: title}
	r.mu.Lock()
	r.sections = append(r.sections, s)
	r.mu.Unlock()
	return s
}

func (r *run) add(s *section, rw *row) {
	r.mu.Lock()
	s.rows = append(s.rows, rw)
	r.mu.Unlock()
}

func (r *run) note(s *section, format string, args ...any) {
	r.mu.Lock()
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

// until returns the earlier of now+d and the end of the time left for
// scenarios.
func (r *run) until(d time.Duration) time.Time {
	t := time.Now().Add(d)
	if end := r.deadline.Add(-r.reserve); end.Before(t) {
		return end
	}
	return t
}

// left is the time left for scenarios.
func (r *run) left() time.Duration { return time.Until(r.deadline.Add(-r.reserve)) }

func (r *run) rss() int64 {
	rss, _ := memory(r.pid)
	return rss
}

// measure runs f and records its samples as a row, with the server's RSS
// before and after.
func (r *run) measure(s *section, name string, ok func(sample) bool, f func() []sample) *row {
	rw := &row{name: name, ok: ok, rss0: r.rss()}
	rw.samples = f()
	rw.rss1 = r.rss()
	r.add(s, rw)
	return rw
}

// abort ends the run: it kills the server if this program started it and it
// still runs, prints the report once, and exits with code.
func (r *run) abort(why string, code int) {
	r.mu.Lock()
	srv := r.srv
	r.mu.Unlock()
	if srv != nil {
		srv.kill()
	}
	r.mu.Lock()
	if r.printed {
		// Another caller is printing and will exit.
		r.mu.Unlock()
		select {}
	}
	r.printed = true
	r.print(os.Stdout, why)
	os.Exit(code)
}

func (r *run) print(w io.Writer, why string) {
	fmt.Fprintf(w, "noticesearch abuse run, %s, %.1f s\n", time.Now().Format(time.DateTime), time.Since(r.start).Seconds())
	for _, h := range r.header {
		fmt.Fprintln(w, h)
	}
	rssEnd, hwm := memory(r.pid)
	if r.peak > 0 {
		rssEnd, hwm = r.rssEnd, r.peak
	}
	fmt.Fprintf(w, "server RSS: before %s MiB, after %s MiB, peak (VmHWM) %s MiB\n", mib(r.rssStart), mib(rssEnd), mib(hwm))
	fmt.Fprintln(w, "errors: answers other than the expected ones (see each section), and requests with no HTTP answer; latencies in ms")
	for _, s := range r.sections {
		fmt.Fprintf(w, "\n== %s ==\n", s.title)
		if len(s.rows) > 0 {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "scenario\tn\tstatuses\terrors\tp50\tp99\tmax\tRSS MiB\tnote")
			for _, rw := range s.rows {
				p50, p99, mx, ok := rw.percentiles()
				lat := "-\t-\t-"
				if ok {
					lat = ms(p50) + "\t" + ms(p99) + "\t" + ms(mx)
				}
				errs := "-"
				if rw.ok != nil {
					errs = strconv.Itoa(rw.errors())
				}
				note := rw.note
				if n := rw.noRetryAfter(); n > 0 {
					note = strings.TrimSpace(note + fmt.Sprintf(" %d× 503/429 without Retry-After", n))
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s→%s\t%s\n", rw.name, len(rw.samples), rw.statuses(), errs, lat, mib(rw.rss0), mib(rw.rss1), note)
			}
			tw.Flush()
		}
		for _, n := range s.notes {
			fmt.Fprintln(w, "  "+n)
		}
	}
	if r.srv != nil {
		where := r.srv.logPath
		if r.srv.tempLog {
			where = "-log FILE keeps it"
		}
		fmt.Fprintf(w, "\nserver log (%s): %s\n", where, logSummary(r.srv.logPath))
		if r.srv.tempLog {
			os.Remove(r.srv.logPath)
		}
	}
	if why != "" {
		fmt.Fprintf(w, "\nRUN CUT SHORT: %s\n", why)
	}
}

// waitReady waits, at most 30 s, until /readyz answers 200, or /healthz
// where there is no /readyz: a server may listen before its index is open.
func (r *run) waitReady() error {
	t0 := time.Now()
	stop := t0.Add(min(30*time.Second, max(2*time.Second, time.Until(r.deadline)-r.reserve-5*time.Second)))
	c := newClient(1, true)
	path := "/readyz"
	last := sample{}
	for time.Now().Before(stop) {
		if r.srv != nil {
			select {
			case <-r.srv.exited:
				return fmt.Errorf("serve exited (%v): %s", r.srv.state, logTail(r.srv.logPath))
			default:
			}
		}
		last = get(context.Background(), c, path, time.Second)
		switch {
		case last.kind == "" && last.status == 404 && path == "/readyz":
			path = "/healthz"
			continue
		case last.kind == "" && last.status == 200:
			r.head(fmt.Sprintf("ready: %s answered 200 after %.2f s of waiting", path, time.Since(t0).Seconds()))
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("server not ready within %.0f s: %s answers %s", time.Since(t0).Seconds(), path, last.key())
}

// server is a noticesearch serve process this program started.
type server struct {
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has been waited for
	state   *os.ProcessState
	logPath string // its standard error
	tempLog bool   // logPath is this program's to remove
}

// startServer runs `bin serve` on index at 127.0.0.1:0 and waits for its
// "serving on" line.
func (r *run) startServer(bin, index, logPath string, values map[string]string) error {
	args := []string{"serve", "--index", index, "--addr", "127.0.0.1:0"}
	help := serveHelp(bin)
	var passed, absent []string
	for _, name := range []string{"search-timeout", "max-searches", "max-conns", "log-level"} {
		if !regexp.MustCompile(`(?m)^\s+--?` + name + `\b`).MatchString(help) {
			absent = append(absent, "--"+name)
			continue
		}
		if v := values[name]; v != "" {
			args = append(args, "--"+name, v)
			passed = append(passed, "--"+name+" "+v)
		}
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return err
	}
	var logf *os.File
	if logPath != "" {
		logf, err = os.Create(logPath)
	} else {
		logf, err = os.CreateTemp("", "abuse-server-*.log")
	}
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = outW, logf
	// Should this program die without cleaning up, the kernel kills the server.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	outW.Close()
	s := &server{cmd: cmd, exited: make(chan struct{}), logPath: logf.Name(), tempLog: logPath == ""}
	r.mu.Lock()
	r.srv, r.pid = s, cmd.Process.Pid
	r.mu.Unlock()
	go func() {
		cmd.Wait()
		s.state = cmd.ProcessState
		close(s.exited)
	}()
	addrc := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`serving on http://([^/\s]+)/`)
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addrc <- m[1]:
				default:
				}
			}
		}
	}()
	wait := min(30*time.Second, max(2*time.Second, time.Until(r.deadline)-20*time.Second))
	select {
	case a := <-addrc:
		if err := checkLoopback(a); err != nil {
			return err
		}
		target = a
	case <-s.exited:
		return fmt.Errorf("serve exited (%v): %s", s.state, logTail(s.logPath))
	case <-time.After(wait):
		return fmt.Errorf("no \"serving on\" line within %s (does another server hold the index's lock?): %s", wait, logTail(s.logPath))
	}
	flagsNote := "none"
	if len(passed) > 0 {
		flagsNote = strings.Join(passed, " ")
	}
	r.head(fmt.Sprintf("server: %s serve --index %s, pid %d, at %s, listening after %.2f s", bin, index, r.pid, target, time.Since(t0).Seconds()))
	r.head(fmt.Sprintf("hardening flags passed: %s; not in `serve -h`: %s", flagsNote, orNone(absent)))
	return nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, " ")
}

// serveHelp returns what `bin serve -h` prints (it exits 2).
func serveHelp(bin string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, bin, "serve", "-h").CombinedOutput()
	return string(out)
}

// kill ends the server at once if it still runs.
func (s *server) kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	s.cmd.Process.Kill()
	select {
	case <-s.exited:
	case <-time.After(3 * time.Second):
	}
}

// logSummary counts the server's log lines by level and quotes the last
// warnings and errors. The log goes to a file, never a pipe: a pipe this
// program read too slowly would stall the server's handlers.
func logSummary(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	levels := map[string]int{}
	lines, panics := 0, 0
	var last []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := strings.TrimSpace(ansiRe.ReplaceAllString(sc.Text(), ""))
		lines++
		level := "other"
		if m := levelRe.FindStringSubmatch(line); m != nil {
			level = m[1]
		}
		levels[level]++
		p := strings.Contains(line, "panic")
		if p {
			panics++
		}
		if line != "" && (level == "ERROR" || level == "WARN" || p) {
			if len(line) > 200 {
				line = line[:200] + "…"
			}
			last = append(last, line)
			if len(last) > 3 {
				last = last[1:]
			}
		}
	}
	var parts []string
	for _, lv := range []string{"DEBUG", "INFO", "WARN", "ERROR", "other"} {
		if n := levels[lv]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", lv, n))
		}
	}
	s := fmt.Sprintf("%d lines (%s), %d mentioning panic", lines, orNone(parts), panics)
	for _, line := range last {
		s += "\n  " + strings.TrimSpace(line)
	}
	return s
}

var (
	levelRe = regexp.MustCompile(`level=(\w+)`)
	ansiRe  = regexp.MustCompile("\x1b\\[[0-9;]*m")
)

// logTail returns the end of the server's log.
func logTail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 600 {
		b = b[len(b)-600:]
	}
	return strings.TrimSpace(string(b))
}
