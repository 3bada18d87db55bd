package load

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xietong/xietong/internal/ident"
	"github.com/xietong/xietong/internal/warehouse"
)

// kind is how a column's text is checked and converted.
type kind int

const (
	kText   kind = iota // VARCHAR(n): length checked
	kInt                // INTEGER / BIGINT
	kPeriod             // INTEGER holding a period YYYYMM
	kMoney              // DECIMAL(p,s), passed on as exact text
	kDate               // DATE, passed on as time.Time (UTC midnight)
	kID                 // 公民身份号码, GB 11643
	kUSCC               // 统一社会信用代码, GB 32100
	kHelper             // computed from another column at load
)

// helper derivations.
type derive int

const (
	dMI   derive = iota // month index year*12+month-1
	dYM                 // YYYYMM
	dYMD                // YYYYMMDD text
	dYear               // year
)

type colPlan struct {
	col    warehouse.Column
	kind   kind
	maxLen int // kText, kID, kUSCC: characters
	bits   int // kInt: 32 or 64
	intDig int // kMoney: digits before the point
	scale  int // kMoney: digits after the point
	src    int // index in the source record, -1 when the source lacks it
	base   int // kHelper: index in plan.cols of the column it derives from
	how    derive
}

// plan maps a source's header onto a warehouse table.
type plan struct {
	table   warehouse.Table
	cols    []colPlan
	names   []string // insert column order = table order
	key     []int    // indexes in cols of the primary key
	ignored []string // source columns that are not table columns (or are helpers)
	width   int      // fields a source record must have
}

// newPlan resolves the header (case-insensitive) against the table. A
// required column missing from the header fails the whole load: every row
// would be bad.
func newPlan(table string, header []string) (*plan, error) {
	t, ok := warehouse.TableByName(table)
	if !ok {
		return nil, fmt.Errorf("load: unknown warehouse table %q", table)
	}
	p := &plan{table: t, names: t.ColumnNames(), width: len(header)}
	pos := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := pos[h]; dup {
			return nil, fmt.Errorf("load: column %q appears twice in the header", h)
		}
		pos[h] = i
	}
	index := map[string]int{}
	for i, c := range t.Columns {
		index[c.Name] = i
	}
	used := map[int]bool{}
	var missing []string
	for _, c := range t.Columns {
		cp, err := columnPlan(t, c, index)
		if err != nil {
			return nil, err
		}
		cp.src = -1
		if cp.kind != kHelper {
			if i, ok := pos[c.Name]; ok {
				cp.src = i
				used[i] = true
			} else if !c.Null {
				missing = append(missing, c.Name)
			}
		}
		p.cols = append(p.cols, cp)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("load: %s: required columns missing from the header: %s", table, strings.Join(missing, ", "))
	}
	for i, h := range header {
		if !used[i] {
			p.ignored = append(p.ignored, h)
		}
	}
	for _, k := range t.Key {
		p.key = append(p.key, index[k])
	}
	return p, nil
}

func columnPlan(t warehouse.Table, c warehouse.Column, index map[string]int) (colPlan, error) {
	cp := colPlan{col: c}
	typ := strings.ToUpper(c.Type)
	if strings.Contains(c.Comment, "(helper)") {
		cp.kind = kHelper
		return helperPlan(t, cp, index)
	}
	switch {
	case typ == "VARCHAR(18)" && strings.HasSuffix(c.Name, "002"):
		cp.kind, cp.maxLen = kID, 18
	case typ == "VARCHAR(18)" && c.Name == "aab003":
		cp.kind, cp.maxLen = kUSCC, 18
	case strings.HasPrefix(typ, "VARCHAR("):
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(typ, "VARCHAR("), ")"))
		if err != nil {
			return cp, fmt.Errorf("load: %s.%s: type %s", t.Name, c.Name, c.Type)
		}
		cp.kind, cp.maxLen = kText, n
	case typ == "INTEGER" && strings.Contains(c.Comment, "YYYYMM"):
		cp.kind = kPeriod
	case typ == "INTEGER":
		cp.kind, cp.bits = kInt, 32
	case typ == "BIGINT":
		cp.kind, cp.bits = kInt, 64
	case typ == "DATE":
		cp.kind = kDate
	case strings.HasPrefix(typ, "DECIMAL("):
		var prec, scale int
		if _, err := fmt.Sscanf(typ, "DECIMAL(%d,%d)", &prec, &scale); err != nil {
			return cp, fmt.Errorf("load: %s.%s: type %s", t.Name, c.Name, c.Type)
		}
		cp.kind, cp.intDig, cp.scale = kMoney, prec-scale, scale
	default:
		return cp, fmt.Errorf("load: %s.%s: unsupported type %s", t.Name, c.Name, c.Type)
	}
	return cp, nil
}

// helperPlan finds the column a helper derives from, the way gendata
// fills them: <f>_mi / <f>_ym / <f>_ymd from the date or period <f> (or
// <f>_date); a birth month from the 公民身份号码 when the table has no
// birth date; a year (aae001) from the period or date before it.
func helperPlan(t warehouse.Table, cp colPlan, index map[string]int) (colPlan, error) {
	name := cp.col.Name
	var base string
	switch {
	case strings.HasSuffix(name, "_ymd"):
		base, cp.how = strings.TrimSuffix(name, "_ymd"), dYMD
	case strings.HasSuffix(name, "_mi"):
		base, cp.how = strings.TrimSuffix(name, "_mi"), dMI
	case strings.HasSuffix(name, "_ym"):
		base, cp.how = strings.TrimSuffix(name, "_ym"), dYM
	case name == "aae001":
		cp.how = dYear
		for _, b := range []string{"aae003", "cert_date"} {
			if _, ok := index[b]; ok {
				base = b
				break
			}
		}
	}
	if _, ok := index[base]; !ok {
		if _, ok := index[base+"_date"]; ok {
			base += "_date"
		} else if _, ok := index["aac002"]; ok && base == "aac006" {
			base = "aac002" // birth date from the 公民身份号码
		}
	}
	i, ok := index[base]
	if !ok || base == "" {
		return cp, fmt.Errorf("load: %s.%s: no column to derive the helper from", t.Name, name)
	}
	cp.base = i
	return cp, nil
}

// problem is why one field is bad.
type problem struct {
	reason, zh, en string
}

var (
	pEncoding = problem{"encoding", "字符编码错误（无法按所选编码解码）", "invalid bytes for the chosen encoding"}
	pColumns  = problem{"columns", "列数不符", "wrong number of columns"}
	pRequired = problem{"required", "必填项为空", "required value is empty"}
	pNumber   = problem{"number", "不是有效的数字", "not a valid number"}
	pDate     = problem{"date", "不是有效的日期（YYYY-MM-DD、YYYYMMDD 或 YYYY/MM/DD）", "not a valid date (YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD)"}
	pPeriod   = problem{"period", "不是有效的期别（YYYYMM）", "not a valid period (YYYYMM)"}
	pID       = problem{"id", "公民身份号码校验不通过（GB 11643）", "公民身份号码 fails GB 11643"}
	pUSCC     = problem{"uscc", "统一社会信用代码校验不通过（GB 32100）", "统一社会信用代码 fails GB 32100"}
	pTooLong  = problem{"too_long", "超过字段长度", "longer than the column allows"}
	pDupKey   = problem{"duplicate", "主键重复（本次装载中已出现）", "duplicate primary key within this load"}
	pMalform  = problem{"malformed", "行格式错误", "malformed row"}
)

// convert checks one record and returns the values to insert in table
// column order, or the first bad field.
func (p *plan) convert(rec []string, out []any) (col int, val string, pr *problem) {
	if len(rec) != p.width {
		return -1, strconv.Itoa(len(rec)), &pColumns
	}
	for i := range p.cols {
		cp := &p.cols[i]
		if cp.kind == kHelper {
			continue
		}
		s := ""
		if cp.src >= 0 {
			s = strings.TrimSpace(rec[cp.src])
		}
		if strings.ContainsRune(s, utf8.RuneError) {
			return i, s, &pEncoding
		}
		if s == "" {
			if !cp.col.Null {
				return i, s, &pRequired
			}
			out[i] = nil
			continue
		}
		v, bad := cp.parse(s)
		if bad != nil {
			return i, s, bad
		}
		out[i] = v
	}
	for i := range p.cols {
		cp := &p.cols[i]
		if cp.kind == kHelper {
			out[i] = cp.derive(out[cp.base])
		}
	}
	return 0, "", nil
}

func (cp *colPlan) parse(s string) (any, *problem) {
	switch cp.kind {
	case kText:
		if utf8.RuneCountInString(s) > cp.maxLen {
			return nil, &pTooLong
		}
		return s, nil
	case kID:
		s = strings.ToUpper(s)
		if !ident.ValidID(s) {
			return nil, &pID
		}
		return s, nil
	case kUSCC:
		s = strings.ToUpper(s)
		if !ident.ValidUSCC(s) {
			return nil, &pUSCC
		}
		return s, nil
	case kInt:
		n, err := strconv.ParseInt(s, 10, cp.bits)
		if err != nil {
			return nil, &pNumber
		}
		return n, nil
	case kPeriod:
		ym, ok := parsePeriod(s)
		if !ok {
			return nil, &pPeriod
		}
		return int64(ym), nil
	case kDate:
		d, ok := parseDate(s)
		if !ok {
			return nil, &pDate
		}
		return d, nil
	case kMoney:
		v, ok := parseDecimal(s, cp.intDig, cp.scale)
		if !ok {
			return nil, &pNumber
		}
		return v, nil
	}
	return nil, &pMalform
}

func (cp *colPlan) derive(base any) any {
	var y, m, d int
	switch v := base.(type) {
	case nil:
		return nil
	case time.Time:
		y, m, d = v.Year(), int(v.Month()), v.Day()
	case int64: // a period
		y, m, d = int(v)/100, int(v)%100, 1
	case string: // a 公民身份号码: birth date at 7–14
		t, err := time.Parse("20060102", v[6:14])
		if err != nil {
			return nil
		}
		y, m, d = t.Year(), int(t.Month()), t.Day()
	}
	switch cp.how {
	case dMI:
		return int64(warehouse.MonthIndex(y, time.Month(m)))
	case dYM:
		return int64(y*100 + m)
	case dYMD:
		return fmt.Sprintf("%04d%02d%02d", y, m, d)
	}
	return int64(y)
}

// parseDate accepts YYYY-MM-DD, YYYY/MM/DD (one-digit month and day
// too, as spreadsheets write them) and YYYYMMDD; a time of day after a
// space or T is ignored (Parquet timestamps, database DATETIME).
func parseDate(s string) (time.Time, bool) {
	if i := strings.IndexAny(s, " T"); i >= 8 {
		s = s[:i]
	}
	var y, m, d int
	var err error
	switch {
	case len(s) == 8 && isDigits(s):
		y, _ = strconv.Atoi(s[:4])
		m, _ = strconv.Atoi(s[4:6])
		d, _ = strconv.Atoi(s[6:])
	default:
		sep := "-"
		if strings.Contains(s, "/") {
			sep = "/"
		}
		parts := strings.Split(s, sep)
		if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) < 1 || len(parts[2]) > 2 {
			return time.Time{}, false
		}
		for _, x := range parts {
			if !isDigits(x) {
				return time.Time{}, false
			}
		}
		y, err = strconv.Atoi(parts[0])
		if err != nil {
			return time.Time{}, false
		}
		m, _ = strconv.Atoi(parts[1])
		d, _ = strconv.Atoi(parts[2])
	}
	if y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2023-02-30 normalises to March
		return time.Time{}, false
	}
	return t, true
}

// parsePeriod accepts YYYYMM (and YYYY-MM).
func parsePeriod(s string) (int, bool) {
	if len(s) == 7 && s[4] == '-' {
		s = s[:4] + s[5:]
	}
	if len(s) != 6 || !isDigits(s) {
		return 0, false
	}
	ym, _ := strconv.Atoi(s)
	y, m := ym/100, ym%100
	if y < 1800 || y > 2200 || m < 1 || m > 12 {
		return 0, false
	}
	return ym, true
}

// parseDecimal checks a plain decimal against DECIMAL(p,s) and returns it
// as exact text.
func parseDecimal(s string, intDig, scale int) (string, bool) {
	t := s
	if t[0] == '+' || t[0] == '-' {
		t = t[1:]
	}
	ip, fp, dot := strings.Cut(t, ".")
	if ip == "" && fp == "" || !isDigits(ip) || (dot && !isDigits(fp)) || (dot && fp == "") {
		return "", false
	}
	if trimmed := strings.TrimLeft(ip, "0"); len(trimmed) > intDig {
		return "", false
	}
	if len(strings.TrimRight(fp, "0")) > scale {
		return "", false
	}
	if ip == "" {
		s = strings.Replace(s, ".", "0.", 1)
	}
	return strings.TrimPrefix(s, "+"), true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mask hides the middle of a 公民身份号码: the first 6 and last 4
// characters stay.
func mask(s string) string {
	r := []rune(s)
	if len(r) <= 10 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
}
