// Package pdf reads the text of a PDF for indexing: a line per paragraph,
// table rows as their cells separated by tabs, as the office readers
// give DOCX and OFD. It reads, and never writes or renders; it must not
// import the indexer (the indexer imports it).
//
// The text is PDFium's, run as WebAssembly under wazero
// (github.com/klippa-app/go-pdfium/webassembly): no cgo, no external
// program. Chosen by measuring the corpus's eight PDFs with a text layer
// (../shared/corpus/formats, 85,140 Chinese characters by the manifest)
// against the pure-Go readers:
//
//	                     CJK found        ms for 122 pages
//	pdfium (wasm)        32,562 / 32,562  553  (PDFium's structured text; this
//	                                           package, layout included: 2,135,
//	                                           57 pages/s, BenchmarkText)
//	ledongthuc/pdf       32,182 / 32,562  371  (misses 368 of the 8,148 of
//	                                           规划和自然资源局 决算; no xref
//	                                           repair: the mojibake file fails)
//	rsc.io/pdf           0 / 32,562       569  (no Identity-H / ToUnicode)
//	pdfcpu v0.15.0       -                     (no text extraction)
//
// PDFium's price is start-up and size: compiling its 5.8 MB module takes
// 5 s and 300 MB once per process, 0.3 s and 100 MB when wazero's
// compilation cache (CacheDir) holds it; the noticesearch binary grows by 13.6 MB once this package is
// linked (85.5 to 99.1 MB; a minimal program by 12.6 MB, ledongthuc/pdf's
// by 0.6 MB).
// So the engine starts on the first PDF read, not before, with a single
// worker that reads one PDF at a time, bounded by Timeout, MaxBytes,
// MaxPages and a 1 GiB memory limit.
//
// PDFium gives each character and its box; the layout (layout.go) makes
// lines and paragraphs of them, leaves out page numbers and running
// heads, and tells table cells by their gaps. A text layer that decodes
// to nonsense is refused (garbled.go), as is a PDF with none.
package pdf
