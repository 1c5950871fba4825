//autotrace:all

package shop

import "context"

func Load(ctx context.Context) error { return nil }

func helper(x int) int {
	return x * 2
}

//autotrace:skip hot loop helper, timed by its caller
func inner(x int) int {
	return x + 1
}

type Store struct{}

func (s *Store) Get(ctx context.Context, key string) (string, error) {
	return key, nil
}

func (s *Store) Len() int { return 0 }

func (s *Store) Swap(i, j int) {}

// Implemented in assembly: no body, never instrumented.
func declared()
