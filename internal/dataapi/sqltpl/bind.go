package sqltpl

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Dialect selects the placeholder style, identifier quoting and paging
// syntax of the target database.
type Dialect string

const (
	Postgres  Dialect = "postgres" // also Kingbase, openGauss, GaussDB DWS, Greenplum
	MySQL     Dialect = "mysql"    // also Doris, StarRocks, OceanBase, MariaDB
	SQLite    Dialect = "sqlite"
	DuckDB    Dialect = "duckdb"
	Oracle    Dialect = "oracle"
	SQLServer Dialect = "sqlserver"
)

// Query is SQL ready for database/sql: placeholders in SQL, values in Args.
type Query struct {
	SQL  string
	Args []any
}

// SortKey orders a page by one column of the query's result.
type SortKey struct {
	Column string `json:"column"`
	Desc   bool   `json:"desc,omitempty"`
}

// Page asks for one page of the result.
type Page struct {
	Limit  int       `json:"limit"`
	Offset int       `json:"offset"`
	Sort   []SortKey `json:"sort,omitempty"`
}

// Check reports whether the template can run on dialect d. Call it when a
// data API is published on a data source. Bare "[" and "]" (PostgreSQL and
// DuckDB arrays) are refused elsewhere: SQL Server and SQLite read [x] as a
// quoted identifier, which would hide quotes and ";" from the lexer.
func (t *Template) Check(d Dialect) error {
	switch d {
	case Postgres, DuckDB:
		return nil
	case MySQL, SQLite, Oracle, SQLServer:
		if t.bracket >= 0 {
			return errAt(t.bracket, CodeDialect, "该数据库不支持方括号“[ ]”（SQL Server 和 SQLite 会把它当作标识符的引号）",
				"Square brackets are not supported on this database (SQL Server and SQLite read them as identifier quotes)")
		}
		return nil
	}
	return errAt(-1, CodeDialect, "未知的数据库类型“"+string(d)+"”", "Unknown database dialect “"+string(d)+"”")
}

// Bind checks the caller's values and renders the query. Refused values
// come back as *BindError; a template that cannot run on d as *Error.
// An empty value counts as not supplied (a query string "?sex=" means no
// filter). A parameter used outside every [[ ]] block must be supplied or
// have a default; a block is dropped when none of its parameters is, and a
// kept block needs all of its parameters.
func (t *Template) Bind(d Dialect, values map[string]string) (*Query, error) {
	var b builder
	if err := t.render(&b, d, values); err != nil {
		return nil, err
	}
	return &Query{SQL: b.sql.String(), Args: b.args}, nil
}

// BindCount renders "SELECT count(*) FROM (<query>) xt_q".
func (t *Template) BindCount(d Dialect, values map[string]string) (*Query, error) {
	var b builder
	b.sql.WriteString("SELECT count(*) FROM (")
	if err := t.render(&b, d, values); err != nil {
		return nil, err
	}
	b.sql.WriteString(") xt_q")
	return &Query{SQL: b.sql.String(), Args: b.args}, nil
}

// BindPage renders one page of the query, ordered by columns the author
// listed in sortable (exact names, as the database reports them: upper case
// for Oracle's unquoted columns). Limit and offset are bound like values.
// The paging wrapper is the outer query, so an ORDER BY in the template
// itself is not guaranteed to survive (and SQL Server refuses it there).
func (t *Template) BindPage(d Dialect, values map[string]string, p Page, sortable []string) (*Query, error) {
	var fields []FieldError
	if p.Limit <= 0 {
		fields = append(fields, FieldError{Field: "limit", Code: CodeRange, ZH: "每页条数必须大于 0", EN: "limit must be greater than 0"})
	}
	if p.Offset < 0 {
		fields = append(fields, FieldError{Field: "offset", Code: CodeRange, ZH: "偏移量不能为负数", EN: "offset may not be negative"})
	}
	order := make([]string, 0, len(p.Sort))
	for _, k := range p.Sort {
		if !listed(sortable, k.Column) || !plainIdent(k.Column) {
			fields = append(fields, FieldError{Field: "sort", Code: CodeSort, ZH: "不能按“" + clip(k.Column) + "”排序", EN: "cannot sort by “" + clip(k.Column) + "”"})
			continue
		}
		col := quoteIdent(d, k.Column)
		if k.Desc {
			col += " DESC"
		}
		order = append(order, col)
	}
	var b builder
	b.sql.WriteString("SELECT * FROM (")
	if err := t.render(&b, d, values); err != nil {
		if be, ok := err.(*BindError); ok {
			be.Fields = append(be.Fields, fields...)
		}
		return nil, err
	}
	if len(fields) > 0 {
		return nil, &BindError{Fields: fields}
	}
	b.sql.WriteString(") xt_q")
	if len(order) == 0 && d == SQLServer {
		order = append(order, "(SELECT NULL)") // OFFSET … FETCH needs an ORDER BY there
	}
	if len(order) > 0 {
		b.sql.WriteString(" ORDER BY ")
		b.sql.WriteString(strings.Join(order, ", "))
	}
	limit, offset := int64(p.Limit), int64(p.Offset)
	switch d {
	case Oracle, SQLServer:
		b.sql.WriteString(" OFFSET ")
		b.bind(d, offset)
		b.sql.WriteString(" ROWS FETCH NEXT ")
		b.bind(d, limit)
		b.sql.WriteString(" ROWS ONLY")
	default:
		b.sql.WriteString(" LIMIT ")
		b.bind(d, limit)
		b.sql.WriteString(" OFFSET ")
		b.bind(d, offset)
	}
	return &Query{SQL: b.sql.String(), Args: b.args}, nil
}

func listed(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// plainIdent reports whether s is [A-Za-z_][A-Za-z0-9_]*; only such names
// are quoted into the ORDER BY, so no quoting rules need to be trusted.
func plainIdent(s string) bool {
	if s == "" || isDigit(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')) {
			return false
		}
	}
	return true
}

func quoteIdent(d Dialect, s string) string {
	switch d {
	case MySQL:
		return "`" + s + "`"
	case SQLServer:
		return "[" + s + "]"
	}
	return `"` + s + `"`
}

// builder accumulates SQL text and arguments, numbering placeholders.
type builder struct {
	sql  strings.Builder
	args []any
}

func (b *builder) bind(d Dialect, v any) {
	b.args = append(b.args, v)
	n := strconv.Itoa(len(b.args))
	switch d {
	case Postgres:
		b.sql.WriteString("$" + n)
	case Oracle:
		b.sql.WriteString(":" + n)
	case SQLServer:
		b.sql.WriteString("@p" + n)
	default:
		b.sql.WriteString("?")
	}
}

// render writes the template's query into b.
func (t *Template) render(b *builder, d Dialect, values map[string]string) error {
	if t == nil {
		return errAt(-1, CodeEmpty, "模板为空", "The template is empty")
	}
	if err := t.Check(d); err != nil {
		return err
	}
	vals, err := t.values(values)
	if err != nil {
		return err
	}
	keep := make([]bool, len(t.blocks))
	for i, ps := range t.blocks {
		for _, p := range ps {
			keep[i] = keep[i] || vals[p] != nil
		}
	}
	var fields []FieldError
	for i, ps := range t.blocks {
		for _, p := range ps {
			if keep[i] && vals[p] == nil && !containsField(fields, t.params[p].Name) {
				fields = append(fields, *fieldErr(t.params[p].Name, CodeRequired, "同一可选块中的其他参数已提供，此参数也必须提供",
					"it is required because another parameter of its optional block was given"))
			}
		}
	}
	if len(fields) > 0 {
		return &BindError{Fields: fields}
	}
	start := b.sql.Len()
	for _, pc := range t.pieces {
		if pc.block >= 0 && !keep[pc.block] {
			continue
		}
		switch {
		case pc.sep:
			if s := b.sql.String(); len(s) > start && !isSpace(s[len(s)-1]) {
				b.sql.WriteByte(' ')
			}
			continue
		case pc.param < 0:
			text := pc.text
			if b.sql.Len() == start {
				text = strings.TrimLeft(text, " \t\r\n") // the template's own text, minus leading space
			} else if s := b.sql.String(); isSpace(s[len(s)-1]) {
				text = strings.TrimLeft(text, " ") // a separator already stands there
			}
			b.sql.WriteString(text)
			continue
		}
		b.bind(d, argFor(d, vals[pc.param]))
	}
	trimTrailing(&b.sql, start)
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// trimTrailing drops trailing white space written since start.
func trimTrailing(sb *strings.Builder, start int) {
	s := sb.String()
	t := strings.TrimRight(s[start:], " \t\r\n")
	if len(t) == len(s)-start {
		return
	}
	kept := s[:start+len(t)]
	sb.Reset()
	sb.WriteString(kept)
}

func containsField(fs []FieldError, name string) bool {
	for _, f := range fs {
		if f.Field == name {
			return true
		}
	}
	return false
}

// values converts every supplied value (or default); an absent parameter is
// nil. Unknown names are refused: a caller who misspells a filter must not
// silently get the unfiltered result.
func (t *Template) values(values map[string]string) ([]any, error) {
	var fields []FieldError
	var unknown []string
	for name := range values {
		if _, ok := t.index[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		f := fieldErr(clip(name), CodeUnknown, "接口没有这个参数", "the data API has no such parameter")
		fields = append(fields, *f)
	}
	out := make([]any, len(t.params))
	for i, s := range t.specs {
		raw := values[s.Name]
		if raw == "" {
			out[i] = s.def
			if s.def == nil && (s.Required || t.outside[i]) {
				fields = append(fields, *fieldErr(s.Name, CodeRequired, "必须提供", "a value is required"))
			}
			continue
		}
		v, f := s.convert(raw)
		if f != nil {
			fields = append(fields, *f)
			continue
		}
		out[i] = v
	}
	if len(fields) > 0 {
		return nil, &BindError{Fields: fields}
	}
	return out, nil
}

// argFor adapts a converted value to the dialect (see the Type constants).
func argFor(d Dialect, v any) any {
	switch x := v.(type) {
	case date:
		if d == SQLite {
			return x.t.Format(time.DateOnly)
		}
		return x.t
	case time.Time:
		if d == SQLite {
			return x.Format("2006-01-02 15:04:05.999999999")
		}
	}
	return v
}
