package indexer

import (
	"encoding/json"
	"fmt"
	"strings"

	"noticesearch/dict"
	"noticesearch/indexer/neardup"
)

// Field names of a notice document in the bleve index, for filters.
const (
	FieldNoticeID  = "notice_id"
	FieldFile      = "path"
	FieldDateTime  = "date_t" // the date as a date, for ranges
	FieldYear      = "year"   // the date's year
	FieldProvince  = "province"
	FieldCity      = "city"
	FieldCounty    = "county"
	FieldRegion    = "region" // every level of the region, for region: filters
	FieldSource    = "source"
	FieldIssuer    = "issuer"
	FieldKind      = "kind"
	FieldDocNumber = "doc_number"
)

// PathSep joins the headings of a section's path in the text index.
const PathSep = "\n"

// Meta is what the text index keeps of a notice besides its sections:
// what a hit and the notice page show (package search embeds it in both,
// so its JSON names are the API's).
type Meta struct {
	Path      string      `json:"path"`
	Title     string      `json:"title"`
	Date      string      `json:"date"`
	Region    dict.Region `json:"region"`
	Source    string      `json:"source"`
	Issuer    string      `json:"issuer"`
	Kind      string      `json:"kind"`
	DocNumber string      `json:"doc_number"`
	DateFrom  string      `json:"date_from,omitempty"` // "page", or "filename" when the date is read from a dated file name
	// Format is the file's: html, text, markdown, docx, odt, doc, ofd or
	// pdf ("" in an index written before it was kept).
	Format string `json:"format,omitempty"`
	// MinHash is the body's signature (see package neardup), in hex;
	// empty for a body too short to tell.
	MinHash string `json:"minhash,omitempty"`
}

func encodeMeta(n *Notice) []byte {
	sig, ok := neardup.Sign(Body(n))
	raw, _ := json.Marshal(Meta{
		Path: n.Path, Title: n.Title, Date: n.Date, Region: n.Region, Source: n.Source,
		Issuer: n.Issuer, Kind: n.Kind, DocNumber: n.DocNumber, DateFrom: n.DateFrom, Format: n.Format,
		MinHash: neardup.Format(sig, ok),
	})
	return raw
}

// Body is the text of a notice's sections, its title left out: what its
// near duplicates are found by (see package neardup).
func Body(n *Notice) string {
	var b strings.Builder
	for _, s := range n.Sections {
		b.WriteString(s.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// TitleSectionID names a notice's title, which the text index holds as a
// section of its own.
func TitleSectionID(noticeID string) string { return noticeID + "-title" }

// SectionID names section seq of a notice.
func SectionID(noticeID string, seq int) string {
	return fmt.Sprintf("%s-%03d", noticeID, seq)
}
