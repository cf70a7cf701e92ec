package search

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"noticesearch/indexer"
	"noticesearch/indexer/textindex"
)

// TestDamagedTextIsRefusedWhenRead changes a byte of a notice's text in
// its segment file, past what opening checks (the text is checked a chunk
// at a time on first read): the index opens, but a search that reads the
// damaged chunk is refused with ErrDamaged, naming the check to run, never
// answered without the notice; check finds it too.
func TestDamagedTextIsRefusedWhenRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ix")
	w, err := indexer.Open(path, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Add(t.Context(), []string{filepath.Join(noticeDir, "huangdao-2023-yigang-shuangze.txt")}, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	segs, _ := filepath.Glob(filepath.Join(path, "*.tix"))
	if len(segs) != 1 {
		t.Fatalf("segments %v", segs)
	}
	data, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(data, textindex.StoredForm(textindex.Normalize("外贸扶持资金审核"))) // in the normalised text: no title or metadata holds it
	if at < 0 {
		t.Fatal("the text is not in the segment as written")
	}
	data[at+len(textindex.StoredForm(textindex.Normalize("外贸")))] ^= 1 // 扶 becomes another character
	if err := os.WriteFile(segs[0], data, 0o644); err != nil {
		t.Fatal(err)
	}

	r, err := indexer.OpenReader(path)
	switch {
	case err == nil:
		defer r.Close()
		_, err = New(r).Search(t.Context(), Request{Query: "廉政风险"})
		if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "noticesearch check") {
			t.Errorf("search of a damaged text: err = %v", err)
		}
	case errors.Is(err, indexer.ErrDamaged):
		// The pass in the background, which starts seconds after opening,
		// found it first: a machine slow enough for that.
		t.Logf("found before the search: %v", err)
	default:
		t.Fatal(err)
	}
	rep, err := indexer.Check(path)
	if err != nil || !rep.Damaged() {
		t.Errorf("check: %v, damaged %v", err, rep != nil && rep.Damaged())
	}
}
