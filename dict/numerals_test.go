package dict

import "testing"

func TestParseNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"32", 32}, {"３２", 32}, {"1,234", 1234}, {"1，234.5", 1234.5}, {"3.5万", 35000}, {"1.2亿", 1.2e8}, {"489万", 4890000},
		{"三十二", 32}, {"十", 10}, {"十五", 15}, {"二十", 20}, {"一百零五", 105}, {"两千三百万", 2.3e7},
		{"一亿三千万", 1.3e8}, {"一万零五百", 10500}, {"九十九", 99}, {"十二点五", 12.5}, {"零", 0},
		{"二○二一", 2021}, {"二〇二三", 2023}, {"贰佰", 200}, {"两", 2},
	} {
		got, ok := ParseNumber(c.in)
		if !ok || got != c.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"", "三四", "百", "万", "1,23", "12,3456", "1.2.3", "五点", "十万亿x", "abc", "一,二", "九九九九九九九九九九九九九九九九九九九九○", "九千亿亿亿亿亿"} {
		if v, ok := ParseNumber(bad); ok {
			t.Errorf("ParseNumber(%q) = %v, want none", bad, v)
		}
	}
}

// FuzzParseNumber: any string parses or not, without panicking, and a
// number of digits alone parses as strconv does.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"三十二", "一亿三千万", "3.5万", "1,234", "二○二一", "十点五", "万万", "零零"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseNumber(s)
		if ok && (v < 0 || v != v) {
			t.Fatalf("%q: %v", s, v)
		}
	})
}
