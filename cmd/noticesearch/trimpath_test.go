package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"noticesearch/search"
)

// slowTestsEnv turns on the tests that take minutes on a fresh machine;
// .ci/run sets it for one run of them.
const slowTestsEnv = "NOTICESEARCH_SLOW_TESTS"

// skipUnlessSlowTests skips a test that takes minutes unless slowTestsEnv
// is 1, saying how to run it.
func skipUnlessSlowTests(t *testing.T, why string) {
	t.Helper()
	if os.Getenv(slowTestsEnv) != "1" || testing.Short() {
		t.Skipf("slow test (%s); run it with %s=1 go test -run '^%s$' ./cmd/noticesearch", why, slowTestsEnv, t.Name())
	}
}

// TestTrimpathBinaryStandsAlone builds the binary with -trimpath and runs it
// from an empty folder: the dictionaries are embedded (nothing is read from
// gse's source tree), and gse prints nothing of its own. -trimpath
// recompiles every dependency, which takes minutes on a cold build cache
// (510 s of a 10-minute cold `go test ./...`), so it runs only when asked.
func TestTrimpathBinaryStandsAlone(t *testing.T) {
	skipUnlessSlowTests(t, "go build -trimpath recompiles every dependency")
	dir := t.TempDir()
	bin := filepath.Join(dir, "noticesearch")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -trimpath: %v\n%s", err, out)
	}
	src, err := os.ReadFile("../../testdata/notices/wujiang-2021-lianzheng-fengxian.html")
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	os.MkdirAll(work, 0o755)
	os.WriteFile(filepath.Join(work, "notice.html"), src, 0o644)

	run := func(args ...string) (string, string) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GOPATH="+filepath.Join(dir, "nogopath"), "GOMODCACHE="+filepath.Join(dir, "nomodcache"))
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut.String())
		}
		return out.String(), errOut.String()
	}
	out, errOut := run("index", "--index", "ix", "notice.html")
	if !strings.HasPrefix(out, "indexed 1 files") || errOut != "" {
		t.Errorf("index printed %q and, on stderr, %q", out, errOut)
	}
	out, errOut = run("search", "--index", "ix", "--json", "廉政风险")
	var res search.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Total == 0 {
		t.Fatalf("search: %v %q", err, out)
	}
	if errOut != "" {
		t.Errorf("search printed on stderr: %q", errOut)
	}
}
