package search

import (
	"context"
	"strings"

	"noticesearch/indexer"
)

// NoticeView is a notice as the index holds it: metadata and a run of its
// sections in order, from From, of SectionsTotal in all.
type NoticeView struct {
	ID string `json:"id"`
	indexer.Meta
	SectionsTotal int           `json:"sections_total"`
	From          int           `json:"from"` // index of the first section shown
	Next          int           `json:"next"` // index of the first section not shown, SectionsTotal at the end
	Sections      []SectionView `json:"sections"`
}

// SectionView is one section of a NoticeView.
type SectionView struct {
	ID      string   `json:"id"`
	Seq     int      `json:"seq"`
	Level   int      `json:"level"`
	Heading string   `json:"heading"`
	Path    []string `json:"path"`
	Text    string   `json:"text"`
}

// A notice is shown a run of sections at a time, so that a notice of
// 100,000 headings or megabytes of text costs a page, not the whole.
const (
	NoticeSections = 200     // sections at most
	noticeBytes    = 1 << 20 // of text at most, unless the first section alone is longer
)

// Notice returns the notice with the given ID, with its sections from the
// from-th on (0 is the first of the body, after the title; a section's
// Seq is its place) as far as a
// page holds them, or ErrNotFound. A from past the end gives no sections.
func (e *Engine) Notice(ctx context.Context, id string, from int) (*NoticeView, error) {
	snap := e.snapshot()
	d, ok := snap.byID[id]
	if !ok {
		return nil, ErrNotFound
	}
	n := &snap.notices[d]
	first, end := snap.bodySections(d)
	v := &NoticeView{ID: n.id, Meta: n.meta, SectionsTotal: end - first, From: max(0, min(from, end-first)), Sections: []SectionView{}}
	size := 0
	sec := first + v.From
	for ; sec < end && len(v.Sections) < NoticeSections; sec++ {
		text := snap.text.Text(sec)
		if size += len(text); size > noticeBytes && len(v.Sections) > 0 {
			break
		}
		s := SectionView{
			ID: indexer.SectionID(n.id, snap.text.Seq(sec)), Seq: snap.text.Seq(sec), Level: snap.text.Level(sec),
			Path: []string{}, Text: text,
		}
		if p := snap.text.Path(sec); p != "" {
			s.Path = strings.Split(p, indexer.PathSep)
			s.Heading = s.Path[len(s.Path)-1]
		}
		v.Sections = append(v.Sections, s)
	}
	v.Next = sec - first
	if err := snap.damaged(); err != nil {
		return nil, err
	}
	return v, ctx.Err()
}
