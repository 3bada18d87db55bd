// Package sqltpl holds the SQL templates of data APIs (数据接口): an engineer
// writes a read-only query with ${name} parameters and [[ ... ]] optional
// blocks, declares the parameters' types, and publishes it. Parse checks the
// template once, when it is saved; Bind turns a caller's values into the
// final SQL with the driver's placeholders and the bound arguments. A
// caller's value never becomes SQL text.
//
// The checks are lexical: they refuse anything that could make a template
// do more than one read-only SELECT (second statements, writes, locks,
// side-effecting or file-reading functions, constructs that different
// databases tokenize differently). They are a first line: data APIs must
// still run on a read-only connection with a statement timeout and a row
// limit, as the design requires. The lexer assumes the connection speaks
// UTF-8 (pgx always does; go-sql-driver/mysql with its default utf8mb4): in
// GBK a multi-byte character can swallow the quote that follows it. DuckDB
// connections should set enable_external_access=false, which closes file
// and URL access that no lexical list can fully enumerate.
package sqltpl

import "strings"

const (
	maxTemplateBytes = 64 << 10
	maxParams        = 64
	maxBlocks        = 64 // also bounds the work of checkSafety, which follows every way blocks can fall
)

// Template is a parsed, checked template. It is immutable and safe for
// concurrent use.
type Template struct {
	params  []Param
	specs   []*spec
	index   map[string]int // parameter name → position in params
	pieces  []piece
	blocks  [][]int // parameters used in each [[ ... ]] block
	outside []bool  // parameter is used outside every block, so it is required
	bracket int     // byte offset of the first bare [ or ], or -1
}

// piece is a run of SQL text, a separator or one parameter reference.
type piece struct {
	text  string
	pos   int  // where text starts in the template, to extend it without copying
	sep   bool // a comment or block delimiter: renders as one space unless one is already there
	param int  // index into Template.params, or -1 for text
	block int  // index into Template.blocks, or -1 outside blocks
}

// Parse checks a template and its parameter declarations. A problem with the
// text is returned as *Error (the first one: the lexer cannot go on after
// it); problems with the declarations and their use as *Errors.
func Parse(text string, params []Param) (*Template, error) {
	if len(text) > maxTemplateBytes {
		return nil, errAt(-1, CodeTooLarge, "模板超过 64 KiB", "The template is larger than 64 KiB")
	}
	if len(params) > maxParams {
		return nil, errParam("", CodeParamTooMany, "参数不能超过 64 个", "A template may declare at most 64 parameters")
	}
	toks, e := lex(text)
	if e != nil {
		return nil, e
	}
	toks, e = statement(toks)
	if e != nil {
		return nil, e
	}
	sig := significant(toks)
	if e := checkStart(sig); e != nil {
		return nil, e
	}
	if e := checkBlocks(toks); e != nil {
		return nil, e
	}
	if e := checkSafety(sig); e != nil {
		return nil, e
	}
	t := &Template{bracket: -1}
	errs := t.declare(params)
	errs = append(errs, t.compile(text, toks)...)
	if len(errs) > 0 {
		return nil, &Errors{List: errs}
	}
	return t, nil
}

// Params returns a copy of the declarations.
func (t *Template) Params() []Param {
	out := make([]Param, len(t.params))
	for i, p := range t.params {
		p.Enum = append([]string(nil), p.Enum...)
		if p.Min != nil {
			v := *p.Min
			p.Min = &v
		}
		if p.Max != nil {
			v := *p.Max
			p.Max = &v
		}
		out[i] = p
	}
	return out
}

func significant(toks []token) []token {
	out := make([]token, 0, len(toks))
	for _, tk := range toks {
		if tk.kind != tkSpace && tk.kind != tkComment {
			out = append(out, tk)
		}
	}
	return out
}

// statement allows one trailing ";" (followed only by spaces and comments)
// and cuts it off; any other ";" means a second statement.
func statement(toks []token) ([]token, *Error) {
	for i, tk := range toks {
		if tk.kind != tkSemicolon {
			continue
		}
		for _, rest := range toks[i+1:] {
			if rest.kind != tkSpace && rest.kind != tkComment {
				return nil, errAt(tk.pos, CodeMultiple, "模板包含多条语句", "The template holds more than one statement")
			}
		}
		return toks[:i], nil
	}
	return toks, nil
}

func checkStart(sig []token) *Error {
	if len(sig) == 0 {
		return errAt(0, CodeEmpty, "模板为空", "The template is empty")
	}
	if w := sig[0]; w.kind != tkWord || !(strings.EqualFold(w.val, "SELECT") || strings.EqualFold(w.val, "WITH")) {
		return errAt(w.pos, CodeNotQuery, "模板必须是以 SELECT 或 WITH 开头的查询", "The template must be a query starting with SELECT or WITH")
	}
	return nil
}

// checkBlocks checks that [[ ]] blocks pair up without nesting and hold a
// parameter, and that no parameter touches a word or number: its
// placeholder would merge with it ("${a}0" would become "$10").
func checkBlocks(toks []token) *Error {
	open, params, blocks := -1, 0, 0
	for i, tk := range toks {
		switch tk.kind {
		case tkBlockOpen:
			if open >= 0 {
				return errAt(tk.pos, CodeBlockNested, "可选块 [[ ]] 不能嵌套（数组请写成“[ [”）", "Optional blocks [[ ]] may not nest (write “[ [” for nested arrays)")
			}
			if blocks++; blocks > maxBlocks {
				return errAt(tk.pos, CodeBlockTooMany, "可选块 [[ ]] 不能超过 64 个", "A template may hold at most 64 optional blocks [[ ]]")
			}
			open, params = tk.pos, 0
		case tkBlockClose:
			if open < 0 {
				return errAt(tk.pos, CodeBlockUnbalanced, "“]]”没有对应的“[[”（数组请写成“] ]”）", "“]]” has no matching “[[” (write “] ]” for nested arrays)")
			}
			if params == 0 {
				return errAt(open, CodeBlockEmpty, "可选块 [[ ]] 中至少要有一个参数", "An optional block [[ ]] must hold at least one parameter")
			}
			open = -1
		case tkParam:
			params++
			if i > 0 && glues(toks[i-1].kind) || i+1 < len(toks) && glues(toks[i+1].kind) {
				return errAt(tk.pos, CodeParamAdjacent, "参数前后不能紧接字母、数字或另一个参数，请用空格或运算符隔开",
					"A parameter may not touch a word, a number or another parameter; separate them with a space or an operator")
			}
		}
	}
	if open >= 0 {
		return errAt(open, CodeBlockUnbalanced, "“[[”没有对应的“]]”", "“[[” has no matching “]]”")
	}
	return nil
}

func glues(k tokKind) bool { return k == tkWord || k == tkNumber || k == tkParam }

// compile resolves parameter references and builds the pieces Bind renders.
// Comments and block delimiters become separators: comments are not sent (a
// trailing "--" comment would swallow the paging wrapper's closing
// parenthesis), and "[[" and "]]" must still keep tokens apart
// ("a[[${x}]]" → "a $1", "-[[${x}]]-" must not become "--").
func (t *Template) compile(src string, toks []token) []*Error {
	var errs []*Error
	block := -1
	used := make([]bool, len(t.params))
	t.outside = make([]bool, len(t.params))
	add := func(p piece) {
		if n := len(t.pieces); n > 0 && !p.sep && p.param < 0 {
			if last := &t.pieces[n-1]; !last.sep && last.param < 0 && last.block == p.block && last.pos+len(last.text) == p.pos {
				last.text = src[last.pos : p.pos+len(p.text)]
				return
			}
		}
		t.pieces = append(t.pieces, p)
	}
	for _, tk := range toks {
		switch tk.kind {
		case tkComment:
			add(piece{sep: true, param: -1, block: block})
		case tkBlockOpen:
			t.blocks = append(t.blocks, nil)
			block = len(t.blocks) - 1
			add(piece{sep: true, param: -1, block: -1})
		case tkBlockClose:
			block = -1
			add(piece{sep: true, param: -1, block: -1})
		case tkParam:
			i, ok := t.index[tk.val]
			if !ok {
				errs = append(errs, &Error{Code: CodeUnknownParameter, Pos: tk.pos, Param: tk.val,
					ZH: "参数 ${" + tk.val + "} 没有声明", EN: "Parameter ${" + tk.val + "} is not declared"})
				continue
			}
			used[i] = true
			if block >= 0 {
				if !containsInt(t.blocks[block], i) {
					t.blocks[block] = append(t.blocks[block], i)
				}
			} else {
				t.outside[i] = true
			}
			t.pieces = append(t.pieces, piece{param: i, block: block})
		default:
			if tk.kind == tkPunct && (tk.val == "[" || tk.val == "]") && t.bracket < 0 {
				t.bracket = tk.pos
			}
			add(piece{text: src[tk.pos:tk.end], pos: tk.pos, param: -1, block: block})
		}
	}
	for i, p := range t.params {
		if !used[i] && t.index[p.Name] == i {
			errs = append(errs, errParam(p.Name, CodeUnusedParameter, "参数 "+p.Name+" 已声明但模板中没有使用",
				"Parameter "+p.Name+" is declared but the template does not use it"))
		}
	}
	return errs
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
