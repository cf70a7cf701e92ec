package search

import (
	"bytes"
	"html"
	"sort"
	"strings"
	"unicode/utf8"

	"noticesearch/dict"
	"noticesearch/indexer/textindex"
)

// MaxFragments bounds the passages shown for one hit.
const MaxFragments = 3

// maxFragmentRunes bounds a passage whose sentence runs on (one-line pages
// have sentences of thousands of characters).
const maxFragmentRunes = 160

// fragments cuts the passages of text around the matches of terms (in
// normalised form, as is norm, text's; nil norm is worked out here): whole
// sentences (cut at 。！？；), the matches in <mark>, everything else
// escaped, adjacent marks merged, at most MaxFragments.
func fragments(text string, norm []byte, terms [][]byte) []string {
	marks := matchSpans(text, norm, terms)
	if len(marks) == 0 {
		return []string{render(text, leadSentence(text), nil)}
	}
	var out []string
	var last span
	for _, m := range marks {
		if len(out) > 0 && m.Start < last.End {
			continue // already shown in the previous passage
		}
		sent := sentenceAround(text, m)
		var inside []span
		for _, k := range marks {
			if k.Start >= sent.Start && k.End <= sent.End {
				inside = append(inside, k)
			}
		}
		out = append(out, render(text, sent, inside))
		last = sent
		if len(out) == MaxFragments {
			break
		}
	}
	return out
}

// matchSpans finds every match of terms in text, overlapping ones
// included, merged into the spans that marks cover. The terms and norm are
// in normalised form; nil norm is worked out here.
func matchSpans(text string, norm []byte, terms [][]byte) []span {
	if norm == nil {
		norm = dict.AppendNormalized(nil, text)
	}
	var found []dict.Span // in runes of norm
	for _, t := range terms {
		if len(t) == 0 {
			continue
		}
		n := utf8.RuneCount(t)
		runes, counted := 0, 0 // norm[:counted] holds runes runes
		for at := 0; at < len(norm); {
			i := bytes.Index(norm[at:], t)
			if i < 0 {
				break
			}
			start := at + i
			runes += textindex.RuneCount(norm[counted:start])
			counted = start
			found = append(found, dict.Span{Start: runes, End: runes + n})
			_, size := utf8.DecodeRune(norm[start:])
			at = start + size
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Start < found[j].Start })
	return mergeSpans(dict.Locate(text, found))
}

// mergeSpans sorts spans and joins those that overlap or touch, so that
// adjacent matches show as one mark.
func mergeSpans(s []span) []span {
	sort.Slice(s, func(i, j int) bool { return s[i].Start < s[j].Start })
	out := s[:0]
	for _, x := range s {
		if n := len(out); n > 0 && x.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, x.End)
			continue
		}
		out = append(out, x)
	}
	return out
}

func isSentenceEnd(r rune) bool {
	return r == '。' || r == '！' || r == '？' || r == '；' || r == '\n' || r == '!' || r == '?' || r == ';'
}

// sentenceAround extends a match to the sentence it stands in, bounded to
// maxFragmentRunes on each side.
func sentenceAround(text string, m span) span {
	start, n := m.Start, 0
	for start > 0 && n < maxFragmentRunes {
		r, w := utf8.DecodeLastRuneInString(text[:start])
		if isSentenceEnd(r) {
			break
		}
		start -= w
		n++
	}
	end, n := m.End, 0
	for end < len(text) && n < maxFragmentRunes {
		r, w := utf8.DecodeRuneInString(text[end:])
		end += w
		n++
		if isSentenceEnd(r) {
			break
		}
	}
	return span{Start: start, End: end}
}

func leadSentence(text string) span {
	return sentenceAround(text, span{})
}

// render escapes text[s] and wraps the marks in <mark>: the only markup a
// fragment may carry.
func render(text string, s span, marks []span) string {
	var b strings.Builder
	if s.Start > 0 && !isSentenceEnd(lastRune(text[:s.Start])) {
		b.WriteString("…")
	}
	at := s.Start
	for _, m := range marks {
		b.WriteString(html.EscapeString(text[at:m.Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[m.Start:m.End]))
		b.WriteString("</mark>")
		at = m.End
	}
	b.WriteString(html.EscapeString(strings.TrimRight(text[at:s.End], "\n")))
	if s.End < len(text) && !isSentenceEnd(lastRune(text[:s.End])) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// QueryTerms returns the normalised terms a query looks for, to highlight
// them in a page: each once, as a search compiles them; a query that does
// not parse, or that a search would refuse (more than MaxTerms terms), has
// none.
func QueryTerms(q string) [][]byte {
	parsed, err := ParseQuery(q)
	if err != nil {
		return nil
	}
	c, err := compile(parsed)
	if err != nil {
		return nil
	}
	return c.terms
}

// MarkAll escapes a whole text and marks every match of terms; the first
// mark of the text gets the id firstID (when not empty), so that a link can
// scroll to it.
func MarkAll(text string, terms [][]byte, firstID string) string {
	marks := matchSpans(text, nil, terms)
	var b strings.Builder
	at := 0
	for i, m := range marks {
		b.WriteString(html.EscapeString(text[at:m.Start]))
		if i == 0 && firstID != "" {
			b.WriteString(`<mark id="` + html.EscapeString(firstID) + `">`)
		} else {
			b.WriteString("<mark>")
		}
		b.WriteString(html.EscapeString(text[m.Start:m.End]))
		b.WriteString("</mark>")
		at = m.End
	}
	b.WriteString(html.EscapeString(text[at:]))
	return b.String()
}
