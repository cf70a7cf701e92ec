package indexer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden and testdata/formats/golden")

const (
	noticeDir = "../testdata/notices"
	brokenDir = "../testdata/broken"
	goldenDir = "../testdata/golden"
)

// golden is what a golden file holds of a notice: everything parse shows.
type golden struct {
	*Notice
	Path string `json:"path"` // relative to the repository root
}

// goldenOf writes a notice's IDs, which depend on where the repository
// is (see NoticeID), as "ID".
func goldenOf(n *Notice) []byte {
	c := *n
	c.Sections = slices.Clone(n.Sections)
	for i := range c.Sections {
		c.Sections[i].ID = strings.Replace(c.Sections[i].ID, n.ID, "ID", 1)
		c.Sections[i].NoticeID = "ID"
	}
	c.ID = "ID"
	g := golden{Notice: &c, Path: strings.TrimPrefix(filepath.ToSlash(n.Path), "../")}
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

func noticeFiles(t *testing.T) []string {
	t.Helper()
	files, errs := Files(t.Context(), []string{noticeDir})
	for _, err := range errs {
		t.Fatal(err) // every file there is a notice
	}
	if len(files) < 30 {
		t.Fatalf("testdata holds %d notices, want at least 30", len(files))
	}
	return files
}

// TestGolden reads every notice in testdata and compares what it
// understood (cleaned body, metadata, section tree) with its golden file.
// Run with -update to rewrite them, then review the diff.
func TestGolden(t *testing.T) {
	for _, path := range noticeFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			n, err := ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkLossless(t, n.Body, n.Sections)
			got := goldenOf(n)
			gpath := filepath.Join(goldenDir, filepath.Base(path)+".json")
			if *update {
				if err := os.MkdirAll(goldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(gpath, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gpath)
			if err != nil {
				t.Fatalf("%v (run go test ./indexer -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from its golden file:\n%s", path, lineDiff(string(want), string(got)))
			}
		})
	}
}

// TestExpectations checks the metadata of every notice against
// testdata/expect.tsv, written by hand from reading the files.
func TestExpectations(t *testing.T) {
	f, err := os.Open(filepath.Join(noticeDir, "..", "expect.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	rows := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		get := func(k string) string { return rec[col[k]] }
		t.Run(get("file"), func(t *testing.T) {
			n, err := ReadFile(filepath.Join(noticeDir, get("file")))
			if err != nil {
				t.Fatal(err)
			}
			top := 0
			for _, s := range n.Sections {
				if s.Level == 1 {
					top++
				}
			}
			for _, c := range []struct{ field, got string }{
				{"title", n.Title}, {"date", n.Date}, {"source", n.Source}, {"issuer", n.Issuer},
				{"province", n.Region.Province}, {"city", n.Region.City}, {"county", n.Region.County},
				{"doc_number", n.DocNumber}, {"kind", n.Kind}, {"top_sections", strconv.Itoa(top)},
			} {
				if want := get(c.field); c.got != want {
					t.Errorf("%s = %q, want %q", c.field, c.got, want)
				}
			}
		})
	}
	if files := noticeFiles(t); rows != len(files) {
		t.Errorf("expect.tsv has %d rows for %d notice files", rows, len(files))
	}
}

// TestBrokenFiles checks that every broken file is rejected with an error
// that names its path and the reason.
func TestBrokenFiles(t *testing.T) {
	want := map[string]error{
		"empty.txt":                ErrEmpty,
		"blank.html":               ErrEmpty,
		"binary.txt":               ErrNotText,
		"image.html":               ErrNotText,
		"invalid-utf8-and-gbk.txt": ErrNotText,
		"nobody.html":              ErrNoBody,
		"clutter-only.txt":         ErrNoBody,
	}
	entries, err := os.ReadDir(brokenDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			path := filepath.Join(brokenDir, e.Name())
			n, err := ReadFile(path)
			if err == nil {
				t.Fatalf("read as a notice titled %q; want an error", n.Title)
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.Path != path || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the path", err)
			}
			if w, ok := want[e.Name()]; ok && !errors.Is(err, w) {
				t.Errorf("error %q, want %q", err, w)
			}
			if !IsRejected(err) {
				t.Errorf("IsRejected(%q) = false", err)
			}
		})
	}
}

// lineDiff shows the lines that differ between two texts, with line numbers.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 20; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n- " + wl + "\n+ " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

// TestIDIsTheFile: a notice's ID is its file's, its fingerprint its
// content's. The same notice saved twice, under another name and with other
// line endings and indentation, has the same fingerprint but is another
// notice; a file edited keeps its ID and gets a new fingerprint.
func TestIDIsTheFile(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Parse("a/notice.txt", src)
	if err != nil {
		t.Fatal(err)
	}
	resaved := strings.ReplaceAll(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n", "\r\n\u3000\u3000")
	b, err := Parse("b/copy.txt", []byte(resaved))
	if err != nil {
		t.Fatal(err)
	}
	if a.Fingerprint != b.Fingerprint || a.ID == b.ID {
		t.Errorf("same notice in two files: IDs %s, %s, fingerprints %s, %s", a.ID, b.ID, a.Fingerprint, b.Fingerprint)
	}
	for i := range b.Sections {
		if !strings.HasPrefix(b.Sections[i].ID, b.ID+"-") || b.Sections[i].NoticeID != b.ID {
			t.Fatalf("section %d: ID %q, notice ID %q", i, b.Sections[i].ID, b.Sections[i].NoticeID)
		}
	}
	i := bytes.LastIndex(src, []byte("。"))
	edited := append(append(bytes.Clone(src[:i]), "！"...), src[i+len("。"):]...)
	changed, err := Parse("a/notice.txt", edited)
	if err != nil {
		t.Fatal(err)
	}
	if changed.ID != a.ID || changed.Fingerprint == a.Fingerprint {
		t.Errorf("a file edited: ID %s then %s, fingerprint %s then %s", a.ID, changed.ID, a.Fingerprint, changed.Fingerprint)
	}
}
