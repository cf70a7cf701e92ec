//go:build unix

package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

// TestFilesAccountsForEveryEntry: a walk follows links to files and
// folders, walks a folder once however many links lead to it, and names
// every entry it does not take, with why.
func TestFilesAccountsForEveryEntry(t *testing.T) {
	root := t.TempDir()
	other := t.TempDir() // a folder outside the walked one, reached by a link
	write := func(path string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("通知"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, path string) {
		t.Helper()
		if err := os.Symlink(target, path); err != nil {
			t.Fatal(err)
		}
	}
	in := func(parts ...string) string { return filepath.Join(append([]string{root}, parts...)...) }
	write(in("a.txt"))
	write(in("sub", "b.html"))
	write(in("sub", "deeper", "c.md"))
	write(in("report.xlsx"))
	write(in("README"))
	write(in(".hidden.txt"))
	write(in(".git", "config.txt"))
	write(filepath.Join(other, "d.txt"))
	link("a.txt", in("link-to-a.txt"))
	link(other, in("link-to-other"))
	link("..", in("sub", "deeper", "loop"))   // back to sub: a loop
	link(in("sub"), in("second-link-to-sub")) // sub again, not a loop
	link("missing.txt", in("broken.txt"))     // leads nowhere
	link("self-b", in("self-a"))              // a chain of links in a circle
	link("self-a", in("self-b"))
	if err := syscall.Mkfifo(in("pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}

	files, errs := Files(t.Context(), []string{root, in("pipe.txt")})
	// Folders behind links come last, so that sub is listed as itself.
	want := []string{in("a.txt"), in("link-to-a.txt"), in("sub", "b.html"), in("sub", "deeper", "c.md"), filepath.Join(in("link-to-other"), "d.txt")}
	if !slices.Equal(files, want) {
		t.Errorf("files:\n got %q\nwant %q", files, want)
	}
	wantErrs := map[string]error{
		in("report.xlsx"):           ErrUnsupported,
		in("README"):                ErrUnsupported,
		in(".hidden.txt"):           ErrHidden,
		in(".git"):                  ErrHiddenDir,
		in("sub", "deeper", "loop"): ErrLinkLoop,
		in("second-link-to-sub"):    ErrWalkedTwice,
		in("broken.txt"):            ErrBrokenLink,
		in("self-a"):                ErrLinkLoop,
		in("self-b"):                ErrLinkLoop,
		in("pipe.txt"):              ErrNotRegular, // in the folder, and named directly
	}
	seen := map[string]int{}
	for _, err := range errs {
		var fe *FileError
		if !errors.As(err, &fe) {
			t.Errorf("not a *FileError: %v", err)
			continue
		}
		seen[fe.Path]++
		if w, ok := wantErrs[fe.Path]; !ok || !errors.Is(err, w) {
			t.Errorf("%v; want %v", err, w)
		}
	}
	for path := range wantErrs {
		n := seen[path]
		if path == in("pipe.txt") && n != 2 || path != in("pipe.txt") && n != 1 {
			t.Errorf("%s reported %d times", path, n)
		}
	}
}
