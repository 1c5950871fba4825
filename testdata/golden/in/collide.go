package shop

import "context"

// Identifiers that gen might want for itself.
var autotrace = "mine"

//autotrace:span
func Collide(ctx context.Context) (err error) {
	span, __span, __err, __result__0 := 1, 2, 3, 4
	_ = span + __span + __err + __result__0 + len(autotrace)
	return err
}

//autotrace:span
func Unnamed(context.Context) error {
	__ctx := 1
	__err := __ctx
	_ = __err
	return nil
}
