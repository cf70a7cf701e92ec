package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"

	"noticesearch/indexer"
	"noticesearch/indexer/watch"
)

// served is the index a server searches and, with --watch, the watcher
// keeping it up to date.
type served struct {
	*indexer.Index
	stop func() // ends the watcher and waits for it; nil without one
}

// Close ends the watcher, if any, then closes the index.
func (s *served) Close() error {
	if s.stop != nil {
		s.stop()
	}
	return s.Index.Close()
}

// openWatched opens the index for writing and keeps it open while the
// server runs: no other process can write it meanwhile (they get
// indexer.ErrBusy), and each commit is searched at once. It indexes
// paths, then watches dirs, and returns once their first scan has
// committed.
func openWatched(ctx context.Context, dir string, paths, dirs []string, opts indexer.Options, wopts watch.Options, log *slog.Logger, stderr io.Writer) (*served, error) {
	ix, err := indexer.Open(dir, opts)
	if err != nil {
		return nil, err
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

	// The watcher logs what the first scan did, and each file it could
	// not index; the server waits for that scan to be ready.
	bar := newProgressBar(stderr)
	scanned := make(chan error, 1)
	var once sync.Once
	wopts.Progress = bar.update
	wopts.Scanned = func(_ *indexer.Report, err error) { once.Do(func() { scanned <- err }) }
	w, err := watch.New(ix, dirs, wopts, log)
	if err != nil {
		ix.Close()
		return nil, err
	}
	every := "never"
	if wopts.Rescan > 0 {
		every = wopts.Rescan.String()
	}
	log.Info("watching", "folders", w.Dirs(), "rescan", every)
	wctx, cancel := context.WithCancel(ctx)
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		w.Run(wctx) // returns nil once wctx ends
	}()
	s := &served{Index: ix, stop: func() { cancel(); <-ended }}
	select {
	case err = <-scanned:
	case <-ended:
		if err = ctx.Err(); err == nil {
			err = errors.New("watcher stopped before its first scan")
		}
	}
	bar.done()
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
