package office

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// DOC (Word 97–2003) and WPS (Kingsoft's older format, of the same OLE
// structure) are read by an external converter when one is installed:
// catdoc (Debian's catdoc), else antiword. Without one, a file of either is
// reported as needing it, never skipped silently. A conversion is bounded
// in time (ConvertTimeout) and in output (MaxPart).

// ErrNeedsConverter says no converter for DOC and WPS is installed.
var ErrNeedsConverter = errors.New("读取 .doc/.wps 需要安装 catdoc 或 antiword（Debian: apt-get install catdoc） / reading .doc and .wps needs catdoc or antiword installed (Debian: apt-get install catdoc)")

// ErrConvert says the converter failed on a file.
var ErrConvert = errors.New("无法转换 .doc/.wps 文件 / the .doc/.wps file could not be converted")

// ConvertTimeout bounds one conversion.
var ConvertTimeout = 30 * time.Second

// converters are the commands tried, in order, each with its arguments
// before the file's path.
var converters = [][]string{
	{"catdoc", "-d", "utf-8", "-w"},
	{"antiword", "-m", "UTF-8.txt"},
}

// Converter is the converter installed, "" if none.
func Converter() string {
	for _, c := range converters {
		if p, err := exec.LookPath(c[0]); err == nil {
			return p
		}
	}
	return ""
}

// DocText is the text of a DOC or WPS file's bytes, by the first converter
// installed. The bytes go to a temporary file of our own, removed after.
func DocText(data []byte) (string, error) {
	var args []string
	for _, c := range converters {
		if p, err := exec.LookPath(c[0]); err == nil {
			args = append([]string{p}, c[1:]...)
			break
		}
	}
	if args == nil {
		return "", ErrNeedsConverter
	}
	f, err := os.CreateTemp("", "noticesearch-*.doc")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), ConvertTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], append(args[1:], f.Name())...)
	var out limitedBuffer
	out.limit = MaxPart
	cmd.Stdout = &out
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("%w: %s took longer than %s", ErrConvert, args[0], ConvertTimeout)
		}
		return "", fmt.Errorf("%w: %s: %v %s", ErrConvert, args[0], err, strings.TrimSpace(stderr.String()))
	}
	if out.over {
		return "", ErrBomb
	}
	var lines []string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "[This was fast-saved") {
			continue // catdoc's and antiword's note, not the document's
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n"), nil
}

// limitedBuffer keeps the first limit bytes written to it.
type limitedBuffer struct {
	bytes.Buffer
	limit int
	over  bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
