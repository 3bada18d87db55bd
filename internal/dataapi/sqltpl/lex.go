package sqltpl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The lexer splits a template into tokens that cover the text without gaps.
// It has to agree with every target database about where literals,
// identifiers and comments begin and end, because the safety checks only
// look at what lies outside them. Wherever the dialects disagree (MySQL's
// backslash escapes, "#" comments and "--x", PostgreSQL's nested comments
// and dollar quotes, Oracle's q'[...]', placeholders of every flavour) the
// lexer refuses the construct instead of guessing.

type tokKind uint8

const (
	tkSpace      tokKind = iota
	tkComment            // dropped from the SQL sent to the database
	tkWord               // unquoted identifier or keyword
	tkQuoted             // "identifier" or `identifier`; val is the unquoted name
	tkString             // 'literal'
	tkNumber             // 12, 1.5, 1e3, .5
	tkParam              // ${name}; val is the name
	tkBlockOpen          // [[
	tkBlockClose         // ]]
	tkPunct              // operators and punctuation; "::" is one token
	tkSemicolon          // ;
)

type token struct {
	kind     tokKind
	pos, end int    // byte offsets in the template text
	val      string // see tokKind
}

type lexer struct {
	src  string
	i    int
	toks []token
}

func (l *lexer) emit(kind tokKind, start int, val string) {
	l.toks = append(l.toks, token{kind: kind, pos: start, end: l.i, val: val})
}

func (l *lexer) peek(off int) byte {
	if l.i+off < len(l.src) {
		return l.src[l.i+off]
	}
	return 0
}

func isDigit(b byte) bool      { return b >= '0' && b <= '9' }
func isIdentStart(b byte) bool { return b == '_' || b >= 0x80 || (b|0x20 >= 'a' && b|0x20 <= 'z') }
func isIdentCont(b byte) bool  { return isIdentStart(b) || isDigit(b) || b == '$' }

// checkChars refuses characters that some database treats as a line break
// or a terminator where another does not (a line comment would end early in
// one of them), and invalid UTF-8.
func checkChars(src string) *Error {
	if !utf8.ValidString(src) {
		return errAt(0, CodeBadCharacter, "模板不是有效的 UTF-8 文本", "The template is not valid UTF-8 text")
	}
	for i, r := range src {
		bad := false
		switch {
		case r == '\t' || r == '\n':
		case r == '\r':
			bad = i+1 >= len(src) || src[i+1] != '\n' // a lone CR ends a comment in PostgreSQL but not in MySQL
		case r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029:
			bad = true
		}
		if bad {
			return errAt(i, CodeBadCharacter, "模板包含控制字符或特殊换行符", "The template holds a control character or an unusual line break")
		}
	}
	return nil
}

// lex tokenizes src; the first problem found stops it.
func lex(src string) ([]token, *Error) {
	if e := checkChars(src); e != nil {
		return nil, e
	}
	l := &lexer{src: src}
	for l.i < len(src) {
		if e := l.next(); e != nil {
			return nil, e
		}
	}
	return l.toks, nil
}

func (l *lexer) next() *Error {
	start := l.i
	c := l.src[l.i]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		for l.i < len(l.src) && strings.IndexByte(" \t\n\r", l.src[l.i]) >= 0 {
			l.i++
		}
		l.emit(tkSpace, start, "")
	case c == '-' && l.peek(1) == '-':
		// MySQL only treats "-- " (dash dash whitespace) as a comment;
		// "--x" is minus minus x there but a comment elsewhere.
		if n := l.peek(2); n != 0 && n != ' ' && n != '\t' && n != '\n' && n != '\r' {
			return errAt(start, CodeAmbiguousComment, "“--”后须跟空格才是注释；两个减号请写成“- -”",
				"Write “-- ” with a space for a comment, or “- -” for two minus signs")
		}
		end := strings.IndexAny(l.src[l.i:], "\r\n")
		if end < 0 {
			l.i = len(l.src)
		} else {
			l.i += end
		}
		return l.comment(start)
	case c == '/' && l.peek(1) == '*':
		return l.blockComment(start)
	case c == '\'':
		if n := len(l.toks); n > 0 && l.toks[n-1].end == start && l.toks[n-1].kind == tkWord {
			if w := strings.ToLower(l.toks[n-1].val); w == "q" || w == "nq" {
				return errAt(l.toks[n-1].pos, CodeUnsupported, "不支持 Oracle 的 q'…' 字符串写法，请使用普通单引号字符串",
					"Oracle q'…' quoting is not supported; use an ordinary single-quoted string")
			}
		}
		return l.quoted(start, '\'', tkString)
	case c == '"' || c == '`':
		return l.quoted(start, c, tkQuoted)
	case c == '$':
		return l.dollar(start)
	case isDigit(c) || (c == '.' && isDigit(l.peek(1))):
		l.number()
		l.emit(tkNumber, start, l.src[start:l.i])
	case isIdentStart(c):
		return l.word(start)
	case c == '?':
		return errAt(start, CodeUserPlaceholder, "不能使用“?”占位符，请用 ${参数名}（PostgreSQL 的 jsonb ? 运算符请改用 jsonb_exists 等函数）",
			"“?” placeholders are not allowed; use ${name} (for PostgreSQL's jsonb ? operator use jsonb_exists and friends)")
	case c == ':':
		n := l.peek(1)
		switch {
		case n == ':':
			l.i += 2
			l.emit(tkPunct, start, "::")
		case n == '=':
			return errAt(start, CodeUnsupported, "不支持赋值运算符“:=”", "The assignment operator “:=” is not supported")
		case isIdentCont(n) || n == '"':
			return errAt(start, CodeUserPlaceholder, "不能使用“:名称”形式的占位符，请用 ${参数名}", "“:name” placeholders are not allowed; use ${name}")
		default:
			l.i++
			l.emit(tkPunct, start, ":")
		}
	case c == '@':
		// @name is a parameter (SQL Server, SQLite) or a session variable
		// (MySQL); "@>" and "@ x" are PostgreSQL operators.
		if n := l.peek(1); isIdentCont(n) || n == '@' || n == '"' || n == '`' || n == '\'' || n == '[' {
			return errAt(start, CodeUserPlaceholder, "不能使用“@名称”形式的变量或占位符，请用 ${参数名}", "“@name” variables and placeholders are not allowed; use ${name}")
		}
		l.i++
		l.emit(tkPunct, start, "@")
	case c == '#':
		return errAt(start, CodeUnsupported, "不支持“#”：它在 MySQL 中开始注释，在其他数据库中是运算符",
			"“#” is not supported: it starts a comment in MySQL and is an operator elsewhere")
	case c == '\\':
		return errAt(start, CodeUnsupported, "字符串之外不能出现反斜杠", "A backslash may not appear outside a string")
	case c == ';':
		l.i++
		l.emit(tkSemicolon, start, ";")
	case c == '[' && l.peek(1) == '[':
		l.i += 2
		l.emit(tkBlockOpen, start, "[[")
	case c == ']' && l.peek(1) == ']':
		l.i += 2
		l.emit(tkBlockClose, start, "]]")
	default:
		l.i++
		l.emit(tkPunct, start, l.src[start:l.i])
	}
	return nil
}

// comment records l.src[start:l.i] as a comment after checking it holds no
// ${...} that an author might believe is bound.
func (l *lexer) comment(start int) *Error {
	if k := strings.Index(l.src[start:l.i], "${"); k >= 0 {
		return errParamInLiteral(start + k)
	}
	l.emit(tkComment, start, "")
	return nil
}

func errParamInLiteral(pos int) *Error {
	return errAt(pos, CodeParamInLiteral, "参数 ${…} 不能写在字符串、带引号的标识符或注释中：那里不会绑定参数，请写在引号之外",
		"A ${…} parameter may not sit inside a string, a quoted identifier or a comment: it would not be bound there; write it outside the quotes")
}

func (l *lexer) blockComment(start int) *Error {
	switch n := l.peek(2); {
	case n == '!' || n == '+' || ((n == 'M' || n == 'm') && l.peek(3) == '!'):
		// MySQL/MariaDB run the text of /*! ... */; /*+ ... */ are optimizer hints.
		return errAt(start, CodeExecComment, "不允许 /*! … */ 可执行注释和 /*+ … */ 优化器提示",
			"Executable comments /*! … */ and optimizer hints /*+ … */ are not allowed")
	}
	l.i += 2
	k := strings.Index(l.src[l.i:], "*/")
	if k < 0 {
		return errAt(start, CodeUnterminated, "注释没有结束（缺少 */）", "The comment is not closed (missing */)")
	}
	// PostgreSQL and SQL Server nest block comments, MySQL does not:
	// "/* /* */ x */" ends at different places, so refuse an inner "/*"
	// (including one that shares its "*" with the closing "*/").
	if n := strings.Index(l.src[l.i:l.i+k+1], "/*"); n >= 0 {
		return errAt(l.i+n, CodeNestedComment, "注释中不能再出现“/*”", "A comment may not contain “/*”")
	}
	l.i += k + 2
	return l.comment(start)
}

// quoted scans a '...' string or a "..." / `...` identifier; the quote is
// escaped by doubling it. A backslash is refused: MySQL (and PostgreSQL's
// E'...' strings) read it as an escape, so \' would end the literal in one
// database and not in another.
func (l *lexer) quoted(start int, q byte, kind tokKind) *Error {
	var b strings.Builder
	l.i++
	for {
		if l.i >= len(l.src) {
			if kind == tkString {
				return errAt(start, CodeUnterminated, "字符串没有结束（缺少单引号）", "The string is not closed (missing quote)")
			}
			return errAt(start, CodeUnterminated, "带引号的标识符没有结束", "The quoted identifier is not closed")
		}
		c := l.src[l.i]
		switch {
		case c == '\\':
			return errAt(l.i, CodeBackslash, "字符串或带引号的标识符中不能有反斜杠（各数据库对它的转义规则不同）",
				"A string or quoted identifier may not hold a backslash (databases disagree on escaping it)")
		case c == '$' && l.peek(1) == '{':
			return errParamInLiteral(l.i)
		case c == q && l.peek(1) == q:
			b.WriteByte(q)
			l.i += 2
			continue
		case c == q:
			l.i++
			l.emit(kind, start, b.String())
			return nil
		}
		b.WriteByte(c)
		l.i++
	}
}

// dollar handles "$": ${name} is ours; $1 is someone else's placeholder;
// $$ and $tag$ open PostgreSQL dollar-quoted strings, which are refused.
func (l *lexer) dollar(start int) *Error {
	n := l.peek(1)
	switch {
	case n == '{':
		end := strings.IndexByte(l.src[l.i:], '}')
		name := ""
		if end > 0 {
			name = l.src[l.i+2 : l.i+end]
		}
		if end < 0 || !validName(name) {
			return errAt(start, CodeBadParameter, "参数写法应为 ${名称}，名称由字母、数字、下划线组成，以字母或下划线开头，最长 64 个字符",
				"Write a parameter as ${name}: letters, digits and underscores, starting with a letter or underscore, at most 64 characters")
		}
		l.i += end + 1
		l.emit(tkParam, start, name)
		return nil
	case isDigit(n):
		return errAt(start, CodeUserPlaceholder, "不能使用“$1”形式的占位符，请用 ${参数名}", "“$1” placeholders are not allowed; use ${name}")
	default:
		return errAt(start, CodeDollarQuote, "不允许 $$…$$ 美元符号引用的字符串；“$”只能用于 ${参数名}",
			"Dollar-quoted strings $$…$$ are not allowed; “$” may only start a ${name} parameter")
	}
}

// number consumes a numeric literal and nothing else: letters right after it
// start a new word so that "1DROP" still shows the keyword DROP.
func (l *lexer) number() {
	for isDigit(l.peek(0)) {
		l.i++
	}
	if l.peek(0) == '.' {
		l.i++
		for isDigit(l.peek(0)) {
			l.i++
		}
	}
	if e := l.peek(0); e == 'e' || e == 'E' {
		k := 1
		if s := l.peek(1); s == '+' || s == '-' {
			k = 2
		}
		if isDigit(l.peek(k)) {
			l.i += k
			for isDigit(l.peek(0)) {
				l.i++
			}
		}
	}
}

func (l *lexer) word(start int) *Error {
	for l.i < len(l.src) && isIdentCont(l.src[l.i]) && !(l.src[l.i] == '$' && l.peek(1) == '{') {
		l.i++
	}
	w := l.src[start:l.i]
	// Non-ASCII letters are identifier characters (as in PostgreSQL and
	// MySQL, e.g. Chinese aliases), but a Unicode space or an invisible
	// format character could be a separator to some other parser.
	for k, r := range w {
		if r >= 0x80 && (unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)) {
			return errAt(start+k, CodeBadCharacter, "引号之外不能有全角空格、不换行空格或不可见字符",
				"Unicode spaces and invisible characters are not allowed outside quotes")
		}
	}
	l.emit(tkWord, start, w)
	return nil
}

// validName reports whether s is a parameter name: [A-Za-z_][A-Za-z0-9_]{0,63}.
func validName(s string) bool {
	if s == "" || len(s) > 64 || isDigit(s[0]) {
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
