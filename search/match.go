package search

import (
	"strings"

	"noticesearch/dict"
)

// span is a byte range of a section's source text.
type span = dict.Span

// findAll returns where the normalised term occurs in the normalised text,
// as byte ranges of the source text: the literal-substring match that the
// index promises, computed again on the stored text for highlighting.
func findAll(text []dict.Char, term []dict.Char) []span {
	if len(term) == 0 {
		return nil
	}
	var out []span
outer:
	for i := 0; i+len(term) <= len(text); i++ {
		for k, c := range term {
			if text[i+k].R != c.R {
				continue outer
			}
		}
		out = append(out, span{Start: text[i].Start, End: text[i+len(term)-1].End})
	}
	return out
}

// Contains reports whether text holds term under the shared normalisation:
// the substring scan that search results must agree with.
func Contains(text, term string) bool {
	return ContainsNormalized(dict.NormalizeString(text), term)
}

// ContainsNormalized is Contains for a text already in dict.NormalizeString
// form, for scans that test many terms against one text.
func ContainsNormalized(normText, term string) bool {
	t := strings.Trim(dict.NormalizeString(term), "|") // a term's end barriers do not count
	return t != "" && strings.Contains(normText, t)
}
