package iam

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xietong/xietong/internal/httpx"
)

// checkStrength applies the length and character-class rules, and refuses a
// password that contains the username.
func checkStrength(p Policy, username, pass string) error {
	var upper, lower, digit, symbol bool
	for _, r := range pass {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsPrint(r) && !unicode.IsSpace(r):
			symbol = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, symbol} {
		if b {
			classes++
		}
	}
	n := utf8.RuneCountInString(pass)
	var errs []httpx.FieldError
	if n < p.MinLength {
		errs = append(errs, httpx.FieldError{Field: "password", Code: "too_short", Message: fmt.Sprintf("≥ %d", p.MinLength)})
	}
	if n > 128 {
		errs = append(errs, httpx.FieldError{Field: "password", Code: "too_long", Message: "≤ 128"})
	}
	if classes < p.MinClasses {
		errs = append(errs, httpx.FieldError{Field: "password", Code: "too_few_classes", Message: fmt.Sprintf("≥ %d of upper, lower, digit, symbol", p.MinClasses)})
	}
	if username != "" && strings.Contains(strings.ToLower(pass), strings.ToLower(username)) {
		errs = append(errs, httpx.FieldError{Field: "password", Code: "contains_username"})
	}
	if len(errs) == 0 {
		return nil
	}
	pr := httpx.NewProblem(http.StatusUnprocessableEntity, "password_weak",
		fmt.Sprintf("密码至少 %d 位，包含大写字母、小写字母、数字、符号中的至少 %d 类，且不能包含用户名", p.MinLength, p.MinClasses),
		fmt.Sprintf("The password needs at least %d characters from at least %d of: upper case, lower case, digits, symbols, and must not contain the username", p.MinLength, p.MinClasses))
	pr.Errors = errs
	return pr
}
