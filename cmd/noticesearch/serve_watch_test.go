package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"noticesearch/search"
)

// TestServeWatch: serve --watch indexes the folder at start, then a file
// written into it while it serves is found by /api/search; the index is
// locked for writing meanwhile, and the server stops cleanly.
func TestServeWatch(t *testing.T) {
	const guard = 60 * time.Second // against hanging, not a measure of speed
	dir, ix := t.TempDir(), filepath.Join(t.TempDir(), "ix")
	notice := func(marker string) []byte {
		return []byte("关于" + marker + "工作的通知\n\n各单位：\n\n为做好" + marker + "工作，现将有关事项通知如下。\n\n一、总体要求\n\n" + marker + "工作要落实到位。\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "before.txt"), notice("巳六号"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--index", ix, "--addr", "127.0.0.1:0", "--watch", dir, "--rescan", "0"}, &stdout, &stderr)
	}()

	addr := regexp.MustCompile(`serving on (http://\S+/)`)
	var base string
	for deadline := time.Now().Add(guard); base == ""; {
		if m := addr.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", stderr.String())
		} else {
			select {
			case code := <-done:
				t.Fatalf("serve exited %d:\n%s", code, stderr.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	total := func(q string) int {
		resp, err := http.Get(base + "api/search?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			return -1 // not ready yet
		}
		var res search.Result
		if err := json.Unmarshal(body, &res); err != nil || resp.StatusCode != 200 {
			t.Fatalf("search %s: %d %v %s", q, resp.StatusCode, err, body)
		}
		return res.Notices
	}
	waitFor := func(q string, want int) {
		t.Helper()
		for deadline := time.Now().Add(guard); total(q) != want; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not %d notices found after %s\n%s", q, want, guard, stderr.String())
			}
		}
	}
	waitFor("巳六号", 1) // the first scan

	path := filepath.Join(dir, "sub", "new.txt")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, notice("午七号"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("午七号", 1)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	waitFor("午七号", 0)

	// The server is the index's writer: index says so, at once.
	code, _, errOut := runCLI(t, "index", "--index", ix, dir)
	if code != 1 || !strings.Contains(errOut, "索引正被另一个进程写入") {
		t.Errorf("index beside serve --watch: exit %d, %q", code, errOut)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown:\n%s", code, stderr.String())
		}
	case <-time.After(guard):
		t.Fatal("serve did not shut down")
	}
	if !strings.Contains(stderr.String(), "watching") {
		t.Errorf("serve --watch did not say what it watches:\n%s", stderr.String())
	}
}

// TestServeWatchRefusesAMissingFolder: a folder to watch that is not
// there stops serve with its name.
func TestServeWatchRefusesAMissingFolder(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	code, _, errOut := runCLI(t, "serve", "--index", filepath.Join(t.TempDir(), "ix"), "--addr", "127.0.0.1:0", "--watch", missing)
	if code != 1 || !strings.Contains(errOut, missing) {
		t.Errorf("serve --watch a missing folder: exit %d, %q", code, errOut)
	}
}
