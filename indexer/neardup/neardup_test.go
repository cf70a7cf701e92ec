package neardup_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"noticesearch/indexer"
	. "noticesearch/indexer/neardup"
)

// bodies are testdata's notices' bodies, read as the indexer reads them.
func bodies(t *testing.T) []string {
	t.Helper()
	files, err := indexer.Files(context.Background(), []string{"../../testdata/notices"})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		n, err := indexer.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, indexer.Body(n))
	}
	return out
}

// edit changes k characters of text at random places, and drops one
// sentence.
func edit(rnd *rand.Rand, text string, k int) string {
	r := []rune(text)
	for range k {
		r[rnd.IntN(len(r))] = []rune("的是在了和有政府工作")[rnd.IntN(10)]
	}
	s := string(r)
	if i := strings.Index(s, "。"); i > 0 && i < len(s)/2 {
		if j := strings.Index(s[i+3:], "。"); j > 0 {
			s = s[:i+3] + s[i+3+j+3:]
		}
	}
	return s
}

// TestNearDuplicates measures the signatures on pairs we make: every
// notice of testdata against a copy with a few edits and a sentence
// dropped (near) and against every other notice (not near). No false pair
// among the distinct notices; nine in ten edited copies found at least.
func TestNearDuplicates(t *testing.T) {
	bs := bodies(t)
	rnd := rand.New(rand.NewPCG(1, 1))
	sigs := make([]Signature, len(bs))
	ok := make([]bool, len(bs))
	long := 0
	for i, b := range bs {
		sigs[i], ok[i] = Sign(b)
		if ok[i] {
			long++
		}
	}
	if long < 25 {
		t.Fatalf("only %d of %d notices long enough", long, len(bs))
	}
	worst := 0.0
	for i := range sigs {
		for j := i + 1; j < len(sigs); j++ {
			if ok[i] && ok[j] {
				s := Similarity(&sigs[i], &sigs[j])
				worst = max(worst, s)
				if s >= Threshold {
					t.Errorf("notices %d and %d called near duplicates (%.2f)", i, j, s)
				}
			}
		}
	}
	found, tried := 0, 0
	var copies []Signature
	for i, b := range bs {
		if !ok[i] {
			continue
		}
		tried++
		c, _ := Sign(edit(rnd, b, 3))
		if Similarity(&sigs[i], &c) >= Threshold {
			found++
		}
		copies = append(copies, c)
		if s2, _ := Sign(b + "\n"); s2 != sigs[i] {
			t.Errorf("notice %d: a blank line moves the signature", i)
		}
		if back, ok := Parse(Format(sigs[i], true)); !ok || back != sigs[i] {
			t.Errorf("notice %d: the signature does not read back", i)
		}
	}
	t.Logf("distinct notices: at most %.2f alike; copies with 3 characters changed and a sentence dropped: %d of %d found", worst, found, tried)
	if found*10 < tried*9 {
		t.Errorf("%d of %d edited copies found", found, tried)
	}
	// Groups: each notice with its copy, no two notices together.
	all := append(append([]Signature(nil), sigs...), copies...)
	allOK := append(append([]bool(nil), ok...), make([]bool, len(copies))...)
	for i := range copies {
		allOK[len(sigs)+i] = true
	}
	groups := Groups(all, allOK)
	seen := map[int32]int{}
	for i := range sigs {
		if groups[i] != 0 {
			seen[groups[i]]++
		}
	}
	for g, n := range seen {
		if n > 1 {
			t.Errorf("group %d holds %d distinct notices", g, n)
		}
	}
	if len(seen) < found*9/10 {
		t.Errorf("%d groups for %d copies found", len(seen), found)
	}
}
