package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCompareCommand(t *testing.T) {
	ix := filepath.Join(t.TempDir(), "ix")
	if code, _, errOut := runCLI(t, "index", "--index", ix, "../../testdata/notices"); code != 0 {
		t.Fatalf("index: exit %d\n%s", code, errOut)
	}
	code, out, errOut := runCLI(t, "compare", "--index", ix, "--by", "county", "一岗双责", "廉政风险")
	if code != 0 {
		t.Fatalf("compare: exit %d\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 4 || !strings.HasPrefix(lines[0], "区县") || !strings.HasPrefix(lines[len(lines)-1], "合计") {
		t.Fatalf("table:\n%s", out)
	}
	// Aligned: every row as wide as the header, Chinese counted as two
	// columns (the rows end in numbers, aligned right).
	for _, l := range lines {
		if displayWidth(l) != displayWidth(lines[0]) {
			t.Errorf("%q is %d columns wide, the header %d", l, displayWidth(l), displayWidth(lines[0]))
		}
	}
	if displayWidth("温州市瓯海区 12") != 15 || utf8.RuneCountInString("温州市瓯海区 12") != 9 {
		t.Error("displayWidth counts Chinese as one column")
	}

	csvPath := filepath.Join(t.TempDir(), "out.csv")
	if code, _, errOut := runCLI(t, "compare", "--index", ix, "--by", "county,year", "--csv", csvPath, "整改"); code != 0 {
		t.Fatalf("compare --csv: exit %d\n%s", code, errOut)
	}
	b, err := os.ReadFile(csvPath)
	if err != nil || !bytes.HasPrefix(b, []byte("\ufeff区县,年份,公文数")) {
		t.Fatalf("CSV %.60q (%v)", b, err)
	}
	xlsxPath := filepath.Join(t.TempDir(), "out.xlsx")
	if code, _, errOut := runCLI(t, "compare", "--index", ix, "--xlsx", xlsxPath, "整改"); code != 0 {
		t.Fatalf("compare --xlsx: exit %d\n%s", code, errOut)
	}
	if b, err := os.ReadFile(xlsxPath); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("XLSX: %v", err)
	}

	for _, args := range [][]string{{"compare", "--index", ix}, {"compare", "--index", ix, "--by", "town", "整改"}, {"keywords", "--index", ix}} {
		if code, _, errOut := runCLI(t, args...); code != 2 || !strings.Contains(errOut, " / ") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	if code, out, errOut := runCLI(t, "keywords", "--index", ix, "--by", "city", "--top", "3"); code != 0 || !strings.Contains(out, "G²") {
		t.Errorf("keywords: exit %d\n%s%s", code, out, errOut)
	}
}
