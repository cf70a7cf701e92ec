package indexer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"noticesearch/dict"
)

// TestDecodeMetaAsEncodingJSON: every notice's Meta, as encodeMeta writes
// it, decodes as encoding/json decodes it, through the fast path; so do
// strings that need escapes.
func TestDecodeMetaAsEncodingJSON(t *testing.T) {
	dirs := []string{"../testdata/notices", "../testdata/formats"}
	for _, c := range []string{"pingtan", "ccdi", "laws"} {
		if _, err := os.Stat(filepath.Join("../../shared/corpus", c)); err == nil {
			dirs = append(dirs, filepath.Join("../../shared/corpus", c))
		}
	}
	files, _ := Files(t.Context(), dirs)
	var raws [][]byte
	for _, f := range files {
		if n, err := ReadFile(f); err == nil {
			raws = append(raws, encodeMeta(n))
		}
	}
	for _, s := range []string{`<a href="x">&amp;</a>`, "引号\"与反斜杠\\", "行\n分隔\u2028与\u2029", "制表\t\r\b\f", "\x01\x1f", "😀 U+1F600", "/斜杠/", ""} {
		raw, err := json.Marshal(Meta{Title: s, Path: s + ".txt", Region: dict.Region{Province: s, Town: s}, Format: s})
		if err != nil {
			t.Fatal(err)
		}
		raws = append(raws, raw)
	}
	if len(raws) < 20 {
		t.Fatalf("%d metas", len(raws))
	}
	for _, raw := range raws {
		fast, ok := decodeMetaFast(raw)
		if !ok {
			t.Errorf("not read by the fast path: %s", raw)
			continue
		}
		var want Meta
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if fast != want {
			t.Errorf("%s\nfast    %+v\nwant    %+v", raw, fast, want)
		}
	}
}

// FuzzDecodeMeta: whatever the bytes, a Meta the fast path reads is the
// one encoding/json reads; and any Meta encoded is read back as it was.
func FuzzDecodeMeta(f *testing.F) {
	f.Add([]byte(`{"path":"a.txt","title":"标题\u003c","region":{"province":"浙江省","city":"","county":""}}`), "标题", "\\\"")
	f.Add([]byte(`{"title":"a","title":"b"}`), "", "")
	f.Fuzz(func(t *testing.T, raw []byte, a, b string) {
		if fast, ok := decodeMetaFast(raw); ok {
			var want Meta
			if err := json.Unmarshal(raw, &want); err != nil || fast != want {
				t.Fatalf("%q: fast %+v, encoding/json %+v (%v)", raw, fast, want, err)
			}
		}
		m := Meta{Title: a, Issuer: b, Region: dict.Region{County: a + b}, MinHash: b}
		enc, _ := json.Marshal(m)
		var want Meta
		json.Unmarshal(enc, &want) // invalid UTF-8 in a or b comes back replaced
		if got, err := DecodeMeta(enc); err != nil || got != want {
			t.Fatalf("%q: %+v (%v), want %+v", enc, got, err, want)
		}
	})
}

// BenchmarkDecodeMeta: a notice's Meta, by the fast path and by
// encoding/json.
func BenchmarkDecodeMeta(b *testing.B) {
	n, err := ReadFile("../testdata/notices/wujiang-2021-lianzheng-fengxian.html")
	if err != nil {
		b.Fatal(err)
	}
	raw := encodeMeta(n)
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			decodeMetaFast(raw)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			var m Meta
			json.Unmarshal(raw, &m)
		}
	})
}

// TestDecodeMetaKnowsEveryField: a Meta with every field set is read by
// the fast path, so that a field added to Meta (or to its region) and not
// to decodeMetaFast fails here rather than sending every notice through
// encoding/json unnoticed.
func TestDecodeMetaKnowsEveryField(t *testing.T) {
	var m Meta
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		for i := range v.NumField() {
			switch f := v.Field(i); f.Kind() {
			case reflect.String:
				f.SetString(v.Type().Field(i).Name + "值")
			case reflect.Struct:
				fill(f)
			default:
				t.Fatalf("Meta's %s is a %s: decodeMetaFast reads strings alone", v.Type().Field(i).Name, f.Kind())
			}
		}
	}
	fill(reflect.ValueOf(&m).Elem())
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := decodeMetaFast(raw); !ok || got != m {
		t.Errorf("the fast path does not read %s: %v %+v", raw, ok, got)
	}
}
