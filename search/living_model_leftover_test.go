package search

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"noticesearch/indexer"
)

// TestLivingModelLeftoverOfACrash is what the living model test found
// (seed 11, 2,000 operations): a writer killed after it wrote a segment
// and its bleve folder, before its manifest, leaves them behind under the
// name the next writer gives its first segment, and that writer's update
// failed ("rename NAME.bleve.tmp NAME.bleve: file exists") instead of
// replacing them. The leftovers are made here by hand, as the kill left
// them.
func TestLivingModelLeftoverOfACrash(t *testing.T) {
	root := t.TempDir()
	docs, index := filepath.Join(root, "docs"), filepath.Join(root, "index")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string) {
		text := "白石镇人民政府关于加强森林防火工作的通知\n2022年3月8日\n各村：请认真做好" + name + "所述工作。\n一、工作要求\n切实落实责任。\n"
		if err := os.WriteFile(filepath.Join(docs, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt")
	ix, err := indexer.Open(index, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := ix.Add(ctx, []string{docs}, nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// The crashed run's segment seg-000001, the next one's name: a copy of
	// the committed one's files.
	if err := os.CopyFS(filepath.Join(index, "seg-000001.bleve"), os.DirFS(filepath.Join(index, "seg-000000.bleve"))); err != nil {
		t.Fatal(err)
	}
	if err := copyFile(filepath.Join(index, "seg-000000.tix"), filepath.Join(index, "seg-000001.tix")); err != nil {
		t.Fatal(err)
	}
	if c, err := indexer.Check(index); err != nil || c.Damaged() {
		t.Fatalf("check: %v %+v", err, c)
	}

	ix, err = indexer.Open(index, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	write("b.txt")
	if _, err := ix.Add(ctx, []string{docs}, nil); err != nil {
		t.Fatalf("add after a crash: %v", err)
	}
	if n := ix.State().Text.Docs(); n != 2 {
		t.Fatalf("%d notices, want 2", n)
	}
	c, err := indexer.Check(index)
	if err != nil || c.Damaged() || len(c.Problems) > 0 {
		t.Fatalf("check after the next commit: %v %+v", err, c)
	}
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
