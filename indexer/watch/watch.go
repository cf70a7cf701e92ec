package watch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"noticesearch/dict"
	"noticesearch/indexer"
)

// Defaults of Options.
const (
	DefaultQuiet    = 400 * time.Millisecond
	DefaultMaxDelay = 3 * time.Second
	DefaultRescan   = 5 * time.Minute
)

// firstRetry is how long after a failed commit the folders are scanned
// again; each failure in a row doubles it, up to the rescan interval.
const firstRetry = 5 * time.Second

// Options of a Watcher.
type Options struct {
	// Quiet is how long a batch waits after its last event before it
	// commits, so that a file being written, or a folder being copied,
	// makes one commit. 0 means DefaultQuiet.
	Quiet time.Duration
	// MaxDelay bounds how long a batch waits after its first event: under
	// a steady stream of events a batch still commits this often. 0 means
	// DefaultMaxDelay.
	MaxDelay time.Duration
	// Rescan is how often every folder is indexed again in full. 0 means
	// DefaultRescan; a negative value, never (the scan at start and the
	// scans after an overflow or a failed commit still happen).
	Rescan time.Duration
	// Progress, if set, follows the first scan, as Index.Add's progress.
	Progress func(indexer.Progress)
	// Scanned, if set, is called after each full scan, the first one
	// included, with its report and error (context.Canceled when the
	// scan was cut short by the end of Run).
	Scanned func(*indexer.Report, error)
}

// Watcher keeps an index up to date with folders. Make one with New,
// then call Run.
type Watcher struct {
	ix   *indexer.Index
	dirs []string // the folders watched, absolute
	own  []string // the index's folder, absolute and with links resolved: never watched nor read
	opts Options
	log  *slog.Logger
	fsw  *fsnotify.Watcher

	watched map[string]bool   // folders given a watch; the event loop's alone
	warned  map[string]string // files skipped by the last full scan, path → reason, warned of once; the worker's alone
}

// Run watches dirs and keeps ix, which must be open for writing, up to
// date with them until ctx ends; see New and Watcher.Run.
func Run(ctx context.Context, ix *indexer.Index, dirs []string, opts Options, log *slog.Logger) error {
	w, err := New(ix, dirs, opts, log)
	if err != nil {
		return err
	}
	return w.Run(ctx)
}

// New watches every folder under dirs (hidden folders and the index's own
// folder aside): from here on no change is missed. Each of dirs must be a
// folder; a subfolder that cannot be watched is logged and left to the
// periodic rescan.
func New(ix *indexer.Index, dirs []string, opts Options, log *slog.Logger) (*Watcher, error) {
	if !ix.Writable() {
		return nil, indexer.ErrReadOnly
	}
	if len(dirs) == 0 {
		return nil, errors.New("没有要监视的文件夹 / no folder to watch")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.Quiet <= 0 {
		opts.Quiet = DefaultQuiet
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = DefaultMaxDelay
	}
	if opts.Rescan == 0 {
		opts.Rescan = DefaultRescan
	}
	w := &Watcher{ix: ix, own: ownFolders(ix.Path()), opts: opts, log: log, watched: map[string]bool{}, warned: map[string]string{}}
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, fmt.Errorf("watch %s: %w", d, err)
		}
		fi, err := os.Stat(abs)
		switch {
		case err != nil:
			return nil, fmt.Errorf("watch %s: %w", d, err)
		case !fi.IsDir():
			return nil, fmt.Errorf("watch %s: 不是文件夹 / not a folder", d)
		case w.isOwn(abs):
			return nil, fmt.Errorf("watch %s: 这是索引自身的文件夹 / it is the index's own folder", d)
		}
		w.dirs = append(w.dirs, abs)
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w.fsw = fsw
	for _, d := range w.dirs {
		if err := w.watchTree(d); err != nil {
			fsw.Close()
			return nil, err
		}
	}
	return w, nil
}

// Dirs are the folders watched, absolute.
func (w *Watcher) Dirs() []string { return w.dirs }

// job is one commit for the worker: the paths events named, or a full
// scan of every folder.
type job struct {
	paths []string
	scan  bool
	first bool // the scan at start
}

// Run scans every folder once, then follows the events until ctx ends,
// committing each batch; it returns nil then, after the commit under way
// has stopped. A batch that fails is logged and the folders are scanned
// again a little later; Run goes on. The watches go when Run returns.
func (w *Watcher) Run(ctx context.Context) error {
	defer w.fsw.Close()
	jobs := make(chan job)
	done := make(chan bool) // a job finished: whether it succeeded
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		for j := range jobs {
			done <- w.do(ctx, j)
		}
	}()
	defer func() { close(jobs); <-exited }()
	// The segmenter takes seconds to load: loaded now, not by the first
	// change to index. An error is the first Add's to report.
	go dict.Segmenter()

	var (
		pending     = map[string]bool{} // paths named by events since the last batch was handed over
		first, last time.Time           // of the pending events
		scan        = true              // a full scan is due
		firstScan   = true
		busy        = false // the worker has a job
		retry       <-chan time.Time
		backoff     = firstRetry
	)
	var tick <-chan time.Time
	if w.opts.Rescan > 0 {
		t := time.NewTicker(w.opts.Rescan)
		defer t.Stop()
		tick = t.C
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if !busy {
			now := time.Now()
			due := len(pending) > 0 && (now.Sub(last) >= w.opts.Quiet || now.Sub(first) >= w.opts.MaxDelay)
			switch {
			case scan:
				// The scan walks every folder after this point: it covers
				// the pending events too.
				if !firstScan {
					for _, d := range w.dirs {
						w.watchTree(d) // folders whose creation was missed
					}
				}
				jobs <- job{scan: true, first: firstScan}
				busy, scan, firstScan, pending = true, false, false, map[string]bool{}
			case due:
				paths := make([]string, 0, len(pending))
				for p := range pending {
					paths = append(paths, p)
				}
				jobs <- job{paths: paths}
				busy, pending = true, map[string]bool{}
			}
		}
		var wake <-chan time.Time
		if !busy && len(pending) > 0 {
			timer.Reset(time.Until(minTime(last.Add(w.opts.Quiet), first.Add(w.opts.MaxDelay))))
			wake = timer.C
		}
		select {
		case <-ctx.Done():
			if busy {
				<-done
			}
			return nil
		case ok := <-done:
			busy = false
			if ok {
				backoff = firstRetry
			} else if retry == nil && ctx.Err() == nil {
				w.log.Warn("index update failed; scanning the watched folders again later", "in", backoff)
				retry = time.After(backoff)
				backoff = min(2*backoff, max(w.opts.Rescan, firstRetry))
			}
		case <-retry:
			retry, scan = nil, true
		case <-tick:
			scan = true
		case <-wake:
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return nil
			}
			if w.event(ev) {
				now := time.Now()
				if len(pending) == 0 {
					first = now
				}
				pending[filepath.Clean(ev.Name)], last = true, now
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.log.Warn("file-system events were lost (queue overflow); scanning the watched folders again", "err", err)
				scan = true
			} else {
				w.log.Error("watch", "err", err)
			}
		}
	}
}

// event keeps the watches in step with the folders, and says whether ev
// may change the index.
func (w *Watcher) event(ev fsnotify.Event) bool {
	p := filepath.Clean(ev.Name)
	if w.isOwn(p) || hidden(p) {
		return false
	}
	w.log.Debug("file-system event", "path", p, "op", ev.Op.String())
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.unwatchTree(p) // a folder renamed away keeps its watches under its old name otherwise
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
			w.watchTree(p)
		}
	}
	return true
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
