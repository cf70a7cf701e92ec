package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Extractor names the engine that reads the text, for a person to see.
const Extractor = "pdfium (WebAssembly)"

// Bounds on one file. A file of more than MaxPages pages is read up to
// MaxPages and its Document says it was cut (Truncated): the first thousand
// pages of a yearbook are worth finding, and the rest are named in the
// report. A file larger than MaxBytes is refused before PDFium sees it.
const (
	MaxPages = 1000
	MaxBytes = 256 << 20
	// maxMemoryPages bounds PDFium's linear memory (64 KiB pages): 1 GiB.
	maxMemoryPages = 16384
)

// Timeout bounds the reading of one file; past it the worker is killed
// (its WebAssembly call interrupted) and a new one started for the next.
var Timeout = 60 * time.Second

// CacheDir holds wazero's compiled PDFium, so that a process after the
// first starts PDFium in a third of a second instead of five (the figures
// are in doc.go). "" compiles afresh in every process.
var CacheDir = func() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "noticesearch", "pdfium-wazero")
}()

// The sentinel errors callers branch on.
var (
	ErrNotPDF    = errors.New("不是有效的 PDF 文件 / not a valid PDF file")
	ErrEncrypted = errors.New("PDF 已加密 / the PDF is encrypted")
	ErrNoText    = errors.New("PDF 没有文字层（页面为图片） / the PDF has no text layer (image-only pages)")
	ErrGarbled   = errors.New("PDF 文字层是乱码 / the PDF's text layer decodes to nonsense")
	ErrTooLarge  = errors.New("PDF 文件过大 / the PDF is too large")
	ErrTimeout   = errors.New("PDF 读取超时 / reading the PDF took too long")
	ErrEngine    = errors.New("PDF 引擎无法启动 / the PDF engine could not start")
)

// engine is PDFium's pool: one, started on the first PDF read and kept
// for the process, with a single worker, so PDFs are read one at a time
// and PDFium's memory is held once.
var engine = sync.OnceValues(func() (pdfium.Pool, error) {
	rc := wazero.NewRuntimeConfig()
	if CacheDir != "" {
		if c, err := wazero.NewCompilationCacheWithDir(CacheDir); err == nil {
			rc = rc.WithCompilationCache(c)
		}
	}
	rc = rc.WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithCloseOnContextDone(true).
		WithMemoryLimitPages(maxMemoryPages)
	pool, err := webassembly.Init(webassembly.Config{
		MinIdle: 0, MaxIdle: 1, MaxTotal: 1,
		ReuseWorkers:  true,
		RuntimeConfig: rc,
		// PDFium gets the bytes, not the file system: mount nothing.
		FSConfig: wazero.NewFSConfig(),
		Stdout:   discard{},
		Stderr:   discard{},
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEngine, err)
	}
	return pool, nil
})

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// glyph is a character PDFium placed on a page: its loose box (the font's
// ascent to descent, the advance across) in points, y upwards.
type glyph struct {
	r                        rune
	left, right, bottom, top float64
}

// rawPage is what is read of a page: its height and its glyphs in the
// content stream's order, spaces and PDFium's generated line breaks left
// out (the layout works from the boxes).
type rawPage struct {
	height float64
	glyphs []glyph
}

// rawDoc is what PDFium reads of a file.
type rawDoc struct {
	pages     []rawPage
	total     int // pages in the file
	truncated bool
	meta      map[string]string
}

// readRaw reads a file's pages with PDFium, bounded by ctx and Timeout.
func readRaw(ctx context.Context, data []byte) (*rawDoc, error) {
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrTooLarge, len(data), MaxBytes)
	}
	// PDFium repairs much, but a file that does not start with %PDF
	// within its first KiB is not one (the format allows junk before it).
	if !strings.Contains(string(data[:min(len(data), 1024)]), "%PDF-") {
		return nil, ErrNotPDF
	}
	pool, err := engine()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: waiting for PDFium: %v", ErrTimeout, ctx.Err())
		}
		return nil, fmt.Errorf("%w: %v", ErrEngine, err)
	}
	// Past the deadline the worker is killed: the call in flight returns
	// an error, and the pool starts another worker for the next file.
	var mu sync.Mutex
	killed := false
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		killed = true
		inst.Kill()
	})
	doc, err := readWith(ctx, inst, data)
	mu.Lock()
	defer mu.Unlock()
	if stop() {
		inst.Close()
	}
	if killed {
		return nil, fmt.Errorf("%w: %v", ErrTimeout, ctx.Err())
	}
	return doc, err
}

func readWith(ctx context.Context, inst pdfium.Pdfium, data []byte) (doc *rawDoc, err error) {
	defer func() {
		// go-pdfium turns most WebAssembly traps into errors; what is left
		// is one too, not a crash of the indexer.
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("%w: PDFium: %v", ErrNotPDF, r)
		}
	}()
	opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		switch {
		case errors.Is(err, pdfiumerrors.ErrPassword), errors.Is(err, pdfiumerrors.ErrSecurity):
			return nil, ErrEncrypted
		case ctx.Err() != nil:
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %v", ErrNotPDF, err)
	}
	d := opened.Document
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: d})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: d})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotPDF, err)
	}
	doc = &rawDoc{total: count.PageCount, meta: map[string]string{}}
	for _, tag := range []string{"Title", "Author", "Producer", "Creator", "CreationDate"} {
		if m, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: d, Tag: tag}); err == nil {
			doc.meta[tag] = strings.TrimSpace(strings.ToValidUTF8(m.Value, ""))
		}
	}
	n := doc.total
	if n > MaxPages {
		n, doc.truncated = MaxPages, true
	}
	for i := range n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := readPage(inst, d, i)
		if err != nil {
			return nil, fmt.Errorf("%w: page %d: %v", ErrNotPDF, i+1, err)
		}
		doc.pages = append(doc.pages, p)
	}
	return doc, nil
}

func readPage(inst pdfium.Pdfium, d references.FPDF_DOCUMENT, i int) (rawPage, error) {
	var p rawPage
	size, err := inst.FPDF_GetPageSizeByIndex(&requests.FPDF_GetPageSizeByIndex{Document: d, Index: i})
	if err != nil {
		return p, err
	}
	p.height = size.Height
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: d, Index: i}}})
	if err != nil {
		return p, err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	cc, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return p, err
	}
	// The page's characters in one call, not one call each: GetText
	// writes one UTF-16 unit per character, so when its length is the
	// count (no character beyond the BMP, which takes two) the j-th unit
	// is the j-th character; else each is asked for.
	var units []uint16
	if cc.Count > 0 {
		all, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: cc.Count})
		if err != nil {
			return p, err
		}
		if u := utf16.Encode([]rune(all.Text)); len(u) == cc.Count {
			units = u
		}
	}
	for j := range cc.Count {
		var r rune
		if units != nil && !utf16.IsSurrogate(rune(units[j])) {
			r = rune(units[j])
		} else {
			u, err := inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp.TextPage, Index: j})
			if err != nil {
				return p, err
			}
			r = rune(u.Unicode)
		}
		if r == 0 || r > unicode.MaxRune || unicode.IsSpace(r) || unicode.IsControl(r) || r == 0xfffd || r == 0xfffe {
			continue
		}
		box, err := inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp.TextPage, Index: j})
		if err != nil {
			return p, err
		}
		b := box.Rect
		g := glyph{r: r, left: float64(b.Left), right: float64(b.Right), bottom: float64(b.Bottom), top: float64(b.Top)}
		if g.bottom > g.top {
			g.bottom, g.top = g.top, g.bottom
		}
		p.glyphs = append(p.glyphs, g)
	}
	return p, nil
}
