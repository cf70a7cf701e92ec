package indexer

// Field names of a section document, shared by indexing and querying.
const (
	FieldNoticeID  = "notice_id"
	FieldSeq       = "seq"
	FieldLevel     = "level"
	FieldBody      = "body"      // section text: gram analyzer, stored
	FieldBodyChar  = "body_char" // section text: char analyzer, no positions
	FieldBodyWord  = "body_word" // section text: word analyzer
	FieldTitle     = "title"     // notice title: gram analyzer, stored
	FieldHeading   = "heading"   // heading path: gram analyzer
	FieldPath      = "section_path"
	FieldFile      = "path"
	FieldDate      = "date"   // YYYY-MM-DD, stored keyword
	FieldDateTime  = "date_t" // the same as a date, for ranges and sorting
	FieldYear      = "year"   // the date's year, for facets
	FieldProvince  = "province"
	FieldCity      = "city"
	FieldCounty    = "county"
	FieldRegion    = "region" // every level of the region, for region: filters
	FieldSource    = "source"
	FieldIssuer    = "issuer"
	FieldKind      = "kind"
	FieldDocNumber = "doc_number"
)

// PathSep joins the headings of a section's path in the stored field.
const PathSep = "\n"
