package indexer

import (
	"regexp"
	"strings"
	"unicode"
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
	subheads []string          // paragraphs of the article set apart as headings (bold, h3–h6), without numbers or not
	// formal: a document read from a Word, OFD or PDF file, laid out by
	// its author rather than cut from a web page, whose body may be as
	// short as a template's (各有关单位：/ 正文部分).
	formal bool
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

// readHTML reads a saved page as the tree a browser builds, and finds the
// article in it by content density. A page whose tree the parser refuses
// (nesting past 512 elements) or that would grow past maxTreeNodes is read
// as a stream instead; the walks over the tree take time in proportion to
// it, however deep it is.
func readHTML(src string) page {
	if !treeFits(src) {
		return readHTMLStream(src)
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// Reading from a string, html.Parse fails only on nesting deeper
		// than its 512 open elements: the stream reader has no such limit.
		return readHTMLStream(src)
	}
	p := page{fields: map[string]string{}}
	var body *html.Node
	var docTitle string
	// inTitle and inHeadline say an enclosing title or headline was read
	// and found blank, so whatever it holds is blank too: reading it again
	// would cost the depth of the nesting times its size.
	var visit func(n *html.Node, inTitle, inHeadline bool)
	visit = func(n *html.Node, inTitle, inHeadline bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Meta:
				name := strings.ToLower(attr(n, "name"))
				if f, ok := metaFields[name]; ok {
					if v := strings.TrimSpace(attr(n, "content")); v != "" {
						p.fields[f] = v
					}
				}
			case atom.Title:
				if docTitle == "" && !inTitle {
					docTitle = strings.TrimSpace(nodeText(n))
					inTitle = true
				}
			case atom.Body:
				body = n
			case atom.H1, atom.H2:
				// The first headline is the article title on most pages.
				if _, seen := p.fields["headline"]; !seen && !inHeadline {
					if h := strings.TrimSpace(nodeText(n)); h != "" {
						p.fields["headline"] = h
					}
					inHeadline = true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, inTitle, inHeadline)
		}
	}
	visit(doc, false, false)
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
		p.subheads = headingParagraphs(c)
	} else {
		p.text = p.pageText
	}
	return p
}

// headingParagraphs lists the paragraphs under n that the page sets apart
// as headings: all of their text bold (<strong>, <b>) or in an h3–h6, as
// articles head their parts 「<p><strong>紧盯…问题，深挖彻查问题线索</strong></p>」.
// Each is written as its line of the text will read.
func headingParagraphs(n *html.Node) []string {
	var out []string
	// leaf reports whether c holds no block (a line break aside), so that
	// its text is one paragraph; it is asked once for every element.
	var visit func(c *html.Node) bool
	visit = func(c *html.Node) bool {
		leaf := true
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			if k.Type != html.ElementNode {
				continue
			}
			if !visit(k) || blockTags[k.DataAtom] && k.DataAtom != atom.Br {
				leaf = false
			}
		}
		if leaf && c.Type == html.ElementNode && blockTags[c.DataAtom] {
			if h, ok := boldText(c); ok {
				out = append(out, h)
			}
		}
		return leaf
	}
	visit(n)
	return out
}

var headingAtoms = map[atom.Atom]bool{atom.Strong: true, atom.B: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

// boldText returns the text of a paragraph whose every visible character
// is inside a bold or heading element, squeezed as its line will be.
func boldText(p *html.Node) (string, bool) {
	var b strings.Builder
	ok := true
	var rec func(c *html.Node, bold bool)
	rec = func(c *html.Node, bold bool) {
		for k := c.FirstChild; k != nil && ok; k = k.NextSibling {
			switch k.Type {
			case html.TextNode:
				if strings.TrimFunc(k.Data, func(r rune) bool { return unicode.IsSpace(r) || isBlank(r) }) == "" {
					b.WriteString(k.Data)
					continue
				}
				if !bold {
					ok = false
					return
				}
				b.WriteString(unwrap(k.Data))
			case html.ElementNode:
				rec(k, bold || headingAtoms[k.DataAtom])
			}
		}
	}
	rec(p, headingAtoms[p.DataAtom])
	h := squeezeSpace(b.String())
	return h, ok && h != ""
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
func prune(root *html.Node) {
	periods := map[*html.Node]int{}
	countPeriods(root, periods)
	pruneWith(root, periods)
}

func pruneWith(n *html.Node, periods map[*html.Node]int) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.CommentNode:
			n.RemoveChild(c)
		case c.Type == html.ElementNode && dropTags[c.DataAtom]:
			n.RemoveChild(c)
		case c.Type == html.ElementNode && isWidget(c, periods):
			n.RemoveChild(c)
		default:
			pruneWith(c, periods)
		}
		c = next
	}
}

// countPeriods returns how many 。 the text under n holds, counting to 2,
// and records it for the elements with a widget's class or id. Counting
// once, from the leaves up, keeps widgets nested in widgets from reading
// the same text again at every level.
func countPeriods(n *html.Node, widgets map[*html.Node]int) int {
	if n.Type == html.TextNode {
		return min(strings.Count(n.Data, "。"), 2)
	}
	count := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		count = min(count+countPeriods(c, widgets), 2)
	}
	if n.Type == html.ElementNode && clutterClass.MatchString(attr(n, "class")+" "+attr(n, "id")) {
		widgets[n] = count
	}
	return count
}

// isWidget reports whether n is hidden, or a site widget that does not
// read like prose (fewer than two sentences).
func isWidget(n *html.Node, periods map[*html.Node]int) bool {
	if strings.Contains(strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", ""), "display:none") {
		return true
	}
	count, widget := periods[n]
	return widget && count < 2
}

// contentNode finds the article by content density, in the manner of
// readability: every paragraph-like block scores by its length and its
// punctuation, and hands its score to its parent and half of it to its
// grandparent. The best container wins; if one of its children holds
// nearly all of its score, that child is the tighter answer.
//
// It takes time in proportion to the tree whatever its depth: each node's
// inline text is summed up from its children's (inlineOf), not read again
// for every element that holds it.
func contentNode(root *html.Node) *html.Node {
	own := map[*html.Node]float64{}
	inlineOf(root, own)
	type scored struct {
		score float64
		depth int
	}
	scores := map[*html.Node]*scored{}
	add := func(n *html.Node, d int, s float64) {
		if e := scores[n]; e != nil {
			e.score += s
		} else {
			scores[n] = &scored{s, d}
		}
	}
	// The scores add up in document order, as they always did, so that
	// equal sums stay equal to the last bit.
	var visit func(n *html.Node, d int)
	visit = func(n *html.Node, d int) {
		if s, ok := own[n]; ok {
			add(n, d, s)
			if p := n.Parent; p != nil {
				add(p, d-1, s)
				if g := p.Parent; g != nil {
					add(g, d-2, s/2)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, d+1)
		}
	}
	visit(root, depth(root))
	var best *html.Node
	for n, s := range scores {
		if best == nil || s.score > scores[best].score || (s.score == scores[best].score && s.depth > scores[best].depth) {
			best = n
		}
	}
	if best == nil {
		return nil
	}
	score := func(n *html.Node) float64 {
		if s := scores[n]; s != nil {
			return s.score
		}
		return 0
	}
	for {
		var next *html.Node
		for c := best.FirstChild; c != nil; c = c.NextSibling {
			if score(c) >= 0.85*score(best) {
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

// inline sums up the inline text of a node: the text it holds itself,
// not through nested blocks.
type inline struct {
	runes       int // runes of the text
	lead, trail int // blank runes at its start and at its end; lead == runes when all blank
	punct       int // ，。；、,
	trimmed     int // runes of its text nodes, each without its blank ends
	linked      int // of those, the runes inside links
}

func (a inline) join(b inline) inline {
	j := inline{runes: a.runes + b.runes, lead: a.lead, trail: b.trail, punct: a.punct + b.punct, trimmed: a.trimmed + b.trimmed, linked: a.linked + b.linked}
	if a.lead == a.runes {
		j.lead = a.runes + b.lead
	}
	if b.trail == b.runes {
		j.trail = b.runes + a.trail
	}
	return j
}

// textRunes is the inline text without its blank ends.
func (a inline) textRunes() int {
	if a.lead == a.runes {
		return 0
	}
	return a.runes - a.lead - a.trail
}

func inlineOfText(s string) inline {
	t := inline{runes: utf8.RuneCountInString(s)}
	trimmed := strings.TrimLeftFunc(s, unicode.IsSpace)
	t.lead = t.runes - utf8.RuneCountInString(trimmed)
	if trimmed != "" {
		t.trail = utf8.RuneCountInString(trimmed) - utf8.RuneCountInString(strings.TrimRightFunc(trimmed, unicode.IsSpace))
	}
	t.trimmed = t.textRunes()
	for _, p := range []string{"，", "。", "；", "、", ","} {
		t.punct += strings.Count(s, p)
	}
	return t
}

// inlineOf returns the inline text of n and records in own the score of
// every element under n whose inline text reads like a paragraph: at
// least 10 runes, at most half of them in links.
func inlineOf(n *html.Node, own map[*html.Node]float64) inline {
	var sum inline
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			sum = sum.join(inlineOfText(c.Data))
		case html.ElementNode:
			in := inlineOf(c, own)
			if blockTags[c.DataAtom] {
				continue
			}
			if c.DataAtom == atom.A {
				in.linked = in.trimmed
			}
			sum = sum.join(in)
		}
	}
	if n.Type == html.ElementNode {
		runes := sum.textRunes()
		if runes >= 10 && sum.linked*2 <= runes {
			own[n] = 1 + float64(sum.punct) + min(float64(runes)/100, 3)
		}
	}
	return sum
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
