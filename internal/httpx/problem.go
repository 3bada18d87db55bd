// Package httpx holds what every handler shares: handlers that return
// errors, JSON and application/problem+json responses, strict decoding,
// paging parameters and security middleware.
package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/xietong/xietong/internal/db"
)

// Problem is an RFC 9457 problem document with a stable code and the
// detail in Chinese (detail) and English (detail_en).
type Problem struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Code     string       `json:"code"`
	Detail   string       `json:"detail"`
	DetailEN string       `json:"detail_en"`
	Errors   []FieldError `json:"errors,omitempty"`
}

// FieldError points at one invalid field.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Code, p.DetailEN) }

// NewProblem builds a problem; zh and en are the user-facing explanations.
func NewProblem(status int, code, zh, en string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Code: code, Detail: zh, DetailEN: en}
}

// Invalid is a 422 validation_failed problem listing the fields at fault.
func Invalid(errs ...FieldError) *Problem {
	p := NewProblem(http.StatusUnprocessableEntity, "validation_failed", "提交的数据未通过校验", "The submitted data failed validation")
	p.Errors = errs
	return p
}

// Common problems, shared so that every feature answers alike.
var (
	ErrUnauthenticated = NewProblem(http.StatusUnauthorized, "unauthenticated", "请先登录", "Please log in")
	ErrForbidden       = NewProblem(http.StatusForbidden, "forbidden", "没有执行此操作的权限", "You do not have permission for this action")
	ErrNotFound        = NewProblem(http.StatusNotFound, "not_found", "请求的对象不存在", "The requested object does not exist")
	ErrConflict        = NewProblem(http.StatusConflict, "conflict", "编码或名称已被使用", "The code or name is already in use")
	errInternal        = NewProblem(http.StatusInternalServerError, "internal", "服务器内部错误，请联系管理员", "Internal server error; please contact the administrator")
)

// WriteProblem writes p as application/problem+json.
func WriteProblem(w http.ResponseWriter, p *Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// HandlerFunc is a handler that returns an error instead of writing one.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle adapts h: a *Problem is written as is, db.ErrNotFound becomes 404,
// and anything else is logged (without request data) and answered with a
// bare 500 so that no internal detail leaks.
func Handle(log *slog.Logger, h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			WriteError(log, w, r, err)
		}
	})
}

// Document is an error that carries a whole problem document of its own:
// a feature's problem with members beyond Problem's.
type Document interface {
	error
	ProblemDocument() (status int, body []byte)
}

// WriteError answers err as a problem.
func WriteError(log *slog.Logger, w http.ResponseWriter, r *http.Request, err error) {
	var p *Problem
	var d Document
	switch {
	case errors.As(err, &p):
		WriteProblem(w, p)
	case errors.As(err, &d):
		status, body := d.ProblemDocument()
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		w.Write(body)
	case errors.Is(err, db.ErrNotFound):
		WriteProblem(w, ErrNotFound)
	case db.IsUniqueViolation(err):
		WriteProblem(w, ErrConflict)
	default:
		log.Error("request failed", "method", r.Method, "pattern", r.Pattern, "err", err)
		WriteProblem(w, errInternal)
	}
}
