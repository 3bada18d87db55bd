package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// MaxBodyBytes bounds a control-plane JSON body.
const MaxBodyBytes = 1 << 20

// DecodeJSON reads exactly one JSON object into dst, rejecting unknown
// fields, trailing data and bodies over MaxBodyBytes with stable codes.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return NewProblem(http.StatusUnsupportedMediaType, "unsupported_media_type", "请求体必须是 JSON（Content-Type: application/json）", "The body must be JSON (Content-Type: application/json)")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeProblem(err)
	}
	if dec.More() {
		return NewProblem(http.StatusBadRequest, "malformed_json", "请求体只能包含一个 JSON 对象", "The body must hold exactly one JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return NewProblem(http.StatusBadRequest, "malformed_json", "JSON 对象之后有多余内容", "Unexpected data after the JSON object")
	}
	return nil
}

func decodeProblem(err error) *Problem {
	var (
		maxErr  *http.MaxBytesError
		typeErr *json.UnmarshalTypeError
		synErr  *json.SyntaxError
	)
	switch {
	case errors.As(err, &maxErr):
		return NewProblem(http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("请求体超过 %d 字节", MaxBodyBytes), fmt.Sprintf("The body exceeds %d bytes", MaxBodyBytes))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		p := NewProblem(http.StatusBadRequest, "unknown_field", "请求包含未知字段："+field, "Unknown field: "+field)
		p.Errors = []FieldError{{Field: field, Code: "unknown"}}
		return p
	case errors.As(err, &typeErr):
		p := NewProblem(http.StatusBadRequest, "malformed_json", "字段类型错误："+typeErr.Field, "Wrong type for field: "+typeErr.Field)
		p.Errors = []FieldError{{Field: typeErr.Field, Code: "type", Message: "want " + typeErr.Type.String()}}
		return p
	case errors.As(err, &synErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return NewProblem(http.StatusBadRequest, "malformed_json", "请求体不是合法的 JSON", "The body is not valid JSON")
	default:
		return NewProblem(http.StatusBadRequest, "malformed_json", "请求体不是合法的 JSON", "The body is not valid JSON")
	}
}

// PathID parses the {id} path value.
func PathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrNotFound
	}
	return id, nil
}

// Page holds list parameters: 1-based page, page size ≤ 200, keyword.
type Page struct {
	Page     int    `json:"page"`
	PageSize int    `json:"page_size"`
	Q        string `json:"-"`
}

// Offset is the row offset of the page.
func (p Page) Offset() int { return (p.Page - 1) * p.PageSize }

// ParsePage reads page, page_size and q from the query string.
func ParsePage(r *http.Request) (Page, error) {
	p := Page{Page: 1, PageSize: 20, Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	var errs []FieldError
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, FieldError{Field: "page", Code: "range", Message: "page ≥ 1"})
		}
		p.Page = n
	}
	if v := r.URL.Query().Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			errs = append(errs, FieldError{Field: "page_size", Code: "range", Message: "1 ≤ page_size ≤ 200"})
		}
		p.PageSize = n
	}
	if len([]rune(p.Q)) > 100 {
		errs = append(errs, FieldError{Field: "q", Code: "too_long", Message: "≤ 100 characters"})
	}
	if len(errs) > 0 {
		return p, Invalid(errs...)
	}
	return p, nil
}

// List is one page of a list answer.
type List[T any] struct {
	Items    []T `json:"items"`
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
}

// NewList makes a list answer; a nil slice becomes [] in JSON.
func NewList[T any](items []T, total int, p Page) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, Total: total, Page: p.Page, PageSize: p.PageSize}
}

// QueryID reads an optional non-negative integer query parameter (0 when
// absent); anything else is a 422 naming the parameter.
func QueryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, Invalid(FieldError{Field: name, Code: "format"})
	}
	return n, nil
}
