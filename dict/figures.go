package dict

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed figure_labels.txt
var figureLabelsText string

// figureLabels maps each variant of figure_labels.txt to its label.
var figureLabels = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(figureLabelsText, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		label, variants, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		label = strings.TrimSpace(label)
		for _, v := range strings.Split(variants, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out[v] = label
			}
		}
	}
	return out
})

// FigureLabel is the label a figure's label as written is counted under
// (figure_labels.txt): 给予党纪处分 is 党纪处分. A label not listed is
// its own.
func FigureLabel(written string) string {
	if l, ok := figureLabels()[written]; ok {
		return l
	}
	return written
}

// FigureVariants are the ways figure label label is written, itself
// first.
func FigureVariants(label string) []string {
	out := []string{label}
	for v, l := range figureLabels() {
		if l == label {
			out = append(out, v)
		}
	}
	return out
}
