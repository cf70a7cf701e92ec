package figures

// SectionFigures are the figures of one section of a notice.
type SectionFigures struct {
	Section string   `json:"section"` // its id
	Path    []string `json:"path"`    // its headings
	Figures []Figure `json:"figures"`
}
