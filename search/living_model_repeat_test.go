package search

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"noticesearch/indexer"
)

// TestLivingModelFileNamedTwice is what the living model test found: a
// file named and in a folder named too was added as two live notices of
// one file (an index Check calls damaged, one of which no Remove could
// reach), and a notice gone from two folders named was counted removed
// twice.
func TestLivingModelFileNamedTwice(t *testing.T) {
	root := t.TempDir()
	docs := filepath.Join(root, "docs")
	sub := filepath.Join(docs, "sub")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(sub, "a.txt"), filepath.Join(docs, "b.txt")
	for _, p := range []string{a, b} {
		text := "青禾县人民政府办公室关于做好防汛抗旱工作的通知\n2023年5月6日\n各有关单位：请认真做好" + filepath.Base(p) + "所述工作。\n一、总体要求\n切实落实责任，确保安全度汛。\n"
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := indexer.Open(filepath.Join(root, "index"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	check := func(what string, rep *indexer.Report, err error, indexed, removed, notices int) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if rep.Indexed != indexed || rep.Removed != removed {
			t.Errorf("%s: %d indexed, %d removed; want %d, %d", what, rep.Indexed, rep.Removed, indexed, removed)
		}
		if n := ix.State().Text.Docs(); n != notices {
			t.Errorf("%s: %d notices live, want %d", what, n, notices)
		}
		c, err := indexer.Check(ix.Path())
		if err != nil || c.Damaged() {
			t.Fatalf("%s: check: %v %+v", what, err, c)
		}
	}
	rep, err := ix.Add(ctx, []string{docs, b, a, b}, nil)
	check("add the folder and its files", rep, err, 2, 0, 2)
	if err := os.Remove(a); err != nil {
		t.Fatal(err)
	}
	rep, err = ix.Add(ctx, []string{docs, sub}, nil)
	check("add a folder and one inside it, a file gone", rep, err, 0, 1, 1)
	rep, err = ix.Remove(ctx, []string{docs, b})
	check("remove a folder and its file", rep, err, 0, 1, 0)
}
