//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package indexer

import "os"

// tryLock cannot exclude anyone here: without flock the lock file only
// names its last holder. bolt's own lock on notices/ still excludes a
// second process, and boltTimeout makes it answer within a second.
func tryLock(f *os.File) (bool, error) { return true, nil }

func unlock(f *os.File) error { return nil }
