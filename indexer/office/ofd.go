package office

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// OFD (GB/T 33190, the format of 党政机关电子公文) is a zip of XML: OFD.xml
// names each document's root (Document.xml), which lists its pages and
// template pages; a page's Content.xml holds TextObjects, each placed by
// its Boundary (x y w h, millimetres) with TextCodes at X, Y within it. A
// page's text is its template pages' and its own, laid out in lines by
// where the text stands (top to bottom, left to right), a line run on into
// the next where it is full and does not end a sentence.

// ErrNotOFD says a file is not an OFD package; ErrNoText that it has no
// text to read (its pages are images).
var (
	ErrNotOFD = errors.New("不是有效的 OFD 文件 / not a valid OFD file")
	ErrNoText = errors.New("OFD 没有文字层（页面为图片） / the OFD has no text layer (image-only pages)")
)

// maxPages bounds the pages read.
const maxPages = 2000

// OFDInfo is what an OFD's document information (DocInfo in OFD.xml)
// says of it, "" where it says nothing. Producers fill it loosely (a
// 文号 as the Title, a user name as the Author): it is for where the
// text says nothing.
type OFDInfo struct {
	Title, Author, CreationDate string
	// Custom is its CustomData by name: some 公文 systems record the
	// 发文机关, 文号 or 标题 there.
	Custom map[string]string
	Pages  int
}

// OFDText is the text of an OFD file's first document, page by page.
func OFDText(data []byte) (string, error) {
	text, _, err := OFDRead(data)
	return text, err
}

// OFDRead is OFDText with the document's information.
func OFDRead(data []byte) (string, OFDInfo, error) {
	var info OFDInfo
	text, err := ofdRead(data, &info)
	return text, info, err
}

func ofdRead(data []byte, info *OFDInfo) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotOFD, err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	read := func(name string) ([]byte, error) {
		f := files[strings.TrimPrefix(path.Clean("/"+name), "/")]
		if f == nil {
			return nil, fmt.Errorf("%w: no %s", ErrNotOFD, name)
		}
		if f.UncompressedSize64 > MaxPart || f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > MaxRatio {
			return nil, ErrBomb
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotOFD, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, MaxPart+1))
		if err != nil || len(b) > MaxPart {
			return nil, fmt.Errorf("%w: %s unreadable", ErrNotOFD, name)
		}
		return b, nil
	}
	var root struct {
		Bodies []struct {
			DocRoot string `xml:"DocRoot"`
			Info    struct {
				Title        string `xml:"Title"`
				Author       string `xml:"Author"`
				CreationDate string `xml:"CreationDate"`
				Custom       []struct {
					Name  string `xml:"Name,attr"`
					Value string `xml:",chardata"`
				} `xml:"CustomDatas>CustomData"`
			} `xml:"DocInfo"`
		} `xml:"DocBody"`
	}
	b, err := read("OFD.xml")
	if err != nil {
		return "", err
	}
	if err := xml.Unmarshal(b, &root); err != nil || len(root.Bodies) == 0 || root.Bodies[0].DocRoot == "" {
		return "", fmt.Errorf("%w: OFD.xml names no document", ErrNotOFD)
	}
	docPath := root.Bodies[0].DocRoot
	di := root.Bodies[0].Info
	info.Title, info.Author, info.CreationDate = strings.TrimSpace(di.Title), strings.TrimSpace(di.Author), strings.TrimSpace(di.CreationDate)
	for _, c := range di.Custom {
		if info.Custom == nil {
			info.Custom = map[string]string{}
		}
		info.Custom[strings.TrimSpace(c.Name)] = strings.TrimSpace(c.Value)
	}
	var doc struct {
		Templates []struct {
			ID      string `xml:"ID,attr"`
			BaseLoc string `xml:"BaseLoc,attr"`
		} `xml:"CommonData>TemplatePage"`
		Pages []struct {
			BaseLoc string `xml:"BaseLoc,attr"`
		} `xml:"Pages>Page"`
	}
	if b, err = read(docPath); err != nil {
		return "", err
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrNotOFD, docPath, err)
	}
	// A location is the package's from its root when it starts with /,
	// else the document's folder's.
	loc := func(l string) string {
		if strings.HasPrefix(l, "/") {
			return l
		}
		return path.Join(path.Dir("/"+strings.TrimPrefix(docPath, "/")), l)
	}
	templates := map[string]string{}
	for _, t := range doc.Templates {
		templates[t.ID] = loc(t.BaseLoc)
	}
	var out strings.Builder
	chars := 0
	info.Pages = len(doc.Pages)
	for i, p := range doc.Pages {
		if i == maxPages {
			break
		}
		b, err := read(loc(p.BaseLoc))
		if err != nil {
			return "", err
		}
		var page struct {
			Templates []struct {
				ID string `xml:"TemplateID,attr"`
			} `xml:"Template"`
		}
		xml.Unmarshal(b, &page)
		var texts []placed
		for _, t := range page.Templates {
			if tl, ok := templates[t.ID]; ok {
				tb, err := read(tl)
				if err != nil {
					return "", err
				}
				texts = append(texts, pageTexts(tb)...)
			}
		}
		texts = append(texts, pageTexts(b)...)
		for _, line := range lines(texts) {
			chars += utf8.RuneCountInString(line)
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	if chars == 0 {
		return "", ErrNoText
	}
	return out.String(), nil
}

// placed is a run of text where it stands on the page: its baseline's
// left end and its size, in millimetres.
type placed struct {
	x, y, size, right float64
	text              string
}

// pageTexts are the TextCodes of a page's (or template page's) content.
func pageTexts(content []byte) []placed {
	dec := xml.NewDecoder(bytes.NewReader(content))
	var out []placed
	var bx, by, size float64
	var cur *placed
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > 256 {
				return out
			}
			switch t.Name.Local {
			case "TextObject":
				bx, by, size = 0, 0, 0
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "Boundary":
						f := strings.Fields(a.Value)
						if len(f) >= 2 {
							bx, _ = strconv.ParseFloat(f[0], 64)
							by, _ = strconv.ParseFloat(f[1], 64)
						}
					case "Size":
						size, _ = strconv.ParseFloat(a.Value, 64)
					}
				}
			case "TextCode":
				p := placed{x: bx, y: by, size: max(size, 1)}
				for _, a := range t.Attr {
					v, _ := strconv.ParseFloat(a.Value, 64)
					switch a.Name.Local {
					case "X":
						p.x = bx + v
					case "Y":
						p.y = by + v
					}
				}
				out = append(out, p)
				cur = &out[len(out)-1]
			}
		case xml.EndElement:
			depth--
			if t.Name.Local == "TextCode" {
				if cur != nil {
					cur.right = cur.x + cur.size*float64(utf8.RuneCountInString(cur.text))
				}
				cur = nil
			}
		case xml.CharData:
			if cur != nil {
				cur.text += string(t)
			}
		}
	}
}

// lines lays texts out in lines: runs whose baselines lie within half a
// character's height of each other are one line, left to right; lines top
// to bottom. A line that fills the width (from the left margin, or an
// indent, to within two characters of the right one) and does not end a
// sentence runs on into the next.
func lines(texts []placed) []string {
	if len(texts) == 0 {
		return nil
	}
	slices.SortStableFunc(texts, func(a, b placed) int {
		switch {
		case a.y < b.y-a.size/2:
			return -1
		case a.y > b.y+a.size/2:
			return 1
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	type line struct {
		text        string
		left, right float64
		size        float64
	}
	var ls []line
	// Group by baseline.
	var cur []placed
	flush := func() {
		if len(cur) == 0 {
			return
		}
		slices.SortStableFunc(cur, func(a, b placed) int {
			switch {
			case a.x < b.x:
				return -1
			case a.x > b.x:
				return 1
			}
			return 0
		})
		l := line{left: cur[0].x, size: cur[0].size}
		for _, c := range cur {
			l.text += c.text
			l.right = max(l.right, c.right)
		}
		if strings.TrimSpace(l.text) != "" {
			ls = append(ls, l)
		}
		cur = cur[:0]
	}
	for _, t := range texts {
		if len(cur) > 0 && abs(t.y-cur[0].y) > cur[0].size/2 {
			flush()
		}
		cur = append(cur, t)
	}
	flush()
	right, left := 0.0, ls[0].left
	for _, l := range ls {
		right, left = max(right, l.right), min(left, l.left)
	}
	var out []string
	run := ""
	for i, l := range ls {
		run += strings.TrimSpace(l.text)
		// Full: from the left margin (or a paragraph's indent) to the
		// right one; a centred title is not.
		full := l.right >= right-2*l.size && l.left <= left+3*l.size
		last, _ := utf8.DecodeLastRuneInString(run)
		ends := strings.ContainsRune("。：；！？:;!?", last)
		// A line runs on into the next of the same size (a title in a
		// larger type does not run into the text under it).
		if i+1 < len(ls) && full && !ends && ls[i+1].left <= l.left+l.size && abs(ls[i+1].size-l.size) <= l.size/10 {
			continue // runs on
		}
		out = append(out, run)
		run = ""
	}
	return out
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
