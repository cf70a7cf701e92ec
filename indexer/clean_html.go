package indexer

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// page is what a reader of one file found before cleaning: the metadata the
// file states outright and its text with clutter still in it.
type page struct {
	fields   map[string]string // title, date, source, doc_number, publisher, site, column, keywords, author, info
	text     string            // the article text, one paragraph a line
	pageText string            // all visible text of the page, to find date and source lines outside the article
}

// metaFields maps the page-metadata names of the government-website
// guideline (《政府网站发展指引》) to our fields.
var metaFields = map[string]string{
	"articletitle":  "title",
	"pubdate":       "date",
	"contentsource": "source",
	"sitename":      "site",
	"columnname":    "column",
	"keywords":      "keywords",
	"author":        "author",
}

// dropTags never hold article text.
var dropTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Iframe: true,
	atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Canvas: true,
	atom.Select: true, atom.Button: true, atom.Input: true, atom.Textarea: true,
	atom.Nav: true, atom.Head: true, atom.Template: true, atom.Audio: true, atom.Video: true,
}

// blockTags end a paragraph.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Table: true, atom.Tbody: true, atom.Section: true, atom.Article: true, atom.Blockquote: true,
	atom.Pre: true, atom.Dd: true, atom.Dt: true, atom.Dl: true, atom.Ul: true, atom.Ol: true,
	atom.Center: true, atom.Form: true, atom.Header: true, atom.Footer: true, atom.Aside: true,
	atom.Main: true, atom.Hr: true, atom.Figure: true, atom.Figcaption: true, atom.Address: true,
	atom.Caption: true, atom.Fieldset: true,
}

// clutterClass names the widgets sites wrap around an article. An element
// with such a class or id is dropped unless it reads like prose.
var clutterClass = regexp.MustCompile(`(?i)share|bdshare|breadcrumb|crumb|footer|copyright|topbar|sidebar|navbar|menu|location|dqwz|weizhi|qrcode|related|xgwz|xglj|print|fontsize|zihao`)

func readHTML(src string) page {
	doc, err := html.Parse(strings.NewReader(src))
	p := page{fields: map[string]string{}}
	if err != nil { // x/net/html only fails on reader errors; keep the text anyway
		p.text = src
		return p
	}
	var body *html.Node
	var docTitle string
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Meta:
			name := strings.ToLower(attr(n, "name"))
			if f, ok := metaFields[name]; ok {
				if v := strings.TrimSpace(attr(n, "content")); v != "" {
					p.fields[f] = v
				}
			}
		case atom.Title:
			if docTitle == "" {
				docTitle = strings.TrimSpace(nodeText(n))
			}
		case atom.Body:
			body = n
		case atom.H1, atom.H2:
			// The first headline is the article title on most pages.
			if _, seen := p.fields["headline"]; !seen {
				if h := strings.TrimSpace(nodeText(n)); h != "" {
					p.fields["headline"] = h
				}
			}
		}
		return true
	})
	if docTitle != "" {
		p.fields["doc_title"] = docTitle
	}
	if body == nil {
		body = doc
	}
	prune(body)
	p.pageText = blockText(body)
	if c := contentNode(body); c != nil {
		p.text = blockText(c)
	} else {
		p.text = p.pageText
	}
	return p
}

func walk(n *html.Node, visit func(*html.Node) bool) {
	if !visit(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, visit)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return b.String()
}

// prune removes elements that never carry article text, and site widgets
// recognised by their class or id.
func prune(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.CommentNode:
			n.RemoveChild(c)
		case c.Type == html.ElementNode && dropTags[c.DataAtom]:
			n.RemoveChild(c)
		case c.Type == html.ElementNode && isWidget(c):
			n.RemoveChild(c)
		default:
			prune(c)
		}
		c = next
	}
}

func isWidget(n *html.Node) bool {
	if strings.Contains(strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", ""), "display:none") {
		return true
	}
	if !clutterClass.MatchString(attr(n, "class") + " " + attr(n, "id")) {
		return false
	}
	return strings.Count(nodeText(n), "。") < 2
}

// contentNode finds the article by content density, in the manner of
// readability: every paragraph-like block scores by its length and its
// punctuation, and hands its score to its parent and half of it to its
// grandparent. The best container wins; if one of its children holds
// nearly all of its score, that child is the tighter answer.
func contentNode(root *html.Node) *html.Node {
	scores := map[*html.Node]float64{}
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		text, linked := inlineText(n)
		runes := utf8.RuneCountInString(strings.TrimSpace(text))
		if runes < 10 || linked*2 > runes {
			return true
		}
		s := 1 + float64(strings.Count(text, "，")+strings.Count(text, "。")+strings.Count(text, "；")+strings.Count(text, "、")+strings.Count(text, ",")) + min(float64(runes)/100, 3)
		scores[n] += s
		if p := n.Parent; p != nil {
			scores[p] += s
			if g := p.Parent; g != nil {
				scores[g] += s / 2
			}
		}
		return true
	})
	var best *html.Node
	for n, s := range scores {
		if best == nil || s > scores[best] || (s == scores[best] && depth(n) > depth(best)) {
			best = n
		}
	}
	if best == nil {
		return nil
	}
	for {
		var next *html.Node
		for c := best.FirstChild; c != nil; c = c.NextSibling {
			if scores[c] >= 0.85*scores[best] {
				next = c
			}
		}
		if next == nil {
			return best
		}
		best = next
	}
}

func depth(n *html.Node) int {
	d := 0
	for ; n != nil; n = n.Parent {
		d++
	}
	return d
}

// inlineText is the text a block holds itself, not through nested blocks,
// and how many of its runes sit inside links.
func inlineText(n *html.Node) (string, int) {
	var b strings.Builder
	linked := 0
	var rec func(*html.Node, bool)
	rec = func(c *html.Node, inLink bool) {
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			switch k.Type {
			case html.TextNode:
				b.WriteString(k.Data)
				if inLink {
					linked += utf8.RuneCountInString(strings.TrimSpace(k.Data))
				}
			case html.ElementNode:
				if blockTags[k.DataAtom] {
					continue
				}
				rec(k, inLink || k.DataAtom == atom.A)
			}
		}
	}
	rec(n, false)
	return b.String(), linked
}

// blockText renders a subtree as text, one paragraph a line. Table cells
// in a row are separated by a space.
func blockText(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(c *html.Node) {
		switch c.Type {
		case html.TextNode:
			b.WriteString(unwrap(c.Data))
			return
		case html.ElementNode:
			if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
				b.WriteByte(' ')
			}
			if blockTags[c.DataAtom] {
				b.WriteByte('\n')
			}
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			rec(k)
		}
		if c.Type == html.ElementNode && blockTags[c.DataAtom] && c.DataAtom != atom.Br {
			b.WriteByte('\n')
		}
	}
	rec(n)
	return b.String()
}

// unwrap joins the lines of an HTML text node: a source line break is a
// space between Latin words and nothing between CJK characters.
func unwrap(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	in := []rune(s)
	out := make([]rune, 0, len(in))
	for i := 0; i < len(in); i++ {
		if in[i] != '\n' && in[i] != '\r' {
			out = append(out, in[i])
			continue
		}
		// Take the whole blank run around the break.
		for len(out) > 0 && isBlank(out[len(out)-1]) {
			out = out[:len(out)-1]
		}
		j := i
		for j < len(in) && (isBlank(in[j]) || in[j] == '\n' || in[j] == '\r') {
			j++
		}
		if len(out) == 0 || j == len(in) || !isCJK(out[len(out)-1]) || !isCJK(in[j]) {
			out = append(out, ' ')
		}
		i = j - 1
	}
	return string(out)
}
