package indexer

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Errors that say why a file could not become a notice. Callers branch on
// them with errors.Is; the wrapping *FileError names the path.
var (
	ErrEmpty   = errors.New("empty file / 空文件")
	ErrNotText = errors.New("not text: binary data or invalid in UTF-8 and GB18030 / 不是文本文件")
	ErrNoBody  = errors.New("no body text left after cleaning / 清理后没有正文")
)

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)`)

// decode turns raw file bytes into UTF-8 text. A BOM wins; bytes that are
// valid UTF-8 are UTF-8 whatever an HTML charset declaration says; other
// bytes are tried as GB18030, the superset of GBK and GB2312 that Chinese
// government sites still serve.
func decode(data []byte, isHTML bool) (string, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", ErrEmpty
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", ErrNotText
	}
	if b, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf")); ok {
		return checkText(string(b))
	}
	if isHTML {
		head := data[:min(len(data), 8192)]
		if m := metaCharset.FindSubmatch(head); m != nil {
			label := strings.ToLower(string(m[1]))
			// A legacy declaration on bytes that are valid UTF-8 is a page
			// converted and not relabelled: GBK text with any Chinese in it
			// is almost never valid UTF-8.
			if isChineseLegacy(label) && !utf8.Valid(data) {
				return decodeGB18030(data)
			}
			if _, name := charset.Lookup(label); name == "utf-8" && utf8.Valid(data) {
				return checkText(string(data))
			}
			// A declaration that the bytes contradict (utf-8 declared,
			// GBK served) is common; fall through to deciding by validity.
		}
	}
	if utf8.Valid(data) {
		return checkText(string(data))
	}
	return decodeGB18030(data)
}

func isChineseLegacy(label string) bool {
	switch label {
	case "gbk", "gb2312", "gb18030", "x-gbk", "cp936", "chinese", "csgb2312", "euc-cn", "x-euc-cn", "gb_2312-80", "ms936", "windows-936":
		return true
	}
	return false
}

func decodeGB18030(data []byte) (string, error) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", ErrNotText
	}
	return checkText(string(out))
}

// checkText rejects decoded text that is mostly replacement characters or
// control codes: such a file was not text in the encoding we chose.
func checkText(s string) (string, error) {
	var bad, total int
	for _, r := range s {
		total++
		switch {
		case r == utf8.RuneError:
			bad++
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v':
			bad++
		case r >= 0x7f && r < 0xa0:
			bad++
		}
	}
	if total == 0 {
		return "", ErrEmpty
	}
	if bad*50 > total { // more than 2% garbage
		return "", ErrNotText
	}
	return s, nil
}
