package indexer

import (
	"errors"
	"path/filepath"
)

// ErrIndexFolder is why Add passes over the index's own folder when it
// lies inside a folder being indexed (or watched): its files are the
// index's, and a notice file put there by hand is not one of the archive's.
// It is listed as ignored, not a failure.
var ErrIndexFolder = errors.New("索引自身的文件夹，未读取 / the index's own folder, not read")

// withoutOwnFolder takes the index's folder out of what Files found: the
// files under it, and the entries it passed over there, which become one
// ignored entry for the folder.
func (ix *Index) withoutOwnFolder(files []string, errs []error) ([]string, []error) {
	own := []string{absPath(ix.path)}
	if real, err := filepath.EvalSymlinks(own[0]); err == nil && real != own[0] {
		own = append(own, real)
	}
	inside := func(p string) bool {
		p = absPath(p)
		for _, o := range own {
			if p == o || within(p, o) {
				return true
			}
		}
		return false
	}
	found := false
	keptFiles := files[:0]
	for _, f := range files {
		if inside(f) {
			found = true
			continue
		}
		keptFiles = append(keptFiles, f)
	}
	keptErrs := errs[:0]
	for _, err := range errs {
		var fe *FileError
		if errors.As(err, &fe) && inside(fe.Path) {
			found = true
			continue
		}
		keptErrs = append(keptErrs, err)
	}
	if found {
		keptErrs = append(keptErrs, &FileError{ix.path, ErrIndexFolder})
	}
	return keptFiles, keptErrs
}
