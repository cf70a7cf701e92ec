package indexer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// lockFile, in an index folder, is held by the one process writing the
// index (readers take no lock). It holds that process's id, for the message another process gets.
// It is never removed: removing a lock file while another process has it
// open would let two processes hold "the" lock at once.
const lockFile = "lock"

// boltTimeout bounds the wait for bolt's own lock on notices/. The index
// lock is taken first, so bolt's lock is free whenever Open reaches it;
// the timeout is there so that nothing can ever wait forever, even where
// the index lock cannot exclude anyone (see lock_other.go) or a process
// that does not take it holds the index.
const boltTimeout = "1s"

// ErrBusy says another process (or another Open in this one) has the
// index open. Open returns it as a *BusyError.
var ErrBusy = errors.New("索引正被另一个进程写入 / index being written by another process")

// BusyError is the index at Path held by the process PID (0 if unknown).
type BusyError struct {
	Path string
	PID  int
}

func (e *BusyError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("索引正被另一个进程写入，一次只能有一个写入者 / index being written by another process (one writer at a time): %s", e.Path)
	}
	return fmt.Sprintf("索引正被另一个进程写入（pid %d），一次只能有一个写入者 / index being written by pid %d (one writer at a time): %s", e.PID, e.PID, e.Path)
}

func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// indexLock is a held index lock.
type indexLock struct {
	f *os.File
}

// lockIndex takes the lock of the index folder dir without waiting: if
// another holds it, the answer is a *BusyError naming its pid.
func lockIndex(dir string) (*indexLock, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock index %s: %w", dir, err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock index %s: %w", dir, err)
	}
	if !held {
		pid := holder(f)
		f.Close()
		return nil, &BusyError{Path: dir, PID: pid}
	}
	// Ours now: say who holds it.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &indexLock{f: f}, nil
}

// holder reads the pid in a lock file another process holds. The holder
// writes it just after taking the lock, so an empty file is read again
// for a moment.
func holder(f *os.File) int {
	for range 20 {
		buf := make([]byte, 32)
		n, _ := f.ReadAt(buf, 0)
		if pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n]))); err == nil && pid > 0 {
			return pid
		}
		time.Sleep(5 * time.Millisecond)
	}
	return 0
}

// release lets the index go. The file stays (see lockFile); it is emptied
// first so that it does not name a process that no longer holds it.
func (l *indexLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
