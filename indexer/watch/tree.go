package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
)

// watchTree gives every folder under root a watch (fsnotify watches one
// folder, not its tree), passing over hidden folders, as indexing does,
// and the index's own folder. Adding a watch that exists changes nothing.
// Only a root that cannot be watched is an error; a subfolder is logged.
// Folders reached through symbolic links are not watched: the periodic
// rescan, which follows links, covers them.
func (w *Watcher) watchTree(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return fmt.Errorf("watch %s: %w", root, err)
			}
			w.log.Warn("folder not watched; the periodic rescan covers it", "path", path, "err", err)
			return filepath.SkipDir
		}
		if !d.IsDir() {
			return nil
		}
		if path != root && (hidden(path) || w.isOwn(path)) {
			return filepath.SkipDir
		}
		if err := w.fsw.Add(path); err != nil {
			if path == root {
				return fmt.Errorf("watch %s: %w", root, err)
			}
			msg := "folder not watched; the periodic rescan covers it"
			if errors.Is(err, syscall.ENOSPC) {
				msg += " (too many watches: raise fs.inotify.max_user_watches)"
			}
			w.log.Warn(msg, "path", path, "err", err)
			return filepath.SkipDir
		}
		w.watched[path] = true
		return nil
	})
}

// unwatchTree drops the watches of path, if it was a folder, and of every
// folder under it: path is gone or renamed.
func (w *Watcher) unwatchTree(path string) {
	if !w.watched[path] {
		return
	}
	for p := range w.watched {
		if p == path || within(p, path) {
			w.fsw.Remove(p) // an error says fsnotify dropped it already
			delete(w.watched, p)
		}
	}
}

// ownFolders is the index folder at path, absolute, and with its links
// resolved when that differs.
func ownFolders(path string) []string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	own := []string{abs}
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		own = append(own, real)
	}
	return own
}

// isOwn says whether path (absolute) is the index's folder or lies in it.
func (w *Watcher) isOwn(path string) bool {
	for _, o := range w.own {
		if path == o || within(path, o) {
			return true
		}
	}
	return false
}

// within says whether path lies under the folder dir.
func within(path, dir string) bool {
	return strings.HasPrefix(path, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}

// hidden says whether the last element of path is hidden, as indexing
// takes it: editors' swap and backup files, .git and the like.
func hidden(path string) bool {
	return strings.HasPrefix(filepath.Base(path), ".")
}
