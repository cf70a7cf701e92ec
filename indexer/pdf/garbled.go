package pdf

import (
	"strings"
	"unicode"

	"noticesearch/indexer/textindex"
)

// Text that decodes to nonsense is told by what it is made of, not by
// whether it holds Chinese: the share of its characters that are common
// in Chinese official text (Plausibility) is high for every real document
// and low for mojibake. Measured by TestPlausibility (go test -run
// Plausibility -v): the lowest of the corpus's real PDFs, OFDs and DOCXs
// is 0.954 (the mineral licence OFD), the lowest of 328 laws 0.900 (one
// dense with rare characters), the mojibake PDF (UTF-8 bytes read through
// StandardEncoding: å¹´…) 0.233, and ideographs at random about 0.1
// (TestIdeographsAtRandomAreGarbled). minPlausible stands in between:
// 0.3 under the one, 0.37 over the other.
const minPlausible = 0.6

// minJudged is the fewest characters judged: a shorter text is too
// little to tell.
const minJudged = 20

// Plausibility is the share of a text's characters (spaces aside) that
// are common in Chinese official text: ASCII, the 1,920 most frequent
// Chinese characters, and the punctuation and full-width forms Chinese
// is set with. A Latin-1 letter (å, ¹, Ã) counts against it twice, since
// UTF-8 or GBK read as Latin-1 is made of them and Chinese text has
// almost none. It is 1 for a text with no characters.
func Plausibility(s string) float64 {
	good, all := 0, 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		all++
		switch {
		case r < 0x80, textindex.IsFrequent(r):
			good++
		case r >= 0x3000 && r <= 0x303f, r >= 0xff00 && r <= 0xffef, r >= 0x2010 && r <= 0x203a:
			good++ // CJK and full-width punctuation, dashes, quotes, …
		case r >= 0x80 && r <= 0x24f && !strings.ContainsRune("·×÷°±§", r):
			all++ // Latin-1 and Latin Extended, bar the signs Chinese text uses
		case unicode.Is(unicode.Han, r):
			// A rarer Chinese character: not for, so that text decoded to
			// ideographs at random (a CID font's codes read through the
			// wrong map), of which 1 in 10 is common, scores low.
		case unicode.IsLetter(r):
			// A letter of another script (Uyghur, Tibetan, Cyrillic):
			// neither for nor against.
			all--
		}
	}
	if all <= 0 {
		return 1
	}
	return float64(good) / float64(all)
}

// garbled says why a text is nonsense, or "" if it is not.
func garbled(s string) string {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	if n < minJudged {
		return ""
	}
	if p := Plausibility(s); p < minPlausible {
		return "only " + percent(p) + " of its characters are common in Chinese text"
	}
	return ""
}

func percent(p float64) string {
	n := int(p*1000 + 0.5)
	return itoa(n/10) + "." + itoa(n%10) + "%"
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
