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
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"noticesearch"
	"noticesearch/indexer"
	"noticesearch/search"
	"noticesearch/search/api"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory (created if missing)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	cacheSize := fs.Int("cache", 1024, "results of recent searches to keep (0: none)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch serve [--index DIR] [--addr HOST:PORT] [--cache N] [PATH...]")
		fmt.Fprintln(stderr, "Indexes PATHs first if given; with no index and no PATH, indexes the bundled notices.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	_, statErr := os.Stat(*dir)
	fresh := errors.Is(statErr, os.ErrNotExist)
	ix, err := indexer.Open(*dir, indexer.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	defer ix.Close()
	paths := fs.Args()
	if len(paths) == 0 && fresh {
		p, err := bundledNotices(*dir)
		if err != nil {
			fmt.Fprintln(stderr, "noticesearch:", err)
			return 1
		}
		log.Info("no index yet: indexing the bundled notices", "path", p)
		paths = []string{p}
	}
	if len(paths) > 0 {
		rep, err := ix.Add(ctx, paths, newProgressBar(stderr).update)
		if err != nil {
			fmt.Fprintln(stderr, "noticesearch:", err)
			return 1
		}
		printReport(stderr, rep, *dir)
	}
	eng := search.New(ix)
	var searcher api.Searcher = eng
	if *cacheSize > 0 {
		searcher = search.NewCache(eng, *cacheSize)
	}
	srv := &http.Server{
		Handler:           (&api.Server{Searcher: searcher, Log: log}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "index", *dir)
	fmt.Fprintf(stdout, "noticesearch: serving on http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	return 0
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
