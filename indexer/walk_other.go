//go:build !unix

package indexer

import "io/fs"

// fileID has no device and inode to give here: folders are known by their
// resolved path.
func fileID(fs.FileInfo) (dirKey, bool) { return dirKey{}, false }
