package indexer

import (
	"regexp"
	"strings"

	"golang.org/x/text/width"
)

// docNumber matches a 文号 such as 浙委发〔2021〕12号 after width folding:
// an issuer code, the year in any of 〔〕［］[]（）() and the serial number.
var docNumber = regexp.MustCompile(`([\p{Han}]{1,12})\s*[〔［\[（(【]\s*((?:19|20)\d{2})\s*[〕］\]）)】]\s*(\d{1,5})\s*号`)

// normalizeDocNumber returns the first document number in s in one form:
// 〔〕 brackets and half-width digits. It returns "" if s holds none.
func normalizeDocNumber(s string) string {
	s = width.Fold.String(s)
	m := docNumber.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1] + "〔" + m[2] + "〕" + strings.TrimLeft(m[3], "0") + "号"
}

// docNumberInBody finds the notice's own number: one standing at the head
// of the body, or on a line of its own near it. A number inside brackets or
// after a quoted title is a document the notice cites, not its own.
func docNumberInBody(lines []string) string {
	for i, line := range lines {
		if i >= 4 {
			break
		}
		folded := width.Fold.String(line[:min(len(line), 256)])
		m := docNumber.FindStringSubmatchIndex(folded)
		if m == nil || m[0] > 3 {
			continue
		}
		return normalizeDocNumber(folded[m[0]:m[1]])
	}
	return ""
}
