package load

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/xietong/xietong/internal/warehouse"
)

// Excel loads one sheet of an .xlsx workbook (Options.Sheet, or the
// first): its first row is the header. Cells are read raw, so a date cell
// arrives as its serial number and is converted for DATE columns.
func Excel(ctx context.Context, e *warehouse.Engine, path string, opt Options) (*Report, error) {
	ru, err := newRun(e, opt)
	if err != nil {
		return &Report{Table: opt.Table}, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		return ru.rep, fmt.Errorf("load: open %s: %w", path, err)
	}
	defer f.Close()
	sheet := opt.Sheet
	if sheet == "" {
		list := f.GetSheetList()
		if len(list) == 0 {
			return ru.rep, fmt.Errorf("load: %s has no sheet", path)
		}
		sheet = list[0]
	} else if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		return ru.rep, fmt.Errorf("load: %s has no sheet %q", path, sheet)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return ru.rep, fmt.Errorf("load: sheet %q: %w", sheet, err)
	}
	defer rows.Close()
	src := &excelSource{rows: rows}
	if st, err := os.Stat(path); err == nil {
		src.total = st.Size()
	}
	if dim, err := f.GetSheetDimension(sheet); err == nil {
		if _, last, ok := strings.Cut(dim, ":"); ok {
			if _, r, err := excelize.CellNameToCoordinates(last); err == nil {
				src.lastRow = int64(r)
			}
		}
	}
	if !rows.Next() {
		return ru.rep, fmt.Errorf("load: sheet %q is empty (no header row)", sheet)
	}
	if src.head, err = rows.Columns(); err != nil {
		return ru.rep, fmt.Errorf("load: sheet %q: header: %w", sheet, err)
	}
	for len(src.head) > 0 && strings.TrimSpace(src.head[len(src.head)-1]) == "" {
		src.head = src.head[:len(src.head)-1]
	}
	src.line = 1
	// Spreadsheets drop trailing empty cells: pad short rows, and let
	// date columns take serial numbers.
	if err := ru.begin(ctx, src.head); err != nil {
		ru.rollback()
		return ru.rep, err
	}
	src.dates = map[int]bool{}
	for _, cp := range ru.p.cols {
		if cp.kind == kDate && cp.src >= 0 {
			src.dates[cp.src] = true
		}
	}
	if err := ru.consume(ctx, src, nil); err != nil {
		ru.rollback()
		return ru.rep, err
	}
	if err := ru.finish(ctx, src, nil); err != nil {
		ru.rollback()
		return ru.rep, err
	}
	return ru.rep, nil
}

type excelSource struct {
	rows    *excelize.Rows
	head    []string
	line    int64
	lastRow int64
	total   int64
	dates   map[int]bool
}

func (s *excelSource) header() []string { return s.head }

func (s *excelSource) bytes() (int64, int64) {
	if s.lastRow <= 1 {
		return 0, s.total
	}
	return s.total * min(s.line, s.lastRow) / s.lastRow, s.total
}

func (s *excelSource) next() (int64, []string, *problem, error) {
	for s.rows.Next() {
		s.line++
		rec, err := s.rows.Columns()
		if err != nil {
			return s.line, nil, &pMalform, nil
		}
		empty := true
		for _, c := range rec {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		// Trailing empty cells are not stored: a short row is padded, a
		// row with values beyond the header keeps its length (and is bad).
		for len(rec) < len(s.head) {
			rec = append(rec, "")
		}
		for len(rec) > len(s.head) && strings.TrimSpace(rec[len(rec)-1]) == "" {
			rec = rec[:len(rec)-1]
		}
		for i := range rec {
			if s.dates[i] {
				rec[i] = excelDate(rec[i])
			}
		}
		return s.line, rec, nil, nil
	}
	if err := s.rows.Error(); err != nil {
		return 0, nil, nil, fmt.Errorf("load: excel: %w", err)
	}
	return 0, nil, nil, errEOF
}

// excelDate turns a date serial number into YYYY-MM-DD; text stays.
func excelDate(v string) string {
	if v == "" || strings.ContainsAny(v, "-/") || (len(v) == 8 && isDigits(v)) {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 1 || f > 200000 {
		return v
	}
	t, err := excelize.ExcelDateToTime(f, false)
	if err != nil {
		return v
	}
	return t.Format("2006-01-02")
}
