package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
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

// TestCommandsOnABusyIndex: while the index is open for writing (here, in
// this process), search and eval read it, and index says at once that
// another writer has it, naming the process, rather than wait for it.
func TestCommandsOnABusyIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := indexer.Open(dir, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	want := "index being written by pid " + strconv.Itoa(os.Getpid())
	for _, args := range [][]string{
		{"search", "--index", dir, "整改"},
		{"eval", "--index", dir, "--terms", "../../testdata/eval/terms.txt"},
		{"index", "--index", dir, oneNotice},
		{"index", "--rebuild", "--index", dir, oneNotice},
	} {
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
			if args[0] != "index" {
				if r.code != 0 {
					t.Errorf("%s beside a writer: exit %d, %q", args[0], r.code, r.stderr)
				}
				continue
			}
			if r.code != 1 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "索引正被另一个进程写入") {
				t.Errorf("%s: exit %d, %q; want 1 and %q", args[0], r.code, r.stderr, want)
			}
		case <-time.After(5 * time.Second): // a guard against waiting on the lock, not a measure of speed
			t.Fatalf("%s still waiting after 5s", strings.Join(args, " "))
		}
	}
}

// TestReportQuotesFileNames: a file name holding a newline cannot add a
// line to the report.
func TestReportQuotesFileNames(t *testing.T) {
	src := t.TempDir()
	forged := "x\nindexed 1000 files (0 unchanged) into \"elsewhere\".txt"
	if err := os.WriteFile(filepath.Join(src, forged), nil, 0o644); err != nil {
		t.Skip("this file system takes no newline in a name:", err)
	}
	ix := filepath.Join(t.TempDir(), "ix")
	code, out, errOut := runCLI(t, "index", "--index", ix, src)
	if code != 1 {
		t.Fatalf("exit %d (want 1, an empty file skipped)\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "indexed 0 files") || lines[1] != "skipped 1 files:" ||
		!strings.HasPrefix(lines[2], "  "+strconv.Quote(filepath.Join(src, forged))+": ") {
		t.Errorf("report:\n%s", out)
	}
}

// TestReportOfAFailedWrite: when the index cannot be written, the report
// claims nothing indexed, says what failed, and gives no rate from a
// time never measured.
func TestReportOfAFailedWrite(t *testing.T) {
	ix := filepath.Join(t.TempDir(), "ix")
	if code, _, errOut := runCLI(t, "index", "--index", ix, oneNotice); code != 0 {
		t.Fatalf("index: exit %d\n%s", code, errOut)
	}
	// Where the next segment's temporary file goes, a folder: its write fails.
	if err := os.Mkdir(filepath.Join(ix, "seg-000001.tix.tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "index", "--index", ix, "../../testdata/notices")
	if code != 1 || errOut == "" {
		t.Errorf("exit %d, stderr %q; want 1 and the error", code, errOut)
	}
	if strings.HasPrefix(out, "indexed") || !strings.Contains(out, "did not finish") || !strings.Contains(out, "seg-000001.tix.tmp") {
		t.Errorf("report claims success or hides the failure:\n%s", out)
	}
	rate := regexp.MustCompile(`\(([0-9.]+) (kB|MB)/s\)`).FindStringSubmatch(out)
	if rate == nil {
		t.Errorf("no rate, though files were read:\n%s", out)
	} else if r, _ := strconv.ParseFloat(rate[1], 64); rate[2] == "MB" && r > 10000 {
		t.Errorf("rate %s MB/s:\n%s", rate[1], out)
	}
}

func TestReportGivesARateOnlyFromWork(t *testing.T) {
	for _, tc := range []struct {
		name string
		rep  indexer.Report
		rate bool
	}{
		{"files read in measurable time", indexer.Report{ReadBytes: 2e6, Seconds: 0.5}, true},
		{"nothing read: every file unchanged", indexer.Report{Bytes: 2e6, Unchanged: 3, Seconds: 0.2}, false},
		{"no time measured", indexer.Report{ReadBytes: 2e6}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			printReport(&b, &tc.rep, "ix")
			if got := strings.Contains(b.String(), "B/s"); got != tc.rate {
				t.Errorf("rate shown %v, want %v: %s", got, tc.rate, b.String())
			}
		})
	}
}

// TestOtherFilesAreListedNotFailed: a folder's other files (a spreadsheet, a
// hidden file) are listed as not read, and do not fail the run.
func TestOtherFilesAreListedNotFailed(t *testing.T) {
	src := t.TempDir()
	notice, err := os.ReadFile(oneNotice)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"a.txt": notice, "attachment.xlsx": []byte("%PDF-1.4"), ".DS_Store": {0}} {
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCLI(t, "index", "--index", filepath.Join(t.TempDir(), "ix"), src)
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"indexed 1 files", "not read, not notice files (2):", strconv.Quote(filepath.Join(src, "attachment.xlsx")) + ": 不支持的文件类型", strconv.Quote(filepath.Join(src, ".DS_Store")) + ": 隐藏文件"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
