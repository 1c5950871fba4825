package shop // a comment on the package line

import autotrace "github.com/autotrace/autotrace/runtime"

//autotrace:span
func Plain(a, b int) int {
	__span := autotrace.StartHere("shop.Plain")
	defer __span.End()
	return a + b
}
