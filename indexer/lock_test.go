package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestOpenOfALockedIndexAnswersAtOnce: flock locks belong to an open
// file, so a second Open in the same process is refused like one in
// another process, and names this process.
func TestOpenOfALockedIndexAnswersAtOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{}, {Rebuild: true}} {
		done := make(chan error, 1)
		go func() {
			second, err := Open(dir, opts)
			if err == nil {
				second.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			t.Log(err)
			var be *BusyError
			if !errors.Is(err, ErrBusy) || !errors.As(err, &be) || be.PID != os.Getpid() {
				t.Fatalf("second Open (%+v): %v, want ErrBusy naming pid %d", opts, err, os.Getpid())
			}
			if want := "index being written by pid " + strconv.Itoa(os.Getpid()); !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "索引正被另一个进程写入") {
				t.Errorf("message %q, want it to say %q", err, want)
			}
		case <-time.After(5 * time.Second): // a guard against waiting on the lock, not a measure of speed
			t.Fatalf("second Open (%+v) still waiting after 5s", opts)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, metaFile)); err != nil {
		t.Errorf("a refused rebuild touched the index: %v", err)
	}
	ix.Close()
	again, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	again.Close()
}
