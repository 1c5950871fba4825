package shop

import "strings"

//autotrace:span
func Upper(s string) string { return strings.ToUpper(s) }

//autotrace:span
func Long(s string) string { a := strings.ToUpper(s); b := strings.ToLower(s); return a + b }

//autotrace:span
func Comment(s string) string { // a comment after the brace
	return s
}

//autotrace:span
func Odd(s string) string { /* block */ return s }

//autotrace:span
func Odd2(s string) string { a := s
	return a
}
