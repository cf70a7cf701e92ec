//go:build linux || darwin || freebsd

package textindex

import "syscall"

// release drops the pages of b, a mapping of a file, from the process's
// resident memory.
func release(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	return syscall.Madvise(b, syscall.MADV_DONTNEED)
}
