package shop

import "context"
import autotrace1 "github.com/autotrace/autotrace/runtime"

// Identifiers that gen might want for itself.
var autotrace = "mine"

//autotrace:span
func Collide(ctx context.Context) (err error) {
	ctx, __span1 := autotrace1.Start(ctx, "shop.Collide")
	defer __span1.EndErr(&err)
	span, __span, __err, __result__0 := 1, 2, 3, 4
	_ = span + __span + __err + __result__0 + len(autotrace)
	return err
}

//autotrace:span
func Unnamed(__ctx1 context.Context) (__err1 error) {
	__ctx1, __span := autotrace1.Start(__ctx1, "shop.Unnamed")
	defer __span.EndErr(&__err1)
	__ctx := 1
	__err := __ctx
	_ = __err
	return nil
}
