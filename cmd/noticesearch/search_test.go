package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"noticesearch/search"
)

func TestIndexThenSearch(t *testing.T) {
	ix := filepath.Join(t.TempDir(), "ix")
	code, out, errOut := runCLI(t, "index", "--index", ix, "--json", "../../testdata/notices", "../../testdata/broken/empty.txt")
	if code != 1 {
		t.Errorf("index with a broken file: exit %d, want 1\n%s", code, errOut)
	}
	var rep struct {
		Indexed int
		Skipped []struct{ Path, Reason string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json summary: %v\n%s", err, out)
	}
	if rep.Indexed < 30 || len(rep.Skipped) != 1 || !strings.HasSuffix(rep.Skipped[0].Path, "empty.txt") {
		t.Errorf("summary: %+v", rep)
	}

	code, out, errOut = runCLI(t, "search", "--index", ix, "--json", "--size", "3", "廉政风险")
	if code != 0 {
		t.Fatalf("search: exit %d\n%s", code, errOut)
	}
	var res search.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 3 || !strings.Contains(res.Hits[0].Fragments[0], "<mark>廉政风险</mark>") {
		t.Errorf("search --json: %+v", res)
	}

	code, out, _ = runCLI(t, "search", "--index", ix, "一岗双责")
	if code != 0 || !strings.Contains(out, "【一岗双责】") || !strings.Contains(out, "§ ") {
		t.Errorf("readable output (exit %d):\n%s", code, out)
	}

	code, out, _ = runCLI(t, "search", "--index", ix, "一岗双责", "year:1990")
	if code != 0 || !strings.Contains(out, "0 节") || !strings.Contains(out, "去掉筛选条件后") || !strings.Contains(out, "noticesearch search '一岗双责'") {
		t.Errorf("no hits, no hints (exit %d):\n%s", code, out)
	}

	code, _, errOut = runCLI(t, "search", "--index", ix, `"一岗双责`)
	if code != 2 || !strings.Contains(errOut, " / ") {
		t.Errorf("bad query: exit %d, %q", code, errOut)
	}
}

// syncBuffer is a bytes.Buffer safe to read while a command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeOnAFreshMachine: with no index and no PATH, serve indexes the
// bundled notices and answers a search for 一岗双责 with highlights, then
// shuts down cleanly when its context ends.
func TestServeOnAFreshMachine(t *testing.T) {
	ix := filepath.Join(t.TempDir(), "ix")
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--index", ix, "--addr", "127.0.0.1:0"}, &stdout, &stderr) }()

	addr := regexp.MustCompile(`serving on (http://\S+/)`)
	var base string
	for deadline := time.Now().Add(60 * time.Second); base == ""; {
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
	// It serves at once: alive, not ready until the notices are indexed.
	if resp, err := http.Get(base + "healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz as soon as it serves: %v %v", err, resp)
	}
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := http.Get(base + "readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if resp.StatusCode != 503 || time.Now().After(deadline) {
			t.Fatalf("readyz: %d\n%s", resp.StatusCode, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(base + "api/search?q=" + url.QueryEscape("一岗双责"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var res search.Result
	if err := json.Unmarshal(body, &res); err != nil || resp.StatusCode != 200 || res.Total == 0 || !strings.Contains(res.Hits[0].Fragments[0], "<mark>一岗双责</mark>") {
		t.Fatalf("search on the fresh server: %d %v %s", resp.StatusCode, err, body)
	}
	// The analysts' pages and API, through the server's result cache.
	for _, path := range []string{"api/compare?terms=" + url.QueryEscape("一岗双责"), "compare?terms=" + url.QueryEscape("一岗双责"), "api/figures?label=" + url.QueryEscape("办结率")} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s on the fresh server: %d %.200s", path, resp.StatusCode, body)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown:\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
}
