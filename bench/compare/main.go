// Command compare measures noticesearch against the tools a user would
// pick instead, on one corpus in one run: indexing (wall time, MB/s, peak
// RSS, size on disk), serve start-up, per-term HTTP latency and
// document-level recall against a substring scan, a bounded load run on
// loopback, and the same corpus and terms in SQLite FTS5 (trigram; LIKE for
// terms under 3 characters) and ripgrep (rg -lF). It writes BENCHMARKS.md.
//
// Run it through bench/run.sh.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"noticesearch/dict"
	"noticesearch/indexer"
	"noticesearch/search"
)

// The twenty terms of the benchmark.
var terms = []string{"一岗双责", "廉政风险", "安全生产", "行政处罚", "生态环境", "不动产登记", "人民政府", "监督管理", "法律责任", "信访",
	"罚款", "县级以上", "消防", "疫情防控", "个人信息", "未成年人", "野生动物", "文物保护", "廉政", "党"}

func main() {
	corpus := flag.String("corpus", "../shared/corpus/laws", "corpus folder")
	bin := flag.String("bin", "", "noticesearch binary")
	work := flag.String("work", "bench/out", "scratch folder for indexes")
	out := flag.String("out", "BENCHMARKS.md", "report to write")
	runs := flag.Int("runs", 30, "requests per term for latency")
	termsFile := flag.String("terms", "bench/terms.txt", "queries for the exactness check (noticesearch eval)")
	loadFor := flag.Duration("load", 10*time.Second, "duration of the load run")
	flag.Parse()
	if *bin == "" {
		log.Fatal("-bin is required")
	}
	must(os.RemoveAll(*work))
	must(os.MkdirAll(*work, 0o755))
	r := &report{Corpus: *corpus, Terms: terms}
	r.Files, r.TextBytes = corpusSize(*corpus)

	log.Print("reference: scanning the corpus")
	refs := references(*corpus)

	log.Print("noticesearch: indexing")
	ix := filepath.Join(*work, "ix")
	r.NS.IndexSecs, r.NS.PeakRSS = timed(*bin, "index", "--index", ix, *corpus)
	r.NS.IndexBytes = dirSize(ix)

	log.Print("noticesearch: eval")
	r.Eval = evaluate(*bin, ix, *termsFile)

	// The engine is measured with the result cache off; the cache's effect
	// on repeated queries is measured after, as a second server.
	log.Print("noticesearch: serving, no cache")
	base, stop, startup := serve(*bin, ix, "0")
	r.NS.StartupSecs = startup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	for _, t := range terms {
		lat := latency(client, base, t, *runs)
		found := notices(client, base, t)
		r.NS.Terms = append(r.NS.Terms, termResult{Term: t, Median: lat.median, P90: lat.p90, Recall: recall(found, refs[t]), Found: len(found), Expected: len(refs[t])})
	}
	log.Print("noticesearch: load run, no cache")
	r.Load = load(client, base, 16, *loadFor)
	stop()

	log.Print("noticesearch: serving, with the default cache")
	base, stop, _ = serve(*bin, ix, "1024")
	for _, t := range terms {
		lat := latency(client, base, t, *runs)
		r.Cached.Terms = append(r.Cached.Terms, termResult{Term: t, Median: lat.median, P90: lat.p90})
	}
	r.CachedLoad = load(client, base, 16, *loadFor)
	stop()

	log.Print("sqlite fts5")
	r.FTS = fts5(*work, *corpus, refs, *runs)
	log.Print("ripgrep")
	r.RG = ripgrep(*corpus, refs, max(*runs/3, 5))

	must(os.WriteFile(*out, []byte(r.markdown()), 0o644))
	log.Printf("wrote %s", *out)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

type termResult struct {
	Term            string
	Median, P90     float64 // milliseconds
	Recall          float64
	Found, Expected int
}

type tool struct {
	IndexSecs   float64
	PeakRSS     int64 // bytes
	IndexBytes  int64
	StartupSecs float64
	Terms       []termResult
}

type loadResult struct {
	Requests, Errors int
	Secs             float64
	P50, P99         float64
}

type report struct {
	Corpus      string
	Terms       []string
	Files       int
	TextBytes   int64
	NS, FTS, RG tool
	Load        loadResult
	Cached      tool // noticesearch with its result cache, repeated queries
	CachedLoad  loadResult
	Eval        []search.EvalResult
}

// evaluate runs noticesearch eval over the term list: every query's hits
// against a substring scan of every stored section.
func evaluate(bin, ix, terms string) []search.EvalResult {
	out, err := exec.Command(bin, "eval", "--index", ix, "--terms", terms, "--json").Output()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok { // exit 1 means a difference, reported below
			log.Fatal(err)
		}
	}
	var res []search.EvalResult
	must(json.Unmarshal(out, &res))
	return res
}

func corpusSize(dir string) (int, int64) {
	files, _ := indexer.Files(context.Background(), []string{dir})
	var n int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			n += fi.Size()
		}
	}
	return len(files), n
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// references are, per term, the files whose notice body holds the term
// under the shared normalisation: what a user wants found.
func references(dir string) map[string]map[string]bool {
	files, _ := indexer.Files(context.Background(), []string{dir})
	refs := map[string]map[string]bool{}
	for _, t := range terms {
		refs[t] = map[string]bool{}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	ch := make(chan string)
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range ch {
				n, err := indexer.ReadFile(f)
				if err != nil {
					continue
				}
				abs, _ := filepath.Abs(f)
				body := dict.NormalizeString(n.Body) // once for all terms
				for _, t := range terms {
					if search.ContainsNormalized(body, t) {
						mu.Lock()
						refs[t][abs] = true
						mu.Unlock()
					}
				}
			}
		}()
	}
	for _, f := range files {
		ch <- f
	}
	close(ch)
	wg.Wait()
	return refs
}

// timed runs a command and returns its wall time and peak RSS.
func timed(name string, args ...string) (float64, int64) {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			log.Fatal(err)
		}
	}
	secs := time.Since(start).Seconds()
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var rss int64
	if ru != nil {
		rss = int64(ru.Maxrss) * 1024
	}
	return secs, rss
}

// serve starts noticesearch serve with a result cache of the given size
// and waits until /readyz answers 200 (the index open: /healthz answers
// as soon as the server listens); it returns the base URL, a stop function
// and the start-up time in seconds.
func serve(bin, ix, cache string) (string, func(), float64) {
	port := freePort()
	base := fmt.Sprintf("http://127.0.0.1:%d/", port)
	start := time.Now()
	srv := exec.Command(bin, "serve", "--index", ix, "--cache", cache, "--addr", fmt.Sprintf("127.0.0.1:%d", port))
	must(srv.Start())
	stop := func() {
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}
	for {
		if resp, err := http.Get(base + "readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Since(start) > 60*time.Second {
			srv.Process.Kill()
			log.Fatal("serve did not come up")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return base, stop, time.Since(start).Seconds()
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type lat struct{ median, p90 float64 }

func percentile(ds []float64, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := append([]float64(nil), ds...)
	sort.Float64s(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// latency times size-10 searches with highlighting over a kept-alive
// connection.
func latency(c *http.Client, base, term string, runs int) lat {
	u := base + "api/search?size=10&q=" + url.QueryEscape(term)
	var ds []float64
	for i := 0; i < runs+2; i++ {
		start := time.Now()
		resp, err := c.Get(u)
		must(err)
		var res search.Result
		json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if i >= 2 { // the first two warm the caches
			ds = append(ds, float64(time.Since(start).Microseconds())/1000)
		}
	}
	return lat{percentile(ds, 0.5), percentile(ds, 0.9)}
}

// notices pages through a term's hits, one per notice, and returns their paths.
func notices(c *http.Client, base, term string) map[string]bool {
	found := map[string]bool{}
	for from := 0; from+100 <= search.MaxWindow; from += 100 {
		resp, err := c.Get(fmt.Sprintf("%sapi/search?collapse=notice&highlight=false&size=100&from=%d&q=%s", base, from, url.QueryEscape(term)))
		must(err)
		var res search.Result
		must(json.NewDecoder(resp.Body).Decode(&res))
		resp.Body.Close()
		for _, h := range res.Hits {
			abs, _ := filepath.Abs(h.Path)
			found[abs] = true
		}
		if len(res.Hits) < 100 {
			break
		}
	}
	return found
}

func recall(found, want map[string]bool) float64 {
	if len(want) == 0 {
		return 1
	}
	n := 0
	for f := range want {
		if found[f] {
			n++
		}
	}
	return float64(n) / float64(len(want))
}

// load runs conns connections for d, each searching the terms in turn.
func load(c *http.Client, base string, conns int, d time.Duration) loadResult {
	var mu sync.Mutex
	var ds []float64
	errs := 0
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i++ {
				t0 := time.Now()
				resp, err := c.Get(base + "api/search?size=10&q=" + url.QueryEscape(terms[i%len(terms)]))
				ok := err == nil && resp.StatusCode == 200
				if err == nil {
					// Read, not decoded: decoding JSON here would take CPU
					// from the server on the same machine.
					_, err = io.Copy(io.Discard, resp.Body)
					ok = ok && err == nil
					resp.Body.Close()
				}
				mu.Lock()
				if ok {
					ds = append(ds, float64(time.Since(t0).Microseconds())/1000)
				} else {
					errs++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return loadResult{Requests: len(ds) + errs, Errors: errs, Secs: time.Since(start).Seconds(), P50: percentile(ds, 0.5), P99: percentile(ds, 0.99)}
}

// fts5 loads the corpus into SQLite FTS5 with the trigram tokenizer (a
// plain table holds the text for LIKE, which trigram cannot serve under 3
// characters) and times each term.
func fts5(work, corpus string, refs map[string]map[string]bool, runs int) tool {
	db := filepath.Join(work, "fts5.db")
	abs, _ := filepath.Abs(corpus)
	script := fmt.Sprintf(`CREATE TABLE docs(path TEXT, body TEXT);
INSERT INTO docs SELECT name, CAST(data AS TEXT) FROM fsdir(%s) WHERE mtime IS NOT NULL AND (name LIKE '%%.md' OR name LIKE '%%.txt' OR name LIKE '%%.html' OR name LIKE '%%.htm');
CREATE VIRTUAL TABLE fts USING fts5(body, content='docs', content_rowid='rowid', tokenize='trigram');
INSERT INTO fts(fts) VALUES('rebuild');
`, sqlQuote(abs))
	t := tool{}
	cmd := exec.Command("sqlite3", db)
	cmd.Stdin = strings.NewReader(script)
	cmd.Stderr = os.Stderr
	start := time.Now()
	must(cmd.Run())
	t.IndexSecs = time.Since(start).Seconds()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		t.PeakRSS = int64(ru.Maxrss) * 1024
	}
	if fi, err := os.Stat(db); err == nil {
		t.IndexBytes = fi.Size()
	}
	for _, term := range terms {
		q := fmt.Sprintf("SELECT d.path FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH %s;", sqlQuote(`"`+term+`"`))
		if len([]rune(term)) < 3 {
			q = fmt.Sprintf("SELECT path FROM docs WHERE body LIKE %s;", sqlQuote("%"+term+"%"))
		}
		// The query runs runs times in one process, with the database
		// warm; the times are SQLite's own (.timer), without process start.
		cmd := exec.Command("sqlite3", db)
		cmd.Stdin = strings.NewReader(".timer on\n" + strings.Repeat(q+"\n", runs))
		out, err := cmd.Output()
		must(err)
		var ds []float64
		found := map[string]bool{}
		sc := bufio.NewScanner(strings.NewReader(string(out)))
		for sc.Scan() {
			line := sc.Text()
			if m := runTime.FindStringSubmatch(line); m != nil {
				f, _ := strconv.ParseFloat(m[1], 64)
				ds = append(ds, f*1000)
			} else if line != "" {
				found[line] = true
			}
		}
		t.Terms = append(t.Terms, termResult{Term: term, Median: percentile(ds, 0.5), P90: percentile(ds, 0.9), Recall: recall(found, refs[term]), Found: len(found), Expected: len(refs[term])})
	}
	return t
}

var runTime = regexp.MustCompile(`^Run Time: real ([0-9.]+)`)

func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// ripgrep times `rg -lF term corpus`, process start included, as a user
// would run it.
func ripgrep(corpus string, refs map[string]map[string]bool, runs int) tool {
	abs, _ := filepath.Abs(corpus)
	t := tool{}
	for _, term := range terms {
		var ds []float64
		found := map[string]bool{}
		for i := 0; i < runs; i++ {
			start := time.Now()
			out, _ := exec.Command("rg", "-lF", term, abs).Output()
			ds = append(ds, float64(time.Since(start).Microseconds())/1000)
			found = map[string]bool{}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				if line != "" {
					found[line] = true
				}
			}
		}
		t.Terms = append(t.Terms, termResult{Term: term, Median: percentile(ds, 0.5), P90: percentile(ds, 0.9), Recall: recall(found, refs[term]), Found: len(found), Expected: len(refs[term])})
	}
	return t
}

func (r *report) markdown() string {
	var b strings.Builder
	commit, _ := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	cpu := "?"
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`model name\s*:\s*(.*)`).FindSubmatch(info); m != nil {
			cpu = string(m[1])
		}
	}
	mb := func(n int64) float64 { return float64(n) / (1 << 20) }
	fmt.Fprintf(&b, "# Benchmarks\n\nWritten by `bench/run.sh` on %s, commit %s, %d cores (%s).\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), strings.TrimSpace(string(commit)), runtime.NumCPU(), cpu)
	fmt.Fprintf(&b, "Corpus `%s`: %d files, %.1f MiB. Recall is document-level, against a scan of the notices' cleaned text under the shared normalisation.\n\n", r.Corpus, r.Files, mb(r.TextBytes))
	fmt.Fprintf(&b, "Ratios are noticesearch's figure over the other tool's: below 1 means noticesearch is faster or smaller.\n\n")
	fmt.Fprintf(&b, "| | noticesearch | SQLite FTS5 (trigram) | ripgrep |\n|---|---|---|---|\n")
	ratio := func(a, b float64) string {
		if b == 0 {
			return "—"
		}
		return fmt.Sprintf("%.2f×", a/b)
	}
	fmt.Fprintf(&b, "| index wall time | %.1f s | %.1f s (ratio %s) | — |\n", r.NS.IndexSecs, r.FTS.IndexSecs, ratio(r.NS.IndexSecs, r.FTS.IndexSecs))
	fmt.Fprintf(&b, "| index rate | %.1f MB/s | %.1f MB/s | — |\n", float64(r.TextBytes)/1e6/r.NS.IndexSecs, float64(r.TextBytes)/1e6/r.FTS.IndexSecs)
	fmt.Fprintf(&b, "| peak RSS while indexing | %.0f MiB | %.0f MiB (ratio %s) | — |\n", mb(r.NS.PeakRSS), mb(r.FTS.PeakRSS), ratio(float64(r.NS.PeakRSS), float64(r.FTS.PeakRSS)))
	fmt.Fprintf(&b, "| index on disk | %.1f MiB (%.2f× text) | %.1f MiB (%.2f× text; ratio %s) | — |\n", mb(r.NS.IndexBytes), float64(r.NS.IndexBytes)/float64(r.TextBytes), mb(r.FTS.IndexBytes), float64(r.FTS.IndexBytes)/float64(r.TextBytes), ratio(float64(r.NS.IndexBytes), float64(r.FTS.IndexBytes)))
	fmt.Fprintf(&b, "| serve start-up (until /readyz answers) | %.2f s | — | — |\n", r.NS.StartupSecs)
	med := func(t tool) (float64, float64, float64) {
		var ms, p90s []float64
		minRecall := 1.0
		for _, x := range t.Terms {
			ms = append(ms, x.Median)
			p90s = append(p90s, x.P90)
			minRecall = min(minRecall, x.Recall)
		}
		return percentile(ms, 0.5), percentile(p90s, 1), minRecall
	}
	nm, np, nr := med(r.NS)
	fm, fp, fr := med(r.FTS)
	rm, rp, rr := med(r.RG)
	fmt.Fprintf(&b, "| median of the terms' median latency | %.2f ms | %.2f ms (ratio %s) | %.1f ms (ratio %s) |\n", nm, fm, ratio(nm, fm), rm, ratio(nm, rm))
	fmt.Fprintf(&b, "| worst term's p90 latency | %.2f ms | %.2f ms (ratio %s) | %.1f ms (ratio %s) |\n", np, fp, ratio(np, fp), rp, ratio(np, rp))
	fmt.Fprintf(&b, "| lowest recall over the terms | %.3f | %.3f | %.3f |\n\n", nr, fr, rr)
	exact := 0
	var inexact []string
	for _, e := range r.Eval {
		if e.Exact() {
			exact++
		} else {
			inexact = append(inexact, fmt.Sprintf("%s (recall %.3f, precision %.3f)", e.Query, e.Recall, e.Precision))
		}
	}
	fmt.Fprintf(&b, "Exactness, section level (`noticesearch eval --terms bench/terms.txt`, every hit of every query against a substring scan of every stored section): %d of %d queries exact.", exact, len(r.Eval))
	if len(inexact) > 0 {
		fmt.Fprintf(&b, " Not exact: %s.", strings.Join(inexact, "; "))
	}
	b.WriteString("\n\n")
	loadLine := func(name string, l loadResult) {
		fmt.Fprintf(&b, "%s, 16 connections on loopback for %.0f s, the twenty terms in turn: %d requests, %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d errors.\n\n",
			name, l.Secs, l.Requests, float64(l.Requests)/l.Secs, l.P50, l.P99, l.Errors)
	}
	loadLine("Load with the result cache off (the engine)", r.Load)
	cm, cp, _ := med(r.Cached)
	fmt.Fprintf(&b, "With the result cache on (`serve` default, 1,024 results), repeated queries answer in a median of %.2f ms (worst p90 %.2f ms); the figures above are the engine's own, with the cache off.\n\n", cm, cp)
	loadLine("Load with the result cache on", r.CachedLoad)
	fmt.Fprintf(&b, "noticesearch latency is HTTP (size 10, highlighting on, keep-alive); FTS5 is SQLite's own query time (`.timer on`, trigram MATCH for 3+ characters, LIKE scan below); ripgrep is `rg -lF` wall time including process start.\n\n")
	fmt.Fprintf(&b, "| term | expected | noticesearch median / p90 ms | recall | FTS5 median / p90 ms | recall | rg median / p90 ms | recall | median ratio to FTS5 / rg |\n|---|---|---|---|---|---|---|---|---|\n")
	for i, t := range r.NS.Terms {
		f, g := r.FTS.Terms[i], r.RG.Terms[i]
		fmt.Fprintf(&b, "| %s | %d | %.2f / %.2f | %.3f | %.2f / %.2f | %.3f | %.1f / %.1f | %.3f | %s / %s |\n", t.Term, t.Expected, t.Median, t.P90, t.Recall, f.Median, f.P90, f.Recall, g.Median, g.P90, g.Recall, ratio(t.Median, f.Median), ratio(t.Median, g.Median))
	}
	return b.String()
}
