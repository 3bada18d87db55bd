// Package ident checks the national identifiers: 公民身份号码 (GB 11643,
// ISO 7064 MOD 11-2) and 统一社会信用代码 (GB 32100).
package ident

import "time"

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10X98765432"

// ValidID reports whether s is an 18-character 公民身份号码 with a valid
// birth date and check character (upper-case X).
func ValidID(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * idWeights[i]
	}
	if s[17] != idCheck[sum%11] {
		return false
	}
	_, err := time.Parse("20060102", s[6:14])
	return err == nil
}

// ID15To18 converts a legacy 15-digit number to 18 digits (19 before the
// year, then the check character); ok is false for malformed input.
func ID15To18(s string) (string, bool) {
	if len(s) != 15 {
		return "", false
	}
	b := []byte(s[:6] + "19" + s[6:])
	sum := 0
	for i := 0; i < 17; i++ {
		if b[i] < '0' || b[i] > '9' {
			return "", false
		}
		sum += int(b[i]-'0') * idWeights[i]
	}
	return string(b) + string(idCheck[sum%11]), true
}

const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidUSCC reports whether s is an 18-character 统一社会信用代码 with a
// valid check character.
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := indexOf(s[i])
		if v < 0 {
			return false
		}
		sum += v * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return indexOf(s[17]) == c
}

func indexOf(c byte) int {
	for i := 0; i < len(usccAlphabet); i++ {
		if usccAlphabet[i] == c {
			return i
		}
	}
	return -1
}

// CompleteID appends the check character to the first 17 digits of a
// 公民身份号码 (for generated test and sample data); ok is false when body
// is not 17 digits.
func CompleteID(body string) (string, bool) {
	if len(body) != 17 {
		return "", false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := body[i]
		if c < '0' || c > '9' {
			return "", false
		}
		sum += int(c-'0') * idWeights[i]
	}
	return body + string(idCheck[sum%11]), true
}
