//go:build unix

package indexer

import (
	"io/fs"
	"syscall"
)

// fileID is the device and inode of the file fi describes.
func fileID(fi fs.FileInfo) (dirKey, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return dirKey{}, false
	}
	return dirKey{dev: uint64(st.Dev), ino: uint64(st.Ino)}, true
}
