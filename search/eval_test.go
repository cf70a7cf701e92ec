package search

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestEvalTerms runs the testdata term list through Eval: every query's
// hits equal the scan of the stored sections.
func TestEvalTerms(t *testing.T) {
	f, err := os.Open("../testdata/eval/terms.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var queries []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			queries = append(queries, line)
		}
	}
	if len(queries) < 40 {
		t.Fatalf("%d queries in the term list", len(queries))
	}
	results, err := testEngine.Eval(t.Context(), queries)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.Exact() || r.Expected == 0 {
			t.Errorf("%+v", r)
		}
	}
}

// TestEvalScanAgreesWithContains: the scan inside Eval is the same
// substring test as Contains, counted over testdata's sections.
func TestEvalScanAgreesWithContains(t *testing.T) {
	results, err := testEngine.Eval(t.Context(), []string{"整改", "廉政 -风险", "kind:通报"})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(scan([][]string{{"整改"}}, nil)); results[0].Expected != want {
		t.Errorf("整改: scan found %d, Contains %d", results[0].Expected, want)
	}
	if want := len(scan([][]string{{"廉政"}}, []string{"风险"})); results[1].Expected != want {
		t.Errorf("廉政 -风险: scan found %d, Contains %d", results[1].Expected, want)
	}
	if results[2].Expected == 0 || !results[2].Exact() {
		t.Errorf("kind:通报: %+v", results[2])
	}
}
