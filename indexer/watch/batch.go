package watch

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"noticesearch/indexer"
)

// do carries out one job and says whether it succeeded (a job cut short
// by the end of ctx did not fail).
func (w *Watcher) do(ctx context.Context, j job) bool {
	if j.scan {
		return w.scan(ctx, j.first)
	}
	return w.batch(ctx, j.paths)
}

// scan indexes every folder in full: Add indexes new and changed files
// and removes the notices of files gone from the folders.
func (w *Watcher) scan(ctx context.Context, first bool) bool {
	var progress func(indexer.Progress)
	if first {
		progress = w.opts.Progress
	}
	rep, err := w.ix.Add(ctx, w.dirs, progress)
	if w.opts.Scanned != nil {
		w.opts.Scanned(rep, err)
	}
	warned := map[string]string{}
	for _, s := range rep.Skipped {
		warned[s.Path] = s.Reason
		if w.warned[s.Path] == s.Reason {
			w.log.Debug("not indexed, as at the last scan", "path", s.Path, "reason", s.Reason)
		} else {
			w.log.Warn("not indexed", "path", s.Path, "reason", s.Reason)
		}
	}
	w.warned = warned
	w.logIgnored(rep)
	what := "rescan"
	if first {
		what = "initial scan"
	}
	return w.logged(ctx, what, err, rep.Indexed, rep.Removed, rep.Unchanged, rep.Seconds)
}

// batch commits the paths events named, as each is now: a file or a
// folder there is indexed (Add: new and changed files, and the notices
// of files gone from a folder), a path gone takes its notices with it
// (Remove: a file's, or every file's under a folder).
func (w *Watcher) batch(ctx context.Context, paths []string) bool {
	add, gone := w.split(paths)
	var indexed, removed, unchanged int
	var secs float64
	if len(add) > 0 {
		// Added before the removals commit: a file renamed is found under
		// both names for a moment rather than under neither while the new
		// one is read.
		rep, err := w.ix.Add(ctx, add, nil)
		for _, s := range rep.Skipped {
			w.log.Warn("not indexed", "path", s.Path, "reason", s.Reason)
		}
		w.logIgnored(rep)
		indexed, removed, unchanged, secs = rep.Indexed, rep.Removed, rep.Unchanged, rep.Seconds
		if err != nil {
			return w.logged(ctx, "update", err, indexed, removed, unchanged, secs)
		}
	}
	if len(gone) > 0 {
		// Its Skipped are paths that had no notice (a temporary file, a
		// file of another type): nothing to say.
		rep, err := w.ix.Remove(ctx, gone)
		removed += rep.Removed
		secs += rep.Seconds
		if err != nil {
			return w.logged(ctx, "update", err, indexed, removed, unchanged, secs)
		}
	}
	return w.logged(ctx, "update", nil, indexed, removed, unchanged, secs)
}

// split sorts the paths of a batch by what is there now: folders and
// notice files to index, paths gone to remove. Files of other types and
// hidden files are passed over, as a folder's walk would; a path under a
// folder also to index or remove is left to it.
func (w *Watcher) split(paths []string) (add, gone []string) {
	slices.Sort(paths)
	addDirs, goneSet := map[string]bool{}, map[string]bool{}
	for _, p := range paths {
		if w.isOwn(p) || hidden(p) {
			continue
		}
		fi, err := os.Stat(p) // through a link: a link to a notice is indexed, a broken one goes
		switch {
		case errors.Is(err, fs.ErrNotExist):
			gone = append(gone, p)
			goneSet[p] = true
		case err == nil && fi.IsDir():
			add = append(add, p)
			addDirs[p] = true
		case err != nil || indexer.IsNoticeFile(p):
			add = append(add, p) // Add says why it cannot be read
		default:
			w.log.Debug("not a notice file; passed over", "path", p)
		}
	}
	covered := func(p string) bool {
		for d := filepath.Dir(p); d != p; p, d = d, filepath.Dir(d) {
			if addDirs[d] || goneSet[d] {
				return true
			}
		}
		return false
	}
	return slices.DeleteFunc(add, covered), slices.DeleteFunc(gone, covered)
}

// logIgnored notes at debug level the entries a walk passed over by their
// kind (other file types, hidden files, the index's own folder).
func (w *Watcher) logIgnored(rep *indexer.Report) {
	for _, s := range rep.Ignored {
		w.log.Debug("not read", "path", s.Path, "reason", s.Reason)
	}
}

// logged logs what a commit did, and says whether it succeeded.
func (w *Watcher) logged(ctx context.Context, what string, err error, indexed, removed, unchanged int, secs float64) bool {
	switch {
	case err != nil && ctx.Err() != nil:
		w.log.Info(what+" stopped", "err", err)
		return true
	case err != nil:
		w.log.Error("index "+what+" failed", "err", err, "indexed", indexed, "removed", removed)
		return false
	case indexed > 0 || removed > 0:
		st := w.ix.State()
		w.log.Info("index "+what, "indexed", indexed, "removed", removed, "unchanged", unchanged,
			"generation", st.Generation, "notices", st.Text.Docs(), "seconds", secs)
	default:
		w.log.Debug("index "+what+": nothing changed", "unchanged", unchanged, "seconds", secs)
	}
	return true
}
