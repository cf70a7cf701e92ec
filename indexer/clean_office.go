package indexer

import (
	"regexp"
	"strings"
)

// Word and other Office programs save HTML with their document settings
// and style sheet inside conditional comments and <style> elements. Sites
// that paste such HTML into their editor, or crawlers that keep only the
// text of a page, leak them into the article as text:
//
//	Normal 0 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE
//	/* Style Definitions */ table.MsoNormalTable {mso-style-name:普通表格; …}
//
// The settings are a run of numbers, booleans, language tags and a point
// unit; the style sheet is CSS rules whose declarations name mso-
// properties. Neither is ever the text of a notice.
var (
	// officeComment is a CSS comment of the style sheet, such as
	// "/* Style Definitions */" or "/* Font Definitions */".
	officeComment = regexp.MustCompile(`/\*[^*]{0,80}(?:Definitions|mso|Mso)[^*]{0,80}\*/`)
	// officeRule is one CSS rule with an mso- declaration:
	// "table.MsoNormalTable {mso-style-name:普通表格; …}" or "st1\:*{behavior:url(#ieooui) }".
	officeRule = regexp.MustCompile(`(?:[@A-Za-z0-9_.#:*\\\-]+(?:\s*,\s*[@A-Za-z0-9_.#:*\\\-]+)*\s*)?\{[^{}]*\}`)
	// officeConditional is a conditional comment that reached the text
	// escaped, markers and all: <!--[if gte mso 9]>…<![endif]-->.
	officeConditional = regexp.MustCompile(`(?s)<!--\[if[^\]]*\]>.*?<!\[endif\]-->`)
)

// hasOfficeJunk is a cheap look for the traces every Office leak leaves.
func hasOfficeJunk(s string) bool {
	return strings.Contains(s, "mso-") || strings.Contains(s, "Mso") || strings.Contains(s, "X-NONE") ||
		strings.Contains(s, "EN-US") || strings.Contains(s, "<![endif]")
}

// stripOfficeJunk removes Office document settings and style sheets that
// leaked into the text, and leaves everything else as it was.
func stripOfficeJunk(s string) string {
	if !hasOfficeJunk(s) {
		return s
	}
	s = officeConditional.ReplaceAllString(s, " ")
	// The settings first: a rule's selector must not reach back into them.
	s = stripOfficeSettings(s)
	s = officeComment.ReplaceAllString(s, " ")
	s = officeRule.ReplaceAllStringFunc(s, func(rule string) string {
		// Only a rule of Office's style sheet: a brace in the text of a
		// notice, or a rule of some other sheet, stays.
		if strings.Contains(rule, "mso-") || strings.Contains(rule, "behavior:url(#ieooui)") {
			return " "
		}
		return rule
	})
	return s
}

// officeSettingWords are the fields of the document settings Word writes
// first: "Normal 0 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE", with or
// without the grid pitch, and with the compatibility names that may follow.
var officeSettingWords = map[string]bool{
	"磅": true, "pt": true, "false": true, "true": true, "X-NONE": true,
	"MicrosoftInternetExplorer4": true, "DocumentNotSpecified": true,
}

// isOfficeSetting reports whether a blank-separated field belongs to the
// settings run: a number, a language tag (EN-US, ZH-CN, JA, AR-SA) or one
// of officeSettingWords.
func isOfficeSetting(f string) bool {
	if officeSettingWords[f] {
		return true
	}
	digits, upper := 0, 0
	for _, r := range f {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'A' && r <= 'Z':
			upper++
		case r != '.' && r != '-':
			return false
		}
	}
	if digits > 0 {
		return upper == 0 && !strings.Contains(f, "-") // 0, 7.8, 10.5
	}
	return upper >= 2 && upper <= 6 // EN-US, ZH-CN, AR-SA
}

// stripOfficeSettings removes every "Normal …" run of setting fields that
// names a language: "Normal 0 false false" alone could be prose.
func stripOfficeSettings(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "Normal")
		if i < 0 {
			break
		}
		end, fields, lang := i+len("Normal"), 0, false
		for {
			j := end
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
				j++
			}
			k := j
			for k < len(s) && s[k] != ' ' && s[k] != '\t' && s[k] != '\n' && s[k] != '\r' {
				k++
			}
			if j == end || j == k || !isOfficeSetting(s[j:k]) {
				break
			}
			f := s[j:k]
			lang = lang || f == "EN-US" || f == "ZH-CN" || f == "X-NONE" || f == "MicrosoftInternetExplorer4"
			end, fields = k, fields+1
		}
		if !lang || fields < 3 {
			b.WriteString(s[:i+len("Normal")])
			s = s[i+len("Normal"):]
			continue
		}
		b.WriteString(s[:i])
		s = s[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s)
	return b.String()
}
