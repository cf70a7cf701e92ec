package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"noticesearch"
	"noticesearch/indexer"
	"noticesearch/indexer/watch"
	"noticesearch/search"
	"noticesearch/search/api"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory (created if missing)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	cacheSize := fs.Int("cache", 1024, "results of recent searches to keep (0: none)")
	timeout := fs.Duration("search-timeout", api.DefaultSearchTimeout, "deadline of one search; past it the answer is 503")
	maxSearches := fs.Int("max-searches", api.DefaultMaxSearches, "searches running at once; more are answered 503 with Retry-After")
	maxConns := fs.Int("max-conns", api.DefaultMaxConns, "open connections; at the bound the longest idle one is closed for a new one")
	grace := fs.Duration("grace", 10*time.Second, "on SIGTERM or SIGINT, time for the requests in flight to finish")
	level := fs.String("log-level", "info", "log level: debug (every request), info, warn or error")
	accessLog := fs.String("access-log", "", "write one line per request to this file (- for standard error); SIGHUP reopens it")
	maxFile := fs.Int64("max-file-size", indexer.DefaultMaxFileSize, "largest file to index, in bytes; larger ones are reported and skipped")
	reload := fs.Duration("reload", time.Second, "how often to look for a state of the index committed by another process (0: never)")
	var watchDirs []string
	fs.Func("watch", "keep this folder indexed: scan it, then index its new, changed and removed files as they come (repeatable; the index stays locked for writing)", func(dir string) error {
		watchDirs = append(watchDirs, dir)
		return nil
	})
	rescan := fs.Duration("rescan", watch.DefaultRescan, "with --watch, how often to scan the watched folders in full, for changes notifications miss (0: never)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch serve [--index DIR] [--addr HOST:PORT] [flags] [PATH...]")
		fmt.Fprintln(stderr, "Serves at once; indexes PATHs first if given, or the bundled notices when there is no index yet,")
		fmt.Fprintln(stderr, "and answers searches once the index is open (/readyz says when). It reads the index without locking it:")
		fmt.Fprintln(stderr, "`noticesearch index` may update it meanwhile, and the server sees each commit within --reload.")
		fmt.Fprintln(stderr, "With --watch DIR it is the index's writer instead: it indexes DIR, then each change in it as it comes.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(stderr, "noticesearch: --log-level %q: want debug, info, warn or error\n", *level)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl}))
	access, err := openAccessLog(*accessLog, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	defer access.Close()

	// SIGINT and SIGTERM end ctx (see main): indexing stops, the server
	// drains. SIGHUP, which a closed terminal or a log rotation sends, reopens the
	// access log instead of ending the server.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for range hup {
			if err := access.Reopen(); err != nil {
				log.Error("reopen access log", "err", err)
			} else {
				log.Info("SIGHUP: access log reopened")
			}
		}
	}()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	server := &api.Server{Log: log, SearchTimeout: *timeout, MaxSearches: *maxSearches}
	if access.Logger != nil {
		server.AccessLog = access.Logger
	}
	srv, ln := server.HTTPServer(server.Handler(), ln, api.Limits{MaxConns: *maxConns})
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "index", *dir)
	fmt.Fprintf(stdout, "noticesearch: serving on http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	// The index opens (and indexes what it must) while the server already
	// answers /healthz, and /readyz and searches with 503.
	ctx, cancelOpen := context.WithCancel(ctx)
	defer cancelOpen()
	type openResult struct {
		*served
		err error
	}
	opened := make(chan openResult, 1)
	go func() {
		opts := indexer.Options{MaxFileSize: *maxFile}
		var ix *served
		var err error
		if len(watchDirs) > 0 {
			wopts := watch.Options{Rescan: *rescan}
			if *rescan <= 0 {
				wopts.Rescan = -1 // never
			}
			ix, err = openWatched(ctx, *dir, fs.Args(), watchDirs, opts, wopts, log, stderr)
		} else {
			var r *indexer.Index
			if r, err = openForServe(ctx, *dir, fs.Args(), opts, log, stderr); err == nil {
				ix = &served{Index: r}
			}
		}
		if err == nil {
			eng := search.New(ix.Index)
			// Ready once the first search costs no more than the others.
			if werr := eng.Warm(); werr != nil {
				log.Warn("reading the index ahead of the first search failed", "err", werr)
			}
			var searcher api.Searcher = eng
			if *cacheSize > 0 {
				searcher = search.NewCache(eng, *cacheSize)
			}
			server.SetSearcher(searcher)
			log.Info("ready", "index", *dir, "generation", ix.State().Generation, "notices", ix.Text().Docs())
			if *reload > 0 {
				// A writer of its own (--watch) sees its commits at once, and
				// no other process commits; the loop then reads each of its
				// states ahead of the searches all the same.
				go reloadLoop(ctx, ix.Index, *reload, log, eng.Warm)
			}
		}
		opened <- openResult{ix, err}
	}()

	var ix *served // set once opened has answered, closed after the server has stopped
	status := 0
	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "noticesearch:", err)
		cancelOpen()
		if r := <-opened; r.served != nil {
			r.Close()
		}
		return 1
	case r := <-opened:
		ix = r.served
		if r.err != nil {
			if !errors.Is(r.err, context.Canceled) {
				fmt.Fprintln(stderr, "noticesearch:", r.err)
				status = 1
			}
			break
		}
		select {
		case err := <-errc:
			fmt.Fprintln(stderr, "noticesearch:", err)
			srv.Close()
			ix.Close()
			return 1
		case <-ctx.Done():
		}
	case <-ctx.Done():
		ix = (<-opened).served // indexing stops at the signal too
	}
	log.Info("shutting down", "grace", *grace)
	shut, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		// Handlers still run: the index stays open under them, and the
		// process ends.
		log.Warn("requests still in flight at the end of the grace period", "err", err)
		srv.Close()
		return 1
	}
	if ix != nil {
		ix.Close()
	}
	return status
}

// serveGCPercent is serve's GOGC unless the environment sets one. The
// index is mapped, not decoded into the heap, so a server's live heap is
// small (30 MiB on the laws corpus) and at GOGC=100 it collected many
// times a second under load: 11% of its CPU in the collector, 16
// connections at 17,100-17,600 requests/s with the result cache on and
// 2,900-3,000 with it off. At 400: 18,200-19,300 and 3,000-3,200 (three
// runs each, alternated, a 16-connection client of the twenty terms on the
// same machine). The memory limit (memoryLimit) still bounds the heap,
// which at 50x the corpus it reaches first whatever the GOGC.
const serveGCPercent = 400

// reloadLoop moves ix to each state another process commits, looking
// every interval, until ctx ends; warm reads each new state, whoever
// committed it, ahead of the searches.
func reloadLoop(ctx context.Context, ix *indexer.Index, every time.Duration, log *slog.Logger, warm func() error) {
	t := time.NewTicker(every)
	defer t.Stop()
	var lastErr string
	warmed := ix.State().Generation
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !ix.Writable() { // a writer's own commits are its state at once
			moved, err := ix.Refresh()
			switch {
			case err != nil:
				if err.Error() != lastErr { // said once, not every second
					log.Error("the index changed but its new state cannot be read; still serving the last one", "err", err)
					lastErr = err.Error()
				}
				continue
			case moved:
				lastErr = ""
				log.Info("index reloaded", "generation", ix.State().Generation, "notices", ix.Text().Docs(), "segments", ix.State().Segments())
			}
		}
		if g := ix.State().Generation; g != warmed {
			warmed = g
			if err := warm(); err != nil {
				log.Warn("reading the new state ahead of the searches failed", "err", err)
			}
		}
	}
}

// openForServe opens the index, for reading, after indexing paths into it,
// or the bundled notices when it is new and no path is given.
func openForServe(ctx context.Context, dir string, paths []string, opts indexer.Options, log *slog.Logger, stderr io.Writer) (*indexer.Index, error) {
	_, statErr := os.Stat(dir)
	fresh := errors.Is(statErr, os.ErrNotExist)
	if len(paths) == 0 && !fresh {
		return indexer.OpenReader(dir)
	}
	ix, err := indexer.Open(dir, opts)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 && fresh {
		p, err := bundledNotices(dir)
		if err != nil {
			ix.Close()
			return nil, err
		}
		log.Info("no index yet: indexing the bundled notices", "path", p)
		paths = []string{p}
	}
	if len(paths) > 0 {
		rep, err := ix.Add(ctx, paths, newProgressBar(stderr).update)
		switch {
		case rep != nil && err != nil:
			printUnfinished(stderr, rep, dir, err)
		case rep != nil:
			printReport(stderr, rep, dir)
		}
		if err != nil {
			ix.Close()
			return nil, err
		}
	}
	// Served read-only, so that `noticesearch index` can write meanwhile.
	if err := ix.Close(); err != nil {
		return nil, err
	}
	return indexer.OpenReader(dir)
}

// accessLog is the optional access log, a file that SIGHUP reopens (for
// log rotation) or standard error.
type accessLog struct {
	*slog.Logger
	path string
	w    *swapWriter
}

func openAccessLog(path string, stderr io.Writer) (*accessLog, error) {
	a := &accessLog{path: path}
	switch path {
	case "":
		return a, nil
	case "-":
		a.Logger = slog.New(slog.NewTextHandler(stderr, nil))
		return a, nil
	}
	a.w = &swapWriter{}
	if err := a.Reopen(); err != nil {
		return nil, err
	}
	a.Logger = slog.New(slog.NewTextHandler(a.w, nil))
	return a, nil
}

// Reopen opens the file again at its path: after a rotation, a new file.
func (a *accessLog) Reopen() error {
	if a.w == nil {
		return nil
	}
	f, err := os.OpenFile(a.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("access log: %w", err)
	}
	old := a.w.swap(f)
	if old != nil {
		old.Close()
	}
	return nil
}

func (a *accessLog) Close() {
	if a.w != nil {
		if f := a.w.swap(nil); f != nil {
			f.Close()
		}
	}
}

// swapWriter writes to a file that can be replaced under it.
type swapWriter struct {
	mu sync.Mutex
	f  *os.File
}

func (w *swapWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return len(p), nil
	}
	return w.f.Write(p)
}

func (w *swapWriter) swap(f *os.File) *os.File {
	w.mu.Lock()
	defer w.mu.Unlock()
	old := w.f
	w.f = f
	return old
}

// bundledNotices returns a folder holding the bundled notices: the
// checkout's testdata when run from it, else a copy written beside the index.
func bundledNotices(indexDir string) (string, error) {
	const inRepo = "testdata/notices"
	if fi, err := os.Stat(inRepo); err == nil && fi.IsDir() {
		return inRepo, nil
	}
	out := filepath.Clean(indexDir) + ".testdata"
	err := fs.WalkDir(noticesearch.Bundled, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := noticesearch.Bundled.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(out, filepath.Base(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		return "", fmt.Errorf("write bundled notices: %w", err)
	}
	return out, nil
}
