package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"noticesearch/indexer"
)

// guard bounds every wait for the watcher: a guard against hanging, not
// a measure of speed.
const guard = 20 * time.Second

// notice is the text of a small notice holding marker in its title and
// body.
func notice(marker string) string {
	return fmt.Sprintf("关于%s工作的通知\n\n各单位：\n\n为做好%s工作，现将有关事项通知如下。\n\n一、总体要求\n\n%s工作要落实到位，确保取得实效。\n", marker, marker, marker)
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// logBuffer collects a watcher's log, safe to read while it writes.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type fixture struct {
	dir string // watched
	ix  *indexer.Index
	w   *Watcher
	log *logBuffer
}

// watching opens an index at ixDir (a fresh folder if ""), watches dir
// with short delays and runs the watcher until the test ends.
func watching(t *testing.T, dir, ixDir string, opts Options) *fixture {
	t.Helper()
	if ixDir == "" {
		ixDir = filepath.Join(t.TempDir(), "ix")
	}
	ix, err := indexer.Open(ixDir, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Quiet == 0 {
		opts.Quiet = 100 * time.Millisecond
	}
	f := &fixture{dir: dir, ix: ix, log: &logBuffer{}}
	log := slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	scanned := make(chan struct{})
	var once sync.Once
	opts.Scanned = func(*indexer.Report, error) { once.Do(func() { close(scanned) }) }
	if f.w, err = New(ix, []string{dir}, opts, log); err != nil {
		ix.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		ix.Close()
		if t.Failed() {
			t.Logf("watcher's log:\n%s", f.log.String())
		}
	})
	select {
	case <-scanned:
	case <-time.After(guard):
		t.Fatalf("no initial scan after %s", guard)
	}
	return f
}

// notices maps the path of every notice in the index holding marker to
// how many notices it has.
func (f *fixture) notices(marker string) map[string]int {
	text := f.ix.Text()
	found := map[string]int{}
	for d := range text.Docs() {
		first, end := text.DocSections(d)
		for s := first; s < end; s++ {
			if strings.Contains(text.Text(s), marker) {
				var rec struct{ Path string }
				json.Unmarshal(text.DocRecord(d), &rec)
				found[rec.Path]++
				break
			}
		}
	}
	return found
}

// wait polls until ok holds, failing the test after the guard.
func (f *fixture) wait(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(guard); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after %s for %s", guard, what)
		}
	}
}

// waitNotices waits until the notices holding marker are exactly those of
// want, one each.
func (f *fixture) waitNotices(t *testing.T, marker string, want ...string) {
	t.Helper()
	wantMap := map[string]int{}
	for _, p := range want {
		wantMap[p] = 1
	}
	var got map[string]int
	f.wait(t, fmt.Sprintf("notices holding %s to be %v", marker, want), func() bool {
		got = f.notices(marker)
		return fmt.Sprint(got) == fmt.Sprint(wantMap)
	})
}

func TestWatchFollowsFiles(t *testing.T) {
	dir := t.TempDir()
	before := filepath.Join(dir, "before.txt")
	write(t, before, notice("甲零号"))
	f := watching(t, dir, "", Options{})
	if got := f.notices("甲零号"); got[before] != 1 {
		t.Fatalf("a file there before the watch is not indexed by the first scan: %v", got)
	}

	path := filepath.Join(dir, "a.txt")
	write(t, path, notice("甲一号"))
	f.waitNotices(t, "甲一号", path) // a new file

	write(t, path, notice("乙二号变更后的内容")) // a changed file: the new text found, the old gone
	f.waitNotices(t, "乙二号变更后的内容", path)
	f.waitNotices(t, "甲一号")

	renamed := filepath.Join(dir, "b.txt")
	if err := os.Rename(path, renamed); err != nil { // a renamed file: one notice, under its new name
		t.Fatal(err)
	}
	f.waitNotices(t, "乙二号变更后的内容", renamed)

	if err := os.Remove(renamed); err != nil { // a removed file goes
		t.Fatal(err)
	}
	f.waitNotices(t, "乙二号变更后的内容")
	if got := f.notices("甲零号"); got[before] != 1 {
		t.Errorf("the untouched file went: %v", got)
	}
}

func TestWatchFollowsFolders(t *testing.T) {
	dir := t.TempDir()
	f := watching(t, dir, "", Options{})

	// A folder made with files inside at once: some are written before
	// its watch is added, and the folder's scan finds them.
	sub := filepath.Join(dir, "sub", "deeper")
	var want []string
	for i := range 5 {
		p := filepath.Join(sub, fmt.Sprintf("n%d.txt", i))
		write(t, p, notice("丙三号"))
		want = append(want, p)
	}
	f.waitNotices(t, "丙三号", want...)

	// The new folder is watched: a file written into it later is seen.
	later := filepath.Join(sub, "later.md")
	write(t, later, notice("丁四号"))
	f.waitNotices(t, "丁四号", later)

	// A folder moved in from outside, and one moved away.
	outside := filepath.Join(t.TempDir(), "moved")
	write(t, filepath.Join(outside, "inner", "m.html"), "<html><body><h1>关于戊五号工作的通知</h1><p>戊五号工作要落实到位，确保取得实效。</p></body></html>")
	in := filepath.Join(dir, "moved")
	if err := os.Rename(outside, in); err != nil {
		t.Fatal(err)
	}
	f.waitNotices(t, "戊五号", filepath.Join(in, "inner", "m.html"))
	if err := os.Rename(filepath.Join(dir, "sub"), filepath.Join(t.TempDir(), "away")); err != nil {
		t.Fatal(err)
	}
	f.waitNotices(t, "丙三号")
	f.waitNotices(t, "丁四号")

	// A folder renamed inside the tree: its notices follow it, and its
	// subfolder is watched under the new name.
	renamed := filepath.Join(dir, "renamed")
	if err := os.Rename(in, renamed); err != nil {
		t.Fatal(err)
	}
	f.waitNotices(t, "戊五号", filepath.Join(renamed, "inner", "m.html"))
	after := filepath.Join(renamed, "inner", "after.txt")
	write(t, after, notice("己六号"))
	f.waitNotices(t, "己六号", after)

	if err := os.RemoveAll(renamed); err != nil {
		t.Fatal(err)
	}
	f.waitNotices(t, "戊五号")
	f.waitNotices(t, "己六号")
}

// TestWatchTempAndRename: an editor that saves by writing a temporary
// file and renaming it over the file leaves one notice, the last text's.
func TestWatchTempAndRename(t *testing.T) {
	dir := t.TempDir()
	f := watching(t, dir, "", Options{})
	final := filepath.Join(dir, "saved.txt")
	for i, marker := range []string{"庚七号", "辛八号", "壬九号"} {
		// Temporary names as editors make them: hidden, a backup suffix,
		// and one with a notice's extension.
		tmp := filepath.Join(dir, []string{".saved.txt.swp", "saved.txt~", "saved.tmp.txt"}[i])
		write(t, tmp, notice(marker))
		if err := os.Rename(tmp, final); err != nil {
			t.Fatal(err)
		}
		f.waitNotices(t, marker, final)
	}
	f.waitNotices(t, "庚七号")
	f.waitNotices(t, "辛八号")
	if n := f.ix.Text().Docs(); n != 1 {
		t.Errorf("%d notices in the index, want 1: %v", n, f.notices("工作"))
	}
}

// TestWatchPassesOverTheIndexFolder: an index kept inside the folder
// watched is neither watched nor read, even a notice file put there.
func TestWatchPassesOverTheIndexFolder(t *testing.T) {
	dir := t.TempDir()
	ixDir := filepath.Join(dir, "ix")
	f := watching(t, dir, ixDir, Options{})
	if f.w.watched[ixDir] {
		t.Error("the index folder is watched")
	}
	stray := filepath.Join(ixDir, "stray.txt")
	write(t, stray, notice("癸十号"))
	other := filepath.Join(dir, "other.txt")
	write(t, other, notice("癸十号"))
	f.waitNotices(t, "癸十号", other)

	// A full scan passes over it too.
	rep, err := f.ix.Add(t.Context(), f.w.Dirs(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.notices("癸十号"); got[stray] != 0 || rep.Indexed != 0 {
		t.Errorf("the index folder's file was indexed: %v, %+v", got, rep)
	}
}

// TestWatchLogsWhatItCannotIndex: a file that is not a notice, and a FIFO
// named like one, are logged with their path and reason; the rest is
// indexed.
func TestWatchLogsWhatItCannotIndex(t *testing.T) {
	dir := t.TempDir()
	f := watching(t, dir, "", Options{})
	broken := filepath.Join(dir, "broken.txt")
	bin, err := os.ReadFile("../../testdata/broken/binary.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(broken, bin, 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	good := filepath.Join(dir, "good.txt")
	write(t, good, notice("子一号"))
	f.waitNotices(t, "子一号", good)
	f.wait(t, "both bad files logged", func() bool {
		log := f.log.String()
		return strings.Contains(log, "not indexed") && strings.Contains(log, broken) && strings.Contains(log, fifo)
	})
	for _, line := range strings.Split(f.log.String(), "\n") {
		if strings.Contains(line, "not indexed") && !strings.Contains(line, "reason=") {
			t.Errorf("logged without a reason: %s", line)
		}
	}
}

// TestWatchRescanFindsWhatEventsMiss: a folder reached through a symbolic
// link has no watch; the periodic rescan finds its new files.
func TestWatchRescanFindsWhatEventsMiss(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(dir, "link")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	f := watching(t, dir, "", Options{Rescan: 200 * time.Millisecond})
	write(t, filepath.Join(elsewhere, "x.txt"), notice("丑二号"))
	f.waitNotices(t, "丑二号", filepath.Join(dir, "link", "x.txt"))
}

// TestWatchCommitsUnderASteadyStream: events that never pause still
// commit, every MaxDelay.
func TestWatchCommitsUnderASteadyStream(t *testing.T) {
	dir := t.TempDir()
	f := watching(t, dir, "", Options{Quiet: time.Hour, MaxDelay: 300 * time.Millisecond})
	first := filepath.Join(dir, "first.txt")
	write(t, first, notice("寅三号"))
	busy := filepath.Join(dir, "busy.txt")
	deadline := time.Now().Add(guard)
	for i := 0; f.notices("寅三号")[first] == 0; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("nothing committed under a stream of events after %s", guard)
		}
		write(t, busy, notice(fmt.Sprintf("卯%d号", i)))
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNewRefuses(t *testing.T) {
	dir := t.TempDir()
	ix, err := indexer.Open(filepath.Join(dir, "ix"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	file := filepath.Join(dir, "a.txt")
	write(t, file, notice("辰四号"))
	for _, tc := range []struct {
		name string
		dirs []string
	}{
		{"no folder", nil},
		{"a folder that is not there", []string{filepath.Join(dir, "missing")}},
		{"a file", []string{file}},
		{"the index's own folder", []string{filepath.Join(dir, "ix")}},
	} {
		if w, err := New(ix, tc.dirs, Options{}, nil); err == nil {
			w.fsw.Close()
			t.Errorf("%s: watched", tc.name)
		}
	}
	r, err := indexer.OpenReader(filepath.Join(dir, "ix"))
	if err == nil {
		defer r.Close()
		if _, err := New(r, []string{dir}, Options{}, nil); err == nil {
			t.Error("an index opened for reading: watched")
		}
	}
}
