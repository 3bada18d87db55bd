package httpx

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Checker collects field errors; services use it to validate input in one pass.
type Checker struct{ errs []FieldError }

// Add records a field error.
func (c *Checker) Add(field, code, msg string) {
	c.errs = append(c.errs, FieldError{Field: field, Code: code, Message: msg})
}

// Text checks a trimmed string's length in characters.
func (c *Checker) Text(field, v string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(v) == "":
		c.Add(field, "required", "")
	case utf8.RuneCountInString(v) > max:
		c.Add(field, "too_long", "≤ "+strconv.Itoa(max))
	case strings.ContainsAny(v, "\x00\r\n\t"):
		c.Add(field, "control_chars", "")
	}
}

var codeRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.:-]{0,63}$`)

// Code checks an identifier-like code (letters first; letters, digits, _ . : -).
func (c *Checker) Code(field, v string) {
	if !codeRe.MatchString(v) {
		c.Add(field, "format", "letters, digits, _ . : - ; starts with a letter; ≤ 64")
	}
}

// OneOf checks v against allowed values.
func (c *Checker) OneOf(field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	c.Add(field, "enum", strings.Join(allowed, "|"))
}

var phoneRe = regexp.MustCompile(`^(\+?[0-9][0-9 -]{4,19})?$`)

// Phone checks an optional phone number.
func (c *Checker) Phone(field, v string) {
	if !phoneRe.MatchString(v) {
		c.Add(field, "format", "")
	}
}

// Email checks an optional e-mail address.
func (c *Checker) Email(field, v string) {
	if v == "" {
		return
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v || len(v) > 254 {
		c.Add(field, "format", "")
	}
}

// Err is nil when nothing was recorded, else a validation_failed problem.
func (c *Checker) Err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return Invalid(c.errs...)
}
