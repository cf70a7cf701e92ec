package indexer

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	const text = "中共温州市瓯海区委关于巡视整改进展情况的通报。一岗双责，廉政风险。"
	tests := []struct {
		name   string
		data   []byte
		isHTML bool
		want   string
		err    error
	}{
		{"utf-8 without BOM", []byte(text), false, text, nil},
		{"utf-8 with BOM", append([]byte("\xef\xbb\xbf"), text...), false, text, nil},
		{"gbk text decided by validity", gbk(t, text), false, text, nil},
		{"gbk html with a meta charset", gbk(t, `<meta charset="gb2312"><p>`+text), true, `<meta charset="gb2312"><p>` + text, nil},
		{"gbk html with http-equiv", gbk(t, `<meta http-equiv="Content-Type" content="text/html; charset=GBK">`+text), true, `<meta http-equiv="Content-Type" content="text/html; charset=GBK">` + text, nil},
		{"gbk html that claims utf-8", gbk(t, `<meta charset="utf-8">`+text), true, `<meta charset="utf-8">` + text, nil},
		{"utf-8 html that claims gbk", []byte(`<meta charset="gbk"><p>` + text), true, `<meta charset="gbk"><p>` + text, nil},
		{"empty", nil, false, "", ErrEmpty},
		{"only blanks", []byte(" \n\t\r\n"), false, "", ErrEmpty},
		{"NUL bytes", []byte("abc\x00def中文"), false, "", ErrNotText},
		{"invalid in every encoding", []byte(strings.Repeat("ab\xff\x80\xff", 50)), false, "", ErrNotText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decode(tt.data, tt.isHTML)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("decode = %q, want %q", got, tt.want)
			}
		})
	}
}
