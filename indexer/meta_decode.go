package indexer

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// DecodeMeta reads a notice's Meta as the text index keeps it (see
// encodeMeta). A server decodes every notice's when it opens an index or
// a new state of it: through encoding/json that was 0.9 s of CPU at 50×
// the laws corpus, 40% of start-up; decodeMetaFast reads the flat object
// encodeMeta writes in a fifth of that, and anything else (a field it does
// not know, a value that is not a string, broken JSON) goes to
// encoding/json, which decides.
func DecodeMeta(raw []byte) (Meta, error) {
	if m, ok := decodeMetaFast(raw); ok {
		return m, nil
	}
	var m Meta
	err := json.Unmarshal(raw, &m)
	return m, err
}

// decodeMetaFast reads raw as an object of Meta's string fields and its
// region's, false for anything else.
func decodeMetaFast(raw []byte) (Meta, bool) {
	var m Meta
	d := metaDecoder{b: raw}
	ok := d.object(func(key []byte) bool {
		var dst *string
		switch string(key) {
		case "path":
			dst = &m.Path
		case "title":
			dst = &m.Title
		case "date":
			dst = &m.Date
		case "source":
			dst = &m.Source
		case "issuer":
			dst = &m.Issuer
		case "kind":
			dst = &m.Kind
		case "doc_number":
			dst = &m.DocNumber
		case "date_from":
			dst = &m.DateFrom
		case "format":
			dst = &m.Format
		case "minhash":
			dst = &m.MinHash
		case "region":
			return d.object(func(key []byte) bool {
				var dst *string
				switch string(key) {
				case "province":
					dst = &m.Region.Province
				case "city":
					dst = &m.Region.City
				case "county":
					dst = &m.Region.County
				case "town":
					dst = &m.Region.Town
				case "code":
					dst = &m.Region.Code
				default:
					return false
				}
				return d.stringInto(dst)
			})
		default:
			return false
		}
		return d.stringInto(dst)
	})
	d.space()
	return m, ok && d.i == len(d.b)
}

// metaDecoder reads JSON objects of strings from b at i.
type metaDecoder struct {
	b []byte
	i int
}

func (d *metaDecoder) space() {
	for d.i < len(d.b) && (d.b[d.i] == ' ' || d.b[d.i] == '\n' || d.b[d.i] == '\t' || d.b[d.i] == '\r') {
		d.i++
	}
}

func (d *metaDecoder) byte(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// object reads {"key": value, …}, field reading each value; a key seen
// twice is refused (encoding/json would keep the last, and so it decides),
// as is a key with an escape (none of Meta's has one).
func (d *metaDecoder) object(field func(key []byte) bool) bool {
	if !d.byte('{') {
		return false
	}
	if d.byte('}') {
		return true
	}
	var seen [16][]byte // Meta's fields are fewer
	n := 0
	for {
		key, ok := d.key()
		if !ok || n == len(seen) || !d.byte(':') {
			return false
		}
		for _, k := range seen[:n] {
			if bytes.Equal(k, key) {
				return false
			}
		}
		if !field(key) {
			return false
		}
		seen[n] = key
		n++
		if d.byte('}') {
			return true
		}
		if !d.byte(',') {
			return false
		}
	}
}

// key reads a string without escapes, as its bytes.
func (d *metaDecoder) key() ([]byte, bool) {
	if !d.byte('"') {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '"':
			d.i++
			return d.b[start : d.i-1], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
		d.i++
	}
	return nil, false
}

// stringInto reads a JSON string into dst: without escapes a copy of its
// bytes, with them decoded as encoding/json does; false for anything but
// a string, or for bytes that are not UTF-8 (left to encoding/json, which
// replaces them).
func (d *metaDecoder) stringInto(dst *string) bool {
	if !d.byte('"') {
		return false
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			if !utf8.Valid(s) {
				return false
			}
			*dst = string(s)
			return true
		case c == '\\':
			return d.escaped(start, dst)
		case c < 0x20:
			return false
		}
		d.i++
	}
	return false
}

// escaped reads the rest of a string that holds escapes, from its start:
// its quoted form is handed to strconv.Unquote, whose escapes are JSON's
// but for \/ (replaced first) and for \u of a lone surrogate (refused,
// for encoding/json to decide).
func (d *metaDecoder) escaped(start int, dst *string) bool {
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '\\':
			d.i += 2
			continue
		case c == '"':
			quoted := make([]byte, 0, d.i-start+2)
			quoted = append(quoted, '"')
			body := d.b[start:d.i]
			for j := 0; j < len(body); j++ {
				if body[j] == '\\' && j+1 < len(body) {
					switch body[j+1] {
					case '/':
						quoted = append(quoted, '/')
						j++
						continue
					case 'u':
						if j+6 > len(body) {
							return false
						}
						if v, err := strconv.ParseUint(string(body[j+2:j+6]), 16, 16); err != nil || v >= 0xd800 && v < 0xe000 {
							return false
						}
					case '"', '\\', 'b', 'f', 'n', 'r', 't':
					default:
						return false
					}
					quoted = append(quoted, body[j], body[j+1])
					j++
					continue
				}
				quoted = append(quoted, body[j])
			}
			quoted = append(quoted, '"')
			d.i++
			s, err := strconv.Unquote(string(quoted))
			if err != nil || !utf8.ValidString(s) {
				return false
			}
			*dst = s
			return true
		case c < 0x20:
			return false
		}
		d.i++
	}
	return false
}
