package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is returned for items the store does not know.
var ErrNotFound = errors.New("not found")

// Store is the data layer, with a little simulated latency.
type Store struct {
	prices map[string]int
}

func NewStore() *Store {
	return &Store{prices: map[string]int{"apple": 3, "pear": 4, "plum": 2, "fig": 7, "corrupt": -1}}
}

// The item looked up is recorded on the span (`report -by item`).
//
//autotrace:span attrs=item
func (s *Store) Price(ctx context.Context, item string) (int, error) {
	if err := s.query(ctx, 2*time.Millisecond); err != nil {
		return 0, err
	}
	p, ok := s.prices[item]
	if !ok {
		return 0, fmt.Errorf("item %q: %w", item, ErrNotFound)
	}
	return p, nil
}

// query stands in for a round trip to a database.
//
//autotrace:span attrs=latency
func (s *Store) query(ctx context.Context, latency time.Duration) error {
	select {
	case <-time.After(latency):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
