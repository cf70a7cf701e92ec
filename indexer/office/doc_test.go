package office

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpusDOC: the DOC and WPS files of ../shared/corpus/formats read
// through the converter installed, with what their manifest describes.
func TestCorpusDOC(t *testing.T) {
	if Converter() == "" {
		t.Skip("no catdoc or antiword installed")
	}
	files, _ := filepath.Glob("../../../shared/corpus/formats/*.doc")
	wps, _ := filepath.Glob("../../../shared/corpus/formats/*.wps")
	files = append(files, wps...)
	if len(files) == 0 {
		t.Skip("../shared/corpus/formats is absent")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text, err := DocText(data)
		want := "国防部"
		if strings.Contains(f, "secret") {
			want = "机密"
		}
		if err != nil || !strings.Contains(text, want) || strings.Contains(text, "fast-saved") {
			t.Errorf("%s: %v %.200q", f, err, text)
		}
	}
}

// TestDOCWithoutConverter: with no converter on the PATH, a DOC is
// reported as needing one.
func TestDOCWithoutConverter(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := DocText([]byte{0xd0, 0xcf, 0x11, 0xe0}); !errors.Is(err, ErrNeedsConverter) || !strings.Contains(err.Error(), "catdoc") {
		t.Errorf("err = %v", err)
	}
}
