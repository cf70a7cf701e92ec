package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"noticesearch/indexer/office"
)

// Why Files passes over a path. Each comes wrapped in a *FileError naming
// the path; callers branch on them with errors.Is.
var (
	ErrUnsupported = errors.New("不支持的文件类型 / unsupported file type")
	ErrHidden      = errors.New("隐藏文件 / hidden file")
	ErrHiddenDir   = errors.New("隐藏文件夹，其中的文件未读取 / hidden folder, nothing in it read")
	ErrNotRegular  = errors.New("不是普通文件，未打开 / not a regular file, not opened")
	ErrBrokenLink  = errors.New("符号链接指向的文件不存在 / broken symbolic link")
	ErrLinkLoop    = errors.New("符号链接形成循环，未再读取 / symbolic link loop, not walked again")
	ErrWalkedTwice = errors.New("文件夹已经通过另一路径读取 / folder already walked through another path")
)

// IsIgnored reports whether err is Files passing over an entry of a
// folder that is not a notice file by its kind: another file type, a
// hidden file or folder, a folder already walked. Such entries are listed,
// not failures; a broken link, a loop, a FIFO or an unreadable path is.
func IsIgnored(err error) bool {
	for _, e := range []error{ErrUnsupported, ErrHidden, ErrHiddenDir, ErrWalkedTwice, ErrIndexFolder} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Files lists the notice files under the given paths. A file named
// directly is taken whatever its extension. Folders are walked in lexical
// order for .html/.htm/.txt/.md files (formats), following symbolic links
// to files and folders. A folder is walked once: links to folders are
// followed after the rest of their root, so that a folder inside it is
// listed under its own path, and a link to a folder already walked or
// above it (a loop) is reported instead.
//
// No path is passed over silently: every other entry of a folder comes
// back as a *FileError saying why it was not taken (ErrUnsupported,
// ErrHidden, ErrHiddenDir, ErrNotRegular, ErrBrokenLink, ErrLinkLoop,
// ErrWalkedTwice), and so do paths that cannot be read; the walk goes on.
// FIFOs, sockets and devices are never opened, even when named directly:
// reading a FIFO would wait for a writer forever.
func Files(ctx context.Context, paths []string) ([]string, []error) {
	w := walker{ctx: ctx, walked: map[dirKey]bool{}}
	for _, root := range paths {
		if err := ctx.Err(); err != nil {
			w.errs = append(w.errs, err)
			break
		}
		fi, err := os.Stat(root)
		if err != nil {
			w.skip(root, linkError(root, err))
			continue
		}
		switch {
		case fi.IsDir():
			w.dir(root, fi, nil)
			for len(w.links) > 0 && ctx.Err() == nil {
				l := w.links[0]
				w.links = w.links[1:]
				w.dir(l.path, l.fi, l.above)
			}
			w.links = nil
		case fi.Mode().IsRegular():
			w.files = append(w.files, root)
		default:
			w.skip(root, notRegular(fi.Mode()))
		}
	}
	return w.files, w.errs
}

type walker struct {
	ctx    context.Context
	files  []string
	errs   []error
	walked map[dirKey]bool // folders walked
	links  []folderLink    // links to folders, to follow after the rest of the root
}

// folderLink is a link to a folder, found in the folders above.
type folderLink struct {
	path  string
	fi    fs.FileInfo // the folder's
	above []dirKey
}

func (w *walker) skip(path string, err error) {
	w.errs = append(w.errs, &FileError{path, err})
}

// dir walks the folder at path, which the folders above contain.
func (w *walker) dir(path string, fi fs.FileInfo, above []dirKey) {
	key := keyOf(path, fi)
	switch {
	case slices.Contains(above, key):
		w.skip(path, ErrLinkLoop)
		return
	case w.walked[key]:
		w.skip(path, ErrWalkedTwice)
		return
	}
	w.walked[key] = true
	above = append(above[:len(above):len(above)], key)
	entries, err := os.ReadDir(path) // sorted by name; on error, those read so far
	if err != nil {
		w.skip(path, err)
	}
	for _, e := range entries {
		if err := w.ctx.Err(); err != nil {
			w.errs = append(w.errs, err)
			return
		}
		w.entry(filepath.Join(path, e.Name()), e, above)
	}
}

func (w *walker) entry(path string, d fs.DirEntry, above []dirKey) {
	mode := d.Type()
	hidden := strings.HasPrefix(d.Name(), ".")
	if mode&fs.ModeSymlink != 0 {
		fi, err := os.Stat(path)
		switch {
		case err != nil && hidden:
			w.skip(path, ErrHidden)
		case err != nil:
			w.skip(path, linkError(path, err))
		case hidden:
			w.skip(path, hiddenError(fi.Mode()))
		case fi.IsDir():
			w.links = append(w.links, folderLink{path, fi, above})
		default:
			w.file(path, fi.Mode())
		}
		return
	}
	switch {
	case hidden:
		w.skip(path, hiddenError(mode))
	case mode.IsDir():
		fi, err := d.Info()
		if err != nil {
			w.skip(path, err)
			return
		}
		w.dir(path, fi, above)
	default:
		w.file(path, mode)
	}
}

func (w *walker) file(path string, mode fs.FileMode) {
	switch {
	case !mode.IsRegular():
		w.skip(path, notRegular(mode))
	case !IsNoticeFile(path):
		ext := filepath.Ext(path)
		if ext == "" {
			ext = "无扩展名 / no extension"
		}
		if formats[strings.ToLower(ext)] == "doc" { // read, but not on this machine
			w.skip(path, fmt.Errorf("%w (%s): %w", ErrUnsupported, ext, office.ErrNeedsConverter))
			return
		}
		w.skip(path, fmt.Errorf("%w (%s)", ErrUnsupported, ext))
	default:
		w.files = append(w.files, path)
	}
}

func hiddenError(mode fs.FileMode) error {
	if mode.IsDir() {
		return ErrHiddenDir
	}
	return ErrHidden
}

// linkError says why os.Stat failed on path, in the walk's terms when
// path is a link that leads nowhere.
func linkError(path string, err error) error {
	switch {
	case errors.Is(err, syscall.ELOOP):
		return fmt.Errorf("%w: %v", ErrLinkLoop, err)
	case errors.Is(err, fs.ErrNotExist):
		if target, lerr := os.Readlink(path); lerr == nil {
			return fmt.Errorf("%w (→ %s)", ErrBrokenLink, target)
		}
	}
	return err
}

// notRegular names what a file of the given mode is.
func notRegular(mode fs.FileMode) error {
	kind := "other"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		kind = "FIFO"
	case mode&fs.ModeSocket != 0:
		kind = "socket"
	case mode&fs.ModeDevice != 0:
		kind = "device"
	}
	return fmt.Errorf("%w (%s)", ErrNotRegular, kind)
}

// keyOf identifies the folder at path, so that a folder reached twice
// through links is recognised: by device and inode where the system has
// them (walk_unix.go), else by its path with the links resolved.
func keyOf(path string, fi fs.FileInfo) dirKey {
	if k, ok := fileID(fi); ok {
		return k
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		real = path
	}
	if abs, err := filepath.Abs(real); err == nil {
		real = abs
	}
	return dirKey{path: real}
}

// dirKey is a folder's identity: device and inode, or a resolved path.
type dirKey struct {
	dev, ino uint64
	path     string
}
