package office

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpusOFD: the OFD files of ../shared/corpus/formats read with the
// Chinese characters their manifest counts (nine in ten at least), their
// text pages and template pages included; the image-only one is reported
// as such.
func TestCorpusOFD(t *testing.T) {
	manifest, err := os.ReadFile("../../../shared/corpus/formats/manifest.tsv")
	if err != nil {
		t.Skip("../shared/corpus/formats is absent")
	}
	for _, line := range strings.Split(string(manifest), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 6 || !strings.HasSuffix(f[0], ".ofd") {
			continue
		}
		data, err := os.ReadFile(filepath.Join("../../../shared/corpus/formats", f[0]))
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		fmtSscan(f[5], &want)
		text, err := OFDText(data)
		if want == 0 {
			if !errors.Is(err, ErrNoText) {
				t.Errorf("%s: image-only, read as %v %.100q", f[0], err, text)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", f[0], err)
			continue
		}
		han := 0
		for _, r := range text {
			if r >= 0x4e00 && r <= 0x9fff {
				han++
			}
		}
		t.Logf("%s: %d of %d Chinese characters\n%.300s", f[0], han, want, text)
		// The 蚌埠 letter's title, in a larger type, stands on a line of
		// its own, not run into the addressee under it.
		if strings.Contains(f[0], "bengbu") && !strings.HasPrefix(text, "关于加快南货场铁路涵洞下穿建设的函\n") {
			t.Errorf("%s: the title runs on: %.80q", f[0], text)
		}
		if han*10 < want*9 {
			t.Errorf("%s: %d Chinese characters, the manifest counts %d", f[0], han, want)
		}
	}
	if _, err := OFDText([]byte("nope")); !errors.Is(err, ErrNotOFD) {
		t.Errorf("not a zip: %v", err)
	}
}

func fmtSscan(s string, n *int) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return
		}
		*n = *n*10 + int(r-'0')
	}
}

func FuzzOFDText(f *testing.F) {
	if b, err := os.ReadFile("../../../shared/corpus/formats/ofd_synthetic_gongwen_guofangbu_notice.ofd"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("PK"))
	f.Fuzz(func(t *testing.T, data []byte) {
		OFDText(data)
	})
}
