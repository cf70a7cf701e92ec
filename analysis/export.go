package analysis

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The table as rows of cells, for CSV, XLSX and the command line: the
// group's values, its notices and characters, then for each term its
// notices, share (as a percentage), sections, occurrences and rate.

// Header is the table's heading row.
func (t *Table) Header() []string {
	var h []string
	for _, f := range t.By {
		h = append(h, FieldNames[f])
	}
	h = append(h, "公文数", "字数")
	for _, term := range t.Terms {
		h = append(h, term+" 提及公文数", term+" 占比(%)", term+" 段落数", term+" 出现次数", term+" 每万字")
	}
	return h
}

// cell is a value of the table: text, or a number.
type cell struct {
	text   string
	number float64
	isNum  bool
	digits int // after the point, for text
}

func num(v float64, digits int) cell { return cell{number: v, isNum: true, digits: digits} }

func (c cell) String() string {
	if !c.isNum {
		return c.text
	}
	return strconv.FormatFloat(c.number, 'f', c.digits, 64)
}

// cells are the table's rows after the header: one per group, then the
// total.
func (t *Table) cells() [][]cell {
	row := func(labels []cell, g *Group) []cell {
		r := labels
		r = append(r, num(float64(g.Notices), 0), num(float64(g.Chars), 0))
		for _, tc := range g.Terms {
			r = append(r, num(float64(tc.Notices), 0), num(100*tc.Share, 1), num(float64(tc.Sections), 0),
				num(float64(tc.Occurrences), 0), num(tc.Per10k, 2))
		}
		return r
	}
	var out [][]cell
	for i := range t.Groups {
		var labels []cell
		for _, v := range t.Groups[i].Values {
			labels = append(labels, cell{text: Label(v)})
		}
		out = append(out, row(labels, &t.Groups[i]))
	}
	total := make([]cell, len(t.By))
	total[0].text = "合计"
	return append(out, row(total, &t.Total))
}

// sheet is a table as rows of cells, for CSV, XLSX and the command line.
type sheet struct {
	name   string
	header []string
	rows   [][]cell
}

func (t *Table) sheet() sheet { return sheet{"比较", t.Header(), t.cells()} }

// Text is the table as text: the header, a row per group, the total.
func (t *Table) Text() [][]string { return t.sheet().text() }

// WriteCSV writes the table as CSV (see sheet.writeCSV).
func (t *Table) WriteCSV(w io.Writer) error { return t.sheet().writeCSV(w) }

// WriteXLSX writes the table as an Excel workbook (see sheet.writeXLSX).
func (t *Table) WriteXLSX(w io.Writer) error { return t.sheet().writeXLSX(w) }

func (s sheet) text() [][]string {
	out := [][]string{slices.Clone(s.header)}
	for _, r := range s.rows {
		var line []string
		for _, c := range r {
			line = append(line, c.String())
		}
		out = append(out, line)
	}
	return out
}

// writeCSV writes the sheet as CSV in UTF-8 with a byte order mark, which
// Excel and WPS need to read Chinese as such. Text that a spreadsheet
// would take for a formula (a name from a notice starting with =, +, -
// or @) is written after an apostrophe, which shows it as text.
func (s sheet) writeCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // as Excel writes it
	rows := s.text()  // no count is negative: a cell starting with - is text
	for _, r := range rows {
		for i, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				r[i] = "'" + c
			}
		}
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// writeXLSX writes the sheet as an Excel workbook of one sheet, numbers
// as numbers.
func (s sheet) writeXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", s.name); err != nil {
		return err
	}
	put := func(col, row int, v any) error {
		name, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		return f.SetCellValue(s.name, name, v)
	}
	for c, h := range s.header {
		if err := put(c+1, 1, h); err != nil {
			return err
		}
	}
	for r, row := range s.rows {
		for c, v := range row {
			var val any = v.text
			if v.isNum {
				val = v.number
				if v.digits > 0 { // rounded as the CSV shows it
					val, _ = strconv.ParseFloat(v.String(), 64)
				}
			}
			if err := put(c+1, r+2, val); err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(s.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}
