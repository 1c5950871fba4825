//autotrace:all

package shop

import "context"
import autotrace "github.com/autotrace/autotrace/runtime"

func Load(ctx context.Context) (__err error) {
	ctx, __span := autotrace.Start(ctx, "shop.Load")
	defer __span.EndErr(&__err) // autotrace: one-line body
	return nil
}

func helper(x int) int {
	__span := autotrace.StartHere("shop.helper")
	defer __span.End()
	return x * 2
}

//autotrace:skip hot loop helper, timed by its caller
func inner(x int) int {
	return x + 1
}

type Store struct{}

func (s *Store) Get(ctx context.Context, key string) (_ string, __err error) {
	ctx, __span := autotrace.Start(ctx, "shop.(*Store).Get")
	defer __span.EndErr(&__err)
	return key, nil
}

func (s *Store) Len() int {
	__span := autotrace.StartHere("shop.(*Store).Len")
	defer __span.End() // autotrace: one-line body
	return 0
}

func (s *Store) Swap(i, j int) {
	__span := autotrace.StartHere("shop.(*Store).Swap")
	defer __span.End() // autotrace: one-line body
}

// Implemented in assembly: no body, never instrumented.
func declared()
