package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"noticesearch/indexer"
)

const oneNotice = "../../testdata/notices/ouhai-2022-xuncha-zhenggai.txt"

// snapshot is every file under dir with its content, to see that a
// command changed nothing.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		files[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestRebuildWithAnInputMissingRemovesNothing(t *testing.T) {
	ix := filepath.Join(t.TempDir(), "ix")
	if code, _, errOut := runCLI(t, "index", "--index", ix, oneNotice); code != 0 {
		t.Fatalf("index: exit %d\n%s", code, errOut)
	}
	before := snapshot(t, ix)
	missing := filepath.Join(t.TempDir(), "no-such-folder")
	code, _, errOut := runCLI(t, "index", "--rebuild", "--index", ix, oneNotice, missing)
	if code != 1 || !strings.Contains(errOut, strconv.Quote(missing)) || !strings.Contains(errOut, " / ") {
		t.Errorf("rebuild with a missing input: exit %d, %q", code, errOut)
	}
	if after := snapshot(t, ix); !sameFiles(before, after) {
		t.Errorf("the index changed: %d files before, %d after", len(before), len(after))
	}
}

func TestRebuildRefusesAFolderOfTheUsers(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "mine.txt")
	os.WriteFile(mine, []byte("keep me"), 0o644)
	code, _, errOut := runCLI(t, "index", "--rebuild", "--index", dir, oneNotice)
	if code != 1 || !strings.Contains(errOut, "nothing was removed") || !strings.Contains(errOut, dir) {
		t.Errorf("rebuild of a user's folder: exit %d, %q", code, errOut)
	}
	if got := snapshot(t, dir); !sameFiles(got, map[string]string{mine: "keep me"}) {
		t.Errorf("the folder now holds %v", got)
	}
	// Opening it without --rebuild does not advise --rebuild.
	code, _, errOut = runCLI(t, "search", "--index", dir, "整改")
	if code != 1 || strings.Contains(errOut, "--rebuild") || !strings.Contains(errOut, "not a noticesearch index") {
		t.Errorf("search in a user's folder: exit %d, %q", code, errOut)
	}
}

// TestCommandsOnABusyIndex: while the index is open (here, in this
// process), search, eval and index say so within a second, naming the
// process, rather than wait for it.
func TestCommandsOnABusyIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := indexer.Open(dir, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	want := "index in use by pid " + strconv.Itoa(os.Getpid())
	for _, args := range [][]string{
		{"search", "--index", dir, "整改"},
		{"eval", "--index", dir, "--terms", "../../testdata/eval/terms.txt"},
		{"index", "--index", dir, oneNotice},
		{"index", "--rebuild", "--index", dir, oneNotice},
	} {
		start := time.Now()
		type result struct {
			code   int
			stderr string
		}
		done := make(chan result, 1)
		go func() {
			var out, errOut bytes.Buffer
			code := run(t.Context(), args, &out, &errOut)
			done <- result{code, errOut.String()}
		}()
		select {
		case r := <-done:
			if r.code != 1 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "索引正被另一个进程使用") {
				t.Errorf("%s: exit %d, %q; want 1 and %q", args[0], r.code, r.stderr, want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("%s took %v", args[0], d)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s still waiting after 5s", strings.Join(args, " "))
		}
	}
}
