package indexer

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxTreeNodes bounds the tree readHTML builds. A node takes about 150
// bytes with its attributes, so the bound holds a tree to some 30 MiB; a
// notice page has a few thousand nodes. Past it the page is read as a
// stream (readHTMLStream).
const maxTreeNodes = 200_000

// treeFits reports whether the tree of src stays within maxTreeNodes. It
// counts tags, and estimates from above the elements that the HTML parser
// adds on its own: a formatting element (<b>, <font>, <a> …) left open is
// cloned into every paragraph that follows a closed block, so a few
// hundred unclosed <b id=…> and a few thousand "</p><p>x" make a 250 KB
// page a tree of two million nodes.
func treeFits(src string) bool {
	// The parser refuses more than 512 open elements, so it clones at most
	// 512 at a time: a page of so few tags cannot reach the bound.
	if strings.Count(src, "<")*512 <= maxTreeNodes {
		return true
	}
	var f formattingModel
	nodes := 0
	z := html.NewTokenizer(strings.NewReader(src))
	for nodes <= maxTreeNodes {
		switch z.Next() {
		case html.ErrorToken:
			return true
		case html.TextToken:
			nodes += 1 + f.reconstructed()
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			nodes += 1 + f.reconstructed()
			f.start(a, string(name), string(z.Raw()))
		case html.EndTagToken:
			name, _ := z.TagName()
			f.end(atom.Lookup(name), string(name))
		}
	}
	return false
}

// formattingElements are the ones the parser reopens after a block closes
// them ("the list of active formatting elements").
var formattingElements = map[atom.Atom]bool{
	atom.A: true, atom.B: true, atom.Big: true, atom.Code: true, atom.Em: true, atom.Font: true,
	atom.I: true, atom.Nobr: true, atom.S: true, atom.Small: true, atom.Strike: true,
	atom.Strong: true, atom.Tt: true, atom.U: true,
}

// scopeElements put a marker in the list of active formatting elements:
// what opened outside them is not reopened inside.
var scopeElements = map[atom.Atom]bool{
	atom.Td: true, atom.Th: true, atom.Caption: true, atom.Object: true, atom.Marquee: true,
	atom.Applet: true, atom.Template: true,
}

// formattingModel follows the list of active formatting elements closely
// enough to bound it from above: an element leaves the model only where
// the parser surely removes it from the list, and all of the list counts
// as reopened where the parser would reopen only what follows the last
// marker.
type formattingModel struct {
	scopes []formattingScope // the page, then one per marker
	size   int               // entries in all scopes
	tables int               // tables open
	// dirty says a block may have closed open formatting elements since
	// the last reconstruction, so the next text or tag may reopen them.
	dirty bool
}

// formattingScope is the part of the list after one marker.
type formattingScope struct {
	by     atom.Atom
	tables int            // tables open when the scope opened
	count  map[string]int // entries by tag as written: the parser keeps at most 3 alike
	byName map[string][]formattingEntry
}

type formattingEntry struct {
	raw    string
	tables int
}

// reconstructed is how many elements the parser may clone now.
func (f *formattingModel) reconstructed() int {
	if !f.dirty {
		return 0
	}
	f.dirty = false
	return f.size
}

func (f *formattingModel) top() *formattingScope {
	if len(f.scopes) == 0 {
		f.push(0)
	}
	return &f.scopes[len(f.scopes)-1]
}

func (f *formattingModel) push(a atom.Atom) {
	f.scopes = append(f.scopes, formattingScope{by: a, tables: f.tables, count: map[string]int{}, byName: map[string][]formattingEntry{}})
}

// pop closes the top scope, as the parser clears the list up to the last
// marker.
func (f *formattingModel) pop() {
	if len(f.scopes) > 1 {
		for _, n := range f.top().count {
			f.size -= n
		}
		f.scopes = f.scopes[:len(f.scopes)-1]
	}
	f.dirty = true
}

// inCell reports whether the top scope is a cell of the innermost table.
func (f *formattingModel) inCell() bool {
	s := f.top()
	return (s.by == atom.Td || s.by == atom.Th) && s.tables == f.tables
}

func (f *formattingModel) start(a atom.Atom, name, raw string) {
	s := f.top()
	switch {
	case formattingElements[a]:
		if s.count[raw] == 3 { // "Noah's Ark": the earliest of four alike goes
			s.count[raw]--
			f.size--
		}
		s.count[raw]++
		f.size++
		s.byName[name] = append(s.byName[name], formattingEntry{raw, f.tables})
	case a == atom.Table:
		f.tables++
		f.dirty = true
	case a == atom.Td || a == atom.Th:
		if f.inCell() {
			f.pop() // a new cell closes the open one
		}
		f.push(a)
	case scopeElements[a]:
		f.push(a)
	default:
		f.dirty = true
	}
}

func (f *formattingModel) end(a atom.Atom, name string) {
	s := f.top()
	switch {
	case formattingElements[a]:
		// The end tag takes the last entry of its name, unless a table
		// opened since stands between them: then the parser ignores it.
		entries := s.byName[name]
		for len(entries) > 0 {
			e := entries[len(entries)-1]
			if e.tables != f.tables {
				break
			}
			entries = entries[:len(entries)-1]
			if s.count[e.raw] > 0 {
				s.count[e.raw]--
				f.size--
				break
			}
		}
		s.byName[name] = entries
	case scopeElements[a] && s.by == a && s.tables == f.tables:
		f.pop()
	case a == atom.Table && f.tables > 0:
		for f.inCell() {
			f.pop()
		}
		f.tables--
		f.dirty = true
	default:
		f.dirty = true
	}
}
