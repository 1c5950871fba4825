package shop

import "strings"
import autotrace "github.com/autotrace/autotrace/runtime"

//autotrace:span
func Upper(s string) string {
	__span := autotrace.StartHere("shop.Upper")
	defer __span.End() // autotrace: one-line body
	return strings.ToUpper(s)
}

//autotrace:span
func Long(s string) string {
	__span := autotrace.StartHere("shop.Long")
	defer __span.End() // autotrace: one-line body
	a := strings.ToUpper(s)
	b := strings.ToLower(s)
	return a + b
}

//autotrace:span
func Comment(s string) string { // a comment after the brace
	__span := autotrace.StartHere("shop.Comment")
	defer __span.End()
	return s
}

//autotrace:span
func Odd(s string) string { __span := autotrace.StartHere("shop.Odd"); defer __span.End(); /* block */ return s }

//autotrace:span
func Odd2(s string) string { __span := autotrace.StartHere("shop.Odd2"); defer __span.End(); a := s
	return a
}
