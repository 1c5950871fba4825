package shop // a comment on the package line

//autotrace:span
func Plain(a, b int) int {
	return a + b
}
