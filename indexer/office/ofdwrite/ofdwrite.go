// Package ofdwrite writes OFD packages (GB/T 33190) of text alone, laid
// out as a formal document's pages are: the fixtures of the OFD reader's
// tests, written by us rather than taken from anyone's files. Each line
// is a TextObject of its own, placed in millimetres on an A4 page; a
// paragraph is wrapped at the right margin with its first line indented
// by two characters, as 公文 are set, so that a reader must join the
// lines of a paragraph again.
package ofdwrite

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// Para is a paragraph: its text, its type size in millimetres (0: 5.6,
// 三号), and whether it is centred (a title) rather than indented.
type Para struct {
	Text   string
	Size   float64
	Center bool
}

// Page is a page's paragraphs, and the paragraphs of a template page it
// uses (a 版头 or a form's printed labels), nil for none.
type Page struct {
	Paras    []Para
	Template []Para
}

// Doc is a document: its pages and the DocInfo of OFD.xml.
type Doc struct {
	Pages                       []Page
	Title, Author, CreationDate string
	Custom                      map[string]string
}

// The page and its text area, in millimetres (GB/T 9704's: 156 × 225
// from 28 left and 37 top).
const (
	pageW, pageH = 210.0, 297.0
	left, top    = 28.0, 37.0
	width        = 156.0
)

// Write is the OFD package of d.
func Write(d Doc) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			panic(err) // writing to memory
		}
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + body))
	}
	var info strings.Builder
	field := func(name, v string) {
		if v != "" {
			fmt.Fprintf(&info, "<ofd:%s>%s</ofd:%s>", name, esc(v), name)
		}
	}
	field("Title", d.Title)
	field("Author", d.Author)
	field("CreationDate", d.CreationDate)
	if len(d.Custom) > 0 {
		info.WriteString("<ofd:CustomDatas>")
		for k, v := range d.Custom {
			fmt.Fprintf(&info, `<ofd:CustomData Name="%s">%s</ofd:CustomData>`, esc(k), esc(v))
		}
		info.WriteString("</ofd:CustomDatas>")
	}
	add("OFD.xml", `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>`+
		info.String()+`</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`)
	var pages, templates strings.Builder
	id := 1
	for i, p := range d.Pages {
		tpl, y := "", top
		if p.Template != nil {
			// The template's text stands above the page's own.
			var objects string
			objects, y = layout(p.Template, &id, y)
			fmt.Fprintf(&templates, `<ofd:TemplatePage ID="%d" BaseLoc="Tpls/Tpl_%d/Content.xml"/>`, 1000+i, i)
			add(fmt.Sprintf("Doc_0/Tpls/Tpl_%d/Content.xml", i), pageXML("", objects))
			tpl = fmt.Sprintf(`<ofd:Template TemplateID="%d"/>`, 1000+i)
		}
		objects, _ := layout(p.Paras, &id, y)
		fmt.Fprintf(&pages, `<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>`, i+1, i)
		add(fmt.Sprintf("Doc_0/Pages/Page_%d/Content.xml", i), pageXML(tpl, objects))
	}
	add("Doc_0/Document.xml", fmt.Sprintf(`<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:MaxUnitID>%d</ofd:MaxUnitID>`+
		`<ofd:PageArea><ofd:PhysicalBox>0 0 %g %g</ofd:PhysicalBox></ofd:PageArea>%s</ofd:CommonData><ofd:Pages>%s</ofd:Pages></ofd:Document>`,
		id, pageW, pageH, templates.String(), pages.String()))
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func pageXML(template, objects string) string {
	return `<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">` + template + `<ofd:Content><ofd:Layer ID="0">` + objects + `</ofd:Layer></ofd:Content></ofd:Page>`
}

// layout places paragraphs down the text area from y, a TextObject per
// line, and says where it stopped.
func layout(paras []Para, id *int, y float64) (string, float64) {
	var b strings.Builder
	for _, p := range paras {
		size := p.Size
		if size == 0 {
			size = 5.6
		}
		if p.Text == "" {
			y += size * 1.75
			continue
		}
		perLine := int(width / size)
		text := []rune(p.Text)
		first := true
		for len(text) > 0 {
			x, room := left, perLine
			if !p.Center && first {
				x, room = left+2*size, perLine-2
			}
			n := min(room, len(text))
			line := string(text[:n])
			text = text[n:]
			if p.Center {
				x = left + (width-float64(n)*size)/2
			}
			*id++
			fmt.Fprintf(&b, `<ofd:TextObject ID="%d" Boundary="%.2f %.2f %.2f %.2f" Font="1" Size="%.2f"><ofd:TextCode X="0" Y="%.2f">%s</ofd:TextCode></ofd:TextObject>`,
				*id, x, y, float64(n)*size, size*1.2, size, size, esc(line))
			y += size * 1.75
			first = false
		}
	}
	return b.String(), y
}

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
