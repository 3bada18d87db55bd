package sqltpl

import (
	"fmt"
	"strings"
)

// Error is a problem with a template or a parameter declaration, found when
// the author saves it. Code is stable (the console and the API key on it);
// ZH and EN explain it to the author.
type Error struct {
	Code  string `json:"code"`
	ZH    string `json:"zh"`
	EN    string `json:"en"`
	Pos   int    `json:"pos"`             // byte offset in the template text; -1 when not about a place in it
	Param string `json:"param,omitempty"` // the declared parameter at fault, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("sqltpl: ")
	b.WriteString(e.Code)
	if e.Param != "" {
		b.WriteString(" (")
		b.WriteString(e.Param)
		b.WriteString(")")
	}
	if e.Pos >= 0 {
		fmt.Fprintf(&b, " at byte %d", e.Pos)
	}
	b.WriteString(": ")
	b.WriteString(e.EN)
	return b.String()
}

// Errors lists every problem with the parameter declarations and their use
// in the template, so that the author can fix them in one pass. errors.As
// with a *Error finds the first one.
type Errors struct {
	List []*Error `json:"errors"`
}

func (e *Errors) Error() string {
	parts := make([]string, len(e.List))
	for i, x := range e.List {
		parts[i] = x.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.Is and errors.As look at each listed error.
func (e *Errors) Unwrap() []error {
	out := make([]error, len(e.List))
	for i, x := range e.List {
		out[i] = x
	}
	return out
}

// FieldError is one caller value (or paging field) that was refused.
type FieldError struct {
	Field string `json:"field"`
	Code  string `json:"code"`
	ZH    string `json:"zh"`
	EN    string `json:"en"`
}

// BindError lists every refused caller value; the handler answers 422 with it.
type BindError struct {
	Fields []FieldError `json:"errors"`
}

func (e *BindError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Code
	}
	return "sqltpl: invalid parameters: " + strings.Join(parts, ", ")
}

// Template error codes (Error.Code).
const (
	CodeTooLarge          = "sql_too_large"
	CodeEmpty             = "sql_empty"
	CodeBadCharacter      = "sql_bad_character"
	CodeUnterminated      = "sql_unterminated"
	CodeBackslash         = "sql_backslash_in_literal"
	CodeParamInLiteral    = "sql_param_in_literal"
	CodeBadParameter      = "sql_bad_parameter"
	CodeParamAdjacent     = "sql_param_adjacent"
	CodeUserPlaceholder   = "sql_user_placeholder"
	CodeDollarQuote       = "sql_dollar_quote"
	CodeExecComment       = "sql_executable_comment"
	CodeNestedComment     = "sql_nested_comment"
	CodeAmbiguousComment  = "sql_ambiguous_comment"
	CodeUnsupported       = "sql_unsupported_syntax"
	CodeMultiple          = "sql_multiple_statements"
	CodeNotQuery          = "sql_not_a_query"
	CodeForbiddenKeyword  = "sql_forbidden_keyword"
	CodeForbiddenFunction = "sql_forbidden_function"
	CodeFileReference     = "sql_file_reference"
	CodeBlockNested       = "sql_block_nested"
	CodeBlockUnbalanced   = "sql_block_unbalanced"
	CodeBlockEmpty        = "sql_block_empty"
	CodeBlockTooMany      = "sql_block_too_many"
	CodeUnknownParameter  = "sql_unknown_parameter"
	CodeUnusedParameter   = "sql_unused_parameter"
	CodeDialect           = "sql_dialect_unsupported"

	// Declaration codes (Error.Code with Error.Param set).
	CodeParamDuplicate  = "param_duplicate"
	CodeParamTooMany    = "param_too_many"
	CodeParamBadName    = "param_bad_name"
	CodeParamBadType    = "param_bad_type"
	CodeParamBadPattern = "param_bad_pattern"
	CodeParamBadEnum    = "param_bad_enum"
	CodeParamBadRange   = "param_bad_range"
	CodeParamBadDefault = "param_bad_default"
)

// Caller value codes (FieldError.Code).
const (
	CodeRequired = "param_required"
	CodeType     = "param_type"
	CodePattern  = "param_pattern"
	CodeEnum     = "param_enum"
	CodeRange    = "param_range"
	CodeIDCard   = "param_id_card"
	CodeUSCC     = "param_uscc"
	CodeUnknown  = "param_unknown"
	CodeTooLong  = "param_too_long"
	CodeSort     = "param_sort"
)

func errAt(pos int, code, zh, en string) *Error {
	return &Error{Code: code, ZH: zh, EN: en, Pos: pos}
}

func errParam(name, code, zh, en string) *Error {
	return &Error{Code: code, ZH: zh, EN: en, Pos: -1, Param: name}
}
