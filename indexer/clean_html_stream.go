package indexer

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readHTMLStream reads a page token by token, for the pages whose tree
// cannot be built: html.Parse refuses more than 512 open elements, and a
// tree of millions of tiny elements would take far more memory than the
// file. It has no depth limit and holds the text it keeps plus one entry
// per open element.
//
// It finds what readHTML finds, except the article by content density:
// the title from <title> and the meta tags, the first headline, and the
// page text one paragraph a line, without the dropTags elements, hidden
// elements and site widgets. The article text is the page text; cleaning
// drops the clutter lines around it as it does for scraped text.
func readHTMLStream(src string) page {
	p := page{fields: map[string]string{}}
	s := streamReader{open: map[string]int{}}
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken: // io.EOF: the source is a string
			for len(s.stack) > 0 {
				s.pop()
			}
			if s.title != "" {
				p.fields["doc_title"] = s.title
			}
			if s.headline != "" {
				p.fields["headline"] = s.headline
			}
			for k, v := range s.meta {
				p.fields[k] = v
			}
			p.pageText = string(s.out)
			p.text = p.pageText
			return p
		case html.TextToken:
			s.text(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			var attrs map[string]string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) { // the tokenizer lower-cases keys
				case "class", "id", "style", "name", "content":
					if attrs == nil {
						attrs = map[string]string{}
					}
					if _, dup := attrs[string(k)]; !dup { // the first of a repeated attribute wins, as in the tree
						attrs[string(k)] = string(v)
					}
				}
			}
			s.start(string(name), attrs, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			s.end(string(name))
		}
	}
}

// streamElement is an element open in the stream reader.
type streamElement struct {
	name    string
	a       atom.Atom
	start   int // len(out) when it opened
	periods int // periods when it opened
	drop    bool
	hidden  bool // display:none: dropped whatever it holds
	widget  bool // a site widget: dropped unless it holds prose
	heading bool // the first headline, being read
}

type streamReader struct {
	out      []byte
	periods  int // count of 。 in out
	stack    []streamElement
	open     map[string]int // open elements by name, so an end tag with no start costs nothing
	dropping int            // open dropTags elements
	inTitle  bool
	title    string
	titleBuf strings.Builder
	headline string
	reading  bool // a headline is open
	meta     map[string]string
}

// voidTags never have content or an end tag.
var voidTags = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true,
	atom.Hr: true, atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true,
	atom.Param: true, atom.Source: true, atom.Track: true, atom.Wbr: true, atom.Keygen: true,
}

// closesP are the start tags that end an open <p>, as in the HTML parser.
var closesP = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Table: true, atom.Ul: true, atom.Ol: true, atom.Dl: true,
	atom.Li: true, atom.Dd: true, atom.Dt: true, atom.Pre: true, atom.Blockquote: true, atom.Hr: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true, atom.Aside: true,
	atom.Nav: true, atom.Main: true, atom.Form: true, atom.Fieldset: true, atom.Address: true,
	atom.Figure: true, atom.Center: true,
}

func (s *streamReader) start(name string, attrs map[string]string, selfClosing bool) {
	a := atom.Lookup([]byte(name))
	if closesP[a] && len(s.stack) > 0 && s.stack[len(s.stack)-1].a == atom.P {
		s.pop()
	}
	if (a == atom.Li || a == atom.Dd || a == atom.Dt) && len(s.stack) > 0 && s.stack[len(s.stack)-1].a == a {
		s.pop()
	}
	switch a {
	case atom.Meta:
		if f, ok := metaFields[strings.ToLower(attrs["name"])]; ok {
			if v := strings.TrimSpace(attrs["content"]); v != "" {
				if s.meta == nil {
					s.meta = map[string]string{}
				}
				s.meta[f] = v
			}
		}
	case atom.Title:
		if !selfClosing {
			s.inTitle = true
		}
	}
	start := len(s.out)
	if s.dropping == 0 {
		if a == atom.Td || a == atom.Th {
			s.out = append(s.out, ' ')
		}
		if blockTags[a] {
			s.out = append(s.out, '\n')
		}
	}
	if voidTags[a] || selfClosing || a == atom.Title {
		return
	}
	// The element's own line break goes with it if it is dropped. <head> is
	// not dropped here: its end tag is often missing, and its title is read
	// apart while its scripts and styles are dropped anyway.
	e := streamElement{name: name, a: a, start: start, periods: s.periods, drop: dropTags[a] && a != atom.Head}
	if attrs != nil {
		e.hidden = strings.Contains(strings.ReplaceAll(strings.ToLower(attrs["style"]), " ", ""), "display:none")
		e.widget = clutterClass.MatchString(attrs["class"] + " " + attrs["id"])
	}
	if (a == atom.H1 || a == atom.H2) && s.headline == "" && !s.reading {
		e.heading, s.reading = true, true
	}
	if e.drop {
		s.dropping++
	}
	s.stack = appendDoubling(s.stack, e)
	s.open[name]++
}

func (s *streamReader) end(name string) {
	if name == "title" {
		if s.inTitle && s.title == "" {
			s.title = strings.TrimSpace(s.titleBuf.String())
		}
		s.inTitle = false
		return
	}
	if s.open[name] == 0 {
		// A stray </p> or </br> still breaks the line, as browsers do.
		if a := atom.Lookup([]byte(name)); blockTags[a] && s.dropping == 0 {
			s.out = append(s.out, '\n')
		}
		return
	}
	for len(s.stack) > 0 {
		top := s.pop()
		if top == name {
			return
		}
	}
}

// pop closes the innermost open element and returns its name.
func (s *streamReader) pop() string {
	e := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	s.open[e.name]--
	if e.drop {
		s.dropping--
	}
	if s.dropping == 0 && blockTags[e.a] && e.a != atom.Br {
		s.out = append(s.out, '\n')
	}
	if e.heading {
		s.reading = false
		s.headline = strings.TrimSpace(string(s.out[e.start:]))
	}
	if e.hidden || (e.widget && s.periods-e.periods < 2) {
		s.out = s.out[:e.start]
		s.periods = e.periods
	}
	return e.name
}

func (s *streamReader) text(raw []byte) {
	if s.inTitle {
		if s.title == "" {
			s.titleBuf.Write(raw)
		}
		return
	}
	if s.dropping > 0 {
		return
	}
	t := unwrap(string(raw))
	s.periods += strings.Count(t, "。")
	s.out = append(s.out, t...)
}

// appendDoubling appends as append does, but doubles a full slice of any
// length: append grows a long one by a quarter, which allocates four times
// its final size on the way, and a page nested 100,000 deep opens 100,000
// elements.
func appendDoubling[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		grown := make([]T, len(s), 2*len(s)+16)
		copy(grown, s)
		s = grown
	}
	return append(s, v)
}
