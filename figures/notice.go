package figures

// SectionFigures are the figures of one section of a notice.
type SectionFigures struct {
	Section string   `json:"section"` // its id
	Path    []string `json:"path"`    // its headings
	Figures []Figure `json:"figures"`
}

// Of extracts the figures of sections given by id, headings and text, in
// order, leaving out those without any.
func Of(n int, section func(i int) (id string, path []string, text string)) []SectionFigures {
	out := []SectionFigures{}
	for i := range n {
		id, path, text := section(i)
		if figs := Extract(text); len(figs) > 0 {
			out = append(out, SectionFigures{Section: id, Path: path, Figures: figs})
		}
	}
	return out
}
