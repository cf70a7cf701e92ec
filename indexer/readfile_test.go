//go:build unix

package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadFileOpensOnlyRegularFiles: a FIFO named to ReadFile is refused,
// not opened (which would wait for a writer forever).
func TestReadFileOpensOnlyRegularFiles(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "pipe.txt")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(pipe); !errors.Is(err, ErrNotRegular) || !IsRejected(err) {
		t.Errorf("ReadFile(FIFO) = %v", err)
	}
}

// TestReadFileLimit: a file over the limit is refused with its size, the
// limit and how to raise it.
func TestReadFileLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notice.txt")
	src, err := os.ReadFile(filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFileLimit(path, int64(len(src))); err != nil {
		t.Errorf("a file at the limit: %v", err)
	}
	_, err = ReadFileLimit(path, int64(len(src))-1)
	var tl *TooLargeError
	if !errors.As(err, &tl) || !errors.Is(err, ErrTooLarge) || tl.Size != int64(len(src)) || tl.Limit != int64(len(src))-1 {
		t.Fatalf("a file over the limit: %v", err)
	}
	for _, part := range []string{"文件过大", "file too large", "--max-file-size", path} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("%q does not say %q", err, part)
		}
	}
}
