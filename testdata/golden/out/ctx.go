package shop

import (
	stdctx "context"
	"fmt"

	autotrace "github.com/autotrace/autotrace/runtime"
)

// Ctx is an alias: the rewriter finds contexts by type, not spelling.
type Ctx = stdctx.Context

// Renamed import, first position.
//
//autotrace:span
func Renamed(ctx stdctx.Context, id string) string {
	ctx, __span := autotrace.Start(ctx, "shop.Renamed")
	defer __span.End()
	return fmt.Sprint(ctx.Value(id))
}

//autotrace:span
func Aliased(c Ctx) {
	c, __span := autotrace.Start(c, "shop.Aliased")
	defer __span.End()
	_ = c
}

//autotrace:span
func NotFirst(id string, n int, ctx stdctx.Context) {
	ctx, __span := autotrace.Start(ctx, "shop.NotFirst")
	defer __span.End()
	_, _ = id, ctx
}

//autotrace:span
func Blank(__ctx_ stdctx.Context, id string) string {
	__ctx_, __span := autotrace.Start(__ctx_, "shop.Blank")
	defer __span.End()
	return id
}

//autotrace:span
func Unnamed(__ctx stdctx.Context, _ string) {
	__ctx, __span := autotrace.Start(__ctx, "shop.Unnamed")
	defer __span.End()
}

//autotrace:span
func Grouped(a, b stdctx.Context) {
	a, __span := autotrace.Start(a, "shop.Grouped")
	defer __span.End()
	_, _ = a, b
}
