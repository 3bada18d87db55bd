package sqltpl

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xietong/xietong/internal/ident"
)

// Param declares one template parameter. It is stored with the data API and
// sent to the console as it is.
type Param struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"` // one of the Type constants
	Required    bool     `json:"required"`
	Default     string   `json:"default,omitempty"` // as text, converted like a caller's value
	Pattern     string   `json:"pattern,omitempty"` // Go regexp matched against the whole raw value
	Enum        []string `json:"enum,omitempty"`
	Min         *float64 `json:"min,omitempty"` // numbers: value range; string/id types: length range in characters
	Max         *float64 `json:"max,omitempty"`
	Description string   `json:"description,omitempty"`
}

// Parameter types. Values are bound as: string → string; integer → int64;
// number → float64; boolean → bool; date → time.Time at UTC midnight;
// datetime → time.Time in UTC; id_card and uscc → upper-case string.
// time.Time lets pgx, go-sql-driver/mysql (with its default loc=UTC), godror
// and go-mssqldb send a typed date instead of text the server must guess
// at. SQLite has no date type, so there dates and datetimes are bound as the
// ISO text SQLite's own functions produce ("2006-01-02", and
// "2006-01-02 15:04:05" in UTC).
const (
	TypeString   = "string"
	TypeInteger  = "integer"
	TypeNumber   = "number"
	TypeBoolean  = "boolean"
	TypeDate     = "date"
	TypeDatetime = "datetime"
	TypeIDCard   = "id_card" // 公民身份号码, GB 11643
	TypeUSCC     = "uscc"    // 统一社会信用代码, GB 32100
)

const (
	maxValueLen   = 4096 // characters of a string value
	maxValueBytes = 4 * maxValueLen
	maxPatternLen = 1024
	maxEnum       = 1024
)

// date is a calendar day, kept apart from time.Time values of datetime
// parameters so that SQLite gets "2006-01-02" rather than a timestamp.
type date struct{ t time.Time }

// spec is a checked declaration, ready to convert values.
type spec struct {
	Param
	re     *regexp.Regexp
	enum   map[string]bool // canonical forms
	def    any             // converted default, nil when none
	maxLen int
}

// declare checks the declarations and compiles them into t.specs.
func (t *Template) declare(params []Param) []*Error {
	var errs []*Error
	t.index = make(map[string]int, len(params))
	for i, p := range params {
		p.Enum = append([]string(nil), p.Enum...)
		t.params = append(t.params, p)
		s, e := compileSpec(p)
		t.specs = append(t.specs, s)
		errs = append(errs, e...)
		if _, dup := t.index[p.Name]; dup {
			errs = append(errs, errParam(p.Name, CodeParamDuplicate, "参数 "+p.Name+" 重复声明", "Parameter "+p.Name+" is declared twice"))
			continue
		}
		if validName(p.Name) {
			t.index[p.Name] = i
		}
	}
	return errs
}

func compileSpec(p Param) (*spec, []*Error) {
	bad := func(code, zh, en string) []*Error {
		return []*Error{errParam(p.Name, code, "参数 "+p.Name+"："+zh, "Parameter "+p.Name+": "+en)}
	}
	if !validName(p.Name) {
		return nil, []*Error{errParam(p.Name, CodeParamBadName, "参数名应由字母、数字、下划线组成，以字母或下划线开头，最长 64 个字符",
			"A parameter name is letters, digits and underscores, starts with a letter or underscore, and has at most 64 characters")}
	}
	s := &spec{Param: p, maxLen: maxValueLen}
	switch p.Type {
	case TypeString, TypeInteger, TypeNumber, TypeBoolean, TypeDate, TypeDatetime, TypeIDCard, TypeUSCC:
	default:
		return nil, bad(CodeParamBadType, "类型“"+p.Type+"”未知", "unknown type “"+p.Type+"”")
	}
	if p.Pattern != "" {
		if len(p.Pattern) > maxPatternLen {
			return nil, bad(CodeParamBadPattern, "正则表达式过长", "the pattern is too long")
		}
		re, err := regexp.Compile(`^(?:` + p.Pattern + `)$`)
		if err != nil {
			return nil, bad(CodeParamBadPattern, "正则表达式无效："+err.Error(), "invalid pattern: "+err.Error())
		}
		s.re = re
	}
	if e := s.checkRange(); e != nil {
		return nil, bad(CodeParamBadRange, e[0], e[1])
	}
	if p.Max != nil && isLength(p.Type) && *p.Max < maxValueLen {
		s.maxLen = int(*p.Max)
	}
	if len(p.Enum) > maxEnum {
		return nil, bad(CodeParamBadEnum, "枚举值过多", "too many enum values")
	}
	if len(p.Enum) > 0 {
		s.enum = make(map[string]bool, len(p.Enum))
		for _, v := range p.Enum {
			_, canon, f := s.parse(v)
			if f != nil || v == "" {
				return nil, bad(CodeParamBadEnum, "枚举值“"+clip(v)+"”不符合类型", "enum value “"+clip(v)+"” does not fit the type")
			}
			s.enum[canon] = true
		}
	}
	if p.Default != "" {
		if p.Required {
			return nil, bad(CodeParamBadDefault, "必填参数不能有默认值", "a required parameter cannot have a default")
		}
		v, f := s.convert(p.Default)
		if f != nil {
			return nil, bad(CodeParamBadDefault, "默认值无效："+f.ZH, "invalid default: "+f.EN)
		}
		s.def = v
	}
	return s, nil
}

func isLength(typ string) bool { return typ == TypeString || typ == TypeIDCard || typ == TypeUSCC }

// checkRange returns zh and en text when Min/Max do not suit the type.
func (s *spec) checkRange() []string {
	lo, hi := s.Min, s.Max
	if lo == nil && hi == nil {
		return nil
	}
	switch s.Type {
	case TypeBoolean, TypeDate, TypeDatetime:
		return []string{"该类型不能设置最小值或最大值", "min and max do not apply to this type"}
	}
	for _, v := range []*float64{lo, hi} {
		if v == nil {
			continue
		}
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			return []string{"最小值和最大值必须是有限数", "min and max must be finite"}
		}
		if isLength(s.Type) && (*v < 0 || *v != math.Trunc(*v)) {
			return []string{"长度范围必须是非负整数", "a length range must be whole and non-negative"}
		}
	}
	if lo != nil && hi != nil && *lo > *hi {
		return []string{"最小值大于最大值", "min is greater than max"}
	}
	return nil
}

// fieldErr builds the FieldError for parameter name.
func fieldErr(name, code, zh, en string) *FieldError {
	return &FieldError{Field: name, Code: code, ZH: "参数 " + name + "：" + zh, EN: "Parameter " + name + ": " + en}
}

// convert checks a caller's raw value against the declaration and returns
// the value to bind (see the Type constants).
func (s *spec) convert(raw string) (any, *FieldError) {
	if len(raw) > maxValueBytes || (s.Type == TypeString && utf8.RuneCountInString(raw) > s.maxLen) {
		return nil, fieldErr(s.Name, CodeTooLong, "值过长（最多 "+strconv.Itoa(s.maxLen)+" 个字符）",
			"the value is too long (at most "+strconv.Itoa(s.maxLen)+" characters)")
	}
	v, canon, f := s.parse(raw)
	if f != nil {
		return nil, f
	}
	if s.re != nil && !s.re.MatchString(raw) {
		return nil, fieldErr(s.Name, CodePattern, "值的格式不符合要求", "the value does not match the required pattern")
	}
	if s.enum != nil && !s.enum[canon] {
		return nil, fieldErr(s.Name, CodeEnum, "值不在允许的取值中", "the value is not one of the allowed values")
	}
	return v, s.inRange(v, canon)
}

func (s *spec) inRange(v any, canon string) *FieldError {
	var x float64
	switch n := v.(type) {
	case int64:
		x = float64(n)
	case float64:
		x = n
	case string:
		l := utf8.RuneCountInString(canon)
		if s.Max != nil && float64(l) > *s.Max {
			return fieldErr(s.Name, CodeTooLong, "值过长（最多 "+fmtNum(*s.Max)+" 个字符）", "the value is too long (at most "+fmtNum(*s.Max)+" characters)")
		}
		if s.Min != nil && float64(l) < *s.Min {
			return fieldErr(s.Name, CodeRange, "值过短（至少 "+fmtNum(*s.Min)+" 个字符）", "the value is too short (at least "+fmtNum(*s.Min)+" characters)")
		}
		return nil
	default:
		return nil
	}
	if (s.Min != nil && x < *s.Min) || (s.Max != nil && x > *s.Max) {
		return fieldErr(s.Name, CodeRange, "值超出允许范围", "the value is out of range")
	}
	return nil
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// parse converts raw text by type only; canon is the value's canonical text,
// used to compare with enum values ("01" and "1" are the same integer).
func (s *spec) parse(raw string) (v any, canon string, f *FieldError) {
	typeErr := func(zh, en string) (any, string, *FieldError) {
		return nil, "", fieldErr(s.Name, CodeType, zh, en)
	}
	switch s.Type {
	case TypeString:
		if !utf8.ValidString(raw) || strings.IndexByte(raw, 0) >= 0 {
			return typeErr("值不是有效的文本", "the value is not valid text")
		}
		return raw, raw, nil
	case TypeInteger:
		if !decimal(raw, false) {
			return typeErr("值应为十进制整数", "the value must be a decimal integer")
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, "", fieldErr(s.Name, CodeRange, "整数超出范围", "the integer is out of range")
		}
		return n, strconv.FormatInt(n, 10), nil
	case TypeNumber:
		if !decimal(raw, true) {
			return typeErr("值应为十进制数", "the value must be a decimal number")
		}
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
			return nil, "", fieldErr(s.Name, CodeRange, "数值超出范围", "the number is out of range")
		}
		return n, fmtNum(n), nil
	case TypeBoolean:
		switch strings.ToLower(raw) {
		case "true", "1":
			return true, "true", nil
		case "false", "0":
			return false, "false", nil
		}
		return typeErr("值应为 true、false、1 或 0", "the value must be true, false, 1 or 0")
	case TypeDate:
		d, err := time.Parse(time.DateOnly, raw)
		if err != nil || len(raw) != len(time.DateOnly) {
			return typeErr("日期格式应为 YYYY-MM-DD", "a date is written YYYY-MM-DD")
		}
		return date{d}, d.Format(time.DateOnly), nil
	case TypeDatetime:
		d, ok := parseDatetime(raw)
		if !ok {
			return typeErr("时间格式应为 RFC 3339 或 YYYY-MM-DD HH:MM:SS（北京时间）", "a datetime is RFC 3339 or YYYY-MM-DD HH:MM:SS (Beijing time)")
		}
		return d, d.Format(time.RFC3339Nano), nil
	case TypeIDCard:
		u := strings.ToUpper(raw)
		if !ident.ValidID(u) {
			return nil, "", fieldErr(s.Name, CodeIDCard, "不是有效的 18 位公民身份号码", "not a valid 18-character citizen ID number")
		}
		return u, u, nil
	case TypeUSCC:
		u := strings.ToUpper(raw)
		if !ident.ValidUSCC(u) {
			return nil, "", fieldErr(s.Name, CodeUSCC, "不是有效的统一社会信用代码", "not a valid unified social credit code")
		}
		return u, u, nil
	}
	return typeErr("类型未知", "unknown type")
}

// decimal reports whether s is a plain decimal: optional "-", digits, and
// for numbers an optional fraction and exponent. strconv alone would also
// take "+1", "0x1p3", "1_000", "Inf" and "NaN".
func decimal(s string, fraction bool) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i, digits = i+1, digits+1
	}
	if fraction && i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if fraction && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && isDigit(s[i]) {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// parseDatetime accepts RFC 3339, or a local time in Asia/Shanghai written
// "YYYY-MM-DD HH:MM:SS" or with a "T" (China has kept UTC+8 without summer
// time since 1991, so a fixed zone needs no tz database). The result is UTC.
func parseDatetime(raw string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, raw); err == nil {
		return t.UTC(), true
	}
	cst := time.FixedZone("CST", 8*3600)
	for _, layout := range []string{time.DateTime, "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, raw, cst); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	i := 40
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
