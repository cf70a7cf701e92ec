package indexer

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Files lists the notice files under the given paths: files named directly
// are taken whatever their extension; folders are walked recursively for
// .html/.htm/.txt/.md files in lexical order, skipping hidden files and
// folders. Paths that
// cannot be read are returned as errors, and the walk goes on.
func Files(ctx context.Context, paths []string) ([]string, []error) {
	var files []string
	var errs []error
	for _, root := range paths {
		fi, err := os.Stat(root)
		if err != nil {
			errs = append(errs, &FileError{root, err})
			continue
		}
		if !fi.IsDir() {
			files = append(files, root)
			continue
		}
		var found []string
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			if err != nil {
				errs = append(errs, &FileError{path, err})
				return nil
			}
			if path != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && IsNoticeFile(path) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
		files = append(files, found...)
	}
	return files, errs
}
