package shop

import (
	stdctx "context"
	"fmt"
)

// Ctx is an alias: the rewriter finds contexts by type, not spelling.
type Ctx = stdctx.Context

// Renamed import, first position.
//
//autotrace:span
func Renamed(ctx stdctx.Context, id string) string {
	return fmt.Sprint(ctx.Value(id))
}

//autotrace:span
func Aliased(c Ctx) {
	_ = c
}

//autotrace:span
func NotFirst(id string, n int, ctx stdctx.Context) {
	_, _ = id, ctx
}

//autotrace:span
func Blank(_ stdctx.Context, id string) string {
	return id
}

//autotrace:span
func Unnamed(stdctx.Context, string) {
}

//autotrace:span
func Grouped(a, b stdctx.Context) {
	_, _ = a, b
}
