package indexer_test

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"noticesearch/indexer"
	"noticesearch/indexer/internal/hostile"
)

// TestHostileCorpus indexes the hostile corpus as the CLI does, a folder
// at once, and checks every file's outcome: indexed, with what its case
// expects of it and sections no longer than the bound, or skipped with its
// path and the reason its case expects. Every file must be accounted for,
// and reading any one must allocate memory in proportion to its size.
func TestHostileCorpus(t *testing.T) {
	if raceDetector {
		// 20 MB lines take minutes under the detector, and the test is of
		// bounds, not of goroutines: the other tests run Add under it.
		t.Skip("the hostile corpus is not run under the race detector")
	}
	if hostile.SizeLimit != indexer.DefaultMaxFileSize {
		t.Fatalf("the corpus passes a limit of %d, the indexer's is %d", hostile.SizeLimit, indexer.DefaultMaxFileSize)
	}
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus")
	if err := hostile.Write(corpus); err != nil {
		t.Fatal(err)
	}
	cases := hostile.Cases()
	ix, err := indexer.Open(filepath.Join(dir, "ix"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// A guard against a hang (a FIFO opened, a loop walked), not a measure.
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	rep, err := ix.Add(ctx, []string{corpus}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Add: %v", time.Since(start))

	// Ignored entries (other file types, hidden files) are listed apart
	// from the files that failed; both are passed over with a reason.
	skipped := map[string]string{}
	for _, s := range slices.Concat(rep.Skipped, rep.Ignored) {
		if _, twice := skipped[s.Path]; twice {
			t.Errorf("%s skipped twice", s.Path)
		}
		skipped[s.Path] = s.Reason
	}
	wantSkipped := 0
	for _, c := range cases {
		path := filepath.Join(corpus, filepath.FromSlash(c.File))
		t.Run(c.Name, func(t *testing.T) {
			reason, wasSkipped := skipped[path]
			switch {
			case c.Want.Skipped != "" && !wasSkipped:
				t.Fatalf("%s was indexed; want it skipped for %q", c.File, c.Want.Skipped)
			case c.Want.Skipped != "" && !strings.Contains(reason, c.Want.Skipped):
				t.Fatalf("%s skipped for %q; want %q", c.File, reason, c.Want.Skipped)
			case c.Want.Skipped == "" && wasSkipped:
				t.Fatalf("%s skipped for %q; want it indexed", c.File, reason)
			}
			n, err := indexer.ReadFile(path)
			if c.Want.Skipped != "" {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkNotice(t, ix, n, c.Want)
		})
		if c.Want.Skipped != "" {
			wantSkipped++
		}
	}
	// Reading takes 6 to 25 times the file (BenchmarkHostile): the bound
	// leaves room, and fails anything that grows faster. The allocations
	// counted are the whole process's: the index is closed first, so that
	// its background work does not count.
	ix.Close()
	for _, c := range cases {
		_, alloc, _ := readFile(filepath.Join(corpus, filepath.FromSlash(c.File)))
		if bound := 32*uint64(c.Bytes) + 8<<20; alloc > bound {
			t.Errorf("reading %s (%d bytes) allocated %d MB, more than %d MB", c.File, c.Bytes, alloc>>20, bound>>20)
		}
	}
	passed := len(rep.Skipped) + len(rep.Ignored)
	if rep.Files != len(cases) || passed != wantSkipped || rep.Indexed+rep.Unchanged+passed != rep.Files {
		t.Errorf("report: %d files, %d indexed, %d unchanged, %d skipped and %d ignored; want %d files, %d passed over", rep.Files, rep.Indexed, rep.Unchanged, len(rep.Skipped), len(rep.Ignored), len(cases), wantSkipped)
	}
	for _, s := range rep.Ignored {
		if !strings.Contains(s.Reason, "不支持的文件类型") && !strings.Contains(s.Reason, "隐藏") {
			t.Errorf("%s ignored for %q: only other file types and hidden files are not failures", s.Path, s.Reason)
		}
	}
}

// readFile reads a file as a notice and says how many bytes that allocated.
func readFile(path string) (*indexer.Notice, uint64, error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n, err := indexer.ReadFile(path)
	runtime.ReadMemStats(&after)
	return n, after.TotalAlloc - before.TotalAlloc, err
}

func checkNotice(t *testing.T, ix *indexer.Index, n *indexer.Notice, want hostile.Want) {
	t.Helper()
	if want.Title != "" && n.Title != want.Title {
		t.Errorf("title %q, want %q", n.Title, want.Title)
	}
	for _, s := range want.BodyHas {
		if !strings.Contains(n.Body, s) {
			t.Errorf("body lacks %q: %.200q", s, n.Body)
		}
	}
	for _, s := range want.BodyLacks {
		if i := strings.Index(n.Body, s); i >= 0 {
			t.Errorf("body holds %q: %.200q", s, n.Body[max(0, i-50):])
		}
	}
	headings := 0
	for _, s := range n.Sections {
		if len(s.Text) > indexer.MaxSectionBytes {
			t.Errorf("section %d holds %d bytes", s.Seq, len(s.Text))
		}
		if s.Heading != "" {
			headings++
		}
	}
	if headings < want.Headings {
		t.Errorf("%d sections with a heading, want at least %d", headings, want.Headings)
	}
	found := false
	for d := range ix.Text().Docs() {
		found = found || ix.Text().DocID(d) == n.ID
	}
	if !found {
		t.Errorf("notice %s is not in the index", n.ID)
	}
}

// BenchmarkHostile reads each file of the hostile corpus as a notice:
//
//	go test ./indexer -run XXX -bench Hostile -benchtime 3x
func BenchmarkHostile(b *testing.B) {
	corpus := b.TempDir()
	if err := hostile.Write(corpus); err != nil {
		b.Fatal(err)
	}
	for _, c := range hostile.Cases() {
		path := filepath.Join(corpus, filepath.FromSlash(c.File))
		b.Run(strings.NewReplacer("/", "-", ".", "-").Replace(c.File), func(b *testing.B) {
			if c.Want.Skipped == "" {
				b.SetBytes(c.Bytes)
			}
			b.ReportAllocs()
			for b.Loop() {
				indexer.ReadFile(path)
			}
		})
	}
}
